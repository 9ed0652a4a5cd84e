import GitKit
import ISMSModel

/// A decision set by a commit whose message does not reference a ticket (reference_pattern).
public struct DecisionWithoutReferenceRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits
    public static func isActive(in config: Config) -> Bool { config.referencePattern != nil }

    package static let config = RuleExample.defaultConfig + "reference_pattern: 'SEC-[0-9]+'\n"
    package static let risk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"

    public static let definition = RuleDescription(
        id: "decision-without-reference",
        severity: .warning,
        summary:
            "A decision field's current value was set by a commit whose message does not match reference_pattern (off until the pattern is set).",
        rationale: """
            Where decisions are discussed in tickets (a change request, a risk committee's minutes), the commit that \
            records a decision should name it, so that an auditor can go from the register to the discussion. The \
            rule judges the commits that set the current value of each decision field (decision_fields), with the \
            whole commit message; it runs only when isms.yaml sets reference_pattern.
            """,
        fix: "Record the decision again with a commit message naming its ticket (or amend the commit before it is shared).",
        failing: RuleExample(commits: [
            ExampleCommit(
                "alice", "2026-01-12", "Avoid laptop theft: no laptops leave the office",
                [("isms.yaml", config), ("risks/risk-1.yaml", risk)])
        ]),
        passing: RuleExample(commits: [
            ExampleCommit(
                "alice", "2026-01-12", "Avoid laptop theft: no laptops leave the office\n\nRefs: SEC-42",
                [("isms.yaml", config), ("risks/risk-1.yaml", risk)])
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        guard let pattern = context.config.referencePattern, let governance = context.governance else { return [] }
        var findings = [Finding]()
        for record in context.isms.records {
            for (commit, fields) in GovernanceRules.decisionsByCommit(record, config: context.config, governance: governance)
            where !governance.message(of: commit.id, matches: pattern) {
                findings.append(
                    finding(
                        "commit \(commit.reference) set \(listed(fields)) of \(record.id) without a reference: its message does "
                            + "not match \(pattern.source)", in: record, field: fields[0]))
            }
        }
        return findings
    }
}
