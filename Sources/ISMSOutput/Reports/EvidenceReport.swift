import ISMSModel

/// Each control's cadence, newest evidence, next due date and whether the evidence proves it operates.
public enum EvidenceReport {
    public static let kind = "evidence"
    public static let title = "Evidence freshness"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let controls = isms.records(of: .control).sorted { naturalOrder($0.id, $1.id) }
        var counts = [EvidenceFreshness.Status: Int]()
        let grace = isms.config.evidenceGraceDays
        let rows: [[Cell]] = controls.map { control in
            let freshness = EvidenceFreshness(control: control, in: isms, asOf: asOf)
            counts[freshness.status, default: 0] += 1
            let newest = freshness.newest
            var note = [String]()
            switch freshness.status {
            case .stale:
                if let due = freshness.nextDue { note.append("\(due.days(until: asOf)) days past due") }
            case .due:
                if let due = freshness.nextDue { note.append("due since \(due); stale after \(due.adding(days: grace))") }
            case .failed:
                if let exception = freshness.exception {
                    note.append("excused by \(exception.id) until \(exception.date("expires")?.description ?? "?")")
                }
            case .missing:
                note.append(control.cadence("every") == .onEvent ? "no event recorded yet" : "no evidence on record")
            case .notExpected:
                note.append("control is \(control.string("status") ?? "")")
            case .ok: break
            }
            var intervals: Cell = .empty
            if let evidenced = EvidenceIntervals(control: control, in: isms, asOf: asOf), evidenced.total > 0 {
                intervals = .text(
                    "\(evidenced.evidenced) of \(evidenced.total) intervals evidenced",
                    tone: evidenced.gaps.isEmpty ? .good : .warning)
            } else if let events = EventEvidence(control: control, in: isms, asOf: asOf) {
                intervals = eventsCell(events)
            }
            return [
                .text(control.id), .text(control.title), .person(control.owner, in: isms.config), .text(control.string("status")),
                .text(control.string("every")), .text(newest?.id), .text(newest?.date("collected_on")?.description),
                .text(newest?.string("result")), .text(freshness.nextDue?.description),
                .text(freshness.status.rawValue, tone: freshness.status.tone), .integer(freshness.evidence.count), intervals,
                .text(note.isEmpty ? nil : note.joined(separator: "; ")),
            ]
        }
        let order: [EvidenceFreshness.Status] = [.ok, .due, .stale, .missing, .failed, .notExpected]
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                The next evidence is due one cadence after the newest evidence, in calendar time (daily: 1 day, weekly: 7, \
                monthly, quarterly and yearly: the same day one, three or twelve months later, clamped to the month's end; \
                continuous: continuous_days, \(isms.config.continuousDays); <n>d: n; on-event controls have no due date). \
                Evidence is stale once the due date is more than evidence_grace_days (\(grace)) behind. Evidence dated \
                after the as-of day is not counted. Planned and retired controls expect none (n/a). Audit period: for an \
                operating control of weekly or longer cadence, how many of its cadence intervals in the \
                \(isms.config.auditPeriodMonths) months before the as-of day (from its first evidence, if later) that have \
                ended hold evidence; for an operating on-event control whose event is a record kind (incidents), how many \
                of those events in the period, evidence_grace_days after their day, are answered by evidence of the \
                control that cites them (event) with result pass or exception. An event described in words cannot be enumerated: \
                the column counts the control's evidence in the period instead.
                """,
            summary: [SummaryItem("controls", "Controls", .integer(controls.count))]
                + order.map { status in
                    SummaryItem(
                        status == .notExpected ? "not_expected" : status.rawValue,
                        status == .notExpected ? "n/a (planned or retired)" : status.rawValue,
                        .integer(counts[status] ?? 0))
                },
            tables: [
                ReportTable(
                    id: "controls", title: "Controls and their evidence",
                    columns: [
                        ReportColumn("control", "Control"), ReportColumn("title", "Title"), ReportColumn("owner", "Owner"),
                        ReportColumn("control_status", "Control status"), ReportColumn("cadence", "Cadence"),
                        ReportColumn("newest_evidence", "Newest evidence"), ReportColumn("collected_on", "Collected"),
                        ReportColumn("result", "Result"), ReportColumn("next_due", "Next due"), ReportColumn("status", "Status"),
                        ReportColumn("evidence_count", "Evidence"), ReportColumn("intervals", "Audit period"), ReportColumn("note", "Note"),
                    ],
                    rows: rows)
            ]
        )
    }

    /// "n of m events evidenced" (with the events still within the grace days), or for an event isms cannot
    /// enumerate, how much evidence the period holds.
    private static func eventsCell(_ events: EventEvidence) -> Cell {
        guard events.enumerable else {
            let records = events.evidenceInPeriod == 1 ? "record" : "records"
            return .text("event not enumerable: \(events.evidenceInPeriod) evidence \(records) in the period", tone: .muted)
        }
        let pending = events.pending == 0 ? "" : "; \(events.pending) within the grace days"
        return .text(
            "\(events.evidenced) of \(events.total) events evidenced\(pending)", tone: events.gaps.isEmpty ? .good : .warning)
    }
}
