import GitKit
import ISMSModel

/// A corrective action or a management review action past its due date and not done.
public struct OverdueActionRule: Rule {
    public init() {}
    package static let nc =
        "id: NC-1\ntitle: Leaver accounts left active\nowner: alice\nsource: {type: audit}\ntype: minor\nroot_cause: No trigger from HR\n"
    public static let definition = RuleDescription(
        id: "overdue-action",
        severity: .error,
        summary: "A corrective action (of a nonconformity) or a management review action past its due date and not done.",
        rationale: """
            A nonconformity is closed by acting on its cause (ISO 27001 10.2 b, c), and a management review by \
            carrying out its decisions (9.3.3). An action whose due date has passed without done_on is the first \
            thing an auditor follows up: the ISMS does not do what it decided. An action is still on time on its due day.
            """,
        fix: "Do the action and record done_on, or agree a new due date with its owner (the history shows the change).",
        failing: RuleExample([
            ("nonconformities/nc-1.yaml", nc + "actions:\n  CA-1: {action: Deprovision from the HR system, owner: bob, due: 2026-11-15}\n")
        ]),
        passing: RuleExample([
            (
                "nonconformities/nc-1.yaml",
                nc + "actions:\n  CA-1: {action: Deprovision from the HR system, owner: bob, due: 2026-11-15, done_on: 2026-11-10}\n"
            )
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        (context.records(.nonconformity) + context.records(.managementReview)).flatMap { record in
            record.actions.compactMap { action in
                guard action.doneOn == nil, let due = action.due, due < context.asOf else { return nil }
                let what = record.kind == .nonconformity ? "corrective action" : "action"
                return finding(
                    "\(what) \(action.name) of \(record.id) (\(action.text ?? record.title)) was due on \(due), "
                        + "\(daysAgo(due, asOf: context.asOf)), and is not done", in: record, field: "actions.\(action.name).due")
            }
        }
    }
}
