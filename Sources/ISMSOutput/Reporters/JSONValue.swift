import Foundation
import ISMSModel

/// A JSON value: a document built by hand, for formats whose shape is fixed by others (SARIF) and reads best as a
/// literal, or a record's field value. Its own `encode(to:)` writes the tree it holds.
public indirect enum JSONValue: Sendable, Hashable, Encodable {
    case null
    case bool(Bool)
    case number(Int)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    // Hand-written because each case is the JSON value it holds (a synthesized enum would be keyed by case name).
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

    /// A record's field value typed by the schema: integers as numbers, booleans, dates as `YYYY-MM-DD`, lists as arrays.
    public init(_ value: FieldValue) {
        switch value {
        case .string(let s): self = .string(s)
        case .integer(let i): self = .number(i)
        case .boolean(let b): self = .bool(b)
        case .date(let d): self = .string(d.description)
        case .list(let items): self = .array(items.map(JSONValue.init))
        }
    }

    public func rendered() -> String { JSONOutput.encode(self) }
}
