/// The SSH wire encoding (RFC 4251 §5) as SSHSIG and public-key blobs use it: big-endian `uint32`, `string`
/// (a length and that many bytes) and `mpint` (a two's-complement big-endian integer in a string).
package struct SSHWireReader {
    package struct Malformed: Error, CustomStringConvertible {
        package let description: String
    }

    private let bytes: [UInt8]
    private var offset = 0

    package init(_ bytes: [UInt8]) { self.bytes = bytes }
    package init(_ bytes: ArraySlice<UInt8>) { self.bytes = Array(bytes) }

    package var isAtEnd: Bool { offset == bytes.count }
    package var remaining: Int { bytes.count - offset }

    package mutating func raw(_ count: Int, _ what: String) throws -> [UInt8] {
        guard count >= 0, count <= remaining else { throw Malformed(description: "\(what) is cut short") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    package mutating func uint32(_ what: String) throws -> UInt32 {
        let b = try raw(4, what)
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    package mutating func string(_ what: String) throws -> [UInt8] {
        let length = try uint32(what)
        guard length <= UInt32(remaining) else { throw Malformed(description: "\(what) is longer than what is left") }
        return try raw(Int(length), what)
    }

    /// A string that must be UTF-8 text (names of algorithms, namespaces).
    package mutating func text(_ what: String) throws -> String {
        let raw = try string(what)
        guard let text = String(validating: raw, as: UTF8.self) else { throw Malformed(description: "\(what) is not UTF-8") }
        return text
    }

    /// A non-negative mpint's magnitude without leading zero bytes. Negative values are refused, as OpenSSH does.
    package mutating func positiveInteger(_ what: String) throws -> [UInt8] {
        let raw = try string(what)
        if let first = raw.first, first & 0x80 != 0 { throw Malformed(description: "\(what) is negative") }
        return Array(raw.drop { $0 == 0 })
    }

    /// Fails unless everything was read: bytes after the parsed structure make it a different structure.
    package func requireEnd(_ what: String) throws {
        guard isAtEnd else { throw Malformed(description: "\(remaining) unexpected bytes after \(what)") }
    }
}

/// Builds SSH wire data.
package struct SSHWireWriter {
    package var bytes = [UInt8]()

    package mutating func raw(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    package mutating func uint32(_ value: UInt32) {
        bytes.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    package mutating func string(_ data: some Collection<UInt8>) {
        uint32(UInt32(data.count))
        bytes.append(contentsOf: data)
    }

    package mutating func string(_ text: String) { string(Array(text.utf8)) }
}
