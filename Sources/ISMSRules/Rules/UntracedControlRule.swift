import GitKit
import ISMSModel

/// A control that nothing asks for: no risk lists it and it satisfies no obligation.
public struct UntracedControlRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "untraced-control",
        severity: .error,
        summary: "A control that no risk lists and that satisfies no obligation.",
        rationale: """
            The first question an auditor asks of a control is why it exists. The answer is a risk it treats \
            (the risk lists it in `controls`) or an obligation it meets (the control lists it in `satisfies`). \
            A control with neither is either paperwork nobody needs or, more often, a link that was lost, and the \
            Statement of Applicability cannot justify it. Retired controls are left out.
            """,
        fix:
            "Add the control to the controls of the risk it treats, or list the obligations it meets under satisfies; retire it (status: retired) if it is no longer needed.",
        failing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Disk encryption\nowner: alice\nstatus: planned\ndue: 2027-03-01\n")
        ]),
        passing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Disk encryption\nowner: alice\nstatus: planned\ndue: 2027-03-01\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.control).compactMap { control in
            guard !control.isRetired, control.list("satisfies").isEmpty else { return nil }
            let listedByRisk = context.graph.links(to: control.id, field: "controls").contains { $0.fromKind == .risk }
            guard !listedByRisk else { return nil }
            return finding(
                "control \(control.id) (\(control.title)) is listed by no risk and satisfies no obligation: nothing says why it exists",
                in: control, field: "id")
        }
    }
}
