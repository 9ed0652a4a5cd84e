import Crypto
import Foundation
import ISMSModel

/// An SSHSIG signature (OpenSSH PROTOCOL.sshsig), the format git writes with `gpg.format=ssh`:
///
///     "SSHSIG" · uint32 version (1) · string publickey · string namespace · string reserved
///              · string hash_algorithm (sha256 | sha512) · string signature
///
/// The signature covers "SSHSIG" · string namespace · string reserved · string hash_algorithm · string H(message).
package struct SSHSignature: Sendable {
    package static let armorBegin = "-----BEGIN SSH SIGNATURE-----"
    package static let armorEnd = "-----END SSH SIGNATURE-----"
    package static let magic = Array("SSHSIG".utf8)

    package let publicKey: [UInt8]
    package let namespace: String
    package let reserved: [UInt8]
    package let hashAlgorithm: String
    package let signature: [UInt8]

    /// Reads the armored text (`-----BEGIN SSH SIGNATURE-----`, base64 lines, `-----END SSH SIGNATURE-----`).
    /// Anything else, a version other than 1, an unknown hash or bytes after the structure is `Malformed`.
    package init(armored text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        var body = lines.drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        while let last = body.last, last.trimmingCharacters(in: .whitespaces).isEmpty { body.removeLast() }
        guard body.first == Substring(Self.armorBegin) else { throw SSHWireReader.Malformed(description: "no \(Self.armorBegin) line") }
        guard body.count >= 2, body.last == Substring(Self.armorEnd) else {
            throw SSHWireReader.Malformed(description: "no \(Self.armorEnd) line at the end")
        }
        let base64 = body.dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        guard let decoded = Data(base64Encoded: base64) else { throw SSHWireReader.Malformed(description: "the signature is not base64") }
        try self.init(blob: Array(decoded))
    }

    package init(blob: [UInt8]) throws {
        var reader = SSHWireReader(blob)
        guard try reader.raw(Self.magic.count, "the SSHSIG preamble") == Self.magic else {
            throw SSHWireReader.Malformed(description: "no SSHSIG preamble")
        }
        let version = try reader.uint32("the version")
        guard version == 1 else { throw SSHWireReader.Malformed(description: "SSHSIG version \(version) is not 1") }
        publicKey = try reader.string("the public key")
        namespace = try reader.text("the namespace")
        reserved = try reader.string("the reserved field")
        hashAlgorithm = try reader.text("the hash algorithm")
        signature = try reader.string("the signature")
        try reader.requireEnd("the SSHSIG structure")
        guard hashAlgorithm == "sha256" || hashAlgorithm == "sha512" else {
            throw SSHWireReader.Malformed(description: "hash algorithm \(hashAlgorithm) is neither sha256 nor sha512")
        }
    }

    /// The bytes the key signed for `message`.
    package func signedData(for message: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.raw(Self.magic)
        writer.string(namespace)
        writer.string(reserved)
        writer.string(hashAlgorithm)
        if hashAlgorithm == "sha512" {
            writer.string(Array(Crypto.SHA512.hash(data: message)))
        } else {
            writer.string(Array(Crypto.SHA256.hash(data: message)))
        }
        return writer.bytes
    }
}
