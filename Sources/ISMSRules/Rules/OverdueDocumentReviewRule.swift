import GitKit
import ISMSModel

/// A document whose review cycle has lapsed.
public struct OverdueDocumentReviewRule: Rule {
    public init() {}

    package static func document(reviewed: String) -> String {
        """
        ---
        id: DOC-1
        title: Supplier policy
        owner: alice
        version: "1.0"
        approved_by: carol
        approved_on: 2025-03-01
        review:
          last: \(reviewed)
          every: yearly
        ---
        # Supplier policy

        Every supplier that handles customer data is assessed before it is engaged.

        """
    }

    public static let definition = RuleDescription(
        id: "overdue-document-review",
        severity: .warning,
        summary: "A document (policy, procedure) whose last review is older than its review cycle.",
        rationale: """
            Policies are reviewed at planned intervals and when significant changes occur (Annex A 5.1), and \
            documented information is kept suitable (clause 7.5.3). A document whose review has lapsed may no longer \
            describe what is done. The review is due one period after review.last (monthly: 31 days, quarterly: 92, \
            yearly: 366) and overdue from the day after; on-event reviews are never overdue. A review that leaves the \
            text as it is only updates review.last, which needs no new approval.
            """,
        fix: "Review the document; set review.last to the day of the review, and have a changed text approved (version and approved_on).",
        failing: RuleExample([("documents/doc-1.md", document(reviewed: "2025-03-01"))]),
        passing: RuleExample([("documents/doc-1.md", document(reviewed: "2026-03-01"))])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.document).compactMap { record in
            guard let last = record.date("review.last"), let cadence = record.cadence("review.every"),
                let due = cadence.next(after: last, continuousDays: context.config.continuousDays), due < context.asOf
            else { return nil }
            return finding(
                "document \(record.id) (\(record.title)) was last reviewed on \(last); with a \(cadence) review "
                    + "the next was due by \(due), \(daysAgo(due, asOf: context.asOf))",
                in: record, field: "review.last")
        }
    }
}
