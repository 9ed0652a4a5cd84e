import HeapModule

/// A walk stopped because it reached more commits than it may read.
public struct WalkLimitExceeded: Error {
    public let limit: Int
}

/// A commit as the walk follows it.
public struct WalkedCommit: Sendable {
    public let commit: Commit
    /// The parents the walk went on to: none at a shallow boundary, only the first with `firstParent`.
    public let parents: [ObjectID]
    /// True for a commit listed in the shallow file: its parents are not in the repository.
    public let isShallowBoundary: Bool
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
    public func walk(
        from tip: ObjectID, firstParent: Bool, shallow: Set<ObjectID>, limit: Int = .max,
        isKnown: (ObjectID) -> Bool, progress: (Int) -> Void = { _ in }
    ) throws -> [WalkedCommit] {
        try serialised {
            try walkCommits(from: tip, firstParent: firstParent, shallow: shallow, limit: limit, isKnown: isKnown, progress: progress)
        }
    }

    private func walkCommits(
        from tip: ObjectID, firstParent: Bool, shallow: Set<ObjectID>, limit: Int,
        isKnown: (ObjectID) -> Bool, progress: (Int) -> Void
    ) throws -> [WalkedCommit] {
        var found = [ObjectID: Int]()
        var commits = [WalkedCommit]()
        var pending: [(id: ObjectID, child: ObjectID?)] = isKnown(tip) ? [] : [(tip, nil)]
        while let (id, child) = pending.popLast() {
            guard found[id] == nil else { continue }
            let commit: Commit
            do {
                commit = try self.commit(id)
            } catch let error as GitError where error.isNotFound {
                let whose = child.map { ", a parent of \($0.short)," } ?? ""
                throw GitError(
                    code: error.code, operation: "read commit \(id.short)",
                    message: "commit \(id.hex)\(whose) is missing from the repository (run `git fsck`; "
                        + "if this clone is partial or shallow, `git fetch --unshallow` fetches the rest)")
            }
            let boundary = shallow.contains(id)
            let followed = boundary ? [] : (firstParent ? Array(commit.parents.prefix(1)) : commit.parents)
            found[id] = commits.count
            guard commits.count < limit else { throw WalkLimitExceeded(limit: limit) }
            // The message stays behind (the summary is kept): a walk of a million commits held every message.
            let kept = Commit(
                id: commit.id, tree: commit.tree, parents: commit.parents, author: commit.author, committer: commit.committer,
                summary: commit.summary, message: [], encoding: commit.encoding, carriesSignature: commit.carriesSignature)
            commits.append(WalkedCommit(commit: kept, parents: followed, isShallowBoundary: boundary))
            if commits.count % 256 == 0 { progress(commits.count) }
            for parent in followed.reversed() where found[parent] == nil && !isKnown(parent) {
                pending.append((parent, id))
            }
        }
        Self.sortTopologically(&commits, index: found)
        return commits
    }

    /// Kahn's algorithm over the walked commits, choosing the oldest committer date among the ready ones.
    package static func topologicalOrder(_ commits: [WalkedCommit], index: [ObjectID: Int]) -> [WalkedCommit] {
        var commits = commits
        sortTopologically(&commits, index: index)
        return commits
    }

    /// `topologicalOrder` in place: the commits are permuted rather than copied into a second array, and each
    /// commit's children are in one flat array (on a million commits, a copy and an array per commit were
    /// hundreds of megabytes).
    private static func sortTopologically(_ commits: inout [WalkedCommit], index: [ObjectID: Int]) {
        let count = commits.count
        var waiting = [Int32](repeating: 0, count: count)
        // The children of commit i are `children[start[i]..<start[i + 1]]`, in ascending order.
        var start = [Int32](repeating: 0, count: count + 1)
        for (position, walked) in commits.enumerated() {
            for parent in walked.parents {
                guard let p = index[parent] else { continue }
                waiting[position] += 1
                start[p + 1] += 1
            }
        }
        for i in 0..<count { start[i + 1] += start[i] }
        var children = [Int32](repeating: 0, count: Int(start[count]))
        var filled = start
        for (position, walked) in commits.enumerated() {
            for parent in walked.parents {
                guard let p = index[parent] else { continue }
                children[Int(filled[p])] = Int32(position)
                filled[p] += 1
            }
        }
        filled = []
        func ready(_ position: Int) -> ReadyCommit {
            ReadyCommit(time: commits[position].commit.committer.time, id: commits[position].commit.id, position: position)
        }
        var heap = Heap(commits.indices.filter { waiting[$0] == 0 }.map(ready))
        // The commit at each place of the order.
        var order = [Int32]()
        order.reserveCapacity(count)
        while let position = heap.popMin()?.position {
            order.append(Int32(position))
            for child in children[Int(start[position])..<Int(start[position + 1])] {
                waiting[Int(child)] -= 1
                if waiting[Int(child)] == 0 { heap.insert(ready(Int(child))) }
            }
        }
        guard order.count == count else {
            // Only a cycle (which object ids rule out) leaves commits unplaced: they are left out, as ever.
            commits = order.map { commits[Int($0)] }
            return
        }
        // Applying the permutation cycle by cycle: place p takes the commit at order[p].
        var done = [Bool](repeating: false, count: count)
        for first in 0..<count where !done[first] {
            var place = first
            let held = commits[first]
            while true {
                done[place] = true
                let from = Int(order[place])
                if from == first { commits[place] = held; break }
                commits[place] = commits[from]
                place = from
            }
        }
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
