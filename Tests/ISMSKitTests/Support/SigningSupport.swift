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

    /// `type base64` without the comment.
    var publicKey: String { publicLine.split(separator: " ").prefix(2).joined(separator: " ") }

    /// An allowed-signers line for `principal`, with `options` (such as `valid-before="20200101"`).
    func allowedSigner(_ principal: String, options: String? = nil) -> String {
        [principal, options, publicKey].compactMap { $0 }.joined(separator: " ")
    }
}

/// Keys shared by the tests of a run: ssh-keygen is quick, but RSA keys take a moment. Made on first use.
enum TestKeys {
    /// One folder for the shared keys, removed when the test process exits.
    static let folder: String = {
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("isms-keys-XXXXXX")
        var bytes = Array(template.utf8CString)
        let path = String(cString: bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }!)
        atexit { try? FileManager.default.removeItem(atPath: TestKeys.folder) }
        return path
    }()
    static let ed25519 = SSHKey("ed25519", in: folder)
    static let p256 = SSHKey("ecdsa", bits: 256, in: folder)
    static let p384 = SSHKey("ecdsa", bits: 384, in: folder)
    static let p521 = SSHKey("ecdsa", bits: 521, in: folder)
    static let rsa = SSHKey("rsa", bits: 3072, in: folder)
    static let stranger = SSHKey("ed25519", comment: "stranger", in: folder)
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
        let made = runProcess(Self.gpg, ["--batch", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never"], environment: env)
        precondition(made.status == 0, "gpg --quick-gen-key failed: \(made.stderr)")
        let listed = runProcess(Self.gpg, ["--batch", "--with-colons", "--list-keys", uid], environment: env)
        fingerprint = listed.stdout.split(separator: "\n").first { $0.hasPrefix("fpr:") }!.split(separator: ":", omittingEmptySubsequences: false)[9].description
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
        git("add", "-A")
        gitArguments(["-c", "gpg.format=ssh", "-c", "user.signingkey=\(key.privateKey)", "commit", "-q", "-S", "--allow-empty", "-m", message],
                     environment: identity(author, date))
        return git("rev-parse", "HEAD")
    }

    /// Commits signed with an OpenPGP key through gpg, from the key's own GNUPGHOME.
    @discardableResult
    func commitSigned(_ message: String, by author: Person = .alice, at date: String, openPGP key: OpenPGPKey) -> String {
        git("add", "-A")
        var env = identity(author, date)
        env["GNUPGHOME"] = key.home.path
        gitArguments(["-c", "gpg.format=openpgp", "-c", "user.signingkey=\(key.fingerprint)", "commit", "-q", "-S", "--allow-empty", "-m", message],
                     environment: env)
        return git("rev-parse", "HEAD")
    }

    func identity(_ author: Person, _ date: String) -> [String: String] {
        ["GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email, "GIT_AUTHOR_DATE": date,
         "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email, "GIT_COMMITTER_DATE": date]
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
