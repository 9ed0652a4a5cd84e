/// A loaded ISMS: its settings, its records and the links between them.
public struct ISMS: Sendable {
    public let config: Config
    /// In path order.
    public let records: [Record]
    public let graph: TraceGraph
    /// The catalogues the ISMS defines in `catalogs/`, in path order (the first of a duplicated id only).
    public let catalogs: [UserCatalog]
    private let byID: [String: Int]
    private let byKind: [RecordKind: [Int]]

    public init(config: Config, records: [Record], catalogs: [UserCatalog] = []) {
        self.config = config
        self.records = records
        self.catalogs = catalogs
        var byID = [String: Int]()
        var byKind = [RecordKind: [Int]]()
        for (index, record) in records.enumerated() {
            if byID[record.id] == nil { byID[record.id] = index }
            byKind[record.kind, default: []].append(index)
        }
        self.byID = byID
        self.byKind = byKind
        graph = TraceGraph(records: records, config: config)
    }

    /// The record with this id (the first by path when the id is duplicated).
    public func record(_ id: String) -> Record? { byID[id].map { records[$0] } }
    public func records(of kind: RecordKind) -> [Record] { (byKind[kind] ?? []).map { records[$0] } }
}

/// One reference from a record's field to another record's id.
public struct Link: Sendable, Hashable {
    public let from: String
    public let fromKind: RecordKind
    public let field: String
    public let to: String
    /// The kinds the field may point to.
    public let expected: [RecordKind]
    public let path: String
    public let location: SourceLocation
}

/// Every reference in the ISMS, indexed both ways: the chain risk → control → evidence → obligation.
public struct TraceGraph: Sendable {
    public let links: [Link]
    private let outgoing: [String: [Int]]
    private let incoming: [String: [Int]]

    package init(records: [Record], config: Config) {
        // Per kind, once: each reference field, the kinds it may point to, and the kind whose id shape makes free
        // text a reference.
        let referenceFields = Dictionary(
            uniqueKeysWithValues: RecordKind.allCases.map { kind in
                (
                    kind,
                    Self.referenceFields(Schema.of(kind).fields, prefix: "").compactMap {
                        name, type -> (name: String, keyed: Bool, targets: [RecordKind], onlyIfShaped: RecordKind?)? in
                        let keyed = name.contains(".*.")
                        switch type {
                        case .reference(let kinds): return (name, keyed, kinds, nil)
                        case .referenceOrText(let kind): return (name, keyed, [kind], kind)
                        default: return nil
                        }
                    }
                )
            })
        // Sized before it is filled, at most one link a value: grown by doubling, the array of 100,000 records' links
        // was up to half empty.
        var capacity = 0
        for record in records {
            for reference in referenceFields[record.kind] ?? [] {
                for name in reference.keyed ? Self.expand(reference.name, in: record) : [reference.name] {
                    guard let field = record.fields[name] else { continue }
                    if case .list(let items) = field.value { capacity += items.count } else { capacity += 1 }
                }
            }
        }
        var links = [Link]()
        links.reserveCapacity(capacity)
        for record in records {
            for reference in referenceFields[record.kind] ?? [] {
                for name in reference.keyed ? Self.expand(reference.name, in: record) : [reference.name] {
                    var values: [(String, SourceLocation)] = record.list(name)
                    if values.isEmpty, let single = record.string(name) { values = [(single, record.location(of: name))] }
                    for (value, location) in values {
                        if let kind = reference.onlyIfShaped, !config.idPattern(kind).matches(value) { continue }
                        links.append(
                            Link(
                                from: record.id, fromKind: record.kind, field: name, to: value, expected: reference.targets,
                                path: record.path, location: location))
                    }
                }
            }
        }
        self.links = links
        var outgoing = [String: [Int]](), incoming = [String: [Int]]()
        for (index, link) in links.enumerated() {
            outgoing[link.from, default: []].append(index)
            incoming[link.to, default: []].append(index)
        }
        self.outgoing = outgoing
        self.incoming = incoming
    }

    /// Reference-typed fields of a schema (including list items), by dotted path.
    package static func referenceFields(_ specs: [FieldSpec], prefix: String) -> [(String, FieldType)] {
        specs.flatMap { spec -> [(String, FieldType)] in
            switch spec.type {
            case .reference, .referenceOrText: return [(prefix + spec.name, spec.type)]
            case .list(let element):
                switch element {
                case .reference, .referenceOrText: return [(prefix + spec.name, element)]
                default: return []
                }
            case .object(let children): return referenceFields(children, prefix: prefix + spec.name + ".")
            case .keyed(let children): return referenceFields(children, prefix: prefix + spec.name + ".*.")
            default: return []
            }
        }
    }

    /// The record's field paths a schema path stands for: itself, or for a path through a keyed mapping
    /// (`actions.*.link`), each entry's (`actions.CA-1.link`), in name order.
    package static func expand(_ path: String, in record: Record) -> [String] {
        // Most paths have no `*` at all: Foundation's search of each for `.*.` was a third of building the graph.
        guard path.utf8.contains(UInt8(ascii: "*")), let star = path.range(of: ".*.") else { return [path] }
        let head = String(path[..<star.lowerBound]) + ".", tail = "." + String(path[star.upperBound...])
        return record.fields.keys.filter { key in
            guard key.hasPrefix(head), key.hasSuffix(tail), key.count > head.count + tail.count else { return false }
            return !key.dropFirst(head.count).dropLast(tail.count).contains(".")
        }.sorted()
    }

    /// Links from a record, optionally of one field.
    public func links(from id: String, field: String? = nil) -> [Link] {
        (outgoing[id] ?? []).map { links[$0] }.filter { field == nil || $0.field == field }
    }

    /// Links that point at a record, optionally of one field.
    public func links(to id: String, field: String? = nil) -> [Link] {
        (incoming[id] ?? []).map { links[$0] }.filter { field == nil || $0.field == field }
    }
}
