import GitKit
import ISMSModel

/// An operating control whose newest evidence is older than its cadence allows.
public struct StaleEvidenceRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "stale-evidence",
        severity: .warning,
        summary: "An operating control whose newest evidence is older than its cadence (every) plus the grace days.",
        rationale: """
            A control that runs monthly must leave proof monthly. An auditor samples the period under review and \
            asks for the evidence of each operation; when the newest evidence is older than one cadence, the \
            control has stopped operating or stopped being recorded. The evidence is due one period after it was \
            collected, in calendar time (monthly: the same day next month, clamped to the month's end; quarterly: three \
            months; yearly: a year; continuous: continuous_days, default 7), plus evidence_grace_days, and is stale \
            from the day after. Controls that run on-event have no schedule and are never stale: evidence-gap judges them \
            per event.
            """,
        fix: "Record the evidence of the latest operation, or correct the control's every if it runs less often.",
        failing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Access review\nowner: alice\nstatus: operating\nevery: monthly\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Unauthorised access\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            (
                "evidence/access-2026-01.yaml",
                "id: EV-access-2026-01\ntitle: January access review\ncontrol: CTRL-1\ncollected_on: 2026-01-05\nresult: pass\n"
            ),
        ]),
        passing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Access review\nowner: alice\nstatus: operating\nevery: monthly\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Unauthorised access\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            (
                "evidence/access-2026-11.yaml",
                "id: EV-access-2026-11\ntitle: November access review\ncontrol: CTRL-1\ncollected_on: 2026-11-05\nresult: pass\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let evidence = context.evidenceByControl()
        let grace = context.config.evidenceGraceDays
        return context.records(.control).compactMap { control in
            guard control.string("status") == "operating", let cadence = control.cadence("every"),
                let (newest, collected) = newestEvidence(evidence[control.id] ?? []),
                let next = cadence.next(after: collected, continuousDays: context.config.continuousDays)
            else { return nil }
            let due = next.adding(days: grace)
            guard due < context.asOf else { return nil }
            let allowance = grace == 0 ? "next on \(next)" : "next on \(next), plus \(grace) grace days"
            return finding(
                "the newest evidence of control \(control.id) is \(newest.id) from \(collected); at cadence \(cadence) "
                    + "(\(allowance)) new evidence was due by \(due), \(daysAgo(due, asOf: context.asOf))",
                in: control, field: "every")
        }
    }
}
