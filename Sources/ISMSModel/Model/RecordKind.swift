import ISMSCore

/// The kinds of record. Each is declared whole in its own file, `Model/Kinds/<Kind>Kind.swift`; this file only
/// registers it: a case here and its line in `declaration` (the compiler asks for the second once the first exists).
/// The case order is the order kinds are listed and sorted in; it is not stored anywhere, `storageCode` is.
public enum RecordKind: String, CaseIterable, Sendable, Codable, Comparable {
    case risk, control, obligation, evidence, exception, supplier, asset
    // The operating rhythm (clauses 4.2, 6.2, 9.2, 9.3, 10.2, incident handling).
    case audit, nonconformity, managementReview = "management-review", objective, incident, party
    // Documented information (clause 7.5): policies and procedures as Markdown with front matter.
    case document

    /// The registration: the one switch that names every kind's declaration.
    package var declaration: any RecordKindDeclaration.Type {
        switch self {
        case .risk: return RiskKind.self
        case .control: return ControlKind.self
        case .obligation: return ObligationKind.self
        case .evidence: return EvidenceKind.self
        case .exception: return ExceptionKind.self
        case .supplier: return SupplierKind.self
        case .asset: return AssetKind.self
        case .audit: return AuditKind.self
        case .nonconformity: return NonconformityKind.self
        case .managementReview: return ManagementReviewKind.self
        case .objective: return ObjectiveKind.self
        case .incident: return IncidentKind.self
        case .party: return PartyKind.self
        case .document: return DocumentKind.self
        }
    }

    /// The top-level folder under the ISMS root that holds records of this kind.
    public var folder: String { declaration.folder }

    public init?(folder: String) {
        guard let kind = RecordKind.allCases.first(where: { $0.folder == folder }) else { return nil }
        self = kind
    }

    public var defaultIDPattern: String { declaration.idPattern }

    public var fileFormat: RecordFileFormat { declaration.fileFormat }

    /// The byte that stands for this kind in the history cache. Pinned in each declaration, never derived from
    /// the case order, so a kind added anywhere leaves existing codes meaning what they meant.
    public var storageCode: UInt8 { declaration.storageCode }

    private static let byStorageCode: [RecordKind?] = {
        var table = [RecordKind?](repeating: nil, count: 256)
        for kind in allCases { table[Int(kind.storageCode)] = kind }
        return table
    }()

    /// The kind stored as `code`; nil for a code no kind has (a damaged or newer cache).
    public init?(storageCode code: UInt8) {
        guard let kind = Self.byStorageCode[Int(code)] else { return nil }
        self = kind
    }

    /// A stable digest of every kind's name and storage code (FNV-1a, 64 bits): the history cache mixes it into
    /// its version, so a cache written before a kind was added, renamed or recoded is rebuilt, never read as complete.
    public static let layoutFingerprint: UInt64 = {
        fnv1a(allCases.sorted(by: { $0.storageCode < $1.storageCode }).map { "\($0.storageCode):\($0.rawValue)\n" }.joined().utf8)
    }()

    package var order: Int { RecordKind.allCases.firstIndex(of: self)! }
    public static func < (a: RecordKind, b: RecordKind) -> Bool { a.order < b.order }
}

/// How a record of a kind is written in its file.
public enum RecordFileFormat: Sendable, Equatable {
    /// A YAML file holding one mapping.
    case yaml
    /// A Markdown file that starts with YAML front matter between two `---` lines; the text after it is the
    /// record's field `body`.
    case markdown

    /// The field that holds a Markdown record's text.
    public static let bodyField = "body"

    /// The extension `isms new` gives a new record's file.
    public var fileExtension: String {
        switch self {
        case .yaml: return "yaml"
        case .markdown: return "md"
        }
    }

    /// Whether a file named `name` holds a record in this format.
    public func isRecordFileName(_ name: some StringProtocol) -> Bool {
        switch self {
        case .yaml: return name.hasSuffix(".yaml") || name.hasSuffix(".yml")
        case .markdown: return name.hasSuffix(".md")
        }
    }
}

/// The colours a kind's nodes get in `isms graph` (Mermaid class, DOT fill and outline).
public struct GraphStyle: Sendable, Equatable {
    public let fill: String
    public let stroke: String
}

/// Everything the tool knows about one record kind, in one place. A missing requirement is a compile error;
/// `RecordKindTests` checks the values (unique codes and folders, a template that exists, fields that validate).
package protocol RecordKindDeclaration {
    /// The kind's byte in the history cache. Never reuse or change one: see `RecordKind.storageCode`.
    static var storageCode: UInt8 { get }
    /// The top-level folder under the ISMS root.
    static var folder: String { get }
    /// The default id pattern (`id_patterns` in isms.yaml overrides it).
    static var idPattern: String { get }
    /// An id offered with `--id` when the configured id pattern has no number for `isms new` to count up.
    static var exampleID: String { get }
    static var fileFormat: RecordFileFormat { get }
    /// Whether `owner` is required (evidence has a collector instead).
    static var ownerRequired: Bool { get }
    /// The kind's own fields, after the common ones (`Schema.common`). References to other kinds
    /// (`.reference`) are the kind's links: the traceability graph and `wrong-link-kind` read them from here.
    static var fields: [FieldSpec] { get }
    /// Groups of fields of which at least one must be present.
    static var oneOf: [[String]] { get }
    /// The default `decision_fields` of isms.yaml: the fields whose changes the governance rules judge.
    static var decisionFields: [String] { get }
    /// The default `material_fields`: the fields whose change asks for the linked risks to be reassessed.
    static var materialFields: [String] { get }
    /// The template `isms new` fills, by path under templates/.
    static var template: String { get }
    static var graphStyle: GraphStyle { get }
}

extension RecordKind {
    /// The template `isms new` fills, by path under templates/.
    public var template: String { declaration.template }
    public var graphStyle: GraphStyle { declaration.graphStyle }
    public var exampleID: String { declaration.exampleID }

    /// A per-kind default of isms.yaml (`decision_fields`, `material_fields`) from the declarations; kinds that
    /// declare none are left out, so an unset kind reads as absent.
    package static func defaults(_ value: (any RecordKindDeclaration.Type) -> [String]) -> [RecordKind: [String]] {
        Dictionary(
            uniqueKeysWithValues: allCases.compactMap { kind in
                let fields = value(kind.declaration)
                return fields.isEmpty ? nil : (kind, fields)
            })
    }
}
