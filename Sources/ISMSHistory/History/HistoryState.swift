import ISMSCore
import ISMSModel

/// A field's value with the index of the commit that set it.
package struct Attributed: Sendable, Equatable {
    package var value: FieldValue
    package var commit: Int32
}

/// A record as the history tracks it at one commit.
package struct TrackedRecord: Sendable {
    package var id: String
    package var kind: RecordKind
    package var fields: [String: Attributed]
}

/// A dictionary split into 64 shards by the key's hash. A copy shares the shards, and a change to the copy copies
/// only the shard it touches: the state at a branch point is shared by both branches, and the first change on one
/// copied every record of the ISMS (a tenth of the record tracking's time on a 20,000-commit history with 692
/// merges), then freed them all when the branch merged. Iteration order is unspecified, as a dictionary's.
package struct ShardedDictionary<Key: Hashable & Sendable, Value: Sendable>: Sequence, Sendable {
    private var shards: [[Key: Value]]

    package init() { shards = Array(repeating: [:], count: 64) }

    private init(shards: [[Key: Value]]) { self.shards = shards }

    @inline(__always)
    private static func shard(_ key: Key) -> Int { key.hashValue & 63 }

    package var count: Int { shards.reduce(0) { $0 + $1.count } }

    package var values: [Value] { map(\.value) }

    package subscript(key: Key) -> Value? {
        get { shards[Self.shard(key)][key] }
        _modify { yield &shards[Self.shard(key)][key] }
    }

    package subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get { shards[Self.shard(key)][key, default: defaultValue()] }
        _modify { yield &shards[Self.shard(key)][key, default: defaultValue()] }
    }

    @discardableResult
    package mutating func removeValue(forKey key: Key) -> Value? { shards[Self.shard(key)].removeValue(forKey: key) }

    package mutating func reserveCapacity(_ count: Int) {
        for i in shards.indices { shards[i].reserveCapacity(count / 64 + 1) }
    }

    package func mapValues<T: Sendable>(_ transform: (Value) throws -> T) rethrows -> ShardedDictionary<Key, T> {
        // The shard of a key depends on the key alone: each shard maps to the same place.
        ShardedDictionary<Key, T>(shards: try shards.map { try $0.mapValues(transform) })
    }

    package func makeIterator() -> FlattenSequence<[[Key: Value]]>.Iterator { shards.joined().makeIterator() }
}

/// The records at one commit, keyed by path, with who set each field. Only the state of commits whose
/// children are still to be processed is kept.
package struct HistoryState: Sendable {
    /// Keyed byte for byte: two paths that differ only in Unicode normalisation are two files (`ExactString`).
    package private(set) var byPath = ShardedDictionary<ExactString, TrackedRecord>()
    /// Paths holding each id, in byte order (more than one only when an id is duplicated).
    package private(set) var pathsOfID = ShardedDictionary<String, [ExactString]>()
    /// Ids deleted in this commit's ancestry and not present now: their return is `restored`.
    package private(set) var gone: Set<String> = []

    package init() {}

    /// A state read back from the cache's snapshot.
    package init(records: [(path: String, record: TrackedRecord)], gone: Set<String>) {
        byPath.reserveCapacity(records.count)
        for (path, record) in records { insert(record, at: ExactString(path)) }
        self.gone = gone
    }

    /// The same state with every attribution mapped through `renumber` (old commit index → new one).
    package func renumbered(_ renumber: [Int32]) -> HistoryState {
        var copy = self
        copy.byPath = byPath.mapValues { record in
            var record = record
            record.fields = record.fields.mapValues { field in
                Attributed(value: field.value, commit: field.commit >= 0 ? renumber[Int(field.commit)] : field.commit)
            }
            return record
        }
        return copy
    }

    /// The record with this id (the first by path when duplicated).
    package func record(id: String) -> (path: String, record: TrackedRecord)? {
        guard let path = pathsOfID[id]?.first, let record = byPath[path] else { return nil }
        return (path.string, record)
    }

    /// The record at `path`, if any.
    package func record(at path: String) -> TrackedRecord? { byPath[ExactString(path)] }

    /// Whether `id` is at `path`.
    package func holds(_ id: String, at path: String) -> Bool { pathsOfID[id]?.contains(ExactString(path)) ?? false }

    package func contains(id: String) -> Bool { pathsOfID[id] != nil }

    private mutating func remove(path: ExactString) -> TrackedRecord? {
        guard let record = byPath.removeValue(forKey: path) else { return nil }
        // In place: the array is not copied out of the dictionary and written back.
        var emptied = false
        pathsOfID[record.id]?.removeAll { $0 == path }
        if pathsOfID[record.id]?.isEmpty == true { emptied = true }
        if emptied { pathsOfID.removeValue(forKey: record.id) }
        return record
    }

    private mutating func insert(_ record: TrackedRecord, at path: ExactString) {
        if byPath[path] != nil { _ = remove(path: path) }
        byPath[path] = record
        pathsOfID[record.id, default: []].insertSorted(path)
    }

    /// Applies one commit's operations. The one transition used both when the operations are computed and
    /// when they are replayed from the cache, so both give the same state.
    package mutating func apply(_ ops: [RecordOp]) {
        // An operation that keeps its record's id at its path, at a path no other operation names, changes the
        // record's fields in place: removing it and inserting it again (what the general case below does) gives the
        // same state through four more lookups and a copy of its fields.
        var inPlace = [Bool](repeating: false, count: ops.count)
        if ops.count <= 16 {
            for (i, op) in ops.enumerated() {
                guard let path = op.oldPath, let newPath = op.newPath, let id = op.newID, path.isExactly(newPath),
                    !ops.indices.contains(where: { j in
                        j != i && (ops[j].oldPath.map { $0.isExactly(path) } == true || ops[j].newPath.map { $0.isExactly(path) } == true)
                    })
                else { continue }
                inPlace[i] = byPath.update(ExactString(path)) { record in
                    // The same id (as ids are keyed) at the path: its paths are unchanged.
                    guard record?.id == id else { return false }
                    record!.id = id
                    record!.kind = op.kind
                    for change in op.fields {
                        if let value = change.new {
                            record!.fields[change.field] = Attributed(value: value, commit: change.attribution)
                        } else {
                            record!.fields[change.field] = nil
                        }
                    }
                    return true
                }
            }
        }
        // All removals first, so records that swap paths in one commit keep their fields.
        var carried = [[String: Attributed]?](repeating: nil, count: ops.count)
        for (i, op) in ops.enumerated() where !inPlace[i] {
            if let oldPath = op.oldPath { carried[i] = remove(path: ExactString(oldPath))?.fields }
        }
        for (i, op) in ops.enumerated() where !inPlace[i] {
            guard let newPath = op.newPath, let newID = op.newID else { continue }
            var fields = carried[i] ?? [:]
            carried[i] = nil
            for change in op.fields {
                if let value = change.new {
                    fields[change.field] = Attributed(value: value, commit: change.attribution)
                } else {
                    fields[change.field] = nil
                }
            }
            insert(TrackedRecord(id: newID, kind: op.kind, fields: fields), at: ExactString(newPath))
        }
        for op in ops {
            if let newID = op.newID, !gone.isEmpty { gone.remove(newID) }
            if op.event == .deleted, let oldID = op.oldID, !contains(id: oldID) { gone.insert(oldID) }
        }
    }
}

extension ShardedDictionary {
    /// `body` on the value at `key` (nil when absent), in place: one lookup, and no copy of the value.
    package mutating func update<R>(_ key: Key, _ body: (inout Value?) -> R) -> R { body(&self[key]) }
}

extension Array where Element == ExactString {
    /// Inserts `path` before the first greater element (the array is in byte order).
    fileprivate mutating func insertSorted(_ path: ExactString) {
        insert(path, at: firstIndex { $0 > path } ?? count)
    }
}
