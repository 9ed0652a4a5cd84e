/// The history of the records reachable from one revision, ready to be asked about a record, a range or a blame.
public struct History: Sendable {
    let graph: HistoryGraph
    let tip: Int32
    /// Notes and warnings for stderr (shallow clone, cache rebuilt, history rewritten).
    public let notices: [HistoryNotice]
    /// The commits reachable from the tip, newest first (never a parent before its child).
    let order: [Int32]
    /// How many commits this run read from git rather than from the cache.
    public let commitsRead: Int
    /// How many distinct record blobs this run parsed into records.
    public let blobsParsed: Int

    init(graph: HistoryGraph, tip: Int32, notices: [HistoryNotice], commitsRead: Int, blobsParsed: Int) {
        self.graph = graph
        self.tip = tip
        self.notices = notices
        self.commitsRead = commitsRead
        self.blobsParsed = blobsParsed
        order = History.newestFirst(from: tip, in: graph)
    }

    static let shallowNote = "this is a shallow clone: history stops at its boundary, where each record's oldest known state is "
        + "marked 'boundary' (it may be older). Fetch the whole history with `git fetch --unshallow` "
        + "(in GitHub Actions: `fetch-depth: 0` on actions/checkout)"

    /// The number of commits reachable from the tip.
    public var commitCount: Int { order.count }

    // MARK: Queries

    /// The entries of record `id`, newest first, following it back through id changes (the entries before
    /// `RISK-1` became `RISK-9` are in the history of `RISK-9`). Nil when no reachable commit knows the id.
    public func entries(of id: String) -> [HistoryEntry]? {
        var tracked: Set<String> = [id]
        var entries = [HistoryEntry]()
        var known = false
        for index in order {
            for op in graph.commits[Int(index)].ops {
                guard let newOrOld = op.newID ?? op.oldID,
                      tracked.contains(newOrOld) || (op.oldID.map(tracked.contains) ?? false) else { continue }
                known = true
                if let entry = entry(op, at: index) { entries.append(entry) }
                if op.event == .idChanged, let oldID = op.oldID, let newID = op.newID, tracked.contains(newID) {
                    tracked.insert(oldID)
                }
            }
        }
        return known ? entries : nil
    }

    /// Every record change in the reachable history, newest first.
    public func log() -> [HistoryEntry] {
        order.flatMap { index in graph.commits[Int(index)].ops.compactMap { entry($0, at: index) } }
    }

    /// Every record id the reachable history knows, for did-you-mean.
    public func knownIDs() -> [String] {
        var ids = Set<String>()
        for index in order {
            for op in graph.commits[Int(index)].ops {
                if let id = op.newID { ids.insert(id) }
                if let id = op.oldID { ids.insert(id) }
            }
        }
        return ids.sorted()
    }

    /// The current fields of record `id` at the tip, each with the commit that set its current value; nil
    /// when the record is not there.
    public func blame(_ id: String) -> [BlameLine]? {
        var graph = graph
        let states = HistoryReplay.run(&graph, needed: History.ancestors(of: tip, in: graph), keep: [tip],
                                       firstNew: graph.commits.count, changes: [], parsed: [:])
        guard let (_, record) = states[tip]?.record(id: id) else { return nil }
        let lines = record.fields.compactMap { field, attributed -> BlameLine? in
            guard attributed.commit >= 0 else { return nil }
            return BlameLine(field: field, value: attributed.value, commit: graph.commits[Int(attributed.commit)].info)
        }
        return Schema.sortFields(lines, kind: record.kind, by: \.field)
    }

    /// The ids of the records present at the tip.
    public func currentIDs() -> [String] {
        var graph = graph
        let states = HistoryReplay.run(&graph, needed: History.ancestors(of: tip, in: graph), keep: [tip],
                                       firstNew: graph.commits.count, changes: [], parsed: [:])
        return states[tip].map { $0.byPath.values.map(\.id) }?.sorted() ?? []
    }

    /// What `op` shows at commit `index`: its own event and the field changes that are its own. Nil when a
    /// merge only took the record's state from one of its parents.
    private func entry(_ op: RecordOp, at index: Int32) -> HistoryEntry? {
        let own = op.fields.filter { $0.attribution == index }
        guard op.ownEvent || !own.isEmpty, let record = op.newID ?? op.oldID, let path = op.newPath ?? op.oldPath else { return nil }
        let event = op.ownEvent ? op.event : .modified
        let changes = Schema.sortFields(own.map { FieldChange(field: $0.field, old: $0.old, new: $0.new) }, kind: op.kind, by: \.field)
        return HistoryEntry(commit: graph.commits[Int(index)].info, record: record, kind: op.kind, path: path,
                            oldPath: event == .moved ? op.oldPath : nil, oldID: event == .idChanged ? op.oldID : nil,
                            event: event, changes: changes)
    }

    // MARK: Graph helpers

    /// Which commits are `index` or its ancestors.
    static func ancestors(of index: Int32, in graph: HistoryGraph) -> [Bool] {
        var seen = [Bool](repeating: false, count: graph.commits.count)
        var stack = [index]
        seen[Int(index)] = true
        while let next = stack.popLast() {
            for parent in graph.commits[Int(next)].parents where !seen[Int(parent)] {
                seen[Int(parent)] = true
                stack.append(parent)
            }
        }
        return seen
    }

    /// The graph with only the `kept` commits (closed under parents), indices renumbered.
    static func keeping(_ kept: [Bool], of graph: HistoryGraph) -> HistoryGraph {
        var renumber = [Int32](repeating: -1, count: graph.commits.count)
        var result = HistoryGraph()
        for (index, node) in graph.commits.enumerated() where kept[index] {
            renumber[index] = Int32(result.commits.count)
            var node = node
            node.parents = node.parents.map { renumber[Int($0)] }
            node.ops = node.ops.map { op in
                var op = op
                op.fields = op.fields.map { field in
                    var field = field
                    if field.attribution >= 0 { field.attribution = renumber[Int(field.attribution)] }
                    return field
                }
                return op
            }
            result.append(node)
        }
        return result
    }

    /// Newest first: the reverse of a parents-first order that takes the oldest committer date among the ready
    /// commits. It depends only on the graph, so a cached and a fresh run list entries alike.
    static func newestFirst(from tip: Int32, in graph: HistoryGraph) -> [Int32] {
        let reachable = ancestors(of: tip, in: graph)
        var waiting = [Int32](repeating: 0, count: graph.commits.count)
        var children = [[Int32]](repeating: [], count: graph.commits.count)
        for index in graph.commits.indices where reachable[index] {
            for parent in graph.commits[index].parents {
                waiting[index] += 1
                children[Int(parent)].append(Int32(index))
            }
        }
        func key(_ i: Int32) -> (Int64, ObjectID, Int32) { (graph.commits[Int(i)].info.committer.time, graph.commits[Int(i)].info.id, i) }
        var ready = Heap<(Int64, ObjectID, Int32)> { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
        for index in graph.commits.indices where reachable[index] && waiting[index] == 0 { ready.push(key(Int32(index))) }
        var order = [Int32]()
        while let (_, _, index) = ready.pop() {
            order.append(index)
            for child in children[Int(index)] {
                waiting[Int(child)] -= 1
                if waiting[Int(child)] == 0 { ready.push(key(child)) }
            }
        }
        return order.reversed()
    }
}

extension Signature {
    /// ISO 8601 with the signer's offset: `2026-01-05T10:00:00+01:00`.
    public var isoDate: String {
        let local = time + Int64(offsetMinutes) * 60
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let seconds = Int(local - Int64(days) * 86_400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let sign = offsetMinutes < 0 ? "-" : "+"
        let offset = abs(offsetMinutes)
        return "\(Day(ordinal: days))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))\(sign)\(two(offset / 60)):\(two(offset % 60))"
    }

    /// The calendar day in the signer's own time zone.
    public var day: Day {
        let local = time + Int64(offsetMinutes) * 60
        return Day(ordinal: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }
}
