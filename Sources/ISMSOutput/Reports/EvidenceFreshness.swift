import ISMSModel

/// How well a control's newest evidence proves that it operates, as of a day. Shared by the evidence and
/// trace reports.
public struct EvidenceFreshness: Sendable {
    public enum Status: String, Sendable {
        /// The newest evidence passed and is within the control's cadence.
        case ok
        /// The cadence has run out but the grace days (`evidence_grace_days`) have not.
        case due
        /// Older than the cadence plus the grace days.
        case stale
        /// No evidence dated on or before the day.
        case missing
        /// The newest evidence has `result: fail`.
        case failed
        /// The control is planned or retired: no evidence is expected.
        case notExpected = "n/a"

        public var tone: Tone {
            switch self {
            case .ok: return .good
            case .due: return .warning
            case .stale, .missing, .failed: return .bad
            case .notExpected: return .muted
            }
        }
    }

    public let status: Status
    /// Newest first: the evidence of the control dated on or before the day.
    public let evidence: [Record]
    /// When the next evidence is due: the newest's date plus the cadence; nil without evidence or for on-event controls.
    public let nextDue: Day?
    /// An unexpired exception that excuses failed evidence, if any.
    public let exception: Record?

    public var newest: Record? { evidence.first }

    public init(control: Record, in isms: ISMS, asOf: Day) {
        let evidence = isms.graph.links(to: control.id, field: "control")
            .filter { $0.fromKind == .evidence }
            .compactMap { isms.record($0.from) }
            .filter { ($0.date("collected_on") ?? asOf.adding(days: 1)) <= asOf }
            .sorted { a, b in
                let da = a.date("collected_on")!, db = b.date("collected_on")!
                return da != db ? da > db : naturalOrder(b.id, a.id)
            }
        self.evidence = evidence
        let newest = evidence.first
        let cadence = control.cadence("every")
        nextDue = both(newest?.date("collected_on"), cadence).flatMap { $1.next(after: $0, continuousDays: isms.config.continuousDays) }
        exception = isms.graph.links(to: control.id, field: "control")
            .filter { $0.fromKind == .exception }
            .compactMap { isms.record($0.from) }
            .first { ($0.date("expires") ?? asOf) >= asOf }

        let lifecycle = control.string("status")
        if lifecycle == "planned" || lifecycle == "retired" {
            status = .notExpected
        } else if let newest {
            if newest.string("result") == "fail" {
                status = .failed
            } else if let nextDue {
                let grace = isms.config.evidenceGraceDays
                status = asOf < nextDue ? .ok : (asOf <= nextDue.adding(days: grace) ? .due : .stale)
            } else {
                status = .ok
            }
        } else {
            status = .missing
        }
    }
}

private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
