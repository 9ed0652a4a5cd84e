import Foundation
import GitKit

/// A commit's place in the history graph: what ordering and reachability need, always decoded.
package struct CommitNode: Sendable {
    package let id: ObjectID
    /// Indices of the parents the walk followed; parents come before children.
    package let parents: CommitParents
    package let isShallowBoundary: Bool
    package let committerTime: Int64

    package init(id: ObjectID, parents: [Int32], isShallowBoundary: Bool, committerTime: Int64) {
        self.id = id
        self.parents = CommitParents(parents)
        self.isShallowBoundary = isShallowBoundary
        self.committerTime = committerTime
    }
}

/// A commit's parents' graph indices, the first two held inline (every commit but an octopus merge's): an array per
/// commit took a heap block of 48 bytes beside its node, about 50 MB of a cold read of a million commits.
package struct CommitParents: RandomAccessCollection, Sendable {
    /// -1 where absent.
    private let first: Int32, second: Int32
    /// All the parents, when more than two.
    private let all: [Int32]?

    package init(_ parents: [Int32]) {
        if parents.count > 2 {
            (first, second, all) = (-1, -1, parents)
        } else {
            (first, second, all) = (parents.first ?? -1, parents.count == 2 ? parents[1] : -1, nil)
        }
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { all?.count ?? (first < 0 ? 0 : second < 0 ? 1 : 2) }

    package subscript(position: Int) -> Int32 {
        if let all { return all[position] }
        precondition(position >= 0 && position < endIndex, "CommitParents: index out of range")
        return position == 0 ? first : second
    }
}

/// Every commit walked so far, parents before children: what the cache holds. The commits read from the
/// cache come first and keep their metadata and operations encoded until asked for; the commits computed
/// in this run follow.
package struct HistoryGraph: Sendable {
    package private(set) var nodes: [CommitNode] = []
    package private(set) var index = CommitIndex()
    package let cached: CachedCommits?
    /// This run's commits' facts, a column each; their `CommitInfo`s are built when asked for (one object per
    /// commit held for the whole run was a tenth of a cold read's memory on a million commits).
    private var newFacts = CommitFacts()
    /// This run's commits' operations, compact (`CompactOps`).
    private var newOps = CompactOps()
    /// Record id → the commits whose operations name it (old or new id), ascending.
    package private(set) var mentions: [String: [Int32]] = [:]
    /// Set when this run computed the state at its tip; else the cache's snapshot stands.
    private var computedSnapshot: (commit: Int32, state: HistoryState)??

    package init() { cached = nil }

    /// `index` holds the cached commits, read from the file's id order.
    package init(cached: CachedCommits, index: CommitIndex, mentions: [String: [Int32]]) {
        self.cached = cached
        nodes = cached.nodes
        self.index = index
        self.mentions = mentions
    }

    /// The record state at one commit (the tip of the run that wrote it), so a run need not replay the whole
    /// history to get it.
    package var snapshot: (commit: Int32, state: HistoryState)? {
        get {
            if let computed = computedSnapshot { return computed }
            guard let cached, let commit = cached.snapshotCommit, let state = cached.snapshotState else { return nil }
            return (commit, state)
        }
        set { computedSnapshot = .some(newValue) }
    }

    /// The snapshot's commit, known without decoding the snapshot.
    package var snapshotCommit: Int32? {
        if let computed = computedSnapshot { return computed?.commit }
        return cached?.snapshotCommit
    }

    package var count: Int { nodes.count }
    package var cachedCount: Int { cached?.nodes.count ?? 0 }

    /// A commit's facts. For this run's commits a new object on each call: compare commits by `id`, not identity.
    package func info(_ i: Int32) -> CommitInfo {
        guard Int(i) >= cachedCount else { return cached!.info(Int(i)) }
        let j = Int(i) - cachedCount
        return CommitInfo(
            id: nodes[Int(i)].id, author: newFacts.author(j), committer: newFacts.committer(j), summary: newFacts.summary(j),
            carriesSignature: newFacts.carriesSignature(j))
    }

    /// Whether commit `i` has a signature header, as this run's walk read it: nil for a commit from the cache (which
    /// does not keep it) and for one whose headers are duplicated. Its metadata is not decoded.
    package func carriesSignature(_ i: Int32) -> Bool? {
        Int(i) < cachedCount ? nil : newFacts.carriesSignature(Int(i) - cachedCount)
    }

    package func ops(_ i: Int32) -> [RecordOp] {
        Int(i) < cachedCount ? cached!.ops(Int(i)) : newOps.ops(Int(i) - cachedCount, commit: i)
    }

    /// Commit `i`'s operations that `wanted` accepts by their old and new id, in order, until `body` returns false;
    /// this run's are built only when wanted (`CompactOps.forEachOp`).
    package func forEachOp(_ i: Int32, wanted: (_ oldID: String?, _ newID: String?) -> Bool, _ body: (RecordOp) -> Bool) {
        guard Int(i) < cachedCount else {
            newOps.forEachOp(Int(i) - cachedCount, commit: i, wanted: wanted, body)
            return
        }
        let ops = cached!.ops(Int(i))
        for j in ops.indices where wanted(ops[j].oldID, ops[j].newID) {
            guard body(ops[j]) else { return }
        }
    }

    /// Whether commit `i` did anything to a record (`!ops(i).isEmpty`, without decoding this run's).
    package func hasOps(_ i: Int32) -> Bool {
        Int(i) < cachedCount ? !cached!.ops(Int(i)).isEmpty : !newOps.isEmpty(Int(i) - cachedCount)
    }

    /// Adds a commit computed in this run; its operations follow with `setOps`.
    package mutating func append(_ node: CommitNode, info: CommitInfo) {
        index.insert(node.id, Int32(nodes.count))
        nodes.append(node)
        newFacts.append(
            author: info.author, committer: info.committer, summary: info.summary, carriesSignature: info.carriesSignature)
        newOps.append()
    }

    /// Adds the commits of a walk (parents first; each parent walked or already in the graph), taking over its
    /// facts and its id index rather than copying them; their operations follow with `setOps`.
    package mutating func append(walked: inout WalkedCommits) {
        let first = Int32(nodes.count)
        index.adopt(walked.takeIndex(), ids: walked.ids, offset: first)
        nodes.reserveCapacity(nodes.count + walked.count)
        for i in 0..<walked.count {
            let id = walked.ids[i]
            nodes.append(
                CommitNode(
                    id: id, parents: walked.parents(i).map { index[$0]! }, isShallowBoundary: walked.isShallowBoundary(i),
                    committerTime: walked.facts.committerTime(i)))
            newOps.append()
        }
        if newFacts.count == 0 {
            newFacts = walked.takeFacts()
        } else {
            let facts = walked.takeFacts()
            for i in 0..<facts.count {
                newFacts.append(
                    author: facts.author(i), committer: facts.committer(i), summary: facts.summary(i),
                    carriesSignature: facts.carriesSignature(i))
            }
        }
    }

    package mutating func setOps(_ ops: [RecordOp], of i: Int32) {
        newOps.set(ops, at: Int(i) - cachedCount, commit: i)
        if ops.count == 1 {
            // Most commits change one record: its ids without building a set (`!=` is the set's equality).
            if let id = ops[0].oldID { mentions[id, default: []].append(i) }
            if let id = ops[0].newID, ops[0].oldID != id { mentions[id, default: []].append(i) }
            return
        }
        var named = Set<String>()
        for op in ops {
            if let id = op.oldID { named.insert(id) }
            if let id = op.newID { named.insert(id) }
        }
        for id in named { mentions[id, default: []].append(i) }
    }

    /// The graph with only the `kept` commits (closed under parents), renumbered and fully decoded.
    package func keeping(_ kept: [Bool]) -> HistoryGraph {
        var renumber = [Int32](repeating: -1, count: count)
        var result = HistoryGraph()
        for (i, node) in nodes.enumerated() where kept[i] {
            let new = Int32(result.count)
            renumber[i] = new
            result.append(
                CommitNode(
                    id: node.id, parents: node.parents.map { renumber[Int($0)] }, isShallowBoundary: node.isShallowBoundary,
                    committerTime: node.committerTime), info: info(Int32(i)))
            result.setOps(
                ops(Int32(i)).map { op in
                    var op = op
                    op.fields = op.fields.map { field in
                        var field = field
                        if field.attribution >= 0 { field.attribution = renumber[Int(field.attribution)] }
                        return field
                    }
                    return op
                }, of: new)
        }
        if let (commit, state) = snapshot, renumber[Int(commit)] >= 0 {
            result.snapshot = (renumber[Int(commit)], state.renumbered(renumber))
        }
        return result
    }

    /// Which commits are `index` or its ancestors.
    package func ancestors(of index: Int32) -> [Bool] {
        var seen = [Bool](repeating: false, count: count)
        var stack = [index]
        seen[Int(index)] = true
        while let next = stack.popLast() {
            for parent in nodes[Int(next)].parents where !seen[Int(parent)] {
                seen[Int(parent)] = true
                stack.append(parent)
            }
        }
        return seen
    }
}

/// Commit id → graph index. The cached commits come in ascending id order from the cache file, so a run reads the
/// index rather than building it (hashing 20,000 ids into a dictionary was a twentieth of a warm `history`); the
/// commits added in this run go into a dictionary.
package struct CommitIndex: Sendable {
    /// The cached commits' ids, ascending, and the graph index of each.
    private var sortedIDs: [ObjectID] = []
    private var sortedIndices: [Int32] = []
    private var added: [ObjectID: Int32] = [:]

    package init() {}

    /// `ids` strictly ascending, `indices` the graph index of each (checked by the cache decoder).
    package init(sortedIDs ids: [ObjectID], indices: [Int32]) {
        sortedIDs = ids
        sortedIndices = indices
    }

    package subscript(id: ObjectID) -> Int32? {
        if !added.isEmpty, let index = added[id] { return index }
        var low = 0, high = sortedIDs.count
        while low < high {
            let middle = (low + high) / 2
            if sortedIDs[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < sortedIDs.count && sortedIDs[low] == id ? sortedIndices[low] : nil
    }

    package mutating func insert(_ id: ObjectID, _ index: Int32) { added[id] = index }

    /// Adds `walked` (id → place from 0, every id of `ids` in it) as graph indices from `offset`: when nothing was
    /// added yet, the dictionary itself is kept and its values shifted in place rather than hashed again.
    package mutating func adopt(_ walked: consuming [ObjectID: Int32], ids: [ObjectID], offset: Int32) {
        if added.isEmpty {
            added = consume walked
            if offset != 0 { for (place, id) in ids.enumerated() { added[id] = Int32(place) + offset } }
        } else {
            for (place, id) in ids.enumerated() { added[id] = Int32(place) + offset }
        }
    }

    /// Every graph index, in ascending order of its commit's id: what the cache file stores.
    package func indicesInIDOrder() -> [Int32] {
        let new = added.sorted { $0.key < $1.key }
        var result = [Int32]()
        result.reserveCapacity(sortedIDs.count + new.count)
        var i = 0, j = 0
        while i < sortedIDs.count || j < new.count {
            if j == new.count || (i < sortedIDs.count && sortedIDs[i] < new[j].key) {
                result.append(sortedIndices[i])
                i += 1
            } else {
                result.append(new[j].value)
                j += 1
            }
        }
        return result
    }
}
