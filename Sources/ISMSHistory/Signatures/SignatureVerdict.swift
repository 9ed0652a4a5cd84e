import ISMSCore
import ISMSModel

/// What isms found about one commit's signature: the `signature` object of the history JSON contracts.
public struct SignatureVerdict: Sendable, Hashable, Encodable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// The commit carries no signature.
        case unsigned
        /// The signature verifies and its key is trusted for the commit's time.
        case good
        /// The signature is damaged, refused (SHA-1 RSA, wrong namespace) or does not verify over the commit.
        case bad
        /// The signature verifies but its key is not trusted at the trust revision.
        case unknownKey = "unknown-key"
        /// The key is trusted, but not at the commit's time (valid-before passed, valid-after not yet reached),
        /// or the OpenPGP key has expired or was revoked.
        case expiredKey = "expired-key"
        /// The signature was not checked: gpg is not installed, or the format or key type is not supported.
        case notVerified = "not-verified"
    }

    public enum Format: String, Sendable, Hashable, Codable {
        case ssh, openpgp
        /// S/MIME signatures (gpgsm); never verified.
        case x509
    }

    public var status: Status
    /// Nil when unsigned or when the signature is not of a known kind.
    @NullEncoded public var format: Format?
    /// The allowed-signers principal (or the OpenPGP user id's e-mail) that the key is trusted as.
    @NullEncoded public var principal: String?
    /// The key's fingerprint: `SHA256:…` for SSH keys (as ssh-keygen prints it), the hexadecimal fingerprint
    /// for OpenPGP keys.
    @NullEncoded public var key: String?
    /// Why the status is what it is, for people (not part of the JSON contract).
    public var reason: String?

    public init(status: Status, format: Format? = nil, principal: String? = nil, key: String? = nil, reason: String? = nil) {
        self.status = status
        self.format = format
        self.principal = principal
        self.key = key
        self.reason = reason
    }

    public static let unsigned = SignatureVerdict(status: .unsigned)

    private static let malformedReason = "the commit has duplicated headers: "

    /// A commit object with duplicated `author`, `committer` or `gpgsig` headers, signed or not: `bad`, because git
    /// and other tools read such an object in different ways, and a signature can only vouch for one reading.
    public static func malformed(duplicatedHeaders: [String]) -> SignatureVerdict {
        SignatureVerdict(status: .bad, reason: malformedReason + duplicatedHeaders.joined(separator: ", "))
    }

    /// Whether the verdict is `bad` because the commit is malformed rather than its signature (the reason, which the
    /// signature cache keeps, says so).
    public var isMalformedCommit: Bool { status == .bad && (reason?.hasPrefix(Self.malformedReason) ?? false) }

    public var isGood: Bool { status == .good }

    /// The roster key of the person the principal names: the principal is that person's e-mail (compared
    /// without regard to case), or is the key itself.
    public func person(in people: [String: Person]) -> String? {
        guard let principal else { return nil }
        if people[principal] != nil { return principal }
        let lowered = principal.lowercased()
        return people.values.filter { $0.email?.lowercased() == lowered }.map(\.key).sorted().first
    }

    /// The short mark of the text outputs: `✓alice` (good, with the roster key or the principal), `✗bad`,
    /// `✗expired`, `?unknown`, `?unverified`, `-` (unsigned).
    public func mark(people: [String: Person] = [:]) -> String {
        switch status {
        case .unsigned: return "-"
        case .good: return "✓" + (person(in: people) ?? principal ?? key ?? "good")
        case .bad: return "✗bad"
        case .expiredKey: return "✗expired"
        case .unknownKey: return "?unknown"
        case .notVerified: return "?unverified"
        }
    }

    /// The JSON contract: exactly `status`, `format`, `principal` and `key`, each present (null when absent);
    /// `reason` is for people only.
    package enum CodingKeys: String, CodingKey { case status, format, principal, key }
}
