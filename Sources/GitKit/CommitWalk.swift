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
            commits.append(WalkedCommit(commit: commit, parents: followed, isShallowBoundary: boundary))
            if commits.count % 256 == 0 { progress(commits.count) }
            for parent in followed.reversed() where found[parent] == nil && !isKnown(parent) {
                pending.append((parent, id))
            }
        }
        return Self.topologicalOrder(commits, index: found)
    }

    /// Kahn's algorithm over the walked commits, choosing the oldest committer date among the ready ones.
    package static func topologicalOrder(_ commits: [WalkedCommit], index: [ObjectID: Int]) -> [WalkedCommit] {
        var waiting = [Int](repeating: 0, count: commits.count)
        var children = [[Int]](repeating: [], count: commits.count)
        for (position, walked) in commits.enumerated() {
            for parent in walked.parents {
                guard let p = index[parent] else { continue }
                waiting[position] += 1
                children[p].append(position)
            }
        }
        func ready(_ position: Int) -> ReadyCommit {
            ReadyCommit(time: commits[position].commit.committer.time, id: commits[position].commit.id, position: position)
        }
        var heap = Heap(commits.indices.filter { waiting[$0] == 0 }.map(ready))
        var ordered = [WalkedCommit]()
        ordered.reserveCapacity(commits.count)
        while let position = heap.popMin()?.position {
            ordered.append(commits[position])
            for child in children[position] {
                waiting[child] -= 1
                if waiting[child] == 0 { heap.insert(ready(child)) }
            }
        }
        return ordered
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
