import ISMSModel

/// Questions several rules ask of the loaded ISMS, answered one way.
extension RuleContext {
    /// Evidence records grouped by the control id they name, in path order.
    package func evidenceByControl() -> [String: [Record]] {
        var groups = [String: [Record]]()
        for evidence in records(.evidence) {
            guard let control = evidence.string("control") else { continue }
            groups[control, default: []].append(evidence)
        }
        return groups
    }
}

extension Record {
    /// A control that is retired no longer runs: it explains, covers and needs nothing.
    package var isRetired: Bool { string("status") == "retired" }
}

/// The newest of `evidence` by collected_on, the later path breaking a tie; undated evidence is left out.
package func newestEvidence(_ evidence: [Record]) -> (record: Record, collected: Day)? {
    var newest: (record: Record, collected: Day)?
    for record in evidence {
        guard let day = record.date("collected_on") else { continue }
        if let current = newest, (current.collected, current.record.path) > (day, record.path) { continue }
        newest = (record, day)
    }
    return newest
}

/// "1 day ago", "31 days ago": how long before `asOf` a date lies.
package func daysAgo(_ day: Day, asOf: Day) -> String {
    let days = day.days(until: asOf)
    return days == 1 ? "1 day ago" : "\(days) days ago"
}

/// "a, b and c".
package func listed(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items.last!
}

extension RuleContext {
    package var method: RiskMethod { config.riskMethod }

    /// The level an exception is judged at: its risk's current level, else the highest level of the risks its control
    /// reduces; nil when none is scored.
    package func level(ofException exception: Record) -> Int? {
        if let id = exception.string("risk"), let risk = record(id), risk.kind == .risk { return method.currentLevel(of: risk) }
        guard let control = exception.string("control") else { return nil }
        return graph.links(to: control, field: "controls").filter { $0.fromKind == .risk }
            .compactMap { record($0.from).flatMap(method.currentLevel(of:)) }.max()
    }
}

/// The `isms.yaml` of rule examples that need a risk method: the default roster, a Managing Director (dana) who may
/// accept anything, the CISO (alice) up to high, and an appetite of medium.
package let riskMethodExampleConfig = """
    name: Test ISMS
    people:
      alice: {name: Alice Example, email: alice@example.com, role: CISO}
      bob: {name: Bob Example, email: bob@example.com, role: Engineer}
      carol: {name: Carol Example, email: carol@example.com, role: CTO}
      dana: {name: Dana Example, email: dana@example.com, role: Managing Director}
    risk_method:
      levels: {low: 4, medium: 9, high: 15, critical: 25}
      appetite: medium
      acceptance_authority:
        high: [CISO]
        critical: [Managing Director]
      max_acceptance_days: {low: 730, medium: 365, high: 365, critical: 180}
      max_exception_days: 180

    """

/// A risk record for examples: reviewed yearly, so that only the point of the example is at fault.
package func exampleRisk(_ body: String, id: String = "RISK-1", title: String = "Office flood") -> (String, String) {
    ("risks/\(id.lowercased()).yaml", "id: \(id)\ntitle: \(title)\nowner: alice\n\(body)review: {last: 2026-06-01, every: yearly}\n")
}
