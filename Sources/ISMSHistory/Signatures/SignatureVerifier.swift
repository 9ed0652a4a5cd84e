import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// Verifies commit signatures against one `SignatureTrust`: SSH signatures natively, OpenPGP ones through gpg.
/// Verdicts are remembered for the run and kept in a cache under the git folder (`SignatureCache`), keyed by
/// commit id and the trust's fingerprint. Not thread-safe: use from one thread, like the repository.
public final class SignatureVerifier {
    public let trust: SignatureTrust
    private let repository: Repository?
    private var verdicts: [ObjectID: SignatureVerdict] = [:]
    private var cache: SignatureCache?
    private var openPGP: OpenPGPVerifier?
    private let gpgProgram: String?
    /// Reasons OpenPGP signatures went unverified, with how many.
    private var unverified: [String: Int] = [:]
    /// Whether any SSH signature was judged: only then are notes about the allowed-signers file worth showing.
    private var sawSSH = false
    /// Whether a verdict of this run could not be reached (gpg missing, an unsupported key): such a verdict depends
    /// on the machine, so neither it nor a result drawn from it is kept in a cache.
    package private(set) var reachedNotVerified = false
    /// Whether this run's verdicts are remembered, so a commit asked about again is not read again. A caller that
    /// asks about each commit once (`isms log` as it streams) turns it off: on a million commits the verdicts alone
    /// held hundreds of megabytes.
    package var remembersVerdicts = true
    /// Verdicts shared with the other verifiers of this process that trust the same keys (the head's and the merge
    /// base's checks of `check --base`, which run side by side), read as the cache file is read; nil: none.
    private let shared: SharedVerdicts?

    /// `cachePath` nil: no cache. `gpg` overrides where gpg is looked for (nil: on PATH).
    public init(trust: SignatureTrust, repository: Repository?, cachePath: String? = nil, gpg: String? = nil) {
        self.trust = trust
        self.repository = repository
        gpgProgram = gpg
        shared = nil
        if let cachePath { cache = SignatureCache(path: cachePath, trust: trust.fingerprint) }
    }

    /// A verifier that shares its verdicts with the others made with `shared`.
    package init(trust: SignatureTrust, repository: Repository?, cachePath: String?, shared: SharedVerdicts) {
        self.trust = trust
        self.repository = repository
        gpgProgram = nil
        self.shared = shared
        if let cachePath { cache = SignatureCache(path: cachePath, trust: trust.fingerprint) }
    }

    /// The verdict for a commit of the repository. A commit that cannot be read is `bad`, with the reason.
    /// `carriesSignature` false (the history saw no signature header when it read the commit) spares reading
    /// the commit again: it is unsigned.
    public func verdict(for commit: ObjectID, carriesSignature: Bool? = nil) -> SignatureVerdict {
        if let known = verdicts[commit] { return known }
        // Another verifier's verdict counts as one read from the cache file: the same verdict, and the same notes.
        if let cached = cache?.verdict(for: commit) ?? shared?.verdict(for: commit, trust: trust.fingerprint) {
            if remembersVerdicts { verdicts[commit] = cached }
            if cached.format == .ssh { sawSSH = true }
            return cached
        }
        let verdict: SignatureVerdict
        if carriesSignature == false {
            verdict = .unsigned
        } else if let repository, let object = try? repository.readObject(commit) {
            verdict = self.verdict(forObject: Array(object))
        } else {
            verdict = SignatureVerdict(status: .bad, reason: "the commit object cannot be read")
        }
        if remembersVerdicts { verdicts[commit] = verdict }
        // A verdict that depends on the machine (gpg missing) is not kept.
        if verdict.status != .notVerified {
            cache?.store(verdict, for: commit)
            shared?.remember(verdict, for: commit, trust: trust.fingerprint)
        } else {
            reachedNotVerified = true
        }
        return verdict
    }

    /// The verdict already known for `commit` (this run's, or the signature cache's), when asking `verdict(for:)`
    /// would return it without reading or verifying anything and without changing what the run reports: an SSH
    /// verdict from the cache counts as unknown here, because reading it marks the run as having seen SSH
    /// signatures (which decides the notes about the allowed-signers file). Nothing is remembered.
    package func knownVerdict(for commit: ObjectID) -> SignatureVerdict? {
        if let known = verdicts[commit] { return known }
        guard let cached = cache?.verdict(for: commit) ?? shared?.verdict(for: commit, trust: trust.fingerprint), cached.format != .ssh
        else { return nil }
        return cached
    }

    /// The verdict for the raw bytes of a commit object.
    public func verdict(forObject object: [UInt8]) -> SignatureVerdict {
        let signed = SignedCommit(object: object)
        // Judged before the signature, so a duplicated header is never read one way here and another by git.
        guard signed.duplicatedHeaders.isEmpty else { return .malformed(duplicatedHeaders: signed.duplicatedHeaders) }
        guard let signature = signed.signature else { return .unsigned }
        let armor = signature.drop { $0 == " " || $0 == "\n" }
        if armor.hasPrefix(SSHSignature.armorBegin) {
            sawSSH = true
            return Self.verifySSH(
                signature, payload: signed.payload, time: signed.committerTime, committer: signed.committerEmail,
                signers: trust.allowedSigners)
        }
        if armor.hasPrefix("-----BEGIN PGP SIGNATURE-----") {
            if openPGP == nil { openPGP = OpenPGPVerifier(keys: trust.openPGPKeys, gpg: gpgProgram) }
            let verdict = openPGP!.verify(signature: signature, payload: signed.payload)
            if verdict.status == .notVerified { unverified[verdict.reason ?? "unknown reason", default: 0] += 1 }
            return verdict
        }
        if armor.hasPrefix("-----BEGIN SIGNED MESSAGE-----") {
            let reason = "X.509 (gpgsm) signatures are not verified"
            unverified[reason, default: 0] += 1
            return SignatureVerdict(status: .notVerified, format: .x509, reason: reason)
        }
        return SignatureVerdict(status: .bad, reason: "the gpgsig header holds no signature of a known kind")
    }

    /// Writes the cache if this run added to it. Failing to write is not an error: the next run verifies again.
    @discardableResult
    public func saveCache() -> String? {
        do { try cache?.save() } catch { return "cannot write the signature cache: \(error)" }
        return nil
    }

    /// Notes for standard error: ignored allowed-signers lines (once an SSH signature was judged), unverified
    /// OpenPGP signatures.
    public var notes: [String] {
        (sawSSH ? trust.notes : [])
            + unverified.sorted { $0.key < $1.key }.map { reason, count in
                "\(count) signature\(count == 1 ? "" : "s") not verified: \(reason)"
            }
    }

    // MARK: SSH

    /// An SSHSIG signature over `payload`: well-formed, namespace git, verified by the key it names, that key
    /// trusted for git and valid at `time` (the committer's time).
    package static func verifySSH(
        _ armored: String, payload: [UInt8], time: Int64?, committer: String?,
        signers: AllowedSigners
    ) -> SignatureVerdict {
        let signature: SSHSignature
        do { signature = try SSHSignature(armored: armored) } catch {
            return SignatureVerdict(status: .bad, format: .ssh, reason: "malformed SSH signature: \(error)")
        }
        let fingerprint = SSHPublicKey.fingerprint(of: signature.publicKey)
        func bad(_ reason: String) -> SignatureVerdict {
            SignatureVerdict(status: .bad, format: .ssh, key: fingerprint, reason: reason)
        }
        guard signature.namespace == "git" else { return bad("the signature's namespace is '\(signature.namespace)', not 'git'") }
        let key: SSHPublicKey
        do { key = try SSHPublicKey(blob: signature.publicKey) } catch let unsupported as SSHPublicKey.Unsupported {
            return SignatureVerdict(status: .notVerified, format: .ssh, key: fingerprint, reason: unsupported.description)
        } catch {
            return bad("malformed SSH public key: \(error)")
        }
        do {
            guard try key.verify(signature: signature.signature, over: signature.signedData(for: payload)) else {
                return bad("the signature does not match the commit")
            }
        } catch {
            return bad("\(error)")
        }
        let entries = signers.entries(forKey: signature.publicKey)
        guard !entries.isEmpty else {
            return SignatureVerdict(
                status: .unknownKey, format: .ssh, key: fingerprint,
                reason: "the key is not in the allowed signers for git")
        }
        guard let time else {
            return SignatureVerdict(status: .bad, format: .ssh, key: fingerprint, reason: "the commit has no committer time")
        }
        let valid = entries.filter { $0.isValid(at: time) }
        guard !valid.isEmpty else {
            return SignatureVerdict(
                status: .expiredKey, format: .ssh, principal: principal(of: entries, committer: committer),
                key: fingerprint, reason: "the key was not valid at the commit's time")
        }
        return SignatureVerdict(status: .good, format: .ssh, principal: principal(of: valid, committer: committer), key: fingerprint)
    }

    /// The principal a key is trusted as. A line can name several principals, some of them patterns: the
    /// committer's address when a principal is it or matches it (as `ssh-keygen -Y verify -I committer` would
    /// accept), else the first literal principal, else the first pattern.
    package static func principal(of entries: [AllowedSigners.Entry], committer: String?) -> String? {
        let principals = entries.flatMap(\.principals)
        if let committer, !committer.isEmpty, PatternList.matches(committer, principals) {
            return committer
        }
        return principals.first { !PatternList.isPattern($0) } ?? principals.first
    }
}

/// The verdicts made by the verifiers of one process, per trust fingerprint, as the signature cache keeps them (never
/// one that depends on the machine: `notVerified`). `check --base` judges the merge base beside the head with the same
/// trust: each commit is verified once.
package final class SharedVerdicts: Sendable {
    private let verdicts = Locked<[String: [ObjectID: SignatureVerdict]]>([:])

    package init() {}

    package func verdict(for commit: ObjectID, trust: String) -> SignatureVerdict? {
        verdicts.withLock { $0[trust]?[commit] }
    }

    package func remember(_ verdict: SignatureVerdict, for commit: ObjectID, trust: String) {
        verdicts.withLock { $0[trust, default: [:]][commit] = verdict }
    }
}
