import GitKit
import ISMSModel

/// A reference to an id that no record has.
public struct BrokenLinkRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "broken-link",
        severity: .error,
        summary: "A reference points to no record.",
        rationale: """
            The chain risk → control → evidence → obligation holds only if every link lands. A risk that lists a \
            control that was renamed or deleted looks treated and is not.
            """,
        fix: "Correct the id (the message suggests the closest one), or create the missing record.",
        failing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-9]\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Disk encryption\nowner: alice\nstatus: planned\ndue: 2027-03-01\n"),
        ])
    )

    /// How many distinct unknown ids get a did-you-mean. Each costs an edit distance against every id in the
    /// ISMS; a pull request with tens of thousands of invented links (one 250 KB file is 20,000) would otherwise
    /// keep a check of 10,000 records busy for minutes.
    package static let suggestionBudget = 200

    public func check(_ context: RuleContext) -> [Finding] {
        let ids = Suggester(context.isms.records.map(\.id))
        var suggestions = [String: String?]()
        return context.graph.links.compactMap { link in
            guard context.record(link.to) == nil else { return nil }
            var message = "\(link.field) refers to \(link.to), which no record has"
            let suggestion: String?
            if let known = suggestions[link.to] {
                suggestion = known
            } else if suggestions.count < Self.suggestionBudget {
                suggestion = ids.closest(to: link.to)
                suggestions[link.to] = .some(suggestion)
            } else {
                suggestion = nil
            }
            if let suggestion { message += "; did you mean \(suggestion)?" }
            return Self.finding(message, path: link.path, at: link.location, record: link.from, field: link.field)
        }
    }
}
