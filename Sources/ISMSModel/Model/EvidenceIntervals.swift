/// The cadence intervals of a control within the audit period, and which of them hold evidence: the newest evidence
/// alone cannot show a gap in the middle of the period.
public struct EvidenceIntervals: Sendable {
    public struct Interval: Sendable {
        /// The first day of the interval and the first day after it.
        public let start: Day, end: Day
        public let evidenced: Bool
    }

    public let intervals: [Interval]
    public var total: Int { intervals.count }
    public var evidenced: Int { intervals.filter(\.evidenced).count }
    public var gaps: [Interval] { intervals.filter { !$0.evidenced } }

    /// The audit period ending on `asOf`: the `months` calendar months before it, `asOf` included.
    public static func auditPeriod(asOf: Day, months: Int) -> ClosedRange<Day> { asOf.adding(months: -months).adding(days: 1)...asOf }

    /// The intervals of an operating control whose cadence is weekly or longer, from the start of the period (or the
    /// control's first evidence, when later: it did not operate before) to the last interval that has ended by
    /// the period's end. Nil when the control is not judged so: not operating, no cadence, continuous or daily (a feed
    /// judged by freshness), on-event, or no evidence at all (control-without-evidence).
    public init?(control: Record, in isms: ISMS, asOf: Day) {
        guard control.string("status") == "operating", let cadence = control.cadence("every"),
            let next = cadence.next(after: asOf, continuousDays: isms.config.continuousDays),
            cadence != .continuous, asOf.days(until: next) >= 7
        else { return nil }
        let days = isms.graph.links(to: control.id, field: "control").filter { $0.fromKind == .evidence }
            .compactMap { isms.record($0.from)?.date("collected_on") }.filter { $0 <= asOf }.sorted()
        guard let first = days.first else { return nil }
        let period = Self.auditPeriod(asOf: asOf, months: isms.config.auditPeriodMonths)
        var start = max(period.lowerBound, first)
        var intervals = [Interval]()
        // An interval counts once it has ended: the one still running may yet be evidenced.
        while let end = cadence.next(after: start), end <= period.upperBound.adding(days: 1), intervals.count < 10_000 {
            let evidenced = days.contains { $0 >= start && $0 < end }
            intervals.append(Interval(start: start, end: end, evidenced: evidenced))
            start = end
        }
        self.intervals = intervals
    }
}
