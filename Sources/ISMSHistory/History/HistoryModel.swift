import GitKit
import ISMSModel

/// What a commit did to a record, as `isms history` shows it.
public enum HistoryEvent: String, Sendable, CaseIterable {
    case created, modified, moved
    case idChanged = "id-changed"
    case deleted, restored
    /// The oldest state known in a shallow clone: the record may be older than the boundary commit.
    case boundary
}

/// The commit facts the history keeps and shows. A shared immutable object: every entry of a commit
/// refers to the same one instead of copying five strings.
public final class CommitInfo: Sendable {
    public let id: ObjectID
    public let author: GitIdentity
    public let committer: GitIdentity
    public let summary: String
    /// Whether the commit has a signature header, when this run read the commit (not kept in the cache).
    public let carriesSignature: Bool?

    package init(id: ObjectID, author: GitIdentity, committer: GitIdentity, summary: String, carriesSignature: Bool? = nil) {
        self.id = id
        self.author = author
        self.committer = committer
        self.summary = summary
        self.carriesSignature = carriesSignature
    }
}

/// One field's change: at one commit (history, trail) or between two revisions (`isms diff`). `old`/`new` are nil
/// when the field is absent on that side.
public struct FieldChange: Sendable, Equatable {
    public let field: String
    public let old: FieldValue?
    public let new: FieldValue?

    /// True for a list field (`controls`), which is compared whole and reports items added and removed.
    public var isList: Bool {
        if case .list? = old { return true }
        if case .list? = new { return true }
        return false
    }
    /// Items of a list field that are in `new` and not in `old`, in `new`'s order (a repeated item as often as it is repeated).
    public var added: [FieldValue] { Self.missing(from: old, in: new) }
    /// Items of a list field that are in `old` and not in `new`, in `old`'s order.
    public var removed: [FieldValue] { Self.missing(from: new, in: old) }

    /// The items of `list` that `other` lacks, through a hash set: a search of `other` per item made a
    /// 120,000-item list take two minutes.
    package static func missing(from other: FieldValue?, in list: FieldValue?) -> [FieldValue] {
        let items = items(list)
        guard !items.isEmpty else { return [] }
        let present = Set(Self.items(other))
        return items.filter { !present.contains($0) }
    }

    private static func items(_ value: FieldValue?) -> [FieldValue] {
        if case .list(let items)? = value { return items }
        return []
    }

    package init(field: String, old: FieldValue?, new: FieldValue?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// One entry of a record's history: what one commit did to it.
public struct HistoryEntry: Sendable {
    public let commit: CommitInfo
    /// The record's id after the change (before it, for `deleted`).
    public let record: String
    public let kind: RecordKind
    /// Relative to the ISMS root: where the record is after the change (where it was, for `deleted`).
    public let path: String
    /// For `moved`: where it was before.
    public let oldPath: String?
    /// For `id-changed`: the id before.
    public let oldID: String?
    public let event: HistoryEvent
    /// In the schema's field order.
    public let changes: [FieldChange]
}

/// One current field of a record with the commit that set its current value.
public struct BlameLine: Sendable {
    public let field: String
    public let value: FieldValue
    public let commit: CommitInfo
}

// MARK: - What is computed per commit and cached

/// One field set (or removed) by a commit. `attribution` is the index of the commit whose value it is: the
/// commit itself for its own change, another parent's commit for a value a merge took from that parent,
/// and -1 for a removal taken from another parent.
package struct FieldOp: Sendable, Equatable {
    package var field: String
    package var old: FieldValue?
    package var new: FieldValue?
    package var attribution: Int32
}

/// What one commit did to one record relative to its first parent: enough to replay the state and to list
/// the commit's own changes. `ownEvent` is false when a merge took the move, creation or deletion from
/// another parent (the branch commit that made it is credited instead).
package struct RecordOp: Sendable, Equatable {
    package var event: HistoryEvent
    package var ownEvent: Bool
    package var kind: RecordKind
    package var oldID: String?
    package var newID: String?
    package var oldPath: String?
    package var newPath: String?
    /// In the schema's field order.
    package var fields: [FieldOp]
}

extension KindSchema {
    /// Every dotted field path in declaration order (`id`, `title`, …, `acceptance.approved_by`, …).
    package var fieldOrder: [String] {
        func walk(_ specs: [FieldSpec], _ prefix: String) -> [String] {
            specs.flatMap { spec -> [String] in
                if case .object(let children) = spec.type { return walk(children, prefix + spec.name + ".") }
                return [prefix + spec.name]
            }
        }
        return walk(fields, "")
    }
}

extension Schema {
    private static let orders: [RecordKind: [String: Int]] = Dictionary(
        uniqueKeysWithValues: RecordKind.allCases.map { kind in
            (kind, Dictionary(uniqueKeysWithValues: of(kind).fieldOrder.enumerated().map { ($1, $0) }))
        })

    /// Sorts dotted field paths in the kind's declaration order (unknown ones last, by name).
    package static func sortFields<T>(_ items: [T], kind: RecordKind, by field: (T) -> String) -> [T] {
        guard items.count > 1 else { return items }
        let order = orders[kind] ?? [:]
        // Each item's place looked up once, not twice at every comparison (the same comparison, so the same order).
        let keyed = items.map { item in
            let name = field(item)
            return (place: order[name] ?? .max, name: name, item: item)
        }
        return keyed.sorted { a, b in a.place != b.place ? a.place < b.place : a.name < b.name }.map(\.item)
    }
}
