import Foundation
import GitKit
import HeapModule
import ISMSCore
import ISMSModel

/// The history of the records reachable from one revision, ready to be asked about a record, a range or a blame.
public struct History: Sendable {
    package let graph: HistoryGraph
    package let tip: Int32
    /// Notes and warnings for stderr (shallow clone, cache rebuilt, history rewritten).
    public let notices: [HistoryNotice]
    /// The commits reachable from the tip, newest first (never a parent before its child).
    package var order: [Int32] {
        orderMemo.value {
            // Only when the places came from the cache file: each commit's place inverted.
            let places = positions
            var order = [Int32](repeating: 0, count: places.count { $0 >= 0 })
            for (index, place) in places.enumerated() where place >= 0 { order[Int(place)] = Int32(index) }
            return order
        }
    }
    private let orderMemo: Locked<[Int32]?>
    /// How many commits this run read from git rather than from the cache.
    public let commitsRead: Int
    /// How many distinct record blobs this run parsed into records.
    public let blobsParsed: Int

    /// Where the time went, phase by phase (the command adds its own phases).
    public var timings: PhaseTimings
    /// What this run's walk saw outside the record folders; nil when it read no commit (all came from the cache).
    package let topLevelChanges: TopLevelChanges?
    /// Record states this run replayed and kept besides the tip's (`HistoryOptions.keeping`), by graph index.
    package let keptStates: [Int32: HistoryState]
    /// The header of the cache file when it holds this history's graph (written or read by this run); nil otherwise.
    package let cacheHeader: HistoryCacheHeader?
    /// Whole commit messages read for the history rules, shared with a history reusing this one (`HistoryOptions.reusing`):
    /// the merge base's judgement asks for the same commits' messages as the head's.
    package let messages: Locked<[ObjectID: String]>
    /// Whether each commit's message matched a `reference_pattern`, by the pattern's source: shared like `messages`.
    package let referenceMatches: Locked<[String: [ObjectID: Bool]]>
    /// The state at the tip when it had to be replayed, shared by the copies of this history.
    private let replayedTip = Locked<HistoryState?>(nil)
    /// Each commit's place in `order`, for `entries(of:)`.
    private let positionsMemo: Locked<[Int32]?>
    /// Per commit asked about, the commits reachable from the tip that descend from it (itself included).
    private let descendantSets = Locked<[Int32: [Bool]]>([:])

    /// Whether `ancestor` is `commit` or one of its ancestors, from the graph; nil when either is not in it.
    /// The descendants of each `ancestor` are marked once (one pass over the graph in parents-first order), so
    /// rules asking it for every record's entries cost a pass per distinct commit, not a merge-base search per pair.
    public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) -> Bool? {
        guard let a = graph.index[ancestor], let c = graph.index[commit] else { return nil }
        if a == c { return true }
        let marked = descendantSets.withLock { sets -> [Bool] in
            if let known = sets[a] { return known }
            var seen = [Bool](repeating: false, count: graph.count)
            seen[Int(a)] = true
            // Parents come before children in the graph's numbering.
            for index in Int(a) + 1..<graph.count where graph.nodes[index].parents.contains(where: { seen[Int($0)] }) {
                seen[index] = true
            }
            sets[a] = seen
            return seen
        }
        return marked[Int(c)]
    }

    package init(
        graph: HistoryGraph, tip: Int32, notices: [HistoryNotice], commitsRead: Int, blobsParsed: Int, timings: PhaseTimings,
        topLevelChanges: TopLevelChanges? = nil, keptStates: [Int32: HistoryState] = [:], cacheHeader: HistoryCacheHeader? = nil,
        tipState: HistoryState? = nil, messages: Locked<[ObjectID: String]>? = nil,
        referenceMatches: Locked<[String: [ObjectID: Bool]]>? = nil, order: [Int32]? = nil, places: [Int32]? = nil
    ) {
        self.messages = messages ?? Locked([:])
        self.referenceMatches = referenceMatches ?? Locked([:])
        self.graph = graph
        self.topLevelChanges = topLevelChanges
        self.keptStates = keptStates
        self.cacheHeader = cacheHeader
        // The tip's state, already replayed by the run that kept it: the same as `stateAtTip` would replay.
        if let tipState, graph.snapshotCommit != tip { replayedTip.withLock { $0 = tipState } }
        self.tip = tip
        self.notices = notices
        self.commitsRead = commitsRead
        self.blobsParsed = blobsParsed
        self.timings = timings
        // `places`: each commit's place in the order, as the cache file stores it for its tip (`CachedCommits.tipPlaces`);
        // a warm run reads it instead of ordering 20,000 commits again.
        if let places {
            positionsMemo = Locked(places)
            orderMemo = Locked(nil)
        } else {
            orderMemo = Locked(order ?? History.newestFirst(from: tip, in: graph))
            positionsMemo = Locked(nil)
        }
        self.timings.lap("order")
    }

    package static let shallowNote =
        "this is a shallow clone: history stops at its boundary, where each record's oldest known state is "
        + "marked 'boundary' (it may be older). Fetch the whole history with `git fetch --unshallow` "
        + "(in GitHub Actions: `fetch-depth: 0` on actions/checkout)"

    /// The number of commits reachable from the tip.
    public var commitCount: Int { order.count }

    /// The day (in its author's zone) of the oldest commit that changed a record: when the ISMS began, as far
    /// as git knows (a shallow clone knows less). Nil when no commit changed a record.
    public var firstRecordDay: Day? {
        for index in order.reversed() where graph.hasOps(index) { return graph.info(index).author.day }
        return nil
    }

    // MARK: Queries

    /// The entries of record `id`, newest first, following it back through id changes (the entries before
    /// `RISK-1` became `RISK-9` are in the history of `RISK-9`). Nil when no reachable commit knows the id.
    /// Only the commits that name the record are decoded.
    public func entries(of id: String) -> [HistoryEntry]? {
        var entries = [HistoryEntry]()
        let known = forEachEntry(of: id) { entry, _ in
            entries.append(entry)
            return true
        }
        return known ? entries : nil
    }

    /// The entries of `entries(of:)` one at a time, newest first, each with its commit's place in the newest-first
    /// order (`place(of:)`), until `body` returns false. True when a reachable commit knows the id (as far as the
    /// walk went). A rule that needs the newest entry of a kind stops there rather than decode the whole history of
    /// the record.
    @discardableResult
    package func forEachEntry(of id: String, _ body: (HistoryEntry, Int32) -> Bool) -> Bool {
        let position = positions, order = order
        var tracked: Set<String> = [id]
        var queued = Set<Int32>()
        var pending = Heap<Int32>()
        func enqueue(_ id: String, olderThan limit: Int32) {
            for commit in graph.mentions[id] ?? [] where position[Int(commit)] > limit && queued.insert(commit).inserted {
                pending.insert(position[Int(commit)])
            }
        }
        enqueue(id, olderThan: -1)
        var known = false
        while let p = pending.popMin() {
            let index = order[Int(p)]
            // A commit names many records: only the operations on this one are built or copied out.
            var stopped = false
            graph.forEachOp(
                index,
                wanted: { oldID, newID in
                    guard let newOrOld = newID ?? oldID else { return false }
                    return tracked.contains(newOrOld) || (oldID.map(tracked.contains) ?? false)
                }
            ) { op in
                known = true
                if let entry = entry(op, at: index), !body(entry, p) {
                    stopped = true
                    return false
                }
                if op.event == .idChanged, let oldID = op.oldID, let newID = op.newID, tracked.contains(newID),
                    tracked.insert(oldID).inserted
                {
                    enqueue(oldID, olderThan: p)
                }
                return true
            }
            if stopped { return true }
        }
        return known
    }

    /// Each commit's place in `order`, by graph index (-1: not reachable). Built once per history: a rule asks for
    /// the entries of every record.
    private var positions: [Int32] {
        positionsMemo.value {
            var position = [Int32](repeating: -1, count: graph.count)
            for (p, index) in order.enumerated() { position[Int(index)] = Int32(p) }
            return position
        }
    }

    /// `commit`'s place in the newest-first order of the reachable commits; nil when it is not one of them. A commit's
    /// descendants all come before it, so an entry placed after `commit` is never a change that could see it.
    package func place(of commit: ObjectID) -> Int32? {
        guard let index = graph.index[commit] else { return nil }
        let p = positions[Int(index)]
        return p < 0 ? nil : p
    }

    /// Every record change in the reachable history that `filter` keeps, newest first. Commits outside the
    /// filter's dates are not decoded.
    public func log(_ filter: HistoryFilter = HistoryFilter()) -> [HistoryEntry] {
        var entries = [HistoryEntry]()
        entries.reserveCapacity(order.count * 2)
        forEachLogEntry(filter) { entry, _ in entries.append(entry) }
        return entries
    }

    /// The entries of `log(filter)` one at a time, in its order, each with its commit's place in the newest-first
    /// order (`place(of:)`): `isms log` prints them as they come rather than hold every entry of the history.
    /// `places`: only the commits at these places of the newest-first order (`isms log` renders the log in pieces).
    package func forEachLogEntry(
        _ filter: HistoryFilter = HistoryFilter(), places: Range<Int>? = nil, _ body: (HistoryEntry, Int32) throws -> Void
    ) rethrows {
        let byDay = filter.since != nil || filter.until != nil
        let order = self.order
        for place in places ?? order.indices {
            let index = order[place]
            guard byDay ? filter.keeps(day: graph.info(index).author.day) : true else { continue }
            // One `CommitInfo` for all of a commit's entries (the graph builds a new one per call for this run's commits).
            var info: CommitInfo?
            for op in graph.ops(index) {
                if let entry = entry(op, at: index, info: &info), let kept = filter.apply(entry) { try body(kept, Int32(place)) }
            }
        }
    }

    /// The commits reachable from the tip and not from `base` (`git log base..tip`), oldest first, each with
    /// the ids of its parents and whether it is a shallow clone's boundary (its parents are not there).
    public func range(excludingAncestorsOf base: ObjectID?) -> [(info: CommitInfo, parents: [ObjectID], isShallowBoundary: Bool)] {
        let excluded = base.flatMap { graph.index[$0] }.map { graph.ancestors(of: $0) } ?? [Bool](repeating: false, count: graph.count)
        return order.reversed().filter { !excluded[Int($0)] }.map(rangeItem)
    }

    /// `range(excludingAncestorsOf: nil)` built one commit at a time as it is read.
    package func lazyRange() -> some Sequence<(info: CommitInfo, parents: [ObjectID], isShallowBoundary: Bool)> {
        order.reversed().lazy.map(rangeItem)
    }

    private func rangeItem(_ index: Int32) -> (info: CommitInfo, parents: [ObjectID], isShallowBoundary: Bool) {
        let node = graph.nodes[Int(index)]
        return (graph.info(index), node.parents.map { graph.nodes[Int($0)].id }, node.isShallowBoundary)
    }

    /// Per graph index, how many times commits of the reachable history name it as a parent.
    package func childCounts() -> [Int32] {
        var counts = [Int32](repeating: 0, count: graph.count)
        for index in order { for parent in graph.nodes[Int(index)].parents { counts[Int(parent)] += 1 } }
        return counts
    }

    /// Every record id the history knows, for did-you-mean.
    public func knownIDs() -> [String] { graph.mentions.keys.sorted() }

    /// The current fields of record `id` at the tip, each with the commit that set its current value; nil
    /// when the record is not there.
    public func blame(_ id: String) -> [BlameLine]? {
        guard let (_, record) = stateAtTip().record(id: id) else { return nil }
        let lines = record.fields.compactMap { field, attributed -> BlameLine? in
            guard attributed.commit >= 0 else { return nil }
            return BlameLine(field: field, value: attributed.value, commit: graph.info(attributed.commit))
        }
        return Schema.sortFields(lines, kind: record.kind, by: \.field)
    }

    /// The record with this id at the tip, with the index of the commit that set each field (negative: none).
    package func trackedRecord(id: String) -> TrackedRecord? { stateAtTip().record(id: id)?.record }

    /// The record state at the tip when it is known without replaying: the cache's snapshot, or a state replayed
    /// already (by this history or the run that kept it).
    package var knownTipState: HistoryState? {
        if graph.snapshotCommit == tip, let snapshot = graph.snapshot { return snapshot.state }
        return replayedTip.withLock { $0 }
    }

    /// The ids of the records present at the tip.
    public func currentIDs() -> [String] {
        stateAtTip().byPath.values.map(\.id).sorted()
    }

    /// The cached snapshot when it is the tip's, else a replay of the tip's ancestry — once per history: blame
    /// asks for every record of a check, and a tip that is not the cache's (the merge base of `check --base`)
    /// replayed the whole history for each one.
    private func stateAtTip() -> HistoryState {
        if graph.snapshotCommit == tip, let snapshot = graph.snapshot { return snapshot.state }
        return replayedTip.value {
            // A commit's state is its first parent's with its own operations applied (the other parents of a merge
            // only served to compute those operations, which are all known here), so the first-parent chain from
            // the tip is all the replay needs: one state changed in place, never copied at a branch point. On
            // 20,000 commits with 734 merged branches, replaying every ancestor was a quarter of `check --base`.
            var needed = [Bool](repeating: false, count: graph.count)
            var at: Int32? = tip
            while let index = at {
                needed[Int(index)] = true
                at = graph.nodes[Int(index)].parents.first
            }
            var graph = graph
            return HistoryReplay.run(
                &graph, needed: needed, initial: [:], keep: [tip], firstNew: graph.count,
                changes: [], parsed: { _ in nil })[tip]!
        }
    }

    /// Whether commit `index` (of the graph) has an entry in `log()`: exactly when `entry` gives one for one of its
    /// operations, without building it.
    package func hasEntries(at index: Int32) -> Bool {
        graph.ops(index).contains { op in
            (op.ownEvent || op.fields.contains { $0.attribution == index }) && (op.newID ?? op.oldID) != nil
                && (op.newPath ?? op.oldPath) != nil
        }
    }

    /// What `op` shows at commit `index`: its own event and the field changes that are its own. Nil when a
    /// merge only took the record's state from one of its parents. (`hasEntries` is the same test.)
    private func entry(_ op: RecordOp, at index: Int32) -> HistoryEntry? {
        var info: CommitInfo?
        return entry(op, at: index, info: &info)
    }

    /// `info`: commit `index`'s facts, built on first use.
    private func entry(_ op: RecordOp, at index: Int32, info: inout CommitInfo?) -> HistoryEntry? {
        let own = op.fields.filter { $0.attribution == index }
        guard op.ownEvent || !own.isEmpty, let record = op.newID ?? op.oldID, let path = op.newPath ?? op.oldPath else { return nil }
        let event = op.ownEvent ? op.event : .modified
        let changes = own.map { FieldChange(field: $0.field, old: $0.old, new: $0.new) }
        if info == nil { info = graph.info(index) }
        return HistoryEntry(
            commit: info!, record: record, kind: op.kind, path: path,
            oldPath: event == .moved ? op.oldPath : nil, oldID: event == .idChanged ? op.oldID : nil,
            event: event, changes: changes)
    }

    /// Newest first: the reverse of a parents-first order that takes the oldest committer date among the ready
    /// commits. It depends only on the graph, so a cached and a fresh run list entries alike.
    package static func newestFirst(from tip: Int32, in graph: HistoryGraph) -> [Int32] {
        let reachable = graph.ancestors(of: tip)
        let nodes = graph.nodes
        var waiting = [Int32](repeating: 0, count: graph.count)
        // Each commit's reachable children, in ascending index order, in one flat array: `children[start[i]..<start[i + 1]]`
        // (an array per commit cost a warm `history` more than the ordering itself).
        var start = [Int32](repeating: 0, count: graph.count + 1)
        for index in 0..<graph.count where reachable[index] {
            waiting[index] = Int32(nodes[index].parents.count)
            for parent in nodes[index].parents { start[Int(parent) + 1] += 1 }
        }
        for i in 0..<graph.count { start[i + 1] += start[i] }
        var children = [Int32](repeating: 0, count: Int(start[graph.count]))
        var filled = start
        for index in 0..<graph.count where reachable[index] {
            for parent in nodes[index].parents {
                children[Int(filled[Int(parent)])] = Int32(index)
                filled[Int(parent)] += 1
            }
        }
        func ready(_ index: Int) -> ReadyCommit {
            ReadyCommit(time: nodes[index].committerTime, id: nodes[index].id, position: index)
        }
        var heap = Heap((0..<graph.count).filter { reachable[$0] && waiting[$0] == 0 }.map(ready))
        var order = [Int32]()
        while let index = heap.popMin()?.position {
            order.append(Int32(index))
            for child in children[Int(start[index])..<Int(start[index + 1])] {
                waiting[Int(child)] -= 1
                if waiting[Int(child)] == 0 { heap.insert(ready(Int(child))) }
            }
        }
        return order.reversed()
    }
}

extension GitIdentity {
    /// The first and last second that print as a four-digit year (0000-01-01T00:00:00, 9999-12-31T23:59:59).
    package static let printableSeconds: ClosedRange<Int64> = -62_167_219_200...253_402_300_799

    /// The offset as ±HH:MM can show it.
    private var clampedOffset: Int { max(-5999, min(5999, offsetMinutes)) }

    /// Seconds since 1970 in the signer's own time zone, kept to years 0000–9999: a commit may carry any
    /// 64-bit time (git writes what it is given), and ISO 8601 needs four digits.
    private var localSeconds: Int64 {
        let zone = Int64(clampedOffset) * 60
        let clamped = max(Self.printableSeconds.lowerBound, min(Self.printableSeconds.upperBound, time))
        return max(Self.printableSeconds.lowerBound, min(Self.printableSeconds.upperBound, clamped + zone))
    }

    /// ISO 8601 with the signer's offset: `2026-01-05T10:00:00+01:00`. Times before year 0 or after 9999 show
    /// as the first or last second of that range.
    public var isoDate: String {
        let local = localSeconds
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let seconds = Int(local - Int64(days) * 86_400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let offset = clampedOffset
        let sign = offset < 0 ? "-" : "+"
        let zone = sign + two(abs(offset) / 60) + ":" + two(abs(offset) % 60)
        return "\(Day(ordinal: days))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))" + zone
    }

    /// The calendar day in the signer's own time zone.
    public var day: Day {
        let local = localSeconds
        return Day(ordinal: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }
}

/// The entries of the ISMS root (other than the record folders) that each commit read in this run changed from its
/// first parent, as the walk's tree comparison met them: a file such as isms.yaml, or a folder such as `.isms`. A
/// file below the root whose first folder (or name) a commit did not change is the same blob as in that commit's
/// first parent, so the history rules read such a file only at the commits that changed its first folder, not at
/// all 20,000 (`GovernanceContext.blobID`).
package struct TopLevelChanges: Sendable {
    /// The first graph index the walk compared; the commits before it came from the cache and are not covered.
    package let firstCovered: Int32
    /// Per covered commit that changed one, the names of the root's entries it changed (record folders left out).
    package let changed: [Int32: [String]]

    package init(firstCovered: Int32, changed: [Int32: [String]]) {
        self.firstCovered = firstCovered
        self.changed = changed
    }

    /// Whether commit `index` is known to have left the root's entry `name` as its first parent had it: false when
    /// it changed it, or the walk did not compare the commit. `name` must not be a record folder's.
    package func leftUnchanged(_ name: String, at index: Int32) -> Bool {
        index >= firstCovered && !(changed[index]?.contains(name) ?? false)
    }
}
