/// A record file that a commit added, changed or removed, relative to its first parent.
struct PathChange: Sendable {
    /// Relative to the ISMS root.
    let path: String
    let kind: RecordKind
    /// The new blob; nil when no record file is at `path` any more (deleted, or now a link or submodule).
    let blob: ObjectID?
}

/// A parsed record blob. Parsing depends on the kind (the folder) as well as the bytes.
struct BlobKey: Hashable, Sendable {
    let kind: RecordKind
    let blob: ObjectID
}

/// A record's id and typed field values, without source locations: what the history compares.
struct RecordSnapshot: Sendable {
    let id: String
    let fields: [String: FieldValue]

    init(_ record: Record) {
        id = record.id
        fields = record.fields.mapValues(\.value)
    }
}

/// Turns the record files a commit changed into what it did to each record, judged by id.
enum CommitChanges {
    /// - Parameters:
    ///   - commit: the commit's index (the attribution of its own changes).
    ///   - base: the state at the first parent (empty for a root or shallow-boundary commit).
    ///   - others: the states at the other parents of a merge.
    ///   - parsed: a record blob's snapshot; nil when the blob is unreadable, and its path then keeps what
    ///     was last known, so a broken commit does not look like a deletion.
    static func ops(commit: Int32, base: HistoryState, others: [HistoryState], changes: [PathChange],
                    parsed: (BlobKey) -> RecordSnapshot?, isShallowBoundary: Bool) -> [RecordOp] {
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
                ops.append(RecordOp(event: .modified, ownEvent: true, kind: change.kind, oldID: old.id, newID: snapshot.id,
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
                ops.append(RecordOp(event: .moved, ownEvent: true, kind: item.kind, oldID: item.snapshot.id, newID: item.snapshot.id,
                                    oldPath: removed[i].path, newPath: item.path,
                                    fields: diff(removed[i].record.fields, item.snapshot.fields, kind: item.kind, commit: commit)))
            } else {
                appeared.append(item)
            }
        }
        // A new id where an old one stood, the old one gone: the record's id changed in place.
        for item in appeared {
            if let i = removed.indices.first(where: { !consumed[$0] && removed[$0].path.isExactly(item.path) }),
               !remains(removed[i].record.id) {
                consumed[i] = true
                ops.append(RecordOp(event: .idChanged, ownEvent: true, kind: item.kind, oldID: removed[i].record.id,
                                    newID: item.snapshot.id, oldPath: item.path, newPath: item.path,
                                    fields: diff(removed[i].record.fields, item.snapshot.fields, kind: item.kind, commit: commit)))
            } else {
                let event: HistoryEvent = isShallowBoundary ? .boundary : (base.gone.contains(item.snapshot.id) ? .restored : .created)
                ops.append(RecordOp(event: event, ownEvent: true, kind: item.kind, oldID: nil, newID: item.snapshot.id,
                                    oldPath: nil, newPath: item.path, fields: diff([:], item.snapshot.fields, kind: item.kind, commit: commit)))
            }
        }
        for (i, item) in removed.enumerated() where !consumed[i] {
            // A duplicate id leaving one of its paths is not the record's deletion.
            let deleted = !remains(item.record.id)
            ops.append(RecordOp(event: .deleted, ownEvent: deleted, kind: item.record.kind, oldID: item.record.id, newID: nil,
                                oldPath: item.path, newPath: nil,
                                fields: deleted ? diff(item.record.fields, [:], kind: item.record.kind, commit: commit) : []))
        }
        if !others.isEmpty {
            ops = ops.map { creditOtherParents($0, commit: commit, others: others) }
        }
        func key(_ op: RecordOp) -> (ExactString, ExactString) { (ExactString(op.newPath ?? op.oldPath ?? ""), ExactString(op.oldPath ?? "")) }
        return ops.sorted { key($0) < key($1) }
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
                op.fields = op.fields.map { FieldOp(field: $0.field, old: source.record.fields[$0.field]?.value, new: $0.new, attribution: $0.attribution) }
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

    /// The fields whose value differs, attributed to `commit`, in the schema's field order (the order shown).
    static func diff(_ old: [String: Attributed], _ new: [String: FieldValue], kind: RecordKind, commit: Int32) -> [FieldOp] {
        var changes = [FieldOp]()
        for (field, value) in new where old[field]?.value != value {
            changes.append(FieldOp(field: field, old: old[field]?.value, new: value, attribution: commit))
        }
        for (field, value) in old where new[field] == nil {
            changes.append(FieldOp(field: field, old: value.value, new: nil, attribution: commit))
        }
        return Schema.sortFields(changes, kind: kind, by: \.field)
    }
}
