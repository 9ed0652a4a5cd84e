import GitKit
import ISMSModel

/// A control said to be operating with nothing to prove it.
public struct ControlWithoutEvidenceRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "control-without-evidence",
        severity: .error,
        summary: "A control with status operating that no evidence record names.",
        rationale: """
            After why a control exists, who runs it and how it operates, an auditor asks what proves it happened. \
            `operating` is a claim; evidence (a log, a ticket, a signed review) is its proof. A control marked \
            operating without a single evidence record is, to an auditor, a control that does not operate.
            """,
        fix: "Add an evidence record with control: set to the control's id, or set the status to implemented until it runs.",
        failing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: operating\nevery: daily\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Data loss\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
        ]),
        passing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: operating\nevery: daily\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Data loss\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            (
                "evidence/backup-2026-11-30.yaml",
                "id: EV-backup-2026-11-30\ntitle: Backup log\ncontrol: CTRL-1\ncollected_on: 2026-11-30\nresult: pass\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let evidence = context.evidenceByControl()
        return context.records(.control).compactMap { control in
            guard control.string("status") == "operating", evidence[control.id] == nil else { return nil }
            return finding(
                "control \(control.id) (\(control.title)) is operating but no evidence record has control: \(control.id)",
                in: control, field: "status")
        }
    }
}
