import GitKit
import ISMSModel

/// A risk linked to a record that changed materially, still not reassessed after `reassessment_days`.
public struct ReassessmentOverdueRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits

    public static let definition = RuleDescription(
        id: "reassessment-overdue",
        severity: .error,
        summary:
            "A risk linked to a record that changed materially (material_fields) was not reassessed within reassessment_days (default 30).",
        rationale: """
            reassessment-due, grown old: the change has been in the ISMS for longer than reassessment_days without \
            the risks that depend on it being looked at again, so the risk register no longer describes the \
            organisation it is about (clause 8.2: risk assessments at planned intervals and when significant changes \
            occur). What counts as a link, a material change and a reassessment is as for reassessment-due.
            """,
        fix: """
            Reassess the risk now: update its scores, treatment or controls, or confirm them by setting review.last \
            to today, citing what you used in review.evidence and review.note.
            """,
        failing: RuleExample(
            asOf: "2026-05-01",
            commits: [
                ExampleCommit(
                    "alice", "2026-01-12", "Record the customer database and its hosting",
                    ReassessmentDueRule.start(ReassessmentDueRule.supplier)),
                ExampleCommit(
                    "bob", "2026-03-01", "SUP-1 moves to OtherCloud in us-east-1", [("suppliers/sup-1.yaml", ReassessmentDueRule.moved)]),
            ]),
        passing: RuleExample(
            asOf: "2026-05-01",
            commits: [
                ExampleCommit(
                    "alice", "2026-01-12", "Record the customer database and its hosting",
                    ReassessmentDueRule.start(ReassessmentDueRule.supplier)),
                ExampleCommit(
                    "bob", "2026-03-01", "SUP-1 moves to OtherCloud in us-east-1", [("suppliers/sup-1.yaml", ReassessmentDueRule.moved)]),
                ExampleCommit(
                    "carol", "2026-03-20", "Raise RISK-1's likelihood after the hosting move",
                    [
                        (
                            "risks/risk-1.yaml",
                            ReassessmentDueRule.risk(reviewed: "2026-01-10").replacingOccurrences(
                                of: "likelihood: 2", with: "likelihood: 3")
                        )
                    ]),
            ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let days = context.config.reassessmentDays
        return Reassessment.pending(context).filter { $0.day.days(until: context.asOf) > days }.map { pending in
            finding(
                "\(pending.risk.id) has not been reassessed since \(pending.what), \(pending.day.days(until: context.asOf)) days ago "
                    + "(reassessment_days: \(days)); reassess it", in: pending.risk,
                field: pending.risk.fields["review.last"] != nil ? "review.last" : nil)
        }
    }
}
