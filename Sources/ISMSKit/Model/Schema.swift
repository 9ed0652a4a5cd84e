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
    /// A mapping from names the author chooses (`CA-1`, `gdpr`) to mappings of these fields: corrective
    /// actions, review actions, a party's requirements. Flattened like objects (`actions.CA-1.due`).
    case keyed([FieldSpec])
    /// A moment with its zone: `2026-03-02T14:05:00+01:00` (see `Timestamp`).
    case timestamp
    /// A decimal number, such as `99.5`.
    case number

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
        case .keyed: return "mapping of name → mapping"
        case .timestamp: return "date and time with zone (YYYY-MM-DDTHH:MM:SS+HH:MM)"
        case .number: return "number"
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
        // The widest scale a risk method allows; the validator holds scores to the configured scale (default 1–5).
        let score = FieldType.integer(1...RiskMethod.scaleRange.upperBound)
        add(.risk, [
            FieldSpec("likelihood", score, .optional, "The inherent likelihood, 1 to the scale of the risk method (default 5, almost certain)."),
            FieldSpec("impact", score, .optional, "The inherent impact, 1 to the scale of the risk method (default 5, critical)."),
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
                FieldSpec("likelihood", score, .optional, "Likelihood now, counting only operating controls."),
                FieldSpec("impact", score, .optional, "Impact now, counting only operating controls."),
            ]), .optional, "The current risk: the score with the controls that operate today."),
            FieldSpec("target", .object([
                FieldSpec("likelihood", score, .optional, "Likelihood once the planned controls operate."),
                FieldSpec("impact", score, .optional, "Impact once the planned controls operate."),
            ]), .optional, "The score expected once the planned controls operate."),
            FieldSpec("assets", .list(.reference([.asset])), .optional, "Assets the risk concerns."),
            review,
        ])
        add(.control, [
            FieldSpec("operation", .choice(["manual", "automated", "review"]), .optional, "How the control operates."),
            FieldSpec("status", .choice(["planned", "implemented", "operating", "retired"]), .optional, "Where the control stands."),
            FieldSpec("every", .cadence, .optional, "How often it operates, and so how fresh its evidence must be."),
            FieldSpec("due", .date, .optional, "For a planned control: when it is to operate."),
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
            FieldSpec("control", .reference([.control]), .optional, "The control whose operation this proves (or objective)."),
            FieldSpec("objective", .reference([.objective]), .optional, "The objective this measures (instead of a control)."),
            FieldSpec("value", .number, .optional, "The measured value, for an objective's measurement."),
            FieldSpec("collected_on", .date, .required, "When the evidence was produced."),
            FieldSpec("collected_by", .text, .optional, "Who collected it."),
            FieldSpec("kind", .choice(["system", "process", "verification"]), .optional, "What sort of proof it is."),
            FieldSpec("result", .choice(["pass", "fail", "exception"]), .optional, "The outcome."),
            FieldSpec("location", .text, .optional, "A URL, or a path relative to the ISMS root."),
            FieldSpec("sha256", .sha256, .optional, "The SHA-256 of the file at location, to prove it is unchanged."),
        ], owner: false, oneOf: [["control", "objective"]])
        add(.exception, [
            FieldSpec("control", .reference([.control]), .optional, "The control excepted."),
            FieldSpec("risk", .reference([.risk]), .optional, "The risk excepted."),
            FieldSpec("reason", .text, .optional, "Why the exception is needed."),
            FieldSpec("requested_by", .text, .optional, "Who asked for it; never its approver."),
            FieldSpec("approved_by", .text, .optional, "Who approved it."),
            FieldSpec("approved_on", .date, .optional, "When it was approved."),
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
        addRhythm(add)
        return schemas
    }()
}

extension Schema {
    /// The record kinds of the operating rhythm: audits, nonconformities, management reviews, objectives,
    /// incidents and interested parties.
    static func addRhythm(_ add: (RecordKind, [FieldSpec], Bool, [[String]]) -> Void) {
        let action: [FieldSpec] = [
            FieldSpec("action", .text, .required, "What is to be done."),
            FieldSpec("owner", .text, .required, "Who does it."),
            FieldSpec("due", .date, .required, "By when."),
            FieldSpec("done_on", .date, .optional, "When it was done."),
        ]
        add(.audit, [
            FieldSpec("type", .choice(["internal", "external", "certification", "supplier"]), .required, "What sort of audit."),
            FieldSpec("status", .choice(["planned", "performed", "cancelled"]), .optional, "Where the audit stands (default planned)."),
            FieldSpec("scope", .object([
                FieldSpec("clauses", .list(.text), .optional, "ISO/IEC 27001 clauses audited (4 to 10, or 9.2)."),
                FieldSpec("annex_a", .list(.text), .optional, "Annex A controls (A.5.15) or themes (A.5, A.6, A.7, A.8) audited."),
                FieldSpec("processes", .list(.text), .optional, "Processes audited."),
                FieldSpec("controls", .list(.reference([.control])), .optional, "Controls audited."),
            ]), .optional, "What the audit covers."),
            FieldSpec("planned_on", .date, .required, "When the audit is planned."),
            FieldSpec("performed_on", .date, .requiredWhen(field: "status", equals: "performed"), "When it was performed (required once performed)."),
            FieldSpec("auditor", .text, .optional, "Who audits: a roster key, or an external auditor's name."),
            FieldSpec("report", .text, .optional, "The audit report: a URL or a path relative to the ISMS root."),
            FieldSpec("nonconformities", .list(.reference([.nonconformity])), .optional, "The nonconformities it raised."),
        ], true, [])
        add(.nonconformity, [
            FieldSpec("source", .object([
                FieldSpec("type", .choice(["audit", "management-review", "incident", "monitoring", "complaint"]), .required, "Where it was found."),
                FieldSpec("record", .reference([.audit, .managementReview, .incident]), .optional, "The audit, review or incident that raised it."),
            ]), .required, "Where the nonconformity comes from."),
            FieldSpec("type", .choice(["major", "minor", "observation", "opportunity"]), .required,
                      "A major or minor nonconformity, an observation, or an opportunity for improvement."),
            FieldSpec("requirement", .text, .optional, "The requirement it is against (Clause 9.2, A.5.15, a policy)."),
            FieldSpec("raised_on", .date, .optional, "When it was raised."),
            FieldSpec("root_cause", .text, .optional, "Why it happened (clause 10.2 b)."),
            FieldSpec("correction", .text, .optional, "What was done to contain it at once."),
            FieldSpec("actions", .keyed(action), .optional, "Corrective actions by name: {action, owner, due, done_on}."),
            FieldSpec("status", .choice(["open", "closed"]), .optional, "Whether it is open (default) or closed."),
            FieldSpec("closed_on", .date, .optional, "When it was closed."),
            FieldSpec("effectiveness", .object([
                FieldSpec("checked_by", .text, .optional, "Who checked that the actions worked."),
                FieldSpec("checked_on", .date, .optional, "When."),
                FieldSpec("result", .choice(["effective", "not-effective"]), .optional, "What the check found."),
                FieldSpec("evidence", .list(.reference([.evidence])), .optional, "Evidence of the check."),
            ]), .optional, "The check that the corrective actions were effective (clause 10.2 d)."),
        ], true, [])
        add(.managementReview, [
            FieldSpec("date", .date, .required, "When the review was held."),
            FieldSpec("attendees", .list(.text), .required, "Who took part."),
            FieldSpec("top_management", .list(.text), .optional, "Which attendees are top management."),
            FieldSpec("inputs", .object([
                FieldSpec("previous_actions", .text, .optional, "9.3.2 a: the status of actions from previous reviews."),
                FieldSpec("issues", .text, .optional, "9.3.2 b: changes in external and internal issues."),
                FieldSpec("parties", .text, .optional, "9.3.2 c: changes in needs and expectations of interested parties."),
                FieldSpec("nonconformities", .text, .optional, "9.3.2 d 1: nonconformities and corrective actions."),
                FieldSpec("monitoring", .text, .optional, "9.3.2 d 2: monitoring and measurement results."),
                FieldSpec("audits", .text, .optional, "9.3.2 d 3: audit results."),
                FieldSpec("objectives", .text, .optional, "9.3.2 d 4: fulfilment of the objectives."),
                FieldSpec("feedback", .text, .optional, "9.3.2 e: feedback from interested parties."),
                FieldSpec("risks", .text, .optional, "9.3.2 f: results of risk assessment and status of the treatment plan."),
                FieldSpec("improvement", .text, .optional, "9.3.2 g: opportunities for continual improvement."),
            ]), .required, "One entry per input clause 9.3.2 requires."),
            FieldSpec("decisions", .list(.text), .optional, "The decisions taken (9.3.3)."),
            FieldSpec("actions", .keyed(action + [
                FieldSpec("link", .reference([.nonconformity, .objective, .risk, .control]), .optional,
                          "The nonconformity, objective, risk or control that carries the action."),
            ]), .optional, "Actions by name: {action, owner, due, done_on, link}."),
        ], true, [])
        add(.objective, [
            FieldSpec("measure", .text, .required, "What is measured."),
            FieldSpec("target", .object([
                FieldSpec("value", .number, .required, "The target value."),
                FieldSpec("comparison", .choice(["at-least", "at-most"]), .required, "Whether a value meets it from above or below."),
                FieldSpec("unit", .text, .optional, "The unit, such as % or days."),
            ]), .required, "What counts as achieved."),
            FieldSpec("set_on", .date, .optional, "When the objective was set: the first measurement is due one cadence later."),
            FieldSpec("due", .date, .optional, "When the target is to be met."),
            FieldSpec("every", .cadence, .optional, "How often it is measured."),
            FieldSpec("risks", .list(.reference([.risk])), .optional, "Risks the objective addresses."),
            FieldSpec("controls", .list(.reference([.control])), .optional, "Controls it measures."),
        ], true, [])
        let notification: [FieldSpec] = [
            FieldSpec("sent_at", .timestamp, .optional, "When it was sent."),
            FieldSpec("to", .text, .optional, "To whom (the CSIRT, the supervisory authority)."),
            FieldSpec("reference", .text, .optional, "The recipient's case number."),
        ]
        add(.incident, [
            FieldSpec("detected_at", .timestamp, .required, "When it was detected, with the zone: deadlines run from here."),
            FieldSpec("severity", .choice(["low", "medium", "high", "critical"]), .optional, "How severe."),
            FieldSpec("nis2_significant", .boolean, .optional, "A significant incident under NIS2 Art. 23."),
            FieldSpec("personal_data_breach", .boolean, .optional, "A personal-data breach under GDPR Art. 33."),
            FieldSpec("notifications", .object([
                FieldSpec("nis2_early_warning", .object(notification), .optional, "NIS2 early warning (24 hours)."),
                FieldSpec("nis2_notification", .object(notification), .optional, "NIS2 incident notification (72 hours)."),
                FieldSpec("nis2_final_report", .object(notification), .optional, "NIS2 final report (one month after the notification)."),
                FieldSpec("gdpr_authority", .object(notification), .optional, "GDPR notification to the supervisory authority (72 hours)."),
            ]), .optional, "The notifications sent."),
            FieldSpec("status", .choice(["open", "closed"]), .optional, "Whether it is open (default) or closed."),
            FieldSpec("closed_on", .date, .optional, "When it was closed."),
            FieldSpec("lessons", .object([
                FieldSpec("summary", .text, .optional, "What was learnt."),
                FieldSpec("nonconformities", .list(.reference([.nonconformity])), .optional, "Nonconformities raised."),
                FieldSpec("risks", .list(.reference([.risk])), .optional, "Risks changed."),
                FieldSpec("controls", .list(.reference([.control])), .optional, "Controls changed."),
            ]), .optional, "The lessons learnt and what they changed."),
        ], true, [])
        add(.party, [
            FieldSpec("category", .text, .optional, "customer, regulator, employee, supplier, shareholder, …"),
            FieldSpec("requirements", .keyed([
                FieldSpec("need", .text, .required, "What the party requires."),
                FieldSpec("obligations", .list(.reference([.obligation])), .optional, "The obligations that capture it."),
            ]), .optional, "What the party requires, by name: {need, obligations}."),
        ], true, [])
    }
}
