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

/// The records at one commit, keyed by path, with who set each field. Only the state of commits whose
/// children are still to be processed is kept.
package struct HistoryState: Sendable {
    /// Keyed byte for byte: two paths that differ only in Unicode normalisation are two files (`ExactString`).
    package private(set) var byPath: [ExactString: TrackedRecord] = [:]
    /// Paths holding each id, in byte order (more than one only when an id is duplicated).
    package private(set) var pathsOfID: [String: [ExactString]] = [:]
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
        if var paths = pathsOfID[record.id] {
            paths.removeAll { $0 == path }
            pathsOfID[record.id] = paths.isEmpty ? nil : paths
        }
        return record
    }

    private mutating func insert(_ record: TrackedRecord, at path: ExactString) {
        if byPath[path] != nil { _ = remove(path: path) }
        byPath[path] = record
        var paths = pathsOfID[record.id] ?? []
        paths.insert(path, at: paths.firstIndex { $0 > path } ?? paths.count)
        pathsOfID[record.id] = paths
    }

    /// Applies one commit's operations. The one transition used both when the operations are computed and
    /// when they are replayed from the cache, so both give the same state.
    package mutating func apply(_ ops: [RecordOp]) {
        // All removals first, so records that swap paths in one commit keep their fields.
        var carried = [[String: Attributed]?](repeating: nil, count: ops.count)
        for (i, op) in ops.enumerated() {
            if let oldPath = op.oldPath { carried[i] = remove(path: ExactString(oldPath))?.fields }
        }
        for (i, op) in ops.enumerated() {
            guard let newPath = op.newPath, let newID = op.newID else { continue }
            var fields = carried[i] ?? [:]
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
            if let newID = op.newID { gone.remove(newID) }
            if op.event == .deleted, let oldID = op.oldID, !contains(id: oldID) { gone.insert(oldID) }
        }
    }
}
