import GitKit
import ISMSModel

/// A planned control past its due date, or with none.
public struct OverdueTreatmentRule: Rule {
    public init() {}

    package static func control(due: String?) -> (String, String) {
        ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Raised floor\nowner: alice\nstatus: planned\n" + (due.map { "due: \($0)\n" } ?? ""))
    }
    package static let risk = exampleRisk("treatment: reduce\ncontrols: [CTRL-1]\n")

    public static let definition = RuleDescription(
        id: "overdue-treatment",
        severity: .error,
        summary: "A planned control whose due date has passed, or that has no due date.",
        rationale: """
            A risk treatment plan says what will be done, by whom and when (6.1.3 e, 6.2). A planned control without a \
            date can stay planned forever while its risks count on it; one past its date is a plan that failed, and the \
            risks it was to reduce are untreated until someone decides again. A control is still on time on its due day.
            """,
        fix: "Bring the control into operation (status operating), or re-plan it with a new due date and say why.",
        failing: RuleExample([control(due: "2026-09-30"), risk]),
        passing: RuleExample([control(due: "2027-03-31"), risk])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.control).compactMap { control in
            guard control.string("status") == "planned" else { return nil }
            guard let due = control.date("due") else {
                guard !control.isWritten("due") else { return nil }
                return finding("control \(control.id) (\(control.title)) is planned with no due date", in: control, field: "status")
            }
            guard due < context.asOf else { return nil }
            return finding(
                "control \(control.id) (\(control.title)) was due to operate on \(due), \(daysAgo(due, asOf: context.asOf)), "
                    + "and is still planned", in: control, field: "due")
        }
    }
}
