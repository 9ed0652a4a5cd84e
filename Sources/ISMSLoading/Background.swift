import Foundation

/// Work started on a thread of its own while the caller does something else, its result taken with `wait()`.
/// With one thread (`ISMS_THREADS=1`, or a one-core machine) the work runs at once on the caller's thread, so the
/// result is the same either way. The thread has the large stack of `parallelMap`'s (rules and YAML recurse).
/// `@unchecked`: `result` is written once, before `finished` is signalled, and read only after waiting for it.
package final class Background<R: Sendable>: @unchecked Sendable {
    private var result: R?
    private let finished = DispatchSemaphore(value: 0)

    package init(threads: Int = parallelThreads, _ work: @escaping @Sendable () -> R) {
        guard threads > 1 else {
            result = work()
            finished.signal()
            return
        }
        let thread = Thread { [self] in
            result = work()
            finished.signal()
        }
        thread.stackSize = 64 << 20
        thread.start()
    }

    /// The work's result, waiting for it; may be called again.
    package func wait() -> R {
        finished.wait()
        defer { finished.signal() }
        return result!
    }
}
