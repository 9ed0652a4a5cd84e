/// A position in a file, 1-based, columns counted in Unicode scalars.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable {
    // 32 bits each: every field, list item and link of a loaded ISMS carries locations, and a file is at most
    // limits.file_bytes (1 GiB), so no line or column reaches 2^31. Half the memory of two Ints.
    private var line32: Int32
    private var column32: Int32
    public var line: Int {
        get { Int(line32) }
        set { line32 = Int32(clamping: newValue) }
    }
    public var column: Int {
        get { Int(column32) }
        set { column32 = Int32(clamping: newValue) }
    }
    public init(line: Int, column: Int) {
        line32 = Int32(clamping: line)
        column32 = Int32(clamping: column)
    }
    public static let start = SourceLocation(line: 1, column: 1)
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line32, a.column32) < (b.line32, b.column32)
    }

    private enum CodingKeys: String, CodingKey { case line, column }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(line: try container.decode(Int.self, forKey: .line), column: try container.decode(Int.self, forKey: .column))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }
}

/// Our own YAML tree: plain Sendable values that keep where every key and value stood.
/// Scalars stay untyped text; the record schema decides what a scalar means, so YAML 1.1
/// surprises (`no`, `on`, `0755`, `1:30`) never turn a string into something else.
public indirect enum YAMLValue: Sendable, Hashable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode])
    case mapping([YAMLPair])
}

public struct YAMLScalar: Sendable, Hashable {
    public var text: String
    /// Plain scalars may be typed by the schema (numbers, booleans, null); quoted and block ones are text.
    public var isPlain: Bool
    public init(text: String, isPlain: Bool) {
        self.text = text
        self.isPlain = isPlain
    }
    /// `~`, `null` or nothing, written plain.
    public var isNull: Bool { isPlain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL") }
}

public struct YAMLNode: Sendable, Hashable {
    public var value: YAMLValue
    public var location: SourceLocation
    public init(_ value: YAMLValue, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = value { return s }
        return nil
    }
    public var pairs: [YAMLPair]? {
        if case .mapping(let p) = value { return p }
        return nil
    }
    public var items: [YAMLNode]? {
        if case .sequence(let i) = value { return i }
        return nil
    }
    /// The first value under a plain string key.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first(where: { $0.key == key })?.value
    }

    /// A short name of the node's shape, for messages.
    public var shapeName: String {
        switch value {
        case .scalar(let s): return s.isNull ? "null" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

public struct YAMLPair: Sendable, Hashable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLNode
}
