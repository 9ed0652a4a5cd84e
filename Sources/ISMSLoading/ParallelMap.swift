import Foundation

/// How many threads `parallelMap` uses: every core, unless the environment variable `ISMS_THREADS` holds a
/// positive number. The variable exists for measurements (scripts/bench-check.sh times a single-threaded
/// run with ISMS_THREADS=1); it changes nothing but the speed. Read once per process.
package let parallelThreads: Int = {
    if let value = ProcessInfo.processInfo.environment["ISMS_THREADS"], let n = Int(value), n > 0 { return n }
    return ProcessInfo.processInfo.activeProcessorCount
}()

/// Maps on all cores, on threads with large stacks: YAML parsing recurses per nesting level, and the
/// default stack of a secondary thread is small.
package func parallelMap<T: Sendable, R: Sendable>(
    _ items: [T], threads: Int = parallelThreads,
    _ transform: @escaping @Sendable (T) -> R
) -> [R] {
    let workers = max(1, min(threads, items.count))
    if workers <= 1 || items.count < 8 {
        return items.map(transform)
    }
    let queue = ParallelQueue(threads: workers, transform)
    for item in items { queue.submit(item) }
    return queue.finish()
}

/// `parallelMap` for items that arrive while the work runs: the caller submits each as it finds it (a blob
/// found while comparing trees) and collects all results, in submission order, with `finish()`. The worker
/// threads have the same large stacks as `parallelMap`'s. `@unchecked`: every field is touched only while
/// `condition` is held; it needs wait and signal, which `Locked` does not offer.
package final class ParallelQueue<T: Sendable, R: Sendable>: @unchecked Sendable {
    private let transform: @Sendable (T) -> R
    /// An item is dropped as soon as a worker takes it: a queue fed every record version of a long history must
    /// not hold all their bytes until the end.
    private var items = [T?]()
    private var results = [Slot]()
    private var next = 0
    private var closed = false
    private let condition = NSCondition()
    private let done = DispatchGroup()

    private enum Slot {
        case pending
        case ready(R)
        /// Handed back with `release`: its result is not needed any more.
        case released
    }

    package init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, _ transform: @escaping @Sendable (T) -> R) {
        self.transform = transform
        for _ in 0..<max(1, threads) {
            done.enter()
            let thread = Thread { [self] in
                work()
                done.leave()
            }
            thread.stackSize = 64 << 20
            thread.start()
        }
    }

    package func submit(_ item: T) {
        condition.lock()
        items.append(item)
        results.append(.pending)
        condition.signal()
        condition.unlock()
    }

    /// The result for the item submitted `index`-th, waiting until it is ready (call `close` first if the
    /// caller itself would otherwise submit more). Not after `release(index)`.
    package func result(_ index: Int) -> R {
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch results[index] {
            case .ready(let result): return result
            case .pending: condition.wait()
            case .released: preconditionFailure("ParallelQueue: result \(index) asked for after its release")
            }
        }
    }

    /// Frees the result of the item submitted `index`-th once the caller needs it no more (waiting for it first).
    package func release(_ index: Int) {
        condition.lock()
        defer { condition.unlock() }
        while case .pending = results[index] { condition.wait() }
        results[index] = .released
    }

    /// No more items: the workers stop once the submitted ones are done.
    package func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for every submitted item (for a caller that took its results with `result` and `release`).
    package func drain() {
        close()
        done.wait()
    }

    /// Waits for every submitted item and returns the results in submission order (none may have been released).
    package func finish() -> [R] {
        drain()
        return results.map { slot in
            guard case .ready(let result) = slot else { preconditionFailure("ParallelQueue: finish after a release") }
            return result
        }
    }

    private func work() {
        while true {
            condition.lock()
            while next >= items.count && !closed { condition.wait() }
            guard next < items.count else {
                condition.unlock()
                return
            }
            let index = next
            next += 1
            let item = items[index]!
            items[index] = nil
            condition.unlock()
            let result = transform(item)
            condition.lock()
            results[index] = .ready(result)
            condition.broadcast()
            condition.unlock()
        }
    }
}
