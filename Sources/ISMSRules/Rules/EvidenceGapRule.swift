import GitKit
import ISMSModel

/// A cadence interval within the audit period in which an operating control left no evidence.
public struct EvidenceGapRule: Rule {
    public init() {}

    /// A quarterly restore test with evidence in `months`, and an incident-response control with evidence of
    /// 2026-05-04 that cites the incident of 2026-05-02 or not (one of 2025-06-20 lies before the period).
    package static func files(_ months: [String], citing: Bool) -> [(String, String)] {
        [
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backup restore test\nowner: alice\nstatus: operating\nevery: quarterly\n"),
            (
                "controls/ctrl-2.yaml",
                "id: CTRL-2\ntitle: Incident response\nowner: bob\nstatus: operating\nevery: on-event\nevent: {kind: incident}\n"
            ),
            exampleRisk("treatment: reduce\ncontrols: [CTRL-1, CTRL-2]\n"),
            ("incidents/inc-1.yaml", "id: INC-1\ntitle: Phishing mailbox takeover\nowner: bob\ndetected_at: 2025-06-20T09:00:00+02:00\n"),
            ("incidents/inc-2.yaml", "id: INC-2\ntitle: Lost laptop\nowner: bob\ndetected_at: 2026-05-02T17:30:00+02:00\n"),
        ]
            + months.map {
                (
                    "evidence/restore-\($0).yaml",
                    "id: EV-restore-\($0)\ntitle: Restore test\ncontrol: CTRL-1\ncollected_on: \($0)-10\nresult: pass\n"
                )
            }
            + [
                (
                    "evidence/inc-2.yaml",
                    "id: EV-INC-2\ntitle: Incident ticket\ncontrol: CTRL-2\n\(citing ? "event: INC-2\n" : "")collected_on: 2026-05-04\nresult: pass\n"
                )
            ]
    }

    public static let definition = RuleDescription(
        id: "evidence-gap",
        severity: .warning,
        summary: """
            Within the audit period, a cadence interval of an operating control (weekly or longer) with no evidence, or \
            an event of an on-event control that no evidence answers.
            """,
        rationale: """
            An auditor samples the whole period under audit, not the last month: a quarterly restore test with evidence \
            for two quarters of four did not operate as designed, however fresh the newest evidence is. The audit period \
            is the audit_period months before the day judged (default 12). It is cut into intervals of the control's \
            cadence, from the start of the period or the control's first evidence if later; each interval that has ended \
            needs at least one evidence record dated in it. Continuous and daily controls are feeds, judged by freshness \
            (stale-evidence). An on-event control is judged per event: when its event names records isms holds \
            (event: {kind: incident}, optionally narrowed by severity), each such record dated in the period (or after \
            the day judged: a date in the future hides nothing) needs at \
            least one evidence record of the control that cites it (event: INC-4), is dated from the event's day to \
            the day judged, and has result pass or exception (a failure did not answer it; evidence without a \
            result proves that something ran, not that it worked); the event's own day and evidence_grace_days after it are left for the \
            response. The control's first evidence does not shorten this period: an incident before it is exactly what \
            went unanswered. An event described in words (kind: other) cannot be enumerated and is never a gap.
            """,
        fix: """
            Record the evidence of each operation in the period, and for an on-event control the evidence that answers \
            each event, citing it in event; if the control did not run, say so (an exception, a nonconformity).
            """,
        failing: RuleExample(files(["2025-11", "2026-02", "2026-08", "2026-11"], citing: false)),
        passing: RuleExample(files(["2025-11", "2026-02", "2026-05", "2026-08", "2026-11"], citing: true))
    )

    public func check(_ context: RuleContext) -> [Finding] {
        intervalGaps(context) + eventGaps(context)
    }

    private func intervalGaps(_ context: RuleContext) -> [Finding] {
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

    /// The event an event's gap is about (`INC-4`); nil for an interval gap. When a pull request's findings are paired
    /// with its base's by subject, each event is a subject of its own: else a new unanswered incident paired with an
    /// old one that the same pull request answered, and passed as already there.
    package static func event(of finding: Finding) -> String? {
        guard finding.rule == definition.id, finding.field == "event.kind" else { return nil }
        return String(finding.message.prefix { $0 != " " })
    }

    /// One finding per event in the period that no evidence of the control answers.
    private func eventGaps(_ context: RuleContext) -> [Finding] {
        context.records(.control).flatMap { control -> [Finding] in
            guard let events = EventEvidence(control: control, in: context.isms, asOf: context.asOf) else { return [] }
            return events.gaps.map { gap in
                finding(
                    "\(gap.record.id) (\(gap.day)) has no evidence of control \(control.id) (\(control.title)): none of its "
                        + "evidence cites \(gap.record.id) in event with result pass or exception; \(events.evidenced) of \(events.total) "
                        + "events in the audit period evidenced",
                    in: control, field: "event.kind")
            }
        }
    }
}
