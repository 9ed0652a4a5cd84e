import Crypto
import ISMSModel

/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same name always gives the same UUID, so exports are stable
/// across runs and diff cleanly.
public struct UUIDv5: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// The RFC's namespace for URLs.
    public static let urlNamespace = UUIDv5(bytes: [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
    ])

    package init(bytes: [UInt8]) { self.bytes = bytes }

    public init(namespace: UUIDv5, name: String) {
        // SHA-1 as the RFC names it for version 5: an identifier, never a security property.
        var hash = Array(Insecure.SHA1.hash(data: namespace.bytes + Array(name.utf8)).prefix(16))
        hash[6] = (hash[6] & 0x0f) | 0x50
        hash[8] = (hash[8] & 0x3f) | 0x80
        bytes = hash
    }

    public var description: String {
        let h = Array(lowercaseHex(bytes))
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
    }
}
