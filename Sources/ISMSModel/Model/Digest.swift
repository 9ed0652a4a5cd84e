import Crypto
import Foundation

/// swift-crypto's SHA-256 under its plain name in every file of the module, so callers need no `import Crypto`.
package typealias SHA256 = Crypto.SHA256

extension Crypto.SHA256 {
    /// What the validator accepts for a `sha256` field, as a regular expression for JSON Schema.
    package static let hexPattern = "^[0-9a-f]{64}$"

    /// The digest of `data` as 64 lower-case hexadecimal digits: how evidence records and cache keys spell it.
    package static func hex(_ data: Data) -> String {
        lowercaseHex(hash(data: data))
    }
}

/// Bytes as lower-case hexadecimal digits, two per byte.
package func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
