import Foundation
import ISMSCore

/// A compiled regular expression that may be shared across threads (NSRegularExpression is immutable).
///
/// isms.yaml comes with the pull request, so a pattern may backtrack catastrophically (`^(a+)+$` against
/// `aaaa…b` runs for seconds per id). Each match has a time budget; a pattern that exceeds it once is given up
/// for the rest of the run (`gaveUp`), and the checker reports it at its place in isms.yaml. `@unchecked`:
/// `NSRegularExpression` is immutable and thread-safe but not marked `Sendable`.
public struct Pattern: @unchecked Sendable {
    public let source: String
    /// The compiled expression, shared by the copies of a pattern: set at once, or on first match for a known one.
    private let compiled: Locked<NSRegularExpression?>
    /// Where isms.yaml sets the pattern; nil for a default.
    public var location: SourceLocation?
    private let slow = Locked<String?>(nil)

    /// The most CPU time one match may take (the thread's own time, so a loaded machine does not trip it).
    /// Id patterns match in microseconds; this is thousands of times that.
    public static let matchBudget: TimeInterval = 0.05

    public init(_ source: String, at location: SourceLocation? = nil) throws {
        self.source = source
        self.location = location
        compiled = Locked(try NSRegularExpression(pattern: source))
    }

    /// A pattern known to compile (a kind's default id pattern; RecordKindTests holds them to it), compiled on its
    /// first match: isms.yaml is read several times a run, each time with a pattern per kind, and a run that matches
    /// no id (a warm `history`) then never starts ICU, whose first compile alone cost a millisecond.
    package init(known source: String) {
        self.source = source
        location = nil
        compiled = Locked(nil)
    }

    private var regex: NSRegularExpression {
        let source = source
        return compiled.value { try! NSRegularExpression(pattern: source) }
    }

    /// Whether `text` matches; false when the pattern was given up (see `match`).
    public func matches(_ text: String) -> Bool { match(text) ?? false }

    /// Whether `text` matches, or nil when the pattern ran over its budget, on this text or an earlier one.
    public func match(_ text: String) -> Bool? {
        if gaveUp != nil { return nil }
        let regex = regex
        let range = NSRange(text.startIndex..., in: text)
        let deadline = Self.threadCPUSeconds() + Self.matchBudget
        // ICU reports progress at every position it tries, and the thread's CPU clock is a system call (the wall clock
        // is not): it is read only once the wall time since the start exceeds the budget, as a thread's CPU time
        // cannot. Read at every report, it took half of `decision-without-reference` in the cold gate.
        let wallDeadline = Self.wallSeconds() + Self.matchBudget
        var found = false, overrun = false
        regex.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
            } else if Self.wallSeconds() > wallDeadline, Self.threadCPUSeconds() > deadline {
                overrun = true
                stop.pointee = true
            }
        }
        guard !overrun else {
            slow.withLock { first in first = first ?? text }
            return nil
        }
        return found
    }

    /// The text on which the pattern first ran over its budget; nil while it has not.
    public var gaveUp: String? { slow.withLock { $0 } }

    private static func wallSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
