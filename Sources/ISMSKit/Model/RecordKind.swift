/// The seven kinds of record, each kept in the folder of its name.
public enum RecordKind: String, CaseIterable, Sendable, Codable, Comparable {
    case risk, control, obligation, evidence, exception, supplier, asset

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
        }
    }

    var order: Int { RecordKind.allCases.firstIndex(of: self)! }
    public static func < (a: RecordKind, b: RecordKind) -> Bool { a.order < b.order }
}
