import Foundation
import ISMSKit
import XCTest

/// Commit signatures made by git itself with real keys, verified natively (SSH) or through gpg (OpenPGP).
final class SignatureTests: XCTestCase {
    static let ed25519 = TestKeys.ed25519
    static let p256 = TestKeys.p256
    static let p384 = TestKeys.p384
    static let p521 = TestKeys.p521
    static let rsa = TestKeys.rsa
    static let stranger = TestKeys.stranger

    /// A repository whose ISMS root is its top, with `signers` as .isms/allowed_signers, committed unsigned.
    func repository(signers: [String]) -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write(".isms/allowed_signers", "# who may sign\n" + signers.joined(separator: "\n") + "\n")
        repo.commit("Start the ISMS", at: "2026-01-05T10:00:00+01:00")
        return repo
    }

    func verifier(_ repo: GitRepository, trustAt revision: String = "HEAD", gpg: String? = nil, cache: String? = nil) throws
        -> SignatureVerifier
    {
        let workspace = try Workspace(explicitRoot: repo.path)
        return SignatureVerifier(
            trust: try workspace.signatureTrust(at: revision), repository: workspace.repository,
            cachePath: cache, gpg: gpg)
    }

    func verdict(_ repo: GitRepository, _ commit: String, trustAt revision: String = "HEAD", gpg: String? = nil) throws -> SignatureVerdict
    {
        try verifier(repo, trustAt: revision, gpg: gpg).verdict(for: XCTUnwrap(ObjectID(hex: commit)))
    }

    /// git's own verdict, with the same allowed signers taken from the work tree.
    func gitVerifies(_ repo: GitRepository, _ commit: String) -> Bool {
        runProcess(
            GitRepository.git, ["-c", "gpg.ssh.allowedSignersFile=\(repo.path)/.isms/allowed_signers", "verify-commit", commit],
            in: repo.path, environment: ["HOME": repo.path, "GIT_CONFIG_NOSYSTEM": "1"]
        ).status == 0
    }

    // MARK: SSH

    func testEd25519EcdsaAndRsaSignaturesAreGood() throws {
        let keys: [(String, SSHKey)] = [
            ("alice@example.com", Self.ed25519), ("bob@example.com", Self.p256),
            ("carol@example.com", Self.p384), ("dana@example.com", Self.p521), ("erin@example.com", Self.rsa),
        ]
        let repo = repository(signers: keys.map { $0.1.allowedSigner($0.0) })
        var commits = [(String, String, SSHKey)]()
        for (index, (principal, key)) in keys.enumerated() {
            repo.write("risks/risk-\(index).yaml", "id: RISK-\(index)\n")
            commits.append((repo.commitSigned("Risk \(index)", at: "2026-02-0\(index + 1)T10:00:00+01:00", key: key), principal, key))
        }
        let verifier = try verifier(repo)
        for (commit, principal, key) in commits {
            let verdict = verifier.verdict(for: try XCTUnwrap(ObjectID(hex: commit)))
            XCTAssertEqual(verdict.status, .good, "\(key.publicKey.prefix(20)): \(verdict.reason ?? "")")
            XCTAssertEqual(verdict.format, .ssh)
            XCTAssertEqual(verdict.principal, principal)
            XCTAssertEqual(verdict.key, key.fingerprint, "the fingerprint is ssh-keygen's")
            XCTAssertTrue(gitVerifies(repo, commit), "git agrees")
        }
        // The RSA key signs with rsa-sha2-512 by default; the hash is named by the signature, not the key.
        XCTAssertTrue(Self.rsa.publicKey.hasPrefix("ssh-rsa "))
    }

    func testATamperedCommitIsBad() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com")])
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntreatment: reduce\n")
        let signed = repo.commitSigned("Reduce RISK-1", at: "2026-02-01T10:00:00+01:00", key: Self.ed25519)
        let tampered = repo.rewriteCommit(signed, as: "tampered") { $0.replacingOccurrences(of: "Reduce RISK-1", with: "Accept RISK-1") }
        XCTAssertNotEqual(signed, tampered)
        XCTAssertEqual(try verdict(repo, signed).status, .good)
        let verdict = try verdict(repo, tampered)
        XCTAssertEqual(verdict.status, .bad)
        XCTAssertEqual(verdict.key, Self.ed25519.fingerprint)
        XCTAssertFalse(gitVerifies(repo, tampered), "git agrees")
        // A changed author date is just as bad.
        let redated = repo.rewriteCommit(signed, as: "redated") {
            $0.replacingOccurrences(of: "> 1769936400 +0100", with: "> 1769936401 +0100")
        }
        XCTAssertNotEqual(redated, signed)
        XCTAssertEqual(try self.verdict(repo, redated).status, .bad)
    }

    func testAKeyAbsentFromTheAllowedSignersIsUnknown() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com")])
        let commit = repo.commitSigned("Signed by a stranger", at: "2026-02-01T10:00:00+01:00", key: Self.stranger)
        let verdict = try verdict(repo, commit)
        XCTAssertEqual(verdict.status, .unknownKey)
        XCTAssertEqual(verdict.key, Self.stranger.fingerprint)
        XCTAssertNil(verdict.principal)
        XCTAssertEqual(verdict.mark(), "?unknown")
    }

    func testAKeyAddedInThePullRequestIsNotTrusted() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com")])
        repo.git("checkout", "-q", "-b", "pull-request")
        repo.write(
            ".isms/allowed_signers",
            Self.ed25519.allowedSigner("alice@example.com") + "\n" + Self.stranger.allowedSigner("mallory@example.com") + "\n")
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntreatment: accept\n")
        let commit = repo.commitSigned("Accept RISK-1, trust my own key", at: "2026-02-01T10:00:00+01:00", key: Self.stranger)
        XCTAssertEqual(try verdict(repo, commit, trustAt: "main").status, .unknownKey, "trust comes from the base, not the change")
        XCTAssertEqual(
            try verdict(repo, commit, trustAt: "pull-request").status, .good, "the branch trusts itself, which is why it is not asked")
    }

    func testAKeyOutsideItsValidityIsExpired() throws {
        let repo = repository(signers: [
            Self.ed25519.allowedSigner("alice@example.com", options: #"valid-before="20200101""#),
            Self.p256.allowedSigner("bob@example.com", options: "valid-after=20990101Z"),
            Self.p384.allowedSigner("carol@example.com", options: #"namespaces="git",valid-after="20260101",valid-before="202612312359Z""#),
        ])
        let old = repo.commitSigned("Past the key's end", at: "2026-02-01T10:00:00+01:00", key: Self.ed25519)
        let early = repo.commitSigned("Before the key's start", at: "2026-02-01T10:00:00+01:00", key: Self.p256)
        let inside = repo.commitSigned("Inside the key's life", at: "2026-02-01T10:00:00+01:00", key: Self.p384)
        let expired = try verdict(repo, old)
        XCTAssertEqual(expired.status, .expiredKey)
        XCTAssertEqual(expired.principal, "alice@example.com")
        XCTAssertEqual(expired.mark(), "✗expired")
        XCTAssertEqual(try verdict(repo, early).status, .expiredKey)
        XCTAssertEqual(try verdict(repo, inside).status, .good)
        XCTAssertFalse(gitVerifies(repo, old), "git agrees the expired key does not verify")
    }

    func testTheCommittersTimeDecidesValidity() throws {
        // valid-before is inclusive, and judged at the committer's time, not the author's or today.
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com", options: "valid-before=20260201100000Z")])
        let atTheEnd = repo.commitSigned("At the last second", at: "2026-02-01T10:00:00Z", key: Self.ed25519)
        let after = repo.commitSigned("One second late", at: "2026-02-01T10:00:01Z", key: Self.ed25519)
        XCTAssertEqual(try verdict(repo, atTheEnd).status, .good)
        XCTAssertEqual(try verdict(repo, after).status, .expiredKey)
    }

    func testAKeyAllowedOnlyForAnotherNamespaceIsUnknown() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com", options: #"namespaces="file""#)])
        let commit = repo.commitSigned("Signed", at: "2026-02-01T10:00:00+01:00", key: Self.ed25519)
        XCTAssertEqual(try verdict(repo, commit).status, .unknownKey)
    }

    func testAnUnsignedCommitWhoseMessageHasAGpgsigLineIsUnsigned() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com")])
        let signed = repo.commitSigned("A signed commit", at: "2026-02-01T10:00:00+01:00", key: Self.ed25519)
        let armor = runProcess(GitRepository.git, ["cat-file", "commit", signed], in: repo.path).stdout
        let header = armor.components(separatedBy: "\n\n")[0]
        let sig = header.components(separatedBy: "\ngpgsig ")[1]
        let commit = repo.commit("Not signed\n\ngpgsig " + sig + "\n", at: "2026-02-02T10:00:00+01:00")
        let verdict = try verdict(repo, commit)
        XCTAssertEqual(verdict, .unsigned)
        XCTAssertEqual(verdict.mark(), "-")
    }

    func testPrincipalPatternsResolveToTheCommitter() throws {
        let repo = repository(signers: ["*@example.com " + Self.ed25519.publicKey])
        let commit = repo.commitSigned("Signed", by: .bob, at: "2026-02-01T10:00:00+01:00", key: Self.ed25519)
        let verdict = try verdict(repo, commit)
        XCTAssertEqual(verdict.status, .good)
        XCTAssertEqual(verdict.principal, "bob@example.com")
        let people = ["bob": Person(key: "bob", name: "Bob", email: "Bob@Example.com", role: nil)]
        XCTAssertEqual(verdict.person(in: people), "bob")
        XCTAssertEqual(verdict.mark(people: people), "✓bob")
    }

    // MARK: Hand-made signatures

    /// The raw object of an unsigned commit with `signature` (armored, one line each) as its gpgsig header.
    func object(_ repo: GitRepository, _ commit: String, signature: String) -> [UInt8] {
        object(raw: runProcess(GitRepository.git, ["cat-file", "commit", commit], in: repo.path).stdout, signature: signature)
    }

    func object(raw: String, signature: String) -> [UInt8] {
        let parts = raw.components(separatedBy: "\n\n")
        var lines = signature.trimmingCharacters(in: .newlines).components(separatedBy: "\n")
        let first = lines.removeFirst()
        let header = "gpgsig " + first + lines.map { "\n " + $0 }.joined()
        return Array((parts[0] + "\n" + header + "\n\n" + parts.dropFirst().joined(separator: "\n\n")).utf8)
    }

    /// `ssh-keygen -Y sign` over the payload (the unsigned commit's object), in `namespace`.
    func sign(_ repo: GitRepository, _ commit: String, key: SSHKey, namespace: String = "git") -> String {
        let payload = runProcess(GitRepository.git, ["cat-file", "commit", commit], in: repo.path).stdout
        let folder = TemporaryFolder()
        folder.write("payload", payload)
        let result = runProcess(SSHKey.keygen, ["-Y", "sign", "-n", namespace, "-f", key.privateKey, folder.path + "/payload"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return folder.read("payload.sig")!
    }

    func reArmored(_ armored: String, _ edit: ([UInt8]) -> [UInt8]) -> String {
        let body = armored.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let blob = edit(Array(Data(base64Encoded: body)!))
        let encoded = Data(blob).base64EncodedString(options: [.lineLength76Characters]).replacingOccurrences(of: "\r\n", with: "\n")
        return "-----BEGIN SSH SIGNATURE-----\n" + encoded + "\n-----END SSH SIGNATURE-----\n"
    }

    func testASignatureMadeOutsideGitVerifiesWhenItsNamespaceIsGit() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com")])
        let commit = repo.commit("Unsigned", at: "2026-02-01T10:00:00+01:00")
        let verifier = try verifier(repo)
        XCTAssertEqual(verifier.verdict(forObject: object(repo, commit, signature: sign(repo, commit, key: Self.ed25519))).status, .good)
        let file = verifier.verdict(forObject: object(repo, commit, signature: sign(repo, commit, key: Self.ed25519, namespace: "file")))
        XCTAssertEqual(file.status, .bad)
        XCTAssertTrue(file.reason?.contains("namespace") ?? false, file.reason ?? "")
    }

    func testTrailingBytesAfterTheSignatureAreBad() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com"), Self.p256.allowedSigner("bob@example.com")])
        let commit = repo.commit("Unsigned", at: "2026-02-01T10:00:00+01:00")
        let verifier = try verifier(repo)
        for key in [Self.ed25519, Self.p256] {
            let good = sign(repo, commit, key: key)
            XCTAssertEqual(verifier.verdict(forObject: object(repo, commit, signature: reArmored(good) { $0 })).status, .good)
            let padded = verifier.verdict(forObject: object(repo, commit, signature: reArmored(good) { $0 + [0] }))
            XCTAssertEqual(padded.status, .bad)
            XCTAssertTrue(padded.reason?.contains("unexpected bytes") ?? false, padded.reason ?? "")
        }
        // A damaged armor or blob is bad, never a crash.
        for broken in [
            "-----BEGIN SSH SIGNATURE-----\nnot base64!\n-----END SSH SIGNATURE-----\n",
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n",
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n",
        ] {
            XCTAssertEqual(verifier.verdict(forObject: object(repo, commit, signature: broken)).status, .bad, broken)
        }
        XCTAssertEqual(verifier.verdict(forObject: object(repo, commit, signature: "garbage")).status, .bad)
    }

    func testEveryTruncationAndByteFlipOfASignatureIsRefusedWithoutACrash() throws {
        let repo = repository(signers: [
            Self.ed25519.allowedSigner("alice@example.com"), Self.p384.allowedSigner("carol@example.com"),
            Self.rsa.allowedSigner("erin@example.com"),
        ])
        let commit = repo.commit("Unsigned", at: "2026-02-01T10:00:00+01:00")
        let verifier = try verifier(repo)
        var seed: UInt64 = 42
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        let raw = runProcess(GitRepository.git, ["cat-file", "commit", commit], in: repo.path).stdout
        for key in [Self.ed25519, Self.p384, Self.rsa] {
            let good = sign(repo, commit, key: key)
            XCTAssertEqual(verifier.verdict(forObject: object(repo, commit, signature: good)).status, .good)
            let body = good.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            let blob = Array(Data(base64Encoded: body)!)
            for length in 0..<blob.count {
                let verdict = verifier.verdict(forObject: object(raw: raw, signature: reArmored(good) { _ in Array(blob.prefix(length)) }))
                XCTAssertEqual(verdict.status, .bad, "cut to \(length) bytes")
            }
            for _ in 0..<300 {
                let at = next() % blob.count, bit = UInt8(1) << UInt8(next() % 8)
                let verdict = verifier.verdict(
                    forObject: object(
                        raw: raw,
                        signature: reArmored(good) { bytes in
                            var bytes = bytes
                            bytes[at] ^= bit
                            return bytes
                        }))
                XCTAssertNotEqual(verdict.status, .good, "bit flipped at byte \(at)")
            }
        }
    }

    func testRSASignaturesWithSHA1AreRefused() throws {
        let repo = repository(signers: [Self.rsa.allowedSigner("erin@example.com")])
        let commit = repo.commit("Unsigned", at: "2026-02-01T10:00:00+01:00")
        let verifier = try verifier(repo)
        let good = sign(repo, commit, key: Self.rsa)
        XCTAssertEqual(verifier.verdict(forObject: object(repo, commit, signature: good)).status, .good)
        // Rename the signature's algorithm rsa-sha2-512 to ssh-rsa: refused before any arithmetic.
        let renamed = reArmored(good) { blob in
            var bytes = blob
            let name = Array("rsa-sha2-512".utf8)
            guard let at = (0...(bytes.count - name.count)).last(where: { Array(bytes[$0..<($0 + name.count)]) == name }) else {
                return bytes
            }
            bytes.replaceSubrange((at - 4)..<(at + name.count), with: [0, 0, 0, 7] + Array("ssh-rsa".utf8))
            // The enclosing signature string is 5 bytes shorter now.
            let sigLengthAt = at - 8
            let length =
                (Int(bytes[sigLengthAt]) << 24 | Int(bytes[sigLengthAt + 1]) << 16 | Int(bytes[sigLengthAt + 2]) << 8
                    | Int(bytes[sigLengthAt + 3])) - 5
            bytes.replaceSubrange(
                sigLengthAt..<(sigLengthAt + 4),
                with: [UInt8(length >> 24), UInt8(length >> 16 & 255), UInt8(length >> 8 & 255), UInt8(length & 255)])
            return bytes
        }
        let refused = verifier.verdict(forObject: object(repo, commit, signature: renamed))
        XCTAssertEqual(refused.status, .bad)
        XCTAssertTrue(refused.reason?.contains("SHA-1") ?? false, refused.reason ?? "")
    }

    // MARK: OpenPGP

    func testOpenPGPSignaturesAreVerifiedThroughGpg() throws {
        try XCTSkipUnless(OpenPGPKey.available, "gpg is not installed")
        let key = OpenPGPKey("Alice Example <alice@example.com>")
        let other = OpenPGPKey("Mallory <mallory@example.com>")
        let repo = repository(signers: [])
        repo.write(".isms/openpgp/alice.asc", key.armoredPublicKey)
        repo.commit("Trust Alice's OpenPGP key", at: "2026-01-06T10:00:00+01:00")
        repo.write("risks/risk-1.yaml", "id: RISK-1\n")
        let good = repo.commitSigned("Signed with OpenPGP", at: "2026-02-01T10:00:00+01:00", openPGP: key)
        let unknown = repo.commitSigned("Signed by someone else", at: "2026-02-02T10:00:00+01:00", openPGP: other)
        let tampered = repo.rewriteCommit(good, as: "tampered") {
            $0.replacingOccurrences(of: "Signed with OpenPGP", with: "Signed with PGP")
        }

        let verifier = try verifier(repo)
        let verdict = verifier.verdict(for: try XCTUnwrap(ObjectID(hex: good)))
        XCTAssertEqual(verdict.status, .good, verdict.reason ?? "")
        XCTAssertEqual(verdict.format, .openpgp)
        XCTAssertEqual(verdict.principal, "alice@example.com")
        XCTAssertEqual(verdict.key, key.fingerprint)
        XCTAssertEqual(verifier.verdict(for: try XCTUnwrap(ObjectID(hex: unknown))).status, .unknownKey)
        XCTAssertEqual(verifier.verdict(for: try XCTUnwrap(ObjectID(hex: tampered))).status, .bad)

        // Without gpg, OpenPGP signatures are not verified — never good — and the reason is given.
        let withoutGPG = try self.verifier(repo, gpg: "/nonexistent/gpg")
        let unverified = withoutGPG.verdict(for: try XCTUnwrap(ObjectID(hex: good)))
        XCTAssertEqual(unverified.status, .notVerified)
        XCTAssertEqual(unverified.format, .openpgp)
        XCTAssertEqual(withoutGPG.notes, ["1 signature not verified: gpg is not installed (OpenPGP signatures need GnuPG)"])
    }

    // MARK: Cache

    func testVerdictsAreCachedPerTrust() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com")])
        let commit = try XCTUnwrap(ObjectID(hex: repo.commitSigned("Signed", at: "2026-02-01T10:00:00+01:00", key: Self.ed25519)))
        let cache = repo.path + "/.git/isms/signatures-v1.cache"
        let first = try verifier(repo, cache: cache)
        XCTAssertEqual(first.verdict(for: commit).status, .good)
        // What libgit2 reads of a commit says whether it carries a signature header.
        let repository = try XCTUnwrap(Workspace(explicitRoot: repo.path).repository)
        XCTAssertEqual(try repository.commit(commit).carriesSignature, true)
        XCTAssertEqual(try repository.commit(XCTUnwrap(ObjectID(hex: repo.git("rev-parse", "HEAD~1")))).carriesSignature, false)
        XCTAssertNil(first.saveCache())
        let text = try XCTUnwrap(FileManager.default.contents(atPath: cache).map { String(decoding: $0, as: UTF8.self) })
        XCTAssertTrue(text.hasPrefix("isms-signatures 3\ntrust \(first.trust.fingerprint)\n"), text)
        XCTAssertTrue(text.contains(commit.hex + "\tgood\tssh\talice@example.com\t" + Self.ed25519.fingerprint), text)

        // A cached verdict is used as it is: forge one to see it read back.
        try Data(text.replacingOccurrences(of: "\tgood\t", with: "\tunknown-key\t").utf8).write(to: URL(fileURLWithPath: cache))
        XCTAssertEqual(try verifier(repo, cache: cache).verdict(for: commit).status, .unknownKey)
        // Another allowed-signers content is another trust: verified again, and the old section is kept.
        repo.write(
            ".isms/allowed_signers",
            Self.ed25519.allowedSigner("alice@example.com") + "\n" + Self.p256.allowedSigner("bob@example.com") + "\n")
        repo.commit("Trust Bob", at: "2026-02-02T10:00:00+01:00")
        let second = try verifier(repo, cache: cache)
        XCTAssertNotEqual(second.trust.fingerprint, first.trust.fingerprint)
        XCTAssertEqual(second.verdict(for: commit).status, .good)
        XCTAssertNil(second.saveCache())
        let both = String(decoding: FileManager.default.contents(atPath: cache)!, as: UTF8.self)
        XCTAssertEqual(both.components(separatedBy: "\ntrust ").count, 3, both)
        // Other trusts' sections are written back as they were read, an empty one too.
        let foreign = "trust aaaa\ntrust bbbb\n\(commit.hex)\tbad\tssh\t-\t-\tforged\n"
        try Data(("isms-signatures 3\n" + foreign + "trust \(second.trust.fingerprint)\n").utf8).write(to: URL(fileURLWithPath: cache))
        let third = try verifier(repo, cache: cache)
        XCTAssertEqual(third.verdict(for: commit).status, .good)
        XCTAssertNil(third.saveCache())
        XCTAssertEqual(
            String(decoding: FileManager.default.contents(atPath: cache)!, as: UTF8.self),
            "isms-signatures 3\ntrust \(second.trust.fingerprint)\n\(commit.hex)\tgood\tssh\talice@example.com\t"
                + Self.ed25519.fingerprint + "\t-\n" + foreign)
        // A damaged file is ignored.
        try Data("isms-signatures 3\ntrust \(second.trust.fingerprint)\nnonsense\n".utf8).write(to: URL(fileURLWithPath: cache))
        XCTAssertEqual(try verifier(repo, cache: cache).verdict(for: commit).status, .good)
    }

    /// Two verifiers of one trust that read the cache before either writes it (the head's and the merge base's checks
    /// of `check --base`, which run side by side): the second write keeps the first's verdicts. It wrote only its own
    /// and what it had read before.
    func testASaveKeepsTheVerdictsAnotherVerifierSavedSinceItRead() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com")])
        let signed = try XCTUnwrap(ObjectID(hex: repo.commitSigned("Signed", at: "2026-02-01T10:00:00+01:00", key: Self.ed25519)))
        let unsigned = try XCTUnwrap(ObjectID(hex: repo.git("rev-parse", "HEAD~1")))
        let cache = repo.path + "/.git/isms/signatures-v1.cache"
        let head = try verifier(repo, cache: cache), base = try verifier(repo, cache: cache)
        XCTAssertEqual(head.verdict(for: signed).status, .good)
        XCTAssertEqual(base.verdict(for: unsigned).status, .unsigned)
        XCTAssertNil(head.saveCache())
        XCTAssertNil(base.saveCache())
        let text = String(decoding: FileManager.default.contents(atPath: cache)!, as: UTF8.self)
        XCTAssertTrue(text.contains(signed.hex + "\tgood\t"), text)
        XCTAssertTrue(text.contains(unsigned.hex + "\tunsigned\t"), text)
    }

    /// The head's and the merge base's verifiers of `check --base` share their verdicts (`SharedVerdicts`) as they
    /// would through the cache file: a verdict the other made is taken as it is, with the same notes, without reading
    /// the commit (here the second verifier cannot read any); a verifier of another trust does not take it.
    func testVerifiersOfOneTrustShareTheirVerdicts() throws {
        let repo = repository(signers: [Self.ed25519.allowedSigner("alice@example.com"), "# a comment", "not a line"])
        let signed = try XCTUnwrap(ObjectID(hex: repo.commitSigned("Signed", at: "2026-02-01T10:00:00+01:00", key: Self.ed25519)))
        let workspace = try Workspace(explicitRoot: repo.path)
        let trust = try workspace.signatureTrust(at: "HEAD")
        let shared = SharedVerdicts()
        let first = SignatureVerifier(trust: trust, repository: workspace.repository, cachePath: nil, shared: shared)
        XCTAssertEqual(first.verdict(for: signed).status, .good)
        let second = SignatureVerifier(trust: trust, repository: nil, cachePath: nil, shared: shared)
        XCTAssertEqual(second.verdict(for: signed), first.verdict(for: signed))
        XCTAssertEqual(second.notes, first.notes)
        XCTAssertFalse(first.notes.isEmpty)
        repo.write(".isms/allowed_signers", Self.p256.allowedSigner("bob@example.com") + "\n")
        repo.commit("Trust Bob instead", at: "2026-02-02T10:00:00+01:00")
        let other = SignatureVerifier(
            trust: try Workspace(explicitRoot: repo.path).signatureTrust(at: "HEAD"), repository: nil, cachePath: nil, shared: shared)
        XCTAssertEqual(other.verdict(for: signed).status, .bad)
    }
}
