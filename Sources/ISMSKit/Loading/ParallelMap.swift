import Foundation

/// How many threads `parallelMap` uses: every core, unless the environment variable `ISMS_THREADS` holds a
/// positive number. The variable exists for measurements (scripts/bench-check.sh times a single-threaded
/// run with ISMS_THREADS=1); it changes nothing but the speed. Read once per process.
let parallelThreads: Int = {
    if let value = ProcessInfo.processInfo.environment["ISMS_THREADS"], let n = Int(value), n > 0 { return n }
    return ProcessInfo.processInfo.activeProcessorCount
}()

/// Maps on all cores, on threads with large stacks: YAML parsing recurses per nesting level, and the
/// default stack of a secondary thread is small.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int = parallelThreads,
                                           _ transform: @escaping @Sendable (T) -> R) -> [R] {
    let workers = max(1, min(threads, items.count))
    if workers <= 1 || items.count < 8 {
        return items.map(transform)
    }
    let results = ResultBox<R>(count: items.count)
    let done = DispatchGroup()
    for _ in 0..<workers {
        done.enter()
        let thread = Thread {
            while let index = results.claim() {
                results.store(transform(items[index]), at: index)
            }
            done.leave()
        }
        thread.stackSize = 64 << 20
        thread.start()
    }
    done.wait()
    return results.values()
}

private final class ResultBox<R>: @unchecked Sendable {
    private var slots: [R?]
    private var next = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ value: R, at index: Int) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = value
    }

    func values() -> [R] { slots.map { $0! } }
}
