/// Which controls implement each Annex A control and which are excluded: the facts behind the Statement
/// of Applicability and the `soa-gap` rule.
public struct AnnexACoverage: Sendable {
    /// Canonical Annex A id → the controls (any status) whose `annex_a` names it, in record order.
    public let implementers: [String: [Record]]
    /// Canonical Annex A id → the exclusion recorded in isms.yaml (the first when repeated).
    public let exclusions: [String: SOAExclusion]

    public init(_ isms: ISMS) {
        var implementers = [String: [Record]]()
        for control in isms.records(of: .control) {
            var seen = Set<String>()
            for item in control.list("annex_a") {
                guard let id = AnnexA.canonical(item.value), AnnexA.control(id) != nil, seen.insert(id).inserted else { continue }
                implementers[id, default: []].append(control)
            }
        }
        self.implementers = implementers
        var exclusions = [String: SOAExclusion]()
        for exclusion in isms.config.soaExclusions {
            guard let id = AnnexA.canonical(exclusion.annexA), AnnexA.control(id) != nil, exclusions[id] == nil else { continue }
            exclusions[id] = exclusion
        }
        self.exclusions = exclusions
    }

    /// The controls implementing `id` that are not retired.
    public func activeImplementers(_ id: String) -> [Record] {
        (implementers[id] ?? []).filter { $0.string("status") != "retired" }
    }

    /// Neither implemented by a non-retired control nor excluded.
    public func isGap(_ id: String) -> Bool {
        activeImplementers(id).isEmpty && exclusions[id] == nil
    }
}
