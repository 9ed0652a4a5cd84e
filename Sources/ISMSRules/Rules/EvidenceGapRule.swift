import GitKit
import ISMSModel

/// A cadence interval within the audit period in which an operating control left no evidence.
public struct EvidenceGapRule: Rule {
    public init() {}

    package static func files(_ months: [String]) -> [(String, String)] {
        [
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backup restore test\nowner: alice\nstatus: operating\nevery: quarterly\n"),
            exampleRisk("treatment: reduce\ncontrols: [CTRL-1]\n"),
        ]
            + months.map {
                (
                    "evidence/restore-\($0).yaml",
                    "id: EV-restore-\($0)\ntitle: Restore test\ncontrol: CTRL-1\ncollected_on: \($0)-10\nresult: pass\n"
                )
            }
    }

    public static let definition = RuleDescription(
        id: "evidence-gap",
        severity: .warning,
        summary: "Within the audit period, a cadence interval of an operating control (weekly or longer) with no evidence.",
        rationale: """
            An auditor samples the whole period under audit, not the last month: a quarterly restore test with evidence \
            for two quarters of four did not operate as designed, however fresh the newest evidence is. The audit period \
            is the audit_period months before the day judged (default 12). It is cut into intervals of the control's \
            cadence, from the start of the period or the control's first evidence if later; each interval that has ended \
            needs at least one evidence record dated in it. Continuous and daily controls are feeds, judged by freshness \
            (stale-evidence); on-event controls have no schedule.
            """,
        fix: "Record the evidence of each operation in the period; if the control did not run, say so (an exception, a nonconformity).",
        failing: RuleExample(files(["2025-11", "2026-02", "2026-08", "2026-11"])),
        passing: RuleExample(files(["2025-11", "2026-02", "2026-05", "2026-08", "2026-11"]))
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.control).compactMap { control in
            guard let intervals = EvidenceIntervals(control: control, in: context.isms, asOf: context.asOf),
                !intervals.gaps.isEmpty
            else { return nil }
            let gaps = intervals.gaps.prefix(3).map { "\($0.start) to \($0.end.adding(days: -1))" }
            let more = intervals.gaps.count > 3 ? " and \(intervals.gaps.count - 3) more" : ""
            return finding(
                "control \(control.id) (\(control.title)) has evidence for \(intervals.evidenced) of \(intervals.total) "
                    + "\(control.string("every") ?? "") intervals in the audit period; none for \(gaps.joined(separator: ", "))\(more)",
                in: control, field: "every")
        }
    }
}
