import Foundation

/// A JSON document built by hand, for formats whose shape is fixed by others (SARIF) and reads best as a literal.
public indirect enum JSONValue: Sendable, Hashable, Encodable {
    case null
    case bool(Bool)
    case number(Int)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    public func rendered() -> String { JSONOutput.encode(self) }
}
