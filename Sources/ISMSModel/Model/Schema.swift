import ISMSCore

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
    /// Optional, and meaningful only when the sibling field `field` holds the scalar text `equals`: given beside
    /// another value it would be ignored without a word, so it is an invalid value.
    case onlyWhen(field: String, equals: String)
}

extension Requirement {
    /// The requirement as `"\(requirement)"` spells it (`requiredWhen(field: "a", equals: "b")`), for
    /// `Schema.fingerprint`, without reflection.
    package var fingerprintText: String {
        switch self {
        case .optional: return "optional"
        case .required: return "required"
        case .requiredWhen(let field, let equals):
            return "requiredWhen(field: \(field.debugDescription), equals: \(equals.debugDescription))"
        case .onlyWhen(let field, let equals): return "onlyWhen(field: \(field.debugDescription), equals: \(equals.debugDescription))"
        }
    }
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
    package static let common: [FieldSpec] = [
        FieldSpec("id", .text, .required, "Unique id; its shape is set by the kind's id pattern."),
        FieldSpec("title", .text, .required, "A short name."),
        FieldSpec("owner", .text, .required, "The person accountable (a key of `people` in isms.yaml when the roster is set)."),
        FieldSpec("description", .text, .optional, "Free text."),
        FieldSpec("tags", .list(.text), .optional, "Labels for grouping and filtering."),
    ]
    package static let review = FieldSpec(
        "review",
        .object([
            FieldSpec("last", .date, .required, "When it was last reviewed."),
            FieldSpec("every", .cadence, .required, "How often it must be reviewed."),
            FieldSpec("evidence", .list(.reference([.evidence])), .optional, "What the last review used (a reassessment cites it)."),
            FieldSpec("note", .text, .optional, "What the last review found, or the change it answered."),
        ]), .optional, "The review cycle.")

    public static let severityNames = ["error", "warning", "note", "off"]

    /// The fields of a corrective or review action, shared by nonconformities and management reviews.
    package static let action: [FieldSpec] = [
        FieldSpec("action", .text, .required, "What is to be done."),
        FieldSpec("owner", .text, .required, "Who does it."),
        FieldSpec("due", .date, .required, "By when."),
        FieldSpec("done_on", .date, .optional, "When it was done."),
    ]

    /// The fields written in a record's YAML: all of them, but for a Markdown kind its body, which is the text
    /// after the front matter (what the JSON Schema of the kind describes).
    public static func writtenFields(_ kind: RecordKind) -> [FieldSpec] {
        let fields = of(kind).fields
        return kind.fileFormat == .markdown ? fields.filter { $0.name != RecordFileFormat.bodyField } : fields
    }

    /// A stable digest (FNV-1a, 64 bits) of every kind's fields: names, types and requirements, not their
    /// summaries. The history cache mixes it into its version: it stores only the fields a record's schema accepts,
    /// so a cache written before a field was added, retyped or dropped would misstate the history; it is rebuilt.
    public static let fingerprint: UInt64 = {
        func describe(_ type: FieldType) -> String {
            switch type {
            case .list(let element): return "list(\(describe(element)))"
            case .object(let specs): return "object(\(describe(specs)))"
            case .keyed(let specs): return "keyed(\(describe(specs)))"
            default: return type.name
            }
        }
        func describe(_ specs: [FieldSpec]) -> String {
            specs.map { "\($0.name):\(describe($0.type)):\($0.requirement.fingerprintText)" }.joined(separator: ",")
        }
        let kinds = RecordKind.allCases.sorted { $0.storageCode < $1.storageCode }
        return fnv1a(
            kinds.map { kind in "\(kind.storageCode) \(describe(of(kind).fields)) \(fingerprintText(of(kind).oneOf))\n" }.joined().utf8)
    }()

    /// `groups` spelled as `"\(groups)"` spells it (`[["a", "b"]]`), without the reflection that took most of a
    /// millisecond of every history command (the cache's file name needs the fingerprint).
    package static func fingerprintText(_ groups: [[String]]) -> String {
        "[" + groups.map { "[" + $0.map(\.debugDescription).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    /// One shared copy of `name` when a schema names that dotted path (`acceptance.approved_by`); else `name`.
    /// A path of more than 15 bytes is a heap string: without this, each of 100,000 records held its own copies.
    package static func sharedName(_ name: String) -> String {
        guard name.utf8.count > 15 else { return name }  // held inline: nothing to share
        return dottedNames[name] ?? name
    }

    /// Every dotted path of every kind's schema (a keyed mapping's entries, named by the author, are not).
    private static let dottedNames: [String: String] = {
        var names = [String: String]()
        func add(_ specs: [FieldSpec], prefix: String) {
            for spec in specs {
                let name = prefix + spec.name
                names[name] = name
                if case .object(let children) = spec.type { add(children, prefix: name + ".") }
            }
        }
        for kind in RecordKind.allCases { add(of(kind).fields, prefix: "") }
        return names
    }()

    /// Never traps: `all` holds every kind, and a miss would only cost building the schema again.
    public static func of(_ kind: RecordKind) -> KindSchema { all[kind] ?? make(kind) }

    public static let all: [RecordKind: KindSchema] = Dictionary(uniqueKeysWithValues: RecordKind.allCases.map { ($0, make($0)) })

    /// The common fields, then the kind's own (from its declaration in Model/Kinds/).
    package static func make(_ kind: RecordKind) -> KindSchema {
        let declaration = kind.declaration
        let base = common.map { spec in
            spec.name == "owner" && !declaration.ownerRequired ? FieldSpec("owner", .text, .optional, spec.summary) : spec
        }
        return KindSchema(kind: kind, fields: base + declaration.fields, oneOf: declaration.oneOf)
    }
}
