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
        return (headLeft, baseLeft)
    }

    private static func subject(_ f: Finding) -> String {
        "\(f.rule)\u{1}\(f.record ?? f.path ?? "")\u{1}\(f.field ?? "")" + (EvidenceGapRule.event(of: f).map { "\u{1}" + $0 } ?? "")
    }
}
