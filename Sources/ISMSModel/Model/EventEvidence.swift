/// The event an on-event control answers (its `event` field): records isms holds, so each one can be asked for
/// evidence, or something described in words that isms cannot enumerate.
public enum ControlEvent: Sendable, Equatable {
    /// Every record of `kind` in the period, narrowed to these severities when any are given.
    case records(RecordKind, severities: [String])
    /// An event isms holds no records of (a person leaves): its evidence can be counted, not matched.
    case described(String)

    /// The record kinds whose records are dated events, with the field that dates them. A kind belongs here only
    /// when every record of it carries the date (incidents must have detected_at).
    public static let recordKinds: [RecordKind: String] = [.incident: "detected_at"]
    /// The values of `event.kind`: the kinds above, then `other`.
    public static let kindNames = recordKinds.keys.map(\.rawValue).sorted() + ["other"]

    /// The event a control states, or nil when it states none (or an invalid one, already reported at load).
    public init?(of control: Record) {
        guard let kind = control.string("event.kind") else { return nil }
        if let recordKind = RecordKind(rawValue: kind), Self.recordKinds[recordKind] != nil {
            self = .records(recordKind, severities: control.list("event.severity").map(\.value))
        } else if let description = control.string("event.description") {
            self = .described(description)
        } else {
            return nil
        }
    }

    /// The day an event record happened: the date as written in its dating field (for a moment, in its own zone).
    public static func day(of record: Record) -> Day? {
        guard let field = recordKinds[record.kind], let text = record.string(field) else { return nil }
        return Day(String(text.prefix(10)))
    }

    /// Whether the record is one of these events. A record that does not say its severity is not known to be
    /// outside the narrowing, so it counts.
    public func matches(_ record: Record) -> Bool {
        guard case .records(let kind, let severities) = self, record.kind == kind else { return false }
        guard !severities.isEmpty, let severity = record.string("severity") else { return true }
        return severities.contains(severity)
    }
}

/// For an operating on-event control: each event in the audit period and whether evidence of the control cites it,
/// as the cadence intervals do for a scheduled control (`EvidenceIntervals`).
public struct EventEvidence: Sendable {
    public struct Event: Sendable {
        public let record: Record
        public let day: Day
        /// The control's evidence that answers it: citing it in `event`, dated from its day to the as-of day, with
        /// a result of pass or exception.
        public let evidence: [Record]
        public var evidenced: Bool { !evidence.isEmpty }
    }

    /// The results that answer an event, as the SoA counts a control operating: a failure did not answer it, and
    /// evidence without a result proves that something ran, not that it worked.
    public static let answeringResults: Set<String> = ["pass", "exception"]

    public let event: ControlEvent
    /// The events in the audit period that are due their evidence (evidence_grace_days after their day have
    /// passed), by day then id; empty for an event isms cannot enumerate.
    public let events: [Event]
    /// Events in the period still within evidence_grace_days: not yet judged.
    public let pending: Int
    /// The control's evidence dated in the audit period, whatever it cites or its result.
    public let evidenceInPeriod: Int

    public var enumerable: Bool { if case .records = event { return true } else { return false } }
    public var total: Int { events.count }
    public var evidenced: Int { events.filter(\.evidenced).count }
    public var gaps: [Event] { events.filter { !$0.evidenced } }

    /// Nil unless the control is operating, runs on-event and states its event (missing-cadence asks for one).
    public init?(control: Record, in isms: ISMS, asOf: Day) {
        guard control.string("status") == "operating", control.cadence("every") == .onEvent,
            let event = ControlEvent(of: control)
        else { return nil }
        self.event = event
        let period = EvidenceIntervals.auditPeriod(asOf: asOf, months: isms.config.auditPeriodMonths)
        let evidence = isms.graph.links(to: control.id, field: "control").filter { $0.fromKind == .evidence }
            .compactMap { isms.record($0.from) }
        evidenceInPeriod = evidence.filter { $0.date("collected_on").map(period.contains) ?? false }.count
        guard case .records(let kind, _) = event else {
            events = []
            pending = 0
            return
        }
        let grace = isms.config.evidenceGraceDays
        var judged = [Event](), pending = 0
        let occurred = isms.records(of: kind).filter(event.matches).compactMap { record in
            Self.day(record, in: period).map { (record, $0) }
        }
        for (record, day) in occurred.sorted(by: { ($0.1, $0.0.id) < ($1.1, $1.0.id) }) {
            // The event's own day and the grace days after it are for the response itself. An event dated after the
            // day judged cannot have happened yet: it is judged now (and nothing can answer it), never left pending.
            guard day > asOf || day.adding(days: grace) < asOf else {
                pending += 1
                continue
            }
            let answers = evidence.filter { evidence in
                guard evidence.string("event") == record.id, let collected = evidence.date("collected_on") else { return false }
                return collected >= day && collected <= asOf && Self.answeringResults.contains(evidence.string("result") ?? "")
            }
            judged.append(Event(record: record, day: day, evidence: answers))
        }
        events = judged
        self.pending = pending
    }

    /// The event's day when it lies in the period or after it: a date in the future must not hide an event.
    private static func day(_ record: Record, in period: ClosedRange<Day>) -> Day? {
        ControlEvent.day(of: record).flatMap { $0 >= period.lowerBound ? $0 : nil }
    }
}
