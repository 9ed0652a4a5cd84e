// Temporary: the record-kind declarations (issue 17, item 2) carry each kind's pinned `storageCode` and the
// `layoutFingerprint`; this file is replaced by them at merge. The codes are today's case positions, so the
// caches already written keep their meaning.
extension RecordKind {
    /// The kind's code in the history cache, pinned: never renumber or reuse one.
    var storageCode: UInt8 {
        switch self {
        case .risk: return 0
        case .control: return 1
        case .obligation: return 2
        case .evidence: return 3
        case .exception: return 4
        case .supplier: return 5
        case .asset: return 6
        case .audit: return 7
        case .nonconformity: return 8
        case .managementReview: return 9
        case .objective: return 10
        case .incident: return 11
        case .party: return 12
        }
    }

    /// Every kind with its code, for the history cache's version.
    static var layoutFingerprint: String { allCases.map { "\($0.rawValue)=\($0.storageCode)" }.joined(separator: ",") }
}
