/// How often a control operates or a review is due.
public enum Cadence: Hashable, Sendable, CustomStringConvertible {
    case continuous, daily, weekly, monthly, quarterly, yearly, onEvent
    case days(Int)

    public static let names = ["continuous", "daily", "weekly", "monthly", "quarterly", "yearly", "on-event", "<n>d"]

    /// What `init?(_:)` accepts, as a regular expression for JSON Schema (`<n>d` for n from 1 to 36600).
    public static let pattern =
        "^(?:continuous|daily|weekly|monthly|quarterly|yearly|on-event|(?:[1-9][0-9]{0,3}|[12][0-9]{4}|3[0-5][0-9]{3}|36[0-5][0-9]{2}|36600)d)$"

    public init?(_ text: String) {
        switch text {
        case "continuous": self = .continuous
        case "daily": self = .daily
        case "weekly": self = .weekly
        case "monthly": self = .monthly
        case "quarterly": self = .quarterly
        case "yearly": self = .yearly
        case "on-event": self = .onEvent
        default:
            guard text.hasSuffix("d"), let n = Int(text.dropLast()), n > 0, n <= 36_600,
                text.first != "+", text.first != "0"
            else { return nil }
            self = .days(n)
        }
    }

    /// When the next operation is due after one on `day`: monthly, quarterly and yearly add calendar months or years
    /// (clamped to the month's end), so a schedule never drifts; `continuous` is an automated feed, fresh for
    /// `continuousDays`; nil for on-event.
    public func next(after day: Day, continuousDays: Int = Cadence.defaultContinuousDays) -> Day? {
        switch self {
        case .continuous: return day.adding(days: continuousDays)
        case .daily: return day.adding(days: 1)
        case .weekly: return day.adding(days: 7)
        case .monthly: return day.adding(months: 1)
        case .quarterly: return day.adding(months: 3)
        case .yearly: return day.adding(months: 12)
        case .onEvent: return nil
        case .days(let n): return day.adding(days: n)
        }
    }

    /// The day one period before `day`, the same calendar way as `next(after:)`; nil for on-event.
    public func previous(before day: Day, continuousDays: Int = Cadence.defaultContinuousDays) -> Day? {
        switch self {
        case .continuous: return day.adding(days: -continuousDays)
        case .daily: return day.adding(days: -1)
        case .weekly: return day.adding(days: -7)
        case .monthly: return day.adding(months: -1)
        case .quarterly: return day.adding(months: -3)
        case .yearly: return day.adding(months: -12)
        case .onEvent: return nil
        case .days(let n): return day.adding(days: -n)
        }
    }

    public static let defaultContinuousDays = 7

    public var description: String {
        switch self {
        case .continuous: return "continuous"
        case .daily: return "daily"
        case .weekly: return "weekly"
        case .monthly: return "monthly"
        case .quarterly: return "quarterly"
        case .yearly: return "yearly"
        case .onEvent: return "on-event"
        case .days(let n): return "\(n)d"
        }
    }
}
