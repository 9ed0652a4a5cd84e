import GitKit
import ISMSModel

/// An operating control that does not say how often it operates.
public struct MissingCadenceRule: Rule {
    public init() {}

    package static func control(_ every: String) -> (String, String) {
        ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: operating\n\(every)")
    }
    package static let evidence = (
        "evidence/ev-1.yaml", "id: EV-1\ntitle: Backup log\ncontrol: CTRL-1\ncollected_on: 2026-11-30\nresult: pass\n"
    )
    package static let risk = exampleRisk("treatment: reduce\ncontrols: [CTRL-1]\n")

    public static let definition = RuleDescription(
        id: "missing-cadence",
        severity: .warning,
        summary: "An operating control with no every.",
        rationale: """
            How often a control operates decides how fresh its evidence must be. Without every, evidence from 2019 \
            still reads ok: the control is never stale and never has a gap. Controls that run on events say every: on-event.
            """,
        fix: "Add every: the cadence the control runs at (daily, monthly, …, on-event).",
        failing: RuleExample([control(""), evidence, risk]),
        passing: RuleExample([control("every: daily\n"), evidence, risk])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.control).compactMap { control in
            guard control.string("status") == "operating", !control.isWritten("every") else { return nil }
            return finding("control \(control.id) (\(control.title)) operates but has no every", in: control, field: "status")
        }
    }
}
