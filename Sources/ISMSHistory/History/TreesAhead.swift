import Foundation
import GitKit
import ISMSModel

/// Compares walked commits' trees on a thread of its own while the main thread is still walking: the walk reads one
/// commit after another on one thread and the other core idled (0.12 s of a cold read of 20,000 commits). The
/// comparison needs the commits in parents-first order, known only once the walk ends, but each commit's ISMS root tree
/// and its record files changed against its first parent depend on nothing else: this thread finds them, in the walk's
/// order, for as many commits as it gets to before the walk ends (`finish`), and the main thread then compares only the
/// others. It reads through an `ObjectReader` (packs of its own, so its reads and the walk's do not take turns on a pack's
/// lock). Anything it cannot read, it leaves to the main thread, whose read gives the error it always gave.
///
/// `@unchecked`: `queue`, `taken`, `stopped`, `draining` and `sleeping` are touched only with `condition` held; `pending`
/// only by the caller; `found` and the reader only by the thread until `finish` has joined it, then only by the caller.
final class TreesAhead: @unchecked Sendable {
    /// What the thread found for one commit: its ISMS root tree (nil: none), and, when it compared the commit with its
    /// first parent (or with nothing, for a commit without parents), the record files that differ and the root's other
    /// entries that did, as the main thread's comparison finds them.
    struct Found {
        let root: ObjectID?
        let changes: [PathChange]?
        let topLevel: [String]
    }

    private struct Met {
        let id: ObjectID
        let tree: ObjectID
        /// The first parent the walk goes on to; nil for a root or a shallow boundary (compared with nothing).
        let firstParent: ObjectID?
    }

    private let reader: ObjectReader
    private let rootComponents: [String]
    private let maxDepth: Int
    private let folders = RecordFolders()
    private let condition = NSCondition()
    private var queue = [Met]()
    private var taken = 0
    private var stopped = false
    private var sleeping = false
    /// The thread ends once every commit handed over is done.
    private var draining = false
    private let done = DispatchSemaphore(value: 0)
    private var found = [ObjectID: Found]()
    /// Commits met on the caller's thread and not handed over yet.
    private var pending = [Met]()

    /// The commits handed over at once (and taken by the thread at once, so that it stops soon after `finish`).
    private static let batch = 32

    init(reader: ObjectReader, rootComponents: [String], maxDepth: Int) {
        self.reader = reader
        self.rootComponents = rootComponents
        self.maxDepth = maxDepth
        // At the same priority as the walk: with another process on one core, a lower one (nice 10) left it next to
        // nothing, and the run was slower than with the walk and the thread sharing that core (docs/performance.md).
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// The walk met `id` (on the caller's thread); `firstParent` is the first parent it goes on to.
    func met(_ id: ObjectID, tree: ObjectID, firstParent: ObjectID?) {
        pending.append(Met(id: id, tree: tree, firstParent: firstParent))
        guard pending.count >= Self.batch else { return }
        condition.lock()
        queue.append(contentsOf: pending)
        if sleeping { condition.signal() }
        condition.unlock()
        pending.removeAll(keepingCapacity: true)
    }

    /// Stops the thread once it has finished the commits in hand (at most `batch`); returns what it found, by commit.
    /// `drain` (tests): every commit met is done first.
    func finish(drain: Bool = false) -> [ObjectID: Found] {
        condition.lock()
        if drain {
            queue.append(contentsOf: pending)
            pending = []
            draining = true
        } else {
            stopped = true
        }
        condition.signal()
        condition.unlock()
        done.wait()
        defer { found = [:] }
        return found
    }

    private func run() {
        // The ISMS root of each commit done, and the commits waiting for their first parent's.
        var roots = [ObjectID: ObjectID?]()
        var waiting = [ObjectID: [(id: ObjectID, root: ObjectID?)]]()
        while let batch = next() {
            for commit in batch {
                let root: ObjectID?
                do { root = try reader.treeID(at: rootComponents, in: commit.tree) } catch { continue }
                roots[commit.id] = .some(root)
                if let parent = commit.firstParent {
                    if let parentRoot = roots[parent] {
                        compare(commit.id, parentRoot, root)
                    } else {
                        found[commit.id] = Found(root: root, changes: nil, topLevel: [])
                        waiting[parent, default: []].append((commit.id, root))
                    }
                } else {
                    compare(commit.id, nil, root)
                }
                for child in waiting.removeValue(forKey: commit.id) ?? [] { compare(child.id, root, child.root) }
            }
        }
    }

    /// The next commits to do; nil once stopped.
    private func next() -> [Met]? {
        condition.lock()
        defer { condition.unlock() }
        while taken == queue.count && !stopped {
            if draining { return nil }
            sleeping = true
            condition.wait()
            sleeping = false
        }
        if stopped { return nil }
        let end = min(queue.count, taken + Self.batch)
        defer { taken = end }
        // A copy: a slice would share the queue's storage, and the next hand-over would copy the whole queue.
        return Array(queue[taken..<end])
    }

    private func compare(_ id: ObjectID, _ base: ObjectID?, _ root: ObjectID?) {
        var changes = [PathChange]()
        var topLevel = [String]()
        do {
            let noteTopLevel: (String) -> Void = { topLevel.append($0) }
            try reader.diffTrees(
                base, root, maxDepth: maxDepth, descend: { folders.descends(into: $0, topLevel: noteTopLevel) },
                visit: { change in
                    try folders.recordChange(change, topLevel: noteTopLevel) { path, kind, _, new in
                        changes.append(PathChange(path: path, kind: kind, blob: new?.id))
                    }
                })
        } catch {
            found[id] = Found(root: root, changes: nil, topLevel: [])
            return
        }
        found[id] = Found(root: root, changes: changes, topLevel: topLevel)
    }
}
