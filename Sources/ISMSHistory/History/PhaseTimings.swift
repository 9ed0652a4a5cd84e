import Foundation

/// Wall-clock and CPU time (all threads) per phase of a run, printed on stderr when `ISMS_TIMING=1`
/// (docs/performance.md). On a busy machine the two differ: CPU time is the work, wall time includes waiting.
public struct PhaseTimings: Sendable {
    public private(set) var phases: [(name: String, seconds: Double, cpu: Double)] = []
    private var last = PhaseTimings.now()
    private var lastCPU = PhaseTimings.now(CLOCK_PROCESS_CPUTIME_ID)

    public init() {}

    /// Ends the current phase under `name`.
    public mutating func lap(_ name: String) {
        let now = Self.now(), cpu = Self.now(CLOCK_PROCESS_CPUTIME_ID)
        phases.append((name, now - last, cpu - lastCPU))
        last = now
        lastCPU = cpu
    }

    public var summary: String {
        phases.map { "\($0.name) \(String(format: "%.3f", $0.seconds)) s (cpu \(String(format: "%.3f", $0.cpu)))" }.joined(separator: ", ")
    }

    /// Whether `ISMS_TIMING` asks for the breakdown.
    public static var requested: Bool { getenv("ISMS_TIMING").map { String(cString: $0) == "1" } ?? false }

    package static func now(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
