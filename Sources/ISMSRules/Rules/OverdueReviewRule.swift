import GitKit
import ISMSModel

/// A risk or supplier whose review cycle has lapsed.
public struct OverdueReviewRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "overdue-review",
        severity: .warning,
        summary: "A risk or supplier whose last review is older than its review cycle.",
        rationale: """
            Risk assessments must be repeated at planned intervals (ISO 27001 8.2) and suppliers monitored \
            (Annex A 5.22). A review cycle that has lapsed means the score, the treatment or the supplier's \
            assurance may no longer match reality. The review is due one period after review.last (monthly: 31 \
            days, quarterly: 92, yearly: 366) and overdue from the day after; on-event reviews are never overdue.
            """,
        fix: "Review the record and set review.last to the day of the review.",
        failing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview:\n  last: 2025-06-01\n  every: yearly\n"
            )
        ]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview:\n  last: 2026-06-01\n  every: yearly\n"
            )
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        (context.records(.risk) + context.records(.supplier)).compactMap { record in
            guard let last = record.date("review.last"), let cadence = record.cadence("review.every"),
                let due = cadence.next(after: last, continuousDays: context.config.continuousDays)
            else { return nil }
            guard due < context.asOf else { return nil }
            return finding(
                "\(record.kind.rawValue) \(record.id) (\(record.title)) was last reviewed on \(last); with a \(cadence) review "
                    + "the next was due by \(due), \(daysAgo(due, asOf: context.asOf))",
                in: record, field: "review.last")
        }
    }
}
