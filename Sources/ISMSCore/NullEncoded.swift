import Foundation

/// An optional that is written as `null` when absent. A synthesized `Encodable` leaves a nil optional's key out;
/// the JSON contracts promise every key, so each such property is marked `@NullEncoded` instead of its type getting
/// a hand-written `encode(to:)`.
@propertyWrapper
public struct NullEncoded<Value: Encodable>: Encodable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension NullEncoded: Sendable where Value: Sendable {}
extension NullEncoded: Equatable where Value: Equatable {}
extension NullEncoded: Hashable where Value: Hashable {}
