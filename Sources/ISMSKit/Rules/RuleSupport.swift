/// Questions several rules ask of the loaded ISMS, answered one way.
extension RuleContext {
    /// Evidence records grouped by the control id they name, in path order.
    func evidenceByControl() -> [String: [Record]] {
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
    var isRetired: Bool { string("status") == "retired" }
}

/// The newest of `evidence` by collected_on, the later path breaking a tie; undated evidence is left out.
func newestEvidence(_ evidence: [Record]) -> (record: Record, collected: Day)? {
    var newest: (record: Record, collected: Day)?
    for record in evidence {
        guard let day = record.date("collected_on") else { continue }
        if let current = newest, (current.collected, current.record.path) > (day, record.path) { continue }
        newest = (record, day)
    }
    return newest
}

/// "1 day ago", "31 days ago": how long before `asOf` a date lies.
func daysAgo(_ day: Day, asOf: Day) -> String {
    let days = day.days(until: asOf)
    return days == 1 ? "1 day ago" : "\(days) days ago"
}

/// "a, b and c".
func listed(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items.last!
}
