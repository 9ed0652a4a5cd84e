import Crypto
import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// What a signature is trusted against: the allowed-signers file and the OpenPGP public keys as they are in a
/// trusted revision's tree — never in the change under review, so a pull request that adds its own key and
/// signs with it is `unknown-key`. The paths come from that same revision's isms.yaml (`allowed_signers`,
/// `openpgp_keys`), relative to the ISMS root.
public struct SignatureTrust: Sendable {
    /// The revision as the user named it (`origin/main`, `HEAD`), for messages.
    public let revision: String
    /// The commit it resolved to; nil when there is no commit yet (an empty repository) or no repository.
    public let commit: ObjectID?
    public let allowedSigners: AllowedSigners
    /// The paths read, relative to the ISMS root.
    public let allowedSignersPath: String
    public let openPGPKeysPath: String
    package let openPGPKeys: [(name: String, data: Data)]
    /// SHA-256 (hex) of everything trusted: cached verdicts are valid only for the same trust.
    public let fingerprint: String
    /// Lines of the allowed-signers file that were ignored, and other things people should know.
    public let notes: [String]

    public init(
        revision: String, commit: ObjectID?, allowedSignersPath: String, allowedSignersText: String?,
        openPGPKeysPath: String, openPGPKeys: [(name: String, data: Data)]
    ) {
        self.revision = revision
        self.commit = commit
        self.allowedSignersPath = allowedSignersPath
        self.openPGPKeysPath = openPGPKeysPath
        self.openPGPKeys = openPGPKeys.sorted { $0.name < $1.name }
        allowedSigners = allowedSignersText.map { AllowedSigners(text: $0, path: allowedSignersPath) } ?? AllowedSigners()
        var notes = allowedSigners.notes
        if allowedSignersText == nil {
            notes.append("no \(allowedSignersPath) at \(revision): no SSH key is trusted")
        }
        self.notes = notes
        var hash = Crypto.SHA256()
        hash.update(data: Array("allowed_signers\u{0}\(allowedSignersText ?? "\u{1}none")\u{0}".utf8))
        for key in self.openPGPKeys {
            hash.update(data: Array("openpgp\u{0}\(key.name)\u{0}\(key.data.count)\u{0}".utf8))
            hash.update(data: key.data)
        }
        fingerprint = hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// No key at all: every signature is unknown-key (used outside a repository and in tests).
    public static func empty(revision: String = "(none)") -> SignatureTrust {
        SignatureTrust(
            revision: revision, commit: nil, allowedSignersPath: Config.defaultAllowedSigners, allowedSignersText: "",
            openPGPKeysPath: Config.defaultOpenPGPKeys, openPGPKeys: [])
    }
}

extension Workspace {
    /// The trust as it is at `revision`: its isms.yaml names the allowed-signers file and the OpenPGP key
    /// folder (defaults when it has none), read from that commit's tree.
    public func signatureTrust(at revision: String) throws(ToolError) -> SignatureTrust {
        let (repository, prefix) = try requireRepository()
        let commit: ObjectID
        do { commit = try repository.resolveCommit(revision) } catch {
            throw .unknownRevision(revision, message: (error as? GitError)?.message ?? "\(error)")
        }
        do {
            let tree = try repository.treeOfCommit(commit)
            let root = try repository.subtree(of: tree, at: prefix)
            var signersPath = Config.defaultAllowedSigners, keysPath = Config.defaultOpenPGPKeys
            if let root, let config = try settings.config(inRoot: root, of: repository) {
                signersPath = config.allowedSigners
                keysPath = config.openPGPKeys
            }
            var signersText: String?
            var keys = [(name: String, data: Data)]()
            if let root {
                signersText = try repository.file(at: signersPath, below: root).map { String(decoding: $0, as: UTF8.self) }
                if let folder = try repository.subtree(of: root, at: keysPath) {
                    keys = try repository.keyFiles(below: folder, at: keysPath)
                }
            }
            return SignatureTrust(
                revision: revision, commit: commit, allowedSignersPath: signersPath, allowedSignersText: signersText,
                openPGPKeysPath: keysPath, openPGPKeys: keys)
        } catch {
            throw .git("reading the trusted keys at \(revision): \(error)", cause: error as? GitError)
        }
    }
}

extension Repository {
    /// Every regular file below the keys folder `folder` (at `folderPath` below the ISMS root), by path relative to it,
    /// with its bytes. A name that is not UTF-8 is refused (`UndecodableFileName`): two such names decode alike, so one
    /// key could stand in for another.
    package func keyFiles(below folder: ObjectID, at folderPath: String) throws -> [(name: String, data: Data)] {
        var keys = [(name: String, data: Data)]()
        for (path, entry) in try flattenTree(folder) where entry.mode == .file || entry.mode == .executable {
            if FileName.isUndecodable(path.string) { throw UndecodableFileName(path: folderPath + "/" + path.string) }
            keys.append((path.string, try readObject(entry.id)))
        }
        return keys
    }

    /// The content of the regular file at `path` (`/`-separated) below the tree `root`; nil when absent or not
    /// a regular file (a symbolic link is never followed).
    package func file(at path: String, below root: ObjectID) throws -> Data? {
        let components = path.pathComponents().filter { $0 != "." }
        guard let name = components.last, !components.contains("..") else { return nil }
        guard let folder = try subtree(of: root, at: components.dropLast().joined(separator: "/")) else { return nil }
        // Byte for byte, as git tells files apart: `==` on names is canonical equivalence, so `é` found a file spelled
        // `e` + U+0301 listed before it.
        guard let entry = try self.entry(named: String(name), in: folder),
            entry.mode == .file || entry.mode == .executable
        else { return nil }
        // Settings and key files are small: one over the limit is read as absent, never inflated.
        guard try objectSize(entry.id) <= Limits.configBytes else { return nil }
        return try readObject(entry.id)
    }
}
