/// A moment written `YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)`: incident times, whose notification deadlines run in
/// hours, so the zone must be written (a local time without one would shift a 24-hour deadline).
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// The JSON Schema's pattern, as strict as `init`: a real day, hours 00–23, minutes and seconds 00–59.
    public static let pattern =
        "^(?:" + Day.pattern.dropFirst().dropLast() + ")T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
        + "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"

    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count >= 17, let day = Day(String(decoding: u[0..<10], as: UTF8.self)), u[10] == 84 /* T */ else { return nil }
        func number(_ i: Int) -> Int? {
            guard i + 1 < u.count, (48...57).contains(u[i]), (48...57).contains(u[i + 1]) else { return nil }
            return Int(u[i] - 48) * 10 + Int(u[i + 1] - 48)
        }
        guard let hour = number(11), u[13] == 58, let minute = number(14), hour < 24, minute < 60 else { return nil }
        var i = 16, second = 0
        if i < u.count, u[i] == 58 {
            guard let s = number(i + 1), s < 60 else { return nil }
            second = s
            i += 3
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == 90 /* Z */, i + 1 == u.count {
            offset = 0
        } else if u[i] == 43 || u[i] == 45, i + 6 == u.count, let h = number(i + 1), u[i + 3] == 58, let m = number(i + 4), h < 24, m < 60 {
            offset = (h * 60 + m) * 60 * (u[i] == 45 ? -1 : 1)
        } else {
            return nil
        }
        seconds = day.ordinal * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    /// The last second of `day` in UTC: the as-of day counts as ending then.
    public static func endOf(_ day: Day) -> Timestamp { Timestamp(seconds: day.ordinal * 86_400 + 86_399) }

    public func adding(hours: Int) -> Timestamp { Timestamp(seconds: seconds + hours * 3600) }

    /// The same wall-clock moment one calendar month later (the 31st becomes the month's last day).
    public func addingMonth() -> Timestamp {
        let day = Day(ordinal: seconds.floorDiv(86_400))
        let c = day.components
        let (y, m) = c.month == 12 ? (c.year + 1, 1) : (c.year, c.month + 1)
        let later = Day(year: y, month: m, day: min(c.day, Day.daysInMonth(y, m)))
        return Timestamp(seconds: seconds + (later.ordinal - day.ordinal) * 86_400)
    }

    /// The UTC day this moment falls on.
    public var day: Day { Day(ordinal: seconds.floorDiv(86_400)) }

    /// `2026-03-02 14:05 UTC`.
    public var description: String {
        let s = seconds - seconds.floorDiv(86_400) * 86_400
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(day) \(pad(s / 3600)):\(pad(s % 3600 / 60)) UTC"
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.seconds < b.seconds }
}

extension Int {
    package func floorDiv(_ d: Int) -> Int { self >= 0 ? self / d : -((-self + d - 1) / d) }
}

/// A number written in a record (`99.5`, `-3`, `12`): objective targets and measured values.
public enum DecimalNumber {
    public static let pattern = "^-?[0-9]+(?:\\.[0-9]+)?$"

    public static func parse(_ text: String) -> Double? {
        var digits = Substring(text)
        if digits.first == "-" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }),
            digits.count <= 30
        else { return nil }
        return Double(text)
    }
}
