/// What a field may hold. The validator, the docs and the history's typed values all read this one description.
public indirect enum FieldType: Sendable {
    case text
    case integer(ClosedRange<Int>)
    case boolean
    case date
    case cadence
    case choice([String])
    /// An id of a record of one of these kinds.
    case reference([RecordKind])
    /// Free text that is a reference when it has the id shape of `kind` (a risk transferred to a supplier).
    case referenceOrText(RecordKind)
    /// 64 lower-case hexadecimal digits.
    case sha256
    case list(FieldType)
    case object([FieldSpec])

    public var name: String {
        switch self {
        case .text: return "text"
        case .integer(let r): return "integer \(r.lowerBound)–\(r.upperBound)"
        case .boolean: return "boolean"
        case .date: return "date (YYYY-MM-DD)"
        case .cadence: return "cadence"
        case .choice(let values): return values.joined(separator: " | ")
        case .reference(let kinds): return kinds.map { "\($0.rawValue) id" }.joined(separator: " or ")
        case .referenceOrText(let kind): return "text or \(kind.rawValue) id"
        case .sha256: return "sha256 (64 hex digits)"
        case .list(let element): return "list of \(element.name)"
        case .object: return "mapping"
        }
    }
}

/// When a field must be present.
public enum Requirement: Sendable {
    case optional
    case required
    /// Required when the sibling field `field` holds the scalar text `equals`.
    case requiredWhen(field: String, equals: String)
}

public struct FieldSpec: Sendable {
    public let name: String
    public let type: FieldType
    public let requirement: Requirement
    public let summary: String

    public init(_ name: String, _ type: FieldType, _ requirement: Requirement = .optional, _ summary: String) {
        self.name = name
        self.type = type
        self.requirement = requirement
        self.summary = summary
    }
}

public struct KindSchema: Sendable {
    public let kind: RecordKind
    public let fields: [FieldSpec]
    /// Groups of fields of which at least one must be present.
    public let oneOf: [[String]]

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

public enum Schema {
    static let common: [FieldSpec] = [
        FieldSpec("id", .text, .required, "Unique id; its shape is set by the kind's id pattern."),
        FieldSpec("title", .text, .required, "A short name."),
        FieldSpec("owner", .text, .required, "The person accountable (a key of `people` in isms.yaml when the roster is set)."),
        FieldSpec("description", .text, .optional, "Free text."),
        FieldSpec("tags", .list(.text), .optional, "Labels for grouping and filtering."),
    ]
    static let review = FieldSpec("review", .object([
        FieldSpec("last", .date, .required, "When it was last reviewed."),
        FieldSpec("every", .cadence, .required, "How often it must be reviewed."),
        FieldSpec("evidence", .list(.reference([.evidence])), .optional, "What the last review used (a reassessment cites it)."),
        FieldSpec("note", .text, .optional, "What the last review found, or the change it answered."),
    ]), .optional, "The review cycle.")

    public static let severityNames = ["error", "warning", "note", "off"]

    public static func of(_ kind: RecordKind) -> KindSchema { all[kind]! }

    public static let all: [RecordKind: KindSchema] = {
        var schemas = [RecordKind: KindSchema]()
        func add(_ kind: RecordKind, _ specific: [FieldSpec], owner: Bool = true, oneOf: [[String]] = []) {
            let base = common.map { spec in
                spec.name == "owner" && !owner ? FieldSpec("owner", .text, .optional, spec.summary) : spec
            }
            schemas[kind] = KindSchema(kind: kind, fields: base + specific, oneOf: oneOf)
        }
        let score = FieldType.integer(1...5)
        add(.risk, [
            FieldSpec("likelihood", score, .optional, "How likely, 1 (rare) to 5 (almost certain)."),
            FieldSpec("impact", score, .optional, "How severe, 1 (negligible) to 5 (critical)."),
            FieldSpec("treatment", .choice(["reduce", "accept", "transfer", "avoid"]), .optional, "The treatment decision."),
            FieldSpec("controls", .list(.reference([.control])), .optional, "Controls that reduce the risk (required, non-empty, for reduce)."),
            FieldSpec("acceptance", .object([
                FieldSpec("approved_by", .text, .optional, "Who accepted the risk."),
                FieldSpec("approved_on", .date, .optional, "When."),
                FieldSpec("expires", .date, .optional, "When the acceptance lapses."),
                FieldSpec("rationale", .text, .optional, "Why the risk is acceptable."),
            ]), .optional, "The acceptance decision (all four fields required for accept)."),
            FieldSpec("transfer", .object([
                FieldSpec("to", .referenceOrText(.supplier), .required, "Insurer, supplier id or party that carries the risk."),
                FieldSpec("rationale", .text, .optional, "Why the transfer is adequate."),
            ]), .optional, "Where the risk is transferred."),
            FieldSpec("residual", .object([
                FieldSpec("likelihood", score, .optional, "Likelihood after treatment."),
                FieldSpec("impact", score, .optional, "Impact after treatment."),
            ]), .optional, "The risk left after treatment."),
            FieldSpec("assets", .list(.reference([.asset])), .optional, "Assets the risk concerns."),
            review,
        ])
        add(.control, [
            FieldSpec("operation", .choice(["manual", "automated", "review"]), .optional, "How the control operates."),
            FieldSpec("status", .choice(["planned", "implemented", "operating", "retired"]), .optional, "Where the control stands."),
            FieldSpec("every", .cadence, .optional, "How often it operates, and so how fresh its evidence must be."),
            FieldSpec("satisfies", .list(.reference([.obligation])), .optional, "Obligations the control satisfies."),
            FieldSpec("annex_a", .list(.text), .optional, "ISO/IEC 27001:2022 Annex A references, such as A.5.15."),
            FieldSpec("evidence_expected", .object([
                FieldSpec("record", .text, .optional, "What record proves an operation."),
                FieldSpec("location", .text, .optional, "Where that record is kept."),
                FieldSpec("retention", .text, .optional, "How long it is kept."),
            ]), .optional, "The evidence the control should leave."),
        ])
        add(.obligation, [
            FieldSpec("source", .text, .optional, "GDPR, NIS2, DORA, ISO27001, contract, internal, …"),
            FieldSpec("ref", .text, .optional, "The clause, such as Art. 32(1)(b)."),
            FieldSpec("applies", .boolean, .optional, "Whether the obligation applies (default true)."),
            FieldSpec("justification", .text, .requiredWhen(field: "applies", equals: "false"), "Why it does not apply (required when applies is false)."),
        ])
        add(.evidence, [
            FieldSpec("control", .reference([.control]), .required, "The control whose operation this proves."),
            FieldSpec("collected_on", .date, .required, "When the evidence was produced."),
            FieldSpec("collected_by", .text, .optional, "Who collected it."),
            FieldSpec("kind", .choice(["system", "process", "verification"]), .optional, "What sort of proof it is."),
            FieldSpec("result", .choice(["pass", "fail", "exception"]), .optional, "The outcome."),
            FieldSpec("location", .text, .optional, "A URL, or a path relative to the ISMS root."),
            FieldSpec("sha256", .sha256, .optional, "The SHA-256 of the file at location, to prove it is unchanged."),
        ], owner: false)
        add(.exception, [
            FieldSpec("control", .reference([.control]), .optional, "The control excepted."),
            FieldSpec("risk", .reference([.risk]), .optional, "The risk excepted."),
            FieldSpec("reason", .text, .optional, "Why the exception is needed."),
            FieldSpec("approved_by", .text, .optional, "Who approved it."),
            FieldSpec("expires", .date, .required, "When it lapses."),
            FieldSpec("compensating", .list(.reference([.control])), .optional, "Controls that compensate meanwhile."),
        ], oneOf: [["control", "risk"]])
        add(.supplier, [
            FieldSpec("criticality", .choice(["high", "medium", "low"]), .optional, "How much depends on the supplier."),
            FieldSpec("services", .list(.text), .optional, "What it provides."),
            FieldSpec("assurance", .list(.reference([.evidence])), .optional, "Evidence of the supplier's assurance (reports, certificates)."),
            FieldSpec("data", .list(.text), .optional, "The categories of data it handles."),
            FieldSpec("hosting", .text, .optional, "Where it runs what it provides: hosting provider and region."),
            FieldSpec("subprocessors", .list(.text), .optional, "The subprocessors it relies on."),
            review,
        ])
        add(.asset, [
            FieldSpec("classification", .text, .optional, "The information classification, such as confidential."),
            FieldSpec("in_scope", .boolean, .optional, "Whether the asset is in the ISMS scope."),
            FieldSpec("exclusion_reason", .text, .requiredWhen(field: "in_scope", equals: "false"), "Why it is out of scope (required when not in scope)."),
            FieldSpec("suppliers", .list(.reference([.supplier])), .optional, "Suppliers that host or provide the asset."),
        ])
        return schemas
    }()
}
