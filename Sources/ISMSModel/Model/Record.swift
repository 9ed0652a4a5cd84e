/// A field value typed by the schema. Lists hold scalars only; objects are flattened into dotted paths.
/// Not `indirect`: a boxed value cost a heap object per field, three times the bytes the value holds inline.
public enum FieldValue: Hashable, Sendable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case date(Day)
    case list([FieldValue])

    public var text: String {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .boolean(let b): return b ? "true" : "false"
        case .date(let d): return d.description
        case .list(let items): return "[" + items.map(\.text).joined(separator: ", ") + "]"
        }
    }
}

/// A leaf or list field of a record with where its value stands in the file.
public struct Field: Sendable, Hashable {
    public var value: FieldValue
    public var location: SourceLocation
    public var keyLocation: SourceLocation
    /// For lists: where each item stands.
    public var itemLocations: [SourceLocation]

    package init(value: FieldValue, location: SourceLocation, keyLocation: SourceLocation, itemLocations: [SourceLocation]) {
        self.value = value
        self.location = location
        self.keyLocation = keyLocation
        self.itemLocations = itemLocations
    }
}

/// One validated record. Fields are keyed by dotted path (`acceptance.approved_by`); a field that failed
/// validation is absent here, so rules never report the same defect twice.
public struct Record: Sendable {
    public let kind: RecordKind
    public let id: String
    public let path: String
    public let idLocation: SourceLocation
    public var fields: FieldMap<Field>
    /// Where each mapping-valued field (`acceptance`, `review`) starts.
    public var objects: FieldMap<SourceLocation>
    /// Fields that were written but failed validation (already reported as invalid-value). Rules that look
    /// for an absent field skip these, so one defect is reported once.
    public var rejected: Set<String> = []

    public init(
        kind: RecordKind, id: String, path: String, idLocation: SourceLocation,
        fields: [String: Field], objects: [String: SourceLocation]
    ) {
        self.kind = kind
        self.id = id
        self.path = path
        self.idLocation = idLocation
        self.fields = FieldMap(fields)
        self.objects = FieldMap(objects)
    }

    package init(
        kind: RecordKind, id: String, path: String, idLocation: SourceLocation,
        fields: FieldMap<Field>, objects: FieldMap<SourceLocation>
    ) {
        self.kind = kind
        self.id = id
        self.path = path
        self.idLocation = idLocation
        self.fields = fields
        self.objects = objects
    }

    public func string(_ path: String) -> String? {
        if case .string(let s)? = fields[path]?.value { return s }
        return nil
    }
    public func integer(_ path: String) -> Int? {
        if case .integer(let i)? = fields[path]?.value { return i }
        return nil
    }
    public func boolean(_ path: String) -> Bool? {
        if case .boolean(let b)? = fields[path]?.value { return b }
        return nil
    }
    public func date(_ path: String) -> Day? {
        if case .date(let d)? = fields[path]?.value { return d }
        return nil
    }
    public func cadence(_ path: String) -> Cadence? { string(path).flatMap(Cadence.init) }

    /// Whether the field was written at all, validly or not.
    public func isWritten(_ path: String) -> Bool { fields[path] != nil || objects[path] != nil || rejected.contains(path) }

    /// The string items of a list field, each with its location.
    public func list(_ path: String) -> [(value: String, location: SourceLocation)] {
        guard let field = fields[path], case .list(let items) = field.value else { return [] }
        return items.enumerated().map { index, item in
            (item.text, index < field.itemLocations.count ? field.itemLocations[index] : field.location)
        }
    }

    /// Where a finding about `path` should point: the value, else the enclosing object, else the id.
    public func location(of path: String) -> SourceLocation {
        if let field = fields[path] { return field.location }
        if let object = objects[path] { return object }
        return idLocation
    }

    public var title: String { string("title") ?? id }
    public var owner: String? { string("owner") }
}
