import ISMSHistory
import ISMSModel

/// What changed in decisions between two states of an ISMS: records, fields, links and findings — not lines.
public struct SemanticDiff: Sendable {
    public enum Event: String, Sendable, Codable { case added, removed, modified, moved, idChanged = "id-changed" }

    public struct RecordDelta: Sendable {
        public let id: String
        /// The id at BASE when it changed.
        public let oldID: String?
        public let kind: RecordKind
        public let event: Event
        /// At HEAD (at BASE for a removed record).
        public let path: String
        public let oldPath: String?
        public let title: String
        public let fields: [FieldChange]
    }

    public struct LinkDelta: Sendable, Hashable {
        public let from: String
        public let field: String
        public let to: String
        public let added: Bool
    }

    public let records: [RecordDelta]
    public let links: [LinkDelta]
    public let introduced: [Finding]
    public let resolved: [Finding]

    /// Compares two loaded states. `renamedIDs` maps old ids to new ones where the history says a record's id
    /// changed in place, so it shows as one record with event id-changed rather than a removal and an addition.
    public init(base: ISMS, head: ISMS, baseFindings: [Finding], headFindings: [Finding], renamedIDs: [String: String] = [:]) {
        var deltas = [RecordDelta]()
        for record in head.records where head.record(record.id)?.path == record.path {
            let oldID = renamedIDs.first { $0.value == record.id }?.key
            guard let old = base.record(oldID ?? record.id) else {
                deltas.append(
                    RecordDelta(
                        id: record.id, oldID: nil, kind: record.kind, event: .added, path: record.path, oldPath: nil,
                        title: record.title, fields: Self.fieldDeltas(from: nil, to: record)))
                continue
            }
            let fields = Self.fieldDeltas(from: old, to: record).filter { $0.field != "id" }
            let event: Event
            if oldID != nil && oldID != record.id {
                event = .idChanged
            } else if old.path != record.path {
                event = .moved
            } else if !fields.isEmpty {
                event = .modified
            } else {
                continue
            }
            deltas.append(
                RecordDelta(
                    id: record.id, oldID: oldID == record.id ? nil : oldID, kind: record.kind, event: event,
                    path: record.path, oldPath: old.path == record.path ? nil : old.path,
                    title: record.title, fields: fields))
        }
        for record in base.records where base.record(record.id)?.path == record.path {
            let renamedTo = renamedIDs[record.id]
            guard head.record(renamedTo ?? record.id) == nil else { continue }
            deltas.append(
                RecordDelta(
                    id: record.id, oldID: nil, kind: record.kind, event: .removed, path: record.path, oldPath: nil,
                    title: record.title, fields: Self.fieldDeltas(from: record, to: nil)))
        }
        records = deltas.sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }

        func linkSet(_ isms: ISMS) -> Set<[String]> {
            Set(isms.graph.links.map { [renamedIDs[$0.from] ?? $0.from, $0.field, renamedIDs[$0.to] ?? $0.to] })
        }
        let before = linkSet(base), after = Set(head.graph.links.map { [$0.from, $0.field, $0.to] })
        links =
            (after.subtracting(before).map { LinkDelta(from: $0[0], field: $0[1], to: $0[2], added: true) }
            + before.subtracting(after).map { LinkDelta(from: $0[0], field: $0[1], to: $0[2], added: false) })
            .sorted { ($0.from, $0.field, $0.to) < ($1.from, $1.field, $1.to) }

        let (introduced, resolved) = FindingMatcher.compare(base: baseFindings, head: headFindings)
        self.introduced = introduced
        self.resolved = resolved
    }

    package static func fieldDeltas(from old: Record?, to new: Record?) -> [FieldChange] {
        let names = Set((old?.fields.keys).map(Array.init) ?? []).union((new?.fields.keys).map(Array.init) ?? [])
        return names.sorted().compactMap { name in
            let before = old?.fields[name]?.value, after = new?.fields[name]?.value
            return before == after ? nil : FieldChange(field: name, old: before, new: after)
        }
    }

    public var isEmpty: Bool { records.isEmpty && links.isEmpty && introduced.isEmpty && resolved.isEmpty }
}
