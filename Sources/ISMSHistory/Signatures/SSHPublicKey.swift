import Crypto
import Foundation
import ISMSModel
import _CryptoExtras

/// An SSH public key parsed from its wire blob (the base64 part of `ssh-ed25519 AAAA…`), able to check an SSH
/// signature blob. Ed25519, ECDSA over NIST P-256, P-384 and P-521, and RSA with SHA-2 are verified here,
/// with swift-crypto; every other key type is recognised and refused with its name.
package struct SSHPublicKey {
    package enum Algorithm {
        case ed25519(Curve25519.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey, modulusBytes: Int)
    }

    /// A key of a type this build does not verify (security keys, DSA, certificates): the signature is not-verified.
    package struct Unsupported: Error, CustomStringConvertible {
        package let type: String
        package var description: String { "\(type) keys are not supported" }
    }

    /// The type name inside the blob: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …
    package let type: String
    /// The blob exactly as given: two keys are the same key when their blobs are equal.
    package let blob: [UInt8]
    package let algorithm: Algorithm

    package static let supportedTypes: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    ]

    /// Parses a key blob. Throws `SSHWireReader.Malformed` for a damaged blob, `Unsupported` for another key type.
    package init(blob: [UInt8]) throws {
        var reader = SSHWireReader(blob)
        let type = try reader.text("the key type")
        self.type = type
        self.blob = blob
        switch type {
        case "ssh-ed25519":
            let raw = try reader.string("the Ed25519 key")
            guard raw.count == 32 else { throw SSHWireReader.Malformed(description: "an Ed25519 key has 32 bytes, not \(raw.count)") }
            algorithm = .ed25519(try Self.make { try Curve25519.Signing.PublicKey(rawRepresentation: raw) })
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
            let curve = try reader.text("the curve name")
            guard "ecdsa-sha2-" + curve == type else {
                throw SSHWireReader.Malformed(description: "an \(type) key names the curve \(curve)")
            }
            let point = try reader.string("the ECDSA point")
            switch curve {
            case "nistp256": algorithm = .p256(try Self.make { try P256.Signing.PublicKey(x963Representation: point) })
            case "nistp384": algorithm = .p384(try Self.make { try P384.Signing.PublicKey(x963Representation: point) })
            default: algorithm = .p521(try Self.make { try P521.Signing.PublicKey(x963Representation: point) })
            }
        case "ssh-rsa":
            let e = try reader.positiveInteger("the RSA exponent")
            let n = try reader.positiveInteger("the RSA modulus")
            // OpenSSH's own floor (SSH_RSA_MINIMUM_MODULUS_SIZE): shorter moduli are refused as keys.
            guard n.count * 8 >= 1024 else { throw SSHWireReader.Malformed(description: "an RSA key of \(n.count * 8) bits is too short") }
            algorithm = .rsa(try Self.make { try _RSA.Signing.PublicKey(n: n, e: e) }, modulusBytes: n.count)
        default:
            throw Unsupported(type: type)
        }
        try reader.requireEnd("the public key")
    }

    private static func make<T>(_ build: () throws -> T) throws -> T {
        do { return try build() } catch {
            throw SSHWireReader.Malformed(description: "not a valid public key (\(error))")
        }
    }

    /// `SHA256:` and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it.
    package var fingerprint: String { Self.fingerprint(of: blob) }

    package static func fingerprint(of blob: [UInt8]) -> String {
        var text = Data(Crypto.SHA256.hash(data: blob)).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    /// Checks an SSH signature blob (`string algorithm, string signature`) over `data`. Returns false for a
    /// signature that does not verify; throws `Malformed` for a damaged blob or an algorithm this key may not
    /// sign with (an RSA signature named `ssh-rsa` is SHA-1 and refused).
    package func verify(signature: [UInt8], over data: [UInt8]) throws -> Bool {
        var reader = SSHWireReader(signature)
        let name = try reader.text("the signature algorithm")
        let bytes = try reader.string("the signature")
        try reader.requireEnd("the signature")
        switch algorithm {
        case .ed25519(let key):
            try expect(name, "ssh-ed25519")
            guard bytes.count == 64 else {
                throw SSHWireReader.Malformed(description: "an Ed25519 signature has 64 bytes, not \(bytes.count)")
            }
            return key.isValidSignature(bytes, for: data)
        case .p256(let key):
            try expect(name, type)
            return key.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: Self.scalars(bytes, width: 32)), for: data)
        case .p384(let key):
            try expect(name, type)
            return key.isValidSignature(try P384.Signing.ECDSASignature(rawRepresentation: Self.scalars(bytes, width: 48)), for: data)
        case .p521(let key):
            try expect(name, type)
            return key.isValidSignature(try P521.Signing.ECDSASignature(rawRepresentation: Self.scalars(bytes, width: 66)), for: data)
        case .rsa(let key, let modulusBytes):
            if name == "ssh-rsa" {
                throw SSHWireReader.Malformed(
                    description: "the signature uses ssh-rsa (RSA with SHA-1), which is refused; sign with rsa-sha2-256 or rsa-sha2-512")
            }
            guard name == "rsa-sha2-256" || name == "rsa-sha2-512" else {
                throw SSHWireReader.Malformed(description: "an ssh-rsa key cannot make a \(name) signature")
            }
            // A signature shorter than the modulus lost leading zero bytes: put them back, as OpenSSH does.
            guard bytes.count <= modulusBytes else {
                throw SSHWireReader.Malformed(description: "the RSA signature is longer than the modulus")
            }
            let padded = _RSA.Signing.RSASignature(rawRepresentation: [UInt8](repeating: 0, count: modulusBytes - bytes.count) + bytes)
            if name == "rsa-sha2-256" {
                return key.isValidSignature(padded, for: Crypto.SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            }
            return key.isValidSignature(padded, for: Crypto.SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
        }
    }

    private func expect(_ name: String, _ expected: String) throws {
        guard name == expected else { throw SSHWireReader.Malformed(description: "a \(type) key cannot make a \(name) signature") }
    }

    /// An ECDSA signature's `mpint r, mpint s` as the fixed-width `r‖s` swift-crypto reads.
    private static func scalars(_ bytes: [UInt8], width: Int) throws -> [UInt8] {
        var reader = SSHWireReader(bytes)
        let r = try reader.positiveInteger("ECDSA r"), s = try reader.positiveInteger("ECDSA s")
        try reader.requireEnd("the ECDSA signature")
        guard r.count <= width, s.count <= width else {
            throw SSHWireReader.Malformed(description: "an ECDSA scalar is too long for the curve")
        }
        return [UInt8](repeating: 0, count: width - r.count) + r + [UInt8](repeating: 0, count: width - s.count) + s
    }
}
