import CLibGit2

/// A git object id (SHA-1), copied out of libgit2 memory at once.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Twenty bytes held as three words keeps the value trivially copyable and cheap to hash.
    package let a: UInt64, b: UInt64, c: UInt32

    package init(_ raw: UnsafePointer<git_oid>) {
        var copy = raw.pointee
        var words: (UInt64, UInt64, UInt32) = (0, 0, 0)
        withUnsafeBytes(of: &copy.id) { src in
            withUnsafeMutableBytes(of: &words) { dst in
                dst.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: 20)
            }
        }
        (a, b, c) = words
    }

    package init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= 20)
        var words: (UInt64, UInt64, UInt32) = (0, 0, 0)
        withUnsafeMutableBytes(of: &words) { dst in
            dst.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: 20)
        }
        (a, b, c) = words
    }

    /// Parses 40 hexadecimal digits; nil for anything else.
    public init?(hex: String) {
        self.init(hexDigits: hex.utf8)
    }

    /// Parses 40 hexadecimal digits given as bytes; nil for anything else.
    public init?<Digits: Collection<UInt8>>(hexDigits: Digits) {
        guard hexDigits.count == 40 else { return nil }
        var words: (UInt64, UInt64, UInt32) = (0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &words) { raw -> Bool in
            var digit = hexDigits.makeIterator()
            for i in 0..<20 {
                guard let hi = digit.next().flatMap(Self.nibble), let lo = digit.next().flatMap(Self.nibble) else { return false }
                raw[i] = hi << 4 | lo
            }
            return true
        }
        guard parsed else { return nil }
        (a, b, c) = words
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    package var gitOID: git_oid {
        var oid = git_oid()
        var words = (a, b, c)
        withUnsafeBytes(of: &words) { src in
            withUnsafeMutableBytes(of: &oid.id) { dst in
                dst.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: 20)
            }
        }
        return oid
    }

    /// The id's 20 bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var words = (a, b, c)
        return try withUnsafeBytes(of: &words) { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(20))) }
    }

    public var hex: String {
        var out = [UInt8]()
        out.reserveCapacity(40)
        appendHex(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 40 lowercase hexadecimal digits to `out`.
    public func appendHex(to out: inout [UInt8]) {
        var words = (a, b, c)
        withUnsafeBytes(of: &words) { raw in
            for byte in raw.prefix(20) {
                out.append(Self.hexDigits[Int(byte >> 4)])
                out.append(Self.hexDigits[Int(byte & 0xF)])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public var description: String { hex }
    public var short: String { String(hex.prefix(10)) }

    /// Byte order, the same as the order of the hexadecimal spelling (the words hold the bytes in memory order).
    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        if lhs.a != rhs.a { return UInt64(bigEndian: lhs.a) < UInt64(bigEndian: rhs.a) }
        if lhs.b != rhs.b { return UInt64(bigEndian: lhs.b) < UInt64(bigEndian: rhs.b) }
        return UInt32(bigEndian: lhs.c) < UInt32(bigEndian: rhs.c)
    }
}
