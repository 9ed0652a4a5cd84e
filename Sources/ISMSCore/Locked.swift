import Foundation

/// A value shared between threads, reachable only inside `withLock`: the one lock type of isms. Holding the state
/// itself (rather than a lock beside some fields) lets the compiler see that nothing touches it unguarded.
/// (The standard library's `Mutex` needs macOS 15; the package supports macOS 13.)
package final class Locked<Value>: @unchecked Sendable {
    // Inlinable so that callers in other layers get a specialised, call-free lock (hot history loops use it).
    @usableFromInline let lock = NSLock()
    @usableFromInline var value: Value

    package init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, changed in place. Not re-entrant: `body` must not call `withLock` on the same
    /// `Locked` again.
    @inlinable
    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

extension Locked {
    /// A memo: the value `compute` gives on the first call, the same value on every later one (shared by every copy
    /// of a struct holding this `Locked`).
    package func value<T>(_ compute: () -> T) -> T where Value == T? {
        withLock { stored in
            if let stored { return stored }
            let computed = compute()
            stored = computed
            return computed
        }
    }
}
