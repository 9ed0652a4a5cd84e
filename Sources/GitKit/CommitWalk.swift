import HeapModule

/// A walk stopped because it reached more commits than it may read.
public struct WalkLimitExceeded: Error {
    public let limit: Int
}

/// The commits a walk returns, parents first, one column per fact: on a million commits a `Commit` value per
/// commit (its parents' array, strings and identities) was the largest part of a cold read's memory.
public struct WalkedCommits: Sendable {
    public fileprivate(set) var ids: [ObjectID] = []
    public fileprivate(set) var trees: [ObjectID] = []
    /// The parents the walk went on to of commit i (none at a shallow boundary, only the first with `firstParent`):
    /// `parentIDs[parentEnds[i - 1]..<parentEnds[i]]` (from 0 for the first).
    fileprivate var parentEnds: [Int32] = []
    fileprivate var parentIDs: [ObjectID] = []
    /// True for a commit listed in the shallow file: its parents are not in the repository.
    public fileprivate(set) var shallowBoundaries: [Bool] = []
    public fileprivate(set) var facts = CommitFacts()
    /// Commit id → its place in `ids`.
    public fileprivate(set) var index: [ObjectID: Int32] = [:]

    public init() {}

    public var count: Int { ids.count }
    public var isEmpty: Bool { ids.isEmpty }

    public func parents(_ i: Int) -> ArraySlice<ObjectID> {
        parentIDs[(i == 0 ? 0 : Int(parentEnds[i - 1]))..<Int(parentEnds[i])]
    }

    public func isShallowBoundary(_ i: Int) -> Bool { shallowBoundaries[i] }

    /// Hands the id index over (the history graph keeps it as its own) and leaves this one without it.
    public mutating func takeIndex() -> [ObjectID: Int32] {
        defer { index = [:] }
        return index
    }

    /// Hands the facts over (to the history graph) and leaves this one without them.
    public mutating func takeFacts() -> CommitFacts {
        defer { facts = CommitFacts() }
        return facts
    }

    fileprivate mutating func append(_ commit: Commit, followed: ArraySlice<ObjectID>, boundary: Bool) {
        index[commit.id] = Int32(ids.count)
        ids.append(commit.id)
        trees.append(commit.tree)
        parentIDs.append(contentsOf: followed)
        parentEnds.append(Int32(parentIDs.count))
        shallowBoundaries.append(boundary)
        facts.append(
            author: commit.author, committer: commit.committer, summary: commit.summary, carriesSignature: commit.carriesSignature)
    }

    /// Puts commit `order[p]` at place p, a column at a time (each old column goes as its new one is made).
    fileprivate mutating func permute(by order: [Int32]) {
        var newParents = [ObjectID](), newEnds = [Int32]()
        newParents.reserveCapacity(parentIDs.count)
        newEnds.reserveCapacity(order.count)
        for i in order {
            newParents.append(contentsOf: parents(Int(i)))
            newEnds.append(Int32(newParents.count))
        }
        parentIDs = newParents
        parentEnds = newEnds
        newParents = []
        newEnds = []
        trees = order.map { trees[Int($0)] }
        shallowBoundaries = order.map { shallowBoundaries[Int($0)] }
        facts.permute(by: order)
        // Every commit is placed (only a cycle, which object ids rule out, leaves some out): the index is updated in
        // place rather than built again.
        if order.count != count { index = [:] }
        ids = order.map { ids[Int($0)] }
        for (place, id) in ids.enumerated() { index[id] = Int32(place) }
    }
}

extension Repository {
    /// The commits reachable from `tip`, every one after the parents the walk follows (oldest committer date
    /// first where the graph leaves a choice).
    ///
    /// libgit2 1.5's `git_revwalk` fails in a shallow clone (it has no graft support and looks the boundary's
    /// parents up), so the walk is done here over `git_commit_lookup`: it stops at `shallow` commits, and at
    /// commits for which `isKnown` is true (already in the history cache), which are not returned.
    ///
    /// Throws `WalkLimitExceeded` once more than `limit` commits would be returned.
    ///
    /// `met` is told of each commit as it is read (in the walk's order, not the order returned): its id, its tree and
    /// the parents the walk goes on to.
    public func walk(
        from tip: ObjectID, firstParent: Bool, shallow: Set<ObjectID>, limit: Int = .max,
        isKnown: (ObjectID) -> Bool, progress: (Int) -> Void = { _ in },
        met: ((ObjectID, ObjectID, ArraySlice<ObjectID>) -> Void)? = nil
    ) throws -> WalkedCommits {
        try serialised {
            try walkCommits(
                from: tip, firstParent: firstParent, shallow: shallow, limit: limit, isKnown: isKnown, progress: progress, met: met)
        }
    }

    private func walkCommits(
        from tip: ObjectID, firstParent: Bool, shallow: Set<ObjectID>, limit: Int,
        isKnown: (ObjectID) -> Bool, progress: (Int) -> Void, met: ((ObjectID, ObjectID, ArraySlice<ObjectID>) -> Void)?
    ) throws -> WalkedCommits {
        var commits = WalkedCommits()
        var pending: [(id: ObjectID, child: ObjectID?)] = isKnown(tip) ? [] : [(tip, nil)]
        while let (id, child) = pending.popLast() {
            guard commits.index[id] == nil else { continue }
            let commit: Commit
            do {
                // The message stays behind (the summary is kept): a walk of a million commits held every message.
                commit = try self.commit(id, withMessage: false)
            } catch let error as GitError where error.isNotFound {
                let whose = child.map { ", a parent of \($0.short)," } ?? ""
                throw GitError(
                    code: error.code, operation: "read commit \(id.short)",
                    message: "commit \(id.hex)\(whose) is missing from the repository (run `git fsck`; "
                        + "if this clone is partial or shallow, `git fetch --unshallow` fetches the rest)")
            }
            let boundary = shallow.contains(id)
            let followed = boundary ? [] : (firstParent ? commit.parents.prefix(1) : commit.parents[...])
            guard commits.count < limit else { throw WalkLimitExceeded(limit: limit) }
            commits.append(commit, followed: followed, boundary: boundary)
            met?(commit.id, commit.tree, followed)
            if commits.count % 256 == 0 { progress(commits.count) }
            for parent in followed.reversed() where commits.index[parent] == nil && !isKnown(parent) {
                pending.append((parent, id))
            }
        }
        commits.facts.finishAppending()
        commits.permute(by: Self.topologicalOrder(commits))
        return commits
    }

    /// Kahn's algorithm over the walked commits, choosing the oldest committer date among the ready ones: the
    /// commit at each place of the order. Each commit's children are in one flat array (on a million commits, an
    /// array per commit was hundreds of megabytes).
    package static func topologicalOrder(_ commits: WalkedCommits) -> [Int32] {
        let count = commits.count
        var waiting = [Int32](repeating: 0, count: count)
        // The children of commit i are `children[start[i]..<start[i + 1]]`, in ascending order.
        var start = [Int32](repeating: 0, count: count + 1)
        for position in 0..<count {
            for parent in commits.parents(position) {
                guard let p = commits.index[parent] else { continue }
                waiting[position] += 1
                start[Int(p) + 1] += 1
            }
        }
        for i in 0..<count { start[i + 1] += start[i] }
        var children = [Int32](repeating: 0, count: Int(start[count]))
        var filled = start
        for position in 0..<count {
            for parent in commits.parents(position) {
                guard let p = commits.index[parent] else { continue }
                children[Int(filled[Int(p)])] = Int32(position)
                filled[Int(p)] += 1
            }
        }
        filled = []
        func ready(_ position: Int) -> ReadyCommit {
            ReadyCommit(time: commits.facts.committerTime(position), id: commits.ids[position], position: position)
        }
        var heap = Heap((0..<count).filter { waiting[$0] == 0 }.map(ready))
        var order = [Int32]()
        order.reserveCapacity(count)
        while let position = heap.popMin()?.position {
            order.append(Int32(position))
            for child in children[Int(start[position])..<Int(start[position + 1])] {
                waiting[Int(child)] -= 1
                if waiting[Int(child)] == 0 { heap.insert(ready(Int(child))) }
            }
        }
        // Only a cycle (which object ids rule out) leaves commits unplaced: they are left out, as ever.
        return order
    }
}

/// A commit whose parents are all placed, in a parents-first ordering; `position` says where it is. Ordered by
/// committer date, then id: no two commits differ in neither, so the order is total and the result does not
/// depend on how the heap breaks ties.
package struct ReadyCommit: Comparable {
    package let time: Int64
    package let id: ObjectID
    package let position: Int

    package static func < (a: ReadyCommit, b: ReadyCommit) -> Bool { a.time != b.time ? a.time < b.time : a.id < b.id }
    package static func == (a: ReadyCommit, b: ReadyCommit) -> Bool { a.time == b.time && a.id == b.id }

    package init(time: Int64, id: ObjectID, position: Int) {
        self.time = time
        self.id = id
        self.position = position
    }
}
