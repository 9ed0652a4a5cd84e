import Foundation

/// Wall-clock and CPU time (all threads) per phase of a run, printed on stderr when `ISMS_TIMING=1`
/// (docs/performance.md). On a busy machine the two differ: CPU time is the work, wall time includes waiting.
/// Each phase also notes the resident memory at its end, to find what a long history holds.
public struct PhaseTimings: Sendable {
    /// `residentMB`: the resident set at the phase's end (0 unless `ISMS_TIMING=1`: reading it costs a system call).
    public private(set) var phases: [(name: String, seconds: Double, cpu: Double, residentMB: Int)] = []
    private var last = PhaseTimings.now()
    private var lastCPU = PhaseTimings.now(CLOCK_PROCESS_CPUTIME_ID)

    public init() {}

    /// Ends the current phase under `name`.
    public mutating func lap(_ name: String) {
        let now = Self.now(), cpu = Self.now(CLOCK_PROCESS_CPUTIME_ID)
        phases.append((name, now - last, cpu - lastCPU, Self.requested ? Self.residentMB() : 0))
        last = now
        lastCPU = cpu
    }

    /// Adds a phase measured elsewhere (on another thread) under `name`.
    package mutating func add(_ name: String, seconds: Double) {
        phases.append((name, seconds, 0, 0))
    }

    public var summary: String {
        phases.map { phase in
            let rss = phase.residentMB > 0 ? ", rss \(phase.residentMB) MB" : ""
            return "\(phase.name) \(String(format: "%.3f", phase.seconds)) s (cpu \(String(format: "%.3f", phase.cpu))\(rss))"
        }.joined(separator: ", ")
    }

    /// The process's resident set now, in MB (Linux `/proc/self/statm`; 0 where it cannot be read).
    private static func residentMB() -> Int {
        // A /proc file reports size 0: read it with read(2) rather than Foundation's sized read.
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return 0 }
        let fields = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
    }

    /// Whether `ISMS_TIMING` asks for the breakdown.
    public static var requested: Bool { getenv("ISMS_TIMING").map { String(cString: $0) == "1" } ?? false }

    package static func now(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
