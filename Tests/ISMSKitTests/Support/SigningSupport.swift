import Foundation
import XCTest

/// A real SSH key pair made with ssh-keygen in a temporary folder.
final class SSHKey: @unchecked Sendable {
    /// The folder of a key made for one test, removed with the key; nil for the shared keys.
    let folder: TemporaryFolder?
    let privateKey: String
    /// `ssh-ed25519 AAAA… comment`
    let publicLine: String
    /// `SHA256:…` as ssh-keygen prints it.
    let fingerprint: String
    static let keygen = "/usr/bin/ssh-keygen"

    /// `type` is ssh-keygen's -t (`ed25519`, `ecdsa`, `rsa`); `bits` its -b.
    init(_ type: String, bits: Int? = nil, comment: String = "test", in directory: String? = nil) {
        let folder = directory == nil ? TemporaryFolder("isms-key") : nil
        self.folder = folder
        privateKey = (directory ?? folder!.path) + "/id-\(type)-\(bits ?? 0)-\(comment)"
        var arguments = ["-q", "-t", type, "-N", "", "-C", comment, "-f", privateKey]
        if let bits { arguments += ["-b", String(bits)] }
        let made = runProcess(Self.keygen, arguments)
        precondition(made.status == 0, "ssh-keygen failed: \(made.stderr)")
        publicLine = try! String(contentsOfFile: privateKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let listed = runProcess(Self.keygen, ["-l", "-E", "sha256", "-f", privateKey + ".pub"])
        fingerprint = String(listed.stdout.split(separator: " ")[1])
    }

    /// A key made before, read from its file.
    private init(existing privateKey: String) {
        folder = nil
        self.privateKey = privateKey
        publicLine = try! String(contentsOfFile: privateKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let listed = runProcess(Self.keygen, ["-l", "-E", "sha256", "-f", privateKey + ".pub"])
        precondition(listed.status == 0, "ssh-keygen -l failed: \(listed.stderr)")
        fingerprint = String(listed.stdout.split(separator: " ")[1])
    }

    /// The key of this type and comment shared by every test process (`SharedFixtures`): ssh-keygen runs once
    /// for it, not once per test.
    static func shared(_ type: String, bits: Int? = nil, comment: String = "test") -> SSHKey {
        let name = "ssh-\(type)-\(bits ?? 0)-\(comment)"
        let folder = try! SharedFixtures.folder(name) { _ = SSHKey(type, bits: bits, comment: comment, in: $0) }
        return SSHKey(existing: folder + "/id-\(type)-\(bits ?? 0)-\(comment)")
    }

    /// `type base64` without the comment.
    var publicKey: String { publicLine.split(separator: " ").prefix(2).joined(separator: " ") }

    /// An allowed-signers line for `principal`, with `options` (such as `valid-before="20200101"`).
    func allowedSigner(_ principal: String, options: String? = nil) -> String {
        [principal, options, publicKey].compactMap { $0 }.joined(separator: " ")
    }
}

/// Keys shared by the tests of a run (`SSHKey.shared`): ssh-keygen is quick, but RSA keys take a moment.
/// Made on first use, read from the shared fixtures after that.
enum TestKeys {
    static let ed25519 = SSHKey.shared("ed25519")
    static let p256 = SSHKey.shared("ecdsa", bits: 256)
    static let p384 = SSHKey.shared("ecdsa", bits: 384)
    static let p521 = SSHKey.shared("ecdsa", bits: 521)
    static let rsa = SSHKey.shared("rsa", bits: 3072)
    static let stranger = SSHKey.shared("ed25519", comment: "stranger")

    private static let lock = NSLock()
    nonisolated(unsafe) private static var named = [String: SSHKey]()

    /// The Ed25519 key of `person` (alice, bob, mallory…), shared by every test: the rule examples' histories
    /// sign with these instead of running ssh-keygen for each example. Each example still writes its own
    /// allowed-signers file, so what one example trusts never leaks into another.
    static func person(_ person: String) -> SSHKey {
        lock.lock()
        defer { lock.unlock() }
        if let key = named[person] { return key }
        let key = SSHKey.shared("ed25519", comment: "person-" + person)
        named[person] = key
        return key
    }
}

/// An OpenPGP key made with gpg in its own temporary GNUPGHOME (never the user's).
final class OpenPGPKey {
    let home: TemporaryFolder
    let fingerprint: String
    let armoredPublicKey: String
    static let gpg = "/usr/bin/gpg"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: gpg) }

    init(_ uid: String) {
        home = TemporaryFolder("isms-gnupg")
        let env = ["GNUPGHOME": home.path]
        let made = runProcess(
            Self.gpg, ["--batch", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never"], environment: env)
        precondition(made.status == 0, "gpg --quick-gen-key failed: \(made.stderr)")
        let listed = runProcess(Self.gpg, ["--batch", "--with-colons", "--list-keys", uid], environment: env)
        fingerprint =
            listed.stdout.split(separator: "\n").first { $0.hasPrefix("fpr:") }!.split(separator: ":", omittingEmptySubsequences: false)[9]
            .description
        armoredPublicKey = runProcess(Self.gpg, ["--batch", "--armor", "--export", fingerprint], environment: env).stdout
    }

    deinit {
        // Stop the agent gpg started for key generation in this home.
        runProcess("/usr/bin/gpgconf", ["--kill", "all"], environment: ["GNUPGHOME": home.path])
    }
}

extension GitRepository {
    /// Commits signed with an SSH key through git's own signing (`gpg.format=ssh`, `user.signingkey=KEYFILE`).
    @discardableResult
    func commitSigned(_ message: String, by author: Person = .alice, at date: String, key: SSHKey) -> String {
        commitEverything(
            ["-S", "-m", message], configuration: ["-c", "gpg.format=ssh", "-c", "user.signingkey=\(key.privateKey)"],
            environment: identity(author, date))
    }

    /// Commits signed with an OpenPGP key through gpg, from the key's own GNUPGHOME.
    @discardableResult
    func commitSigned(_ message: String, by author: Person = .alice, at date: String, openPGP key: OpenPGPKey) -> String {
        var env = identity(author, date)
        env["GNUPGHOME"] = key.home.path
        return commitEverything(
            ["-S", "-m", message], configuration: ["-c", "gpg.format=openpgp", "-c", "user.signingkey=\(key.fingerprint)"],
            environment: env)
    }

    func identity(_ author: Person, _ date: String) -> [String: String] {
        [
            "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email, "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email, "GIT_COMMITTER_DATE": date,
        ]
    }

    /// Rewrites commit `id` with `edit` applied to its raw object (signature kept) and points `branch` at the
    /// result: a tampered commit.
    @discardableResult
    func rewriteCommit(_ id: String, as branch: String, _ edit: (String) -> String) -> String {
        let raw = runProcess(Self.git, ["cat-file", "commit", id], in: path).stdout
        let written = runProcess(Self.git, ["hash-object", "-t", "commit", "-w", "--stdin"], in: path, stdin: edit(raw))
        XCTAssertEqual(written.status, 0, written.stderr)
        let newID = written.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        git("update-ref", "refs/heads/" + branch, newID)
        return newID
    }
}
