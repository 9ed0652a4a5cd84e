import ISMSModel
import ISMSRules

/// Matches findings of two revisions by what they are about — rule, record (or file) and field, then
/// message — never by line, so reformatting a file does not make its old findings new.
public enum FindingMatcher {
    /// Findings of `head` with no counterpart in `base` (introduced) and of `base` with none in `head` (resolved).
    public static func compare(base: [Finding], head: [Finding]) -> (introduced: [Finding], resolved: [Finding]) {
        var headLeft = head, baseLeft = base
        // The first pass pairs findings that say the same thing; the second pairs what is left by subject
        // alone, so a message that names a changed date or count still matches its old self. A history rule's
        // finding is about the commit it names: a new unsigned change to a field that already had an old
        // finding is new, so those pair only by their whole message (which names the commit).
        let exact = { (f: Finding) in subject(f) + "\u{1}" + f.message }
        let loose = { (f: Finding) in GovernanceRules.ids.contains(f.rule) ? exact(f) : subject(f) }
        for identity in [exact, loose] {
            // Each base finding's identity is made once per pass, and the tables sized for them: the gate matches
            // thousands of findings on every run.
            let baseIDs = baseLeft.map(identity)
            var available = [String: Int](minimumCapacity: baseIDs.count)
            for id in baseIDs { available[id, default: 0] += 1 }
            var paired = [String: Int](minimumCapacity: min(baseIDs.count, headLeft.count))
            var introduced = [Finding]()
            for finding in headLeft {
                let id = identity(finding)
                if let count = available[id], count > 0 {
                    available[id] = count - 1
                    paired[id, default: 0] += 1
                } else {
                    introduced.append(finding)
                }
            }
            var resolved = [Finding]()
            for (finding, id) in zip(baseLeft, baseIDs) {
                if let count = paired[id], count > 0 { paired[id] = count - 1 } else { resolved.append(finding) }
            }
            headLeft = introduced
            baseLeft = resolved
        }
        return pairGroupedFields(head: headLeft, base: baseLeft)
    }

    /// A history rule groups the fields one commit set on a record into one finding ("impact and likelihood of RISK-1
    /// were set by commit …"). When a pull request re-decides one of them, the rest is still the same old finding,
    /// worded for fewer fields: it pairs with the base's finding that names the same rule, record, commit and verdict
    /// and at least its fields, so the gate does not blame the pull request for a decision it did not touch.
    private static func pairGroupedFields(head: [Finding], base: [Finding]) -> (introduced: [Finding], resolved: [Finding]) {
        var baseGroups = [String: [(index: Int, fields: Set<Substring>)]]()
        for (index, finding) in base.enumerated() {
            guard let grouped = GroupedFields(finding) else { continue }
            baseGroups[grouped.key, default: []].append((index, grouped.fields))
        }
        guard !baseGroups.isEmpty else { return (head, base) }
        var pairedBase = Set<Int>()
        var introduced = [Finding]()
        for finding in head {
            if let grouped = GroupedFields(finding),
                let match = baseGroups[grouped.key]?.first(where: { grouped.fields.isSubset(of: $0.fields) })
            {
                pairedBase.insert(match.index)
            } else {
                introduced.append(finding)
            }
        }
        let resolved = base.enumerated().filter { !pairedBase.contains($0.offset) }.map(\.element)
        return (introduced, resolved)
    }

    /// A history rule's finding read as "FIELDS of RECORD was|were REST": the fields, and a key of everything else.
    private struct GroupedFields {
        let key: String
        let fields: Set<Substring>

        init?(_ finding: Finding) {
            guard GovernanceRules.ids.contains(finding.rule), let record = finding.record,
                let of = finding.message.range(of: " of \(record) ")
            else { return nil }
            let rest = finding.message[of.upperBound...]
            let verb = rest.hasPrefix("was ") ? "was " : rest.hasPrefix("were ") ? "were " : nil
            guard let verb else { return nil }
            let names = finding.message[..<of.lowerBound]
            var fields = Set<Substring>()
            for part in names.split(separator: ", ") {
                for name in part.components(separatedBy: " and ") { fields.insert(Substring(name)) }
            }
            guard !fields.contains(where: { $0.isEmpty || $0.contains(" ") }) else { return nil }
            key = "\(finding.rule)\u{1}\(record)\u{1}\(finding.path ?? "")\u{1}" + rest.dropFirst(verb.count)
            self.fields = fields
        }
    }

    private static func subject(_ f: Finding) -> String {
        "\(f.rule)\u{1}\(f.record ?? f.path ?? "")\u{1}\(f.field ?? "")" + (EvidenceGapRule.event(of: f).map { "\u{1}" + $0 } ?? "")
    }
}
