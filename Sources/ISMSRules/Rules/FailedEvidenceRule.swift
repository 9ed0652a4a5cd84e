import GitKit
import ISMSModel

/// A control whose newest evidence records a failure that no current exception covers.
public struct FailedEvidenceRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "failed-evidence",
        severity: .error,
        summary: "A control whose newest evidence has result fail, with no unexpired exception for the control.",
        rationale: """
            Evidence proves a control operated, and its result says whether it worked. When the latest proof \
            shows a failure (a restore that did not restore, a review that found stale accounts), the control is \
            not effective until it passes again, and an auditor expects either the correction or a documented, \
            approved exception for the meantime. Only the newest evidence counts: a later pass closes the failure. \
            An exception covers the control until and including its expiry day.
            """,
        fix: "Fix the control and record passing evidence, or record an exception for the control with an expiry date.",
        failing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backup restore test\nowner: alice\nstatus: operating\nevery: yearly\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Data loss\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            (
                "evidence/restore-2026-11.yaml",
                "id: EV-restore-2026-11\ntitle: November restore test\ncontrol: CTRL-1\ncollected_on: 2026-11-20\nresult: fail\n"
            ),
        ]),
        passing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backup restore test\nowner: alice\nstatus: operating\nevery: yearly\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Data loss\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            (
                "evidence/restore-2026-11.yaml",
                "id: EV-restore-2026-11\ntitle: November restore test\ncontrol: CTRL-1\ncollected_on: 2026-11-20\nresult: fail\n"
            ),
            (
                "exceptions/exc-1.yaml",
                """
                id: EXC-1
                title: Restore fails on the new storage until migration
                owner: alice
                control: CTRL-1
                reason: Storage migration in progress.
                approved_by: carol
                expires: 2027-01-31

                """
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        var exceptions = [String: [Record]]()
        for exception in context.records(.exception) {
            if let control = exception.string("control") { exceptions[control, default: []].append(exception) }
        }
        return context.evidenceByControl().compactMap { control, evidence in
            guard let (newest, collected) = newestEvidence(evidence), newest.string("result") == "fail" else { return nil }
            let excepting = exceptions[control] ?? []
            guard !excepting.contains(where: { $0.date("expires").map { $0 >= context.asOf } ?? false }) else { return nil }
            var message =
                "\(newest.id), the newest evidence of control \(control) (\(collected)), failed and no current exception covers it"
            let lapsed = excepting.compactMap { e in e.date("expires").map { "\(e.id) expired on \($0)" } }
            if !lapsed.isEmpty { message += "; exception \(listed(lapsed))" }
            return finding(message, in: newest, field: "result")
        }
    }
}
