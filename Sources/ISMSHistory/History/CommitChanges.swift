import GitKit
import ISMSCore
import ISMSModel

/// A record file that a commit added, changed or removed, relative to its first parent.
package struct PathChange: Sendable {
    /// Relative to the ISMS root.
    package let path: String
    package let kind: RecordKind
    /// The new blob; nil when no record file is at `path` any more (deleted, or now a link or submodule).
    package let blob: ObjectID?
}

/// A parsed record blob. Parsing depends on the kind (the folder) as well as the bytes.
package struct BlobKey: Hashable, Sendable {
    package let kind: RecordKind
    package let blob: ObjectID
}

/// A record's id and typed field values, without source locations: what the history compares.
package struct RecordSnapshot: Sendable {
    package let id: String
    package let fields: [String: FieldValue]

    /// From `RecordParser.values`: the id and `fields.mapValues(\.value)` of the record `RecordParser.parse` gives.
    package init(id: String, fields: [String: FieldValue]) {
        self.id = id
        self.fields = fields
    }
}

/// What judging a merge by what it produced needs beyond the diff with its first parent: the record files on
/// which its parents differ, and those files at the parents' merge base. Read only for merges whose parents differ
/// on some record file; the others cannot hold a value that no parent explains.
package struct MergeBaseFiles: Sendable {
    /// Record files whose content differs between the first parent and another parent.
    package let contested: [String]
    /// Per merge base (several after criss-cross merges, none for unrelated histories), its record files at the
    /// contested paths (only those that are there).
    package let bases: [[PathChange]]
}

/// Turns the record files a commit changed into what it did to each record, judged by id.
package enum CommitChanges {
    /// - Parameters:
    ///   - commit: the commit's index (the attribution of its own changes).
    ///   - base: the state at the first parent (empty for a root or shallow-boundary commit).
    ///   - others: the states at the other parents of a merge.
    ///   - parsed: a record blob's snapshot; nil when the blob is unreadable, and its path then keeps what
    ///     was last known, so a broken commit does not look like a deletion.
    ///   - mergeBase: for a merge whose parents differ on some record file, those files at the merge base; each
    ///     field's value is then judged against what a 3-way merge explains (`judgeMerge`).
    package static func ops(
        commit: Int32, base: HistoryState, others: [HistoryState], changes: [PathChange],
        parsed: (BlobKey) -> RecordSnapshot?, isShallowBoundary: Bool, mergeBase: MergeBaseFiles? = nil
    ) -> [RecordOp] {
        var ops = [RecordOp]()
        var removed = [(path: String, record: TrackedRecord)]()
        var added = [(path: String, kind: RecordKind, snapshot: RecordSnapshot)]()
        for change in changes {
            let old = base.record(at: change.path)
            guard let blob = change.blob else {
                if let old { removed.append((change.path, old)) }
                continue
            }
            guard let snapshot = parsed(BlobKey(kind: change.kind, blob: blob)) else { continue }
            if let old, old.id == snapshot.id {
                let fields = diff(old.fields, snapshot.fields, kind: change.kind, commit: commit)
                // Whitespace, comments or key order alone change no field: no operation at all.
                guard !fields.isEmpty else { continue }
                ops.append(
                    RecordOp(
                        event: .modified, ownEvent: true, kind: change.kind, oldID: old.id, newID: snapshot.id,
                        oldPath: change.path, newPath: change.path, fields: fields))
            } else {
                if let old { removed.append((change.path, old)) }
                added.append((change.path, change.kind, snapshot))
            }
        }

        var consumed = [Bool](repeating: false, count: removed.count)
        let removedPaths = Set(removed.map { ExactString($0.path) })
        /// Whether `id` is still somewhere after the commit, apart from the paths it left.
        func remains(_ id: String) -> Bool {
            base.pathsOfID[id]?.contains { !removedPaths.contains($0) } ?? false
        }
        var appeared = [(path: String, kind: RecordKind, snapshot: RecordSnapshot)]()
        // The same id gone from one path and new at another: the record moved (whatever else changed).
        for item in added {
            if let i = removed.indices.first(where: { !consumed[$0] && removed[$0].record.id == item.snapshot.id }) {
                consumed[i] = true
                ops.append(
                    RecordOp(
                        event: .moved, ownEvent: true, kind: item.kind, oldID: item.snapshot.id, newID: item.snapshot.id,
                        oldPath: removed[i].path, newPath: item.path,
                        fields: diff(removed[i].record.fields, item.snapshot.fields, kind: item.kind, commit: commit)))
            } else {
                appeared.append(item)
            }
        }
        // A new id where an old one stood, the old one gone: the record's id changed in place.
        for item in appeared {
            if let i = removed.indices.first(where: { !consumed[$0] && removed[$0].path.isExactly(item.path) }),
                !remains(removed[i].record.id)
            {
                consumed[i] = true
                ops.append(
                    RecordOp(
                        event: .idChanged, ownEvent: true, kind: item.kind, oldID: removed[i].record.id,
                        newID: item.snapshot.id, oldPath: item.path, newPath: item.path,
                        fields: diff(removed[i].record.fields, item.snapshot.fields, kind: item.kind, commit: commit)))
            } else {
                let event: HistoryEvent = isShallowBoundary ? .boundary : (base.gone.contains(item.snapshot.id) ? .restored : .created)
                ops.append(
                    RecordOp(
                        event: event, ownEvent: true, kind: item.kind, oldID: nil, newID: item.snapshot.id,
                        oldPath: nil, newPath: item.path, fields: diff([:], item.snapshot.fields, kind: item.kind, commit: commit)))
            }
        }
        for (i, item) in removed.enumerated() where !consumed[i] {
            // A duplicate id leaving one of its paths is not the record's deletion.
            let deleted = !remains(item.record.id)
            ops.append(
                RecordOp(
                    event: .deleted, ownEvent: deleted, kind: item.record.kind, oldID: item.record.id, newID: nil,
                    oldPath: item.path, newPath: nil,
                    fields: deleted ? diff(item.record.fields, [:], kind: item.record.kind, commit: commit) : []))
        }
        if !others.isEmpty {
            ops = ops.map { creditOtherParents($0, commit: commit, others: others) }
            if let mergeBase {
                ops = judgeMerge(ops, commit: commit, first: base, others: others, mergeBase: mergeBase, parsed: parsed)
            }
        }
        func key(_ op: RecordOp) -> (ExactString, ExactString) {
            (ExactString(op.newPath ?? op.oldPath ?? ""), ExactString(op.oldPath ?? ""))
        }
        return ops.count > 1 ? ops.sorted { key($0) < key($1) } : ops
    }

    /// A merge keeps, for each field, the attribution of a parent that already had the same value (the first
    /// parent's is kept by not touching the field): only what differs from every parent is the merge's own.
    private static func creditOtherParents(_ op: RecordOp, commit: Int32, others: [HistoryState]) -> RecordOp {
        var op = op
        guard let id = op.newID else {
            // Deleted: the merge's own only if every parent still had the record.
            if let oldID = op.oldID, others.contains(where: { !$0.contains(id: oldID) }) {
                op.ownEvent = false
                op.fields = []
            }
            return op
        }
        let source = others.lazy.compactMap { $0.record(id: id) }.first
        switch op.event {
        case .created, .restored, .boundary:
            // New relative to the first parent but brought by another parent: compare with that parent.
            if let source {
                op.ownEvent = false
                op.fields = op.fields.map {
                    FieldOp(field: $0.field, old: source.record.fields[$0.field]?.value, new: $0.new, attribution: $0.attribution)
                }
            }
        case .moved:
            if others.contains(where: { $0.holds(id, at: op.newPath ?? "") }) { op.ownEvent = false }
        case .idChanged:
            if source != nil { op.ownEvent = false }
        case .modified:
            // Not an event of its own: the merge shows it only for fields no parent had.
            op.ownEvent = false
        case .deleted:
            break
        }
        op.fields = op.fields.map { field in
            var field = field
            for state in others {
                guard let (_, record) = state.record(id: id) else { continue }
                let theirs = record.fields[field.field]
                if theirs?.value == field.new {
                    field.attribution = theirs?.commit ?? -1
                    break
                }
            }
            return field
        }
        return op
    }

    /// A merge is the author of every value a 3-way merge does not explain. Per field, with the parents' values and
    /// the merge base's: when all parents agree, that value is expected; else when the parents that changed it since
    /// the base agree, theirs is. A result that is not the expected value (an edit during the merge, a conflict
    /// resolved either way, a branch's change dropped) is credited to the merge, with `old` the value it replaced.
    /// Without this, a merge that keeps the first parent's old value keeps that value's old (signed) attribution.
    private static func judgeMerge(
        _ ops: [RecordOp], commit: Int32, first: HistoryState, others: [HistoryState],
        mergeBase: MergeBaseFiles, parsed: (BlobKey) -> RecordSnapshot?
    ) -> [RecordOp] {
        var ops = ops
        let parents = [first] + others
        // Per merge base, its records by id; a record a base lacks has no value there.
        var atBases = [[String: [String: FieldValue]]]()
        for files in mergeBase.bases {
            var records = [String: [String: FieldValue]]()
            for file in files {
                guard let blob = file.blob, let snapshot = parsed(BlobKey(kind: file.kind, blob: blob)), records[snapshot.id] == nil else {
                    continue
                }
                records[snapshot.id] = snapshot.fields
            }
            atBases.append(records)
        }
        var ids = Set(atBases.flatMap(\.keys))
        for path in mergeBase.contested {
            for state in parents { if let record = state.record(at: path) { ids.insert(record.id) } }
        }

        /// The record as the merge left it: the first parent's, changed by the merge's operations.
        func result(_ id: String) -> (fields: [String: FieldValue], path: String, kind: RecordKind)? {
            if let op = ops.first(where: { $0.newID == id }), let path = op.newPath {
                var fields = op.oldPath.flatMap { first.record(at: $0) }?.fields.mapValues(\.value) ?? [:]
                for change in op.fields { fields[change.field] = change.new }
                return (fields, path, op.kind)
            }
            if ops.contains(where: { $0.oldID == id }) { return nil }
            return first.record(id: id).map { ($0.record.fields.mapValues(\.value), $0.path, $0.record.kind) }
        }

        for id in ids.sorted() {
            let merged = result(id)
            let values = parents.map { $0.record(id: id)?.record.fields }
            let bases = atBases.isEmpty ? [nil] : atBases.map { $0[id] }
            var names = Set(bases.flatMap { $0?.keys.map { $0 } ?? [] })
            names.formUnion(merged?.fields.keys.map { $0 } ?? [])
            for value in values { names.formUnion(value?.keys.map { $0 } ?? []) }
            var unexplained = [FieldOp]()
            for name in names {
                let theirs = values.map { $0?[name]?.value }
                let mine = merged?.fields[name]
                let expected: FieldValue??
                if theirs.allSatisfy({ $0 == theirs[0] }) {
                    expected = .some(theirs[0])
                } else {
                    // A side changed the field if its value is at no merge base (criss-cross merges have several).
                    let changed = theirs.filter { value in !bases.contains { $0?[name] == value } }
                    // Every side at some base's value (criss-cross): nothing tells which side changed it.
                    expected = changed.first.flatMap { first in changed.allSatisfy { $0 == first } ? .some(first) : nil }
                }
                if let expected, expected == mine { continue }
                // What the merge replaced: the expected value, or in a conflict a side it did not take.
                let old = expected ?? theirs.first { $0 != mine } ?? theirs[0]
                unexplained.append(FieldOp(field: name, old: old, new: mine, attribution: commit))
            }
            guard !unexplained.isEmpty else { continue }
            let kind = merged?.kind ?? parents.lazy.compactMap { $0.record(id: id)?.record.kind }.first ?? .risk

            if let merged {
                let present = unexplained.filter { $0.new != nil }
                // Every value of a record no parent's side explains: the merge brought the record back itself.
                let broughtBack = present.count == merged.fields.count && present.allSatisfy { $0.old == nil }
                if let i = ops.firstIndex(where: { $0.newID == id }) {
                    let replaced = Set(unexplained.map(\.field))
                    ops[i].fields = Schema.sortFields(
                        ops[i].fields.filter { !replaced.contains($0.field) } + unexplained, kind: kind, by: \.field)
                    if broughtBack { ops[i].ownEvent = true }
                } else {
                    ops.append(
                        RecordOp(
                            event: .modified, ownEvent: false, kind: kind, oldID: id, newID: id, oldPath: merged.path,
                            newPath: merged.path, fields: Schema.sortFields(unexplained, kind: kind, by: \.field)))
                }
                continue
            }
            // Gone from the result although a side's change kept it: the merge deleted it.
            let removals = Schema.sortFields(unexplained.filter { $0.old != nil }, kind: kind, by: \.field)
            guard !removals.isEmpty else { continue }
            if let i = ops.firstIndex(where: { $0.event == .deleted && $0.oldID == id }) {
                ops[i].ownEvent = true
                ops[i].fields = removals
            } else if !ops.contains(where: { $0.oldID == id }),
                let path = others.lazy.compactMap({ $0.record(id: id)?.path }).first, first.record(at: path) == nil
            {
                // Never on the first parent's side: deleting it removes nothing there, but credits the merge.
                ops.append(
                    RecordOp(
                        event: .deleted, ownEvent: true, kind: kind, oldID: id, newID: nil, oldPath: path, newPath: nil,
                        fields: removals))
            }
        }
        return ops
    }

    /// The fields whose value differs, attributed to `commit`, in the schema's field order (the order shown).
    package static func diff(_ old: [String: Attributed], _ new: [String: FieldValue], kind: RecordKind, commit: Int32) -> [FieldOp] {
        var changes = [FieldOp]()
        // How many of `new`'s fields `old` has: when all of `old`'s, none was removed and `old` need not be searched.
        var matched = 0
        for (field, value) in new {
            let before = old[field]
            if before != nil { matched += 1 }
            if before?.value != value {
                changes.append(FieldOp(field: field, old: before?.value, new: value, attribution: commit))
            }
        }
        if matched < old.count {
            for (field, value) in old where new[field] == nil {
                changes.append(FieldOp(field: field, old: value.value, new: nil, attribution: commit))
            }
        }
        return Schema.sortFields(changes, kind: kind, by: \.field)
    }
}
