/// The kinds of record, each kept in the folder of its name. New kinds go at the end: the history cache
/// stores a kind as its position here.
public enum RecordKind: String, CaseIterable, Sendable, Codable, Comparable {
    case risk, control, obligation, evidence, exception, supplier, asset
    // The operating rhythm (clauses 4.2, 6.2, 9.2, 9.3, 10.2, incident handling).
    case audit, nonconformity, managementReview = "management-review", objective, incident, party

    /// The top-level folder under the ISMS root that holds records of this kind.
    public var folder: String {
        switch self {
        case .risk: return "risks"
        case .control: return "controls"
        case .obligation: return "obligations"
        case .evidence: return "evidence"
        case .exception: return "exceptions"
        case .supplier: return "suppliers"
        case .asset: return "assets"
        case .audit: return "audits"
        case .nonconformity: return "nonconformities"
        case .managementReview: return "management-reviews"
        case .objective: return "objectives"
        case .incident: return "incidents"
        case .party: return "parties"
        }
    }

    public init?(folder: String) {
        guard let kind = RecordKind.allCases.first(where: { $0.folder == folder }) else { return nil }
        self = kind
    }

    public var defaultIDPattern: String {
        switch self {
        case .risk: return "^RISK-[0-9]+$"
        case .control: return "^CTRL-[0-9]+$"
        case .obligation: return "^OBL-[A-Za-z0-9][A-Za-z0-9._-]*$"
        case .evidence: return "^EV-[A-Za-z0-9][A-Za-z0-9._-]*$"
        case .exception: return "^EXC-[0-9]+$"
        case .supplier: return "^SUP-[0-9]+$"
        case .asset: return "^ASSET-[0-9]+$"
        case .audit: return "^AUD-[0-9]+$"
        case .nonconformity: return "^NC-[0-9]+$"
        case .managementReview: return "^MR-[0-9]+$"
        case .objective: return "^OBJ-[0-9]+$"
        case .incident: return "^INC-[0-9]+$"
        case .party: return "^PARTY-[0-9]+$"
        }
    }

    var order: Int { RecordKind.allCases.firstIndex(of: self)! }
    public static func < (a: RecordKind, b: RecordKind) -> Bool { a.order < b.order }
}
