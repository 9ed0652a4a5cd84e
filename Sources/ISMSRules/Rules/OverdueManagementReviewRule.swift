import GitKit
import ISMSModel

/// Top management has not reviewed the ISMS within the cadence of management_review.every.
public struct OverdueManagementReviewRule: Rule {
    public init() {}
    /// With no review yet, the first review period runs from the ISMS's first commit.
    public static let history = HistoryUse.datesFromHistory
    package static let inputs =
        "inputs: {previous_actions: a, issues: b, parties: c, nonconformities: d, monitoring: e, audits: f, objectives: g, feedback: h, risks: i, improvement: j}\n"
    public static let definition = RuleDescription(
        id: "overdue-management-review",
        severity: .error,
        summary:
            "The last management review is older than management_review.every (default yearly), or none was held in the ISMS's first such period.",
        rationale: """
            ISO 27001 9.3.1 requires top management to review the ISMS at planned intervals; a certification audit \
            cannot pass without a review in the cycle. The next review is due one period (yearly: the same date a year later) after \
            the date of the newest review record. With no review yet, the period runs from the first commit that \
            changed a record of the ISMS; outside a git repository, with no review, nothing is reported.
            """,
        fix:
            "Hold the management review and record it in management-reviews/ (isms new management-review; isms report management-review drafts its inputs).",
        failing: RuleExample([
            (
                "management-reviews/mr-1.yaml",
                "id: MR-1\ntitle: Management review 2025\nowner: alice\ndate: 2025-10-20\nattendees: [alice, carol]\ntop_management: [carol]\n"
                    + inputs
            )
        ]),
        passing: RuleExample([
            (
                "management-reviews/mr-1.yaml",
                "id: MR-1\ntitle: Management review 2026\nowner: alice\ndate: 2026-10-20\nattendees: [alice, carol]\ntop_management: [carol]\n"
                    + inputs
            )
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let every = context.config.managementReviewEvery
        guard every != .onEvent else { return [] }
        if let (review, day) = context.isms.lastManagementReview(asOf: context.asOf) {
            guard let due = every.next(after: day) else { return [] }
            guard due < context.asOf else { return [] }
            return [
                finding(
                    "the last management review, \(review.id), was held on \(day); with a \(every) review the next was due by \(due), "
                        + daysAgo(due, asOf: context.asOf), in: review, field: "date")
            ]
        }
        guard let first = context.governance?.firstRecordDay else { return [] }
        guard let due = every.next(after: first), due < context.asOf else { return [] }
        return [
            Self.finding(
                "no management review is recorded; the ISMS's first commit was on \(first), so with a \(every) review the first was due by \(due), "
                    + daysAgo(due, asOf: context.asOf), path: "isms.yaml",
                at: context.config.managementReviewLocation ?? .start, field: "management_review")
        ]
    }
}
