import GitKit
import ISMSModel

/// An operating control that does not say how often it operates.
public struct MissingCadenceRule: Rule {
    public init() {}

    package static func control(_ every: String) -> (String, String) {
        ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: operating\n\(every)")
    }
    /// A leaver process that runs on-event, stating its event or not.
    package static func leavers(_ event: String) -> [(String, String)] {
        [
            ("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Leaver deprovisioning\nowner: bob\nstatus: operating\nevery: on-event\n\(event)"),
            ("evidence/ev-2.yaml", "id: EV-2\ntitle: Leaver sample\ncontrol: CTRL-2\ncollected_on: 2026-11-20\nresult: pass\n"),
        ]
    }
    package static let evidence = (
        "evidence/ev-1.yaml", "id: EV-1\ntitle: Backup log\ncontrol: CTRL-1\ncollected_on: 2026-11-30\nresult: pass\n"
    )
    package static let risk = exampleRisk("treatment: reduce\ncontrols: [CTRL-1, CTRL-2]\n")

    public static let definition = RuleDescription(
        id: "missing-cadence",
        severity: .warning,
        summary: "An operating control with no every, or one that runs on-event without saying which event.",
        rationale: """
            How often a control operates decides how fresh its evidence must be. Without every, evidence from 2019 \
            still reads ok: the control is never stale and never has a gap. Controls that run on events say every: \
            on-event, and say which event in event: without it an on-event control has the same defect, since nothing \
            tells which events needed an answer, so this rule asks for it rather than let evidence-gap pass it in \
            silence. An event isms holds no records of is stated in words (event: {kind: other, description: …}).
            """,
        fix: """
            Add every: the cadence the control runs at (daily, monthly, …, on-event); for on-event, add event: \
            {kind: incident} or {kind: other, description: what happens}.
            """,
        failing: RuleExample([control(""), evidence, risk] + leavers("")),
        passing: RuleExample(
            [control("every: daily\n"), evidence, risk] + leavers("event: {kind: other, description: A person leaves the company}\n"))
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.control).compactMap { control in
            guard control.string("status") == "operating" else { return nil }
            if !control.isWritten("every") {
                return finding("control \(control.id) (\(control.title)) operates but has no every", in: control, field: "status")
            }
            guard control.cadence("every") == .onEvent, !control.isWritten("event") else { return nil }
            return finding(
                "control \(control.id) (\(control.title)) operates on-event but does not say which event (event)", in: control,
                field: "every")
        }
    }
}
