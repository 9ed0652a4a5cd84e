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
/// `mutex` is held.
///
/// Hand-offs are batched: a sleeping worker is woken only once `batch` items wait (or the caller needs one of them,
/// or closes the queue), takes up to `batch` items at once, and publishes their results under one lock; the caller is
/// woken only when it waits for a result. A wake-up per item (a futex wake and a context switch on each side) was
/// a tenth of the cold history read's CPU.
package final class ParallelQueue<T: Sendable, R: Sendable>: @unchecked Sendable {
    private let transform: @Sendable (T) -> R
    /// An item is dropped as soon as a worker takes it: a queue fed every record version of a long history must
    /// not hold all their bytes until the end. Both columns are windows: `items[i - itemBase]` is item `i`, and the
    /// taken items before `next` are cut off; `results[i - resultBase]` is item `i`'s result, and once most of the
    /// column is released its front half is cut off, the few results there not released yet moving to `survivors`.
    /// A slot per item ever submitted (over 100 bytes each) was a few hundred MB of the cold read of a million commits.
    private var items = [T?]()
    private var itemBase = 0
    private var results = [Slot]()
    private var resultBase = 0
    /// Results of items before `resultBase` not released when the front was cut.
    private var survivors = [Int: Slot]()
    /// How many slots of `results` are released.
    private var releasedInWindow = 0
    /// Results released and not freed yet: the next worker to take a batch frees them, outside the lock. A parsed
    /// record is many objects, and the caller releasing it is the thread a cold history read waits on.
    private var dropped = [Slot]()
    /// The first item no worker has taken yet.
    private var next = 0
    /// How many items were submitted.
    private var submitted = 0
    private var closed = false
    /// Workers asleep on `workAvailable`.
    private var idleWorkers = 0
    /// The caller is asleep on `resultReady`, waiting for this item's result.
    private var awaited = -1
    private let batch: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let resultReady = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let done = DispatchGroup()

    private enum Slot {
        case pending
        case ready(R)
        /// Handed back with `release`: its result is not needed any more.
        case released
    }

    /// `batch`: how many items a worker takes at once at most, and how many must wait before a sleeping worker is
    /// woken. Only speed depends on it.
    package init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, batch: Int = 16, _ transform: @escaping @Sendable (T) -> R) {
        self.transform = transform
        self.batch = max(1, batch)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(resultReady, nil)
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

    deinit {
        pthread_cond_destroy(resultReady)
        pthread_cond_destroy(workAvailable)
        pthread_mutex_destroy(mutex)
        resultReady.deallocate()
        workAvailable.deallocate()
        mutex.deallocate()
    }

    package func submit(_ item: T) {
        pthread_mutex_lock(mutex)
        items.append(item)
        results.append(.pending)
        submitted += 1
        if idleWorkers > 0 && submitted - next >= batch { pthread_cond_signal(workAvailable) }
        if submitted % Self.window == 0 { cutFronts() }
        pthread_mutex_unlock(mutex)
    }

    /// How many slots the columns may hold at least before their fronts are cut.
    private static var window: Int { 4096 }

    /// Cuts the taken items off the front of their column, and the front half of the results once most of them are
    /// released (with `mutex` held), so that the moves stay linear in the items.
    private func cutFronts() {
        let taken = next - itemBase
        if taken >= Self.window && taken * 2 >= items.count {
            items.removeFirst(taken)
            itemBase = next
        }
        guard results.count >= 2 * Self.window, releasedInWindow * 4 >= results.count * 3 else { return }
        let cut = results.count / 2
        for offset in 0..<cut {
            if case .released = results[offset] {
                releasedInWindow -= 1
            } else {
                survivors[resultBase + offset] = results[offset]
            }
        }
        results.removeFirst(cut)
        resultBase += cut
    }

    /// Item `index`'s result; nil once released.
    private func slot(_ index: Int) -> Slot? {
        if index >= resultBase { return results[index - resultBase] }
        return survivors[index]
    }

    /// Waits, with `mutex` held, until item `index` is no longer pending; wakes the workers first when nobody has
    /// taken it yet (fewer than `batch` items may be waiting).
    private func waitFor(_ index: Int) {
        while case .pending = slot(index) {
            if index >= next && idleWorkers > 0 { pthread_cond_broadcast(workAvailable) }
            awaited = index
            pthread_cond_wait(resultReady, mutex)
            awaited = -1
        }
    }

    /// The result for the item submitted `index`-th, waiting until it is ready. Not after `release(index)`; from one
    /// thread at a time (which need not be the one that submits).
    package func result(_ index: Int) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        waitFor(index)
        switch slot(index) {
        case .ready(let result): return result
        case .pending, .released, nil: preconditionFailure("ParallelQueue: result \(index) asked for after its release")
        }
    }

    /// Frees the result of the item submitted `index`-th once the caller needs it no more, without waiting for it:
    /// a result still to come is dropped when it comes.
    package func release(_ index: Int) {
        pthread_mutex_lock(mutex)
        var slot = Slot.released
        if index >= resultBase {
            if case .released = results[index - resultBase] {} else { releasedInWindow += 1 }
            swap(&slot, &results[index - resultBase])
        } else if let survivor = survivors.removeValue(forKey: index) {
            slot = survivor
        }
        if case .ready = slot { dropped.append(slot) }
        pthread_mutex_unlock(mutex)
    }

    /// No more items: the workers stop once the submitted ones are done.
    package func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(workAvailable)
        pthread_mutex_unlock(mutex)
    }

    /// How many items and results the queue holds slots for (a measure of its memory, for tests).
    package var heldSlots: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return items.count + results.count + survivors.count + dropped.count
    }

    /// Waits for every submitted item (for a caller that took its results with `result` and `release`).
    package func drain() {
        close()
        done.wait()
    }

    /// Waits for every submitted item and returns the results in submission order (none may have been released).
    package func finish() -> [R] {
        drain()
        precondition(resultBase == 0, "ParallelQueue: finish after a release")
        return results.map { slot in
            guard case .ready(let result) = slot else { preconditionFailure("ParallelQueue: finish after a release") }
            return result
        }
    }

    private func work() {
        var taken = [T]()
        var made = [R]()
        var garbage = [Slot]()
        taken.reserveCapacity(batch)
        made.reserveCapacity(batch)
        pthread_mutex_lock(mutex)
        while true {
            while next >= submitted && !closed {
                idleWorkers += 1
                pthread_cond_wait(workAvailable, mutex)
                idleWorkers -= 1
            }
            guard next < submitted else { break }
            // An equal share of what waits, so that another worker woken at the same time finds some too.
            let first = next
            let count = min(batch, max(1, (submitted - next + 1) / 2))
            next += count
            for index in first..<first + count {
                taken.append(items[index - itemBase]!)
                items[index - itemBase] = nil
            }
            swap(&garbage, &dropped)
            pthread_mutex_unlock(mutex)
            garbage.removeAll(keepingCapacity: true)
            for item in taken { made.append(transform(item)) }
            taken.removeAll(keepingCapacity: true)
            pthread_mutex_lock(mutex)
            for (offset, result) in made.enumerated() {
                // Released while it was made: dropped.
                let index = first + offset
                if index < resultBase {
                    if survivors[index] != nil { survivors[index] = .ready(result) }
                    continue
                }
                if case .released = results[index - resultBase] { continue }
                results[index - resultBase] = .ready(result)
            }
            made.removeAll(keepingCapacity: true)
            if awaited >= first && awaited < first + count { pthread_cond_signal(resultReady) }
        }
        pthread_mutex_unlock(mutex)
    }
}
