import GitKit
import ISMSModel

/// A risk linked to a record that changed materially, not reassessed since, within `reassessment_days`.
public struct ReassessmentDueRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits

    package static let supplier = """
        id: SUP-1
        title: Cloud hosting
        owner: alice
        criticality: medium
        hosting: ExampleCloud, eu-west-1
        review:
          last: 2026-01-10
          every: yearly

        """
    package static let asset = """
        id: ASSET-1
        title: Customer database
        owner: alice
        suppliers: [SUP-1]

        """
    package static func risk(reviewed: String) -> String {
        """
        id: RISK-1
        title: Customer data leaves the EU
        owner: alice
        likelihood: 2
        impact: 3
        treatment: reduce
        controls: [CTRL-1]
        assets: [ASSET-1]
        review:
          last: \(reviewed)
          every: yearly

        """
    }
    package static let control = """
        id: CTRL-1
        title: Data residency review
        owner: alice
        status: planned
        due: 2027-06-30

        """
    package static func start(_ supplier: String) -> [(String, String)] {
        [
            ("suppliers/sup-1.yaml", supplier), ("assets/asset-1.yaml", asset), ("risks/risk-1.yaml", risk(reviewed: "2026-01-10")),
            ("controls/ctrl-1.yaml", control),
        ]
    }
    package static let moved = supplier.replacingOccurrences(of: "ExampleCloud, eu-west-1", with: "OtherCloud, us-east-1")

    public static let definition = RuleDescription(
        id: "reassessment-due",
        severity: .warning,
        summary:
            "A risk linked to a record that changed materially (material_fields) has not been reassessed since, within reassessment_days.",
        rationale: """
            A new hosting model, a new subprocessor, an asset reclassified, a control retired or a narrowed ISMS \
            scope changes the risks that depend on it: the risk register must be updated when systems, suppliers \
            or incidents change (clauses 6.1.2 and 8.2). A risk depends on the assets it lists, their suppliers and \
            the supplier it transfers to, the controls it lists and the obligations they satisfy; every risk \
            depends on the scope in isms.yaml. The fields that matter are material_fields in isms.yaml (isms: \
            [scope] for the scope). A risk is reassessed by a commit that can see the change (the same one or a \
            later one) and sets its review.last to the day of the change or after, or changes one of its decision \
            fields; an uncommitted change (the work tree, --staged) is a change made on the day judged. After \
            reassessment_days (default 30) the finding becomes reassessment-overdue.
            """,
        fix: """
            Look at the risk again in the light of the change: update its scores, treatment or controls, or confirm \
            them by setting review.last to today, citing what you used in review.evidence and review.note.
            """,
        failing: RuleExample(
            asOf: "2026-03-10",
            commits: [
                ExampleCommit("alice", "2026-01-12", "Record the customer database and its hosting", start(supplier)),
                ExampleCommit("bob", "2026-03-01", "SUP-1 moves to OtherCloud in us-east-1", [("suppliers/sup-1.yaml", moved)]),
            ]),
        passing: RuleExample(
            asOf: "2026-03-10",
            commits: [
                ExampleCommit("alice", "2026-01-12", "Record the customer database and its hosting", start(supplier)),
                ExampleCommit("bob", "2026-03-01", "SUP-1 moves to OtherCloud in us-east-1", [("suppliers/sup-1.yaml", moved)]),
                ExampleCommit(
                    "carol", "2026-03-05", "Reassess RISK-1 after the hosting move", [("risks/risk-1.yaml", risk(reviewed: "2026-03-05"))]),
            ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let days = context.config.reassessmentDays
        return Reassessment.pending(context).filter { $0.day.days(until: context.asOf) <= days }.map { pending in
            finding(
                "\(pending.risk.id) has not been reassessed since \(pending.what); reassess it by \(pending.day.adding(days: days)) "
                    + "(update the risk, or set review.last)", in: pending.risk,
                field: pending.risk.fields["review.last"] != nil ? "review.last" : nil)
        }
    }
}
