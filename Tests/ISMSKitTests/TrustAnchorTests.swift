import Foundation
import XCTest

@testable import ISMSKit

/// Trust anchored in what the repository itself proves: a commit's time bounded by its parents, commit objects
/// that git and isms could read two ways, a repository's first day with nothing to protect, and the index git
/// hands a pre-commit hook.
final class TrustAnchorTests: XCTestCase {
    let alice = TestKeys.ed25519, bob = TestKeys.p256

    let control = "id: CTRL-1\ntitle: Access review\nowner: alice\nstatus: operating\nevery: quarterly\n"
    let risk = "id: RISK-1\ntitle: Unauthorised access\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\n"
    func evidence(_ collectedOn: String) -> String {
        "id: EV-access-review\ntitle: Access review\ncontrol: CTRL-1\ncollected_on: \(collectedOn)\nresult: pass\n"
    }

    /// `isms check --format json` in `path`, decoded: the findings of `rules` (all when empty).
    func findings(_ path: String, _ extra: [String] = [], rules: Set<String> = []) -> [[String: Any]] {
        let result = isms(["check", "--format", "json", "--as-of", "2026-12-01"] + extra, in: path)
        XCTAssertNotEqual(result.status, 2, result.stderr)
        let document = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        let all = document["findings"] as? [[String: Any]] ?? []
        return rules.isEmpty ? all : all.filter { rules.contains($0["rule"] as? String ?? "") }
    }

    func ruleIDs(_ findings: [[String: Any]]) -> [String] { findings.map { $0["rule"] as? String ?? "?" } }

    // MARK: (7a) A commit is not older than its parents

    func testAnAuthorDateSetBackBeforeTheParentsCommitIsBackdated() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("controls/ctrl-1.yaml", control)
        repo.write("risks/risk-1.yaml", risk)
        repo.commit("Start", at: "2026-01-05T10:00:00Z")
        repo.write("README.md", "Access reviews are recorded when they happen.\n")
        let parent = repo.commit("Readme", by: .bob, at: "2026-11-20T10:00:00Z")
        // Both dates set back to four days after the declared one: the commit itself claims September, yet it
        // sits on a commit made on 20 November, so it cannot have been made before then.
        repo.write("evidence/access-review.yaml", evidence("2026-09-01"))
        let backdated = repo.commit("Record the access review", at: "2026-09-05T10:00:00Z")
        let found = findings(repo.path, rules: ["backdated-record"])
        XCTAssertEqual(ruleIDs(found), ["backdated-record"], "\(found)")
        XCTAssertEqual(
            found.first?["message"] as? String,
            "collected_on 2026-09-01 of EV-access-review is 80 days before commit \(backdated.prefix(10)) (Alice Example, 2026-09-05) "
                + "that recorded it, which cannot be older than its parent \(parent.prefix(10)), committed 2026-11-20 (tolerance 14 days)")
        // The parents' committers as the history's graph holds them, read back from its cache, and as git has them.
        for extra in [[], ["--no-cache"]] {
            XCTAssertEqual(
                findings(repo.path, extra, rules: ["backdated-record"]).first?["message"] as? String, found.first?["message"] as? String)
        }

        // Recorded on time on top of the same parent: nothing to report.
        repo.write("evidence/access-review.yaml", evidence("2026-11-21"))
        repo.commit("Record the access review again", at: "2026-11-22T10:00:00Z")
        XCTAssertEqual(findings(repo.path, rules: ["backdated-record"]).count, 0)
    }

    // MARK: (7b) Duplicated headers make a commit malformed

    /// A repository whose allowed signers trust Alice's key until 1 February 2026 and Bob's key always, with
    /// decisions required to be signed.
    func signedRepository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + "require_signed_decisions: true\n")
        repo.write(
            ".isms/allowed_signers",
            alice.allowedSigner("alice@example.com", options: "valid-before=20260201Z") + "\n"
                + bob.allowedSigner("bob@example.com") + "\n")
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")
        repo.commitSigned("Start the ISMS", by: .alice, at: "2026-01-05T10:00:00Z", key: alice)
        return repo
    }

    /// Writes `headers` (the header lines after tree and parent) and `message` as a commit object on top of HEAD with
    /// HEAD's tree plus `risk` as risks/risk-1.yaml, signed with `key` when given (the signature placed where git places it,
    /// after the other headers), and points main at it. Returns its id.
    @discardableResult
    func writeCommit(
        _ repo: GitRepository, headers: [String], message: String, riskTreatment: String = "accept",
        signedWith key: SSHKey? = nil, extraHeaders: [String] = []
    ) -> String {
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: \(riskTreatment)\n")
        repo.git("add", "-A")
        let tree = repo.git("write-tree")
        let parent = repo.git("rev-parse", "HEAD")
        let header = (["tree \(tree)", "parent \(parent)"] + headers).joined(separator: "\n")
        var object = header + "\n\n" + message + "\n"
        if let key {
            let folder = TemporaryFolder()
            folder.write("payload", object)
            let signed = runProcess(SSHKey.keygen, ["-Y", "sign", "-n", "git", "-f", key.privateKey, folder.path + "/payload"])
            XCTAssertEqual(signed.status, 0, signed.stderr)
            var lines = folder.read("payload.sig")!.trimmingCharacters(in: .newlines).components(separatedBy: "\n")
            let first = lines.removeFirst()
            let gpgsig = "gpgsig " + first + lines.map { "\n " + $0 }.joined()
            object = ([header, gpgsig] + extraHeaders).joined(separator: "\n") + "\n\n" + message + "\n"
        } else if !extraHeaders.isEmpty {
            object = ([header] + extraHeaders).joined(separator: "\n") + "\n\n" + message + "\n"
        }
        let written = runProcess(
            GitRepository.git, ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], in: repo.path,
            stdin: object)
        XCTAssertEqual(written.status, 0, written.stderr)
        let id = written.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        repo.git("update-ref", "refs/heads/main", id)
        repo.git("reset", "-q", "--hard")
        return id
    }

    func verdict(_ repo: GitRepository, _ commit: String) throws -> SignatureVerdict {
        let workspace = try Workspace(explicitRoot: repo.path)
        let verifier = SignatureVerifier(trust: try workspace.signatureTrust(at: "HEAD"), repository: workspace.repository)
        return verifier.verdict(for: try XCTUnwrap(ObjectID(hex: commit)))
    }

    /// git's own verdict, with the allowed signers of the work tree.
    func gitVerifies(_ repo: GitRepository, _ commit: String) -> Bool {
        runProcess(
            GitRepository.git, ["-c", "gpg.ssh.allowedSignersFile=\(repo.path)/.isms/allowed_signers", "verify-commit", commit],
            in: repo.path, environment: ["HOME": repo.path, "GIT_CONFIG_NOSYSTEM": "1"]
        ).status == 0
    }

    func gitShows(_ repo: GitRepository, _ format: String, _ commit: String) -> String {
        repo.git("log", "-1", "--format=" + format, commit)
    }

    /// Alice's key ran out on 1 February. git's signature check (and libgit2, and git's own commit parser) read a
    /// commit's first committer header, 1 March, after the key's end; `git log --format` shows the last one. Judged
    /// at the last header (20 January), the signature would be good.
    func testTwoCommitterHeadersAreMalformedNotJudgedAtTheLastOne() throws {
        let repo = signedRepository()
        let march = 1_772_359_200, january = 1_768_903_200  // 2026-03-01T10:00Z, 2026-01-20T10:00Z
        let commit = writeCommit(
            repo,
            headers: [
                "author Alice Example <alice@example.com> \(march) +0000",
                "committer Alice Example <alice@example.com> \(march) +0000",
                "committer Alice Example <alice@example.com> \(january) +0000",
            ], message: "Accept the laptop risk", signedWith: alice)
        XCTAssertFalse(gitVerifies(repo, commit), "git judges the key at the first committer header")
        XCTAssertEqual(gitShows(repo, "%ct", commit), "\(january)", "while git log shows the last: two readings of one object")
        let repository = try XCTUnwrap(Workspace(explicitRoot: repo.path).repository)
        XCTAssertEqual(try repository.commit(XCTUnwrap(ObjectID(hex: commit))).committer.time, Int64(march), "so does isms")
        let verdict = try verdict(repo, commit)
        XCTAssertEqual(verdict.status, .bad)
        XCTAssertEqual(verdict.reason, "the commit has duplicated headers: committer")
        XCTAssertEqual(SignedCommit(object: Array(try repository.readObject(XCTUnwrap(ObjectID(hex: commit))))).committerTime, Int64(march))

        let found = findings(repo.path, rules: ["bad-signature", "unsigned-decision"])
        XCTAssertEqual(Set(ruleIDs(found)), ["bad-signature", "unsigned-decision"], "\(found)")
        let bad = found.first { $0["rule"] as? String == "bad-signature" }?["message"] as? String ?? ""
        XCTAssertEqual(
            bad,
            "commit \(commit.prefix(10)) (Alice Example, 2026-03-01) that changed RISK-1 is malformed "
                + "(the commit has duplicated headers: committer)")
        let unsigned = found.first { $0["rule"] as? String == "unsigned-decision" }?["message"] as? String ?? ""
        XCTAssertTrue(unsigned.hasSuffix("which is malformed (the commit has duplicated headers: committer)"), unsigned)
    }

    func testTwoAuthorHeadersAreMalformedSignedOrNot() throws {
        let repo = signedRepository()
        let march = 1_772_359_200
        // Signed by Bob, whose key is trusted: the signature itself verifies.
        let signed = writeCommit(
            repo,
            headers: [
                "author Carol Example <carol@example.com> \(march) +0000",
                "author Bob Example <bob@example.com> \(march) +0000",
                "committer Bob Example <bob@example.com> \(march) +0000",
            ], message: "Accept the laptop risk", signedWith: bob)
        XCTAssertEqual(gitShows(repo, "%an", signed), "Bob Example", "git log shows the last author header")
        let repository = try XCTUnwrap(Workspace(explicitRoot: repo.path).repository)
        XCTAssertEqual(
            try repository.commit(XCTUnwrap(ObjectID(hex: signed))).author.name, "Carol Example",
            "libgit2 and git's commit parser read the first")
        let verdict = try verdict(repo, signed)
        XCTAssertEqual(verdict.status, .bad)
        XCTAssertEqual(verdict.reason, "the commit has duplicated headers: author")

        // Unsigned: the history, which reads every commit, must not wave it through as plainly unsigned.
        let unsigned = writeCommit(
            repo,
            headers: [
                "author Carol Example <carol@example.com> \(march + 60) +0000",
                "author Bob Example <bob@example.com> \(march + 60) +0000",
                "committer Bob Example <bob@example.com> \(march + 60) +0000",
            ], message: "Avoid the laptop risk again", riskTreatment: "avoid")
        XCTAssertNil(try repository.commit(XCTUnwrap(ObjectID(hex: unsigned))).carriesSignature)
        XCTAssertEqual(try self.verdict(repo, unsigned).status, .bad)
        let found = findings(repo.path, rules: ["bad-signature"])
        XCTAssertEqual(
            Set(found.map { $0["message"] as? String ?? "" }),
            [
                "commit \(unsigned.prefix(10)) (Carol Example, 2026-03-01) that changed RISK-1 is malformed "
                    + "(the commit has duplicated headers: author)",
                "commit \(signed.prefix(10)) (Carol Example, 2026-03-01) that changed RISK-1 is malformed "
                    + "(the commit has duplicated headers: author)",
            ])
    }

    func testTwoGpgsigHeadersAreMalformed() throws {
        let repo = signedRepository()
        let march = 1_772_359_200
        let identity = ["author Bob Example <bob@example.com> \(march) +0000", "committer Bob Example <bob@example.com> \(march) +0000"]
        // An empty second gpgsig header adds nothing to the signature, so the signature alone still verifies.
        let commit = writeCommit(repo, headers: identity, message: "Accept the laptop risk", signedWith: bob, extraHeaders: ["gpgsig "])
        let verdict = try verdict(repo, commit)
        XCTAssertEqual(verdict.status, .bad)
        XCTAssertEqual(verdict.reason, "the commit has duplicated headers: gpgsig")
        XCTAssertEqual(
            Set(ruleIDs(findings(repo.path, rules: ["bad-signature", "unsigned-decision"]))), ["bad-signature", "unsigned-decision"])
        // One signature per hash is not a duplicate.
        let both = SignedCommit(object: Array((identity.joined(separator: "\n") + "\ngpgsig A\ngpgsig-sha256 B\n\nMessage\n").utf8))
        XCTAssertEqual(both.duplicatedHeaders, [])
        // The same signed commit without the extra header is good.
        let good = writeCommit(repo, headers: identity, message: "Accept the laptop risk", signedWith: bob)
        XCTAssertEqual(try self.verdict(repo, good).status, .good)
    }

    // MARK: (8) A repository's first day

    /// isms init's starter, committed unsigned on the first day, must pass; the hook must let the next good
    /// commit through; signing is turned on later by a signed commit that adds keys, and only by one.
    func testTheStarterPassesFromTheFirstCommitAndSigningCanBeTurnedOnLater() {
        let repo = GitRepository()
        let made = isms(["init", "."], in: repo.path)
        XCTAssertEqual(made.status, 0, made.stderr)
        let before = isms(["check"], in: repo.path)
        XCTAssertEqual(before.status, 0, before.stdout + before.stderr)
        repo.commit("init", at: "2026-01-05T10:00:00Z")
        let after = isms(["check"], in: repo.path)
        XCTAssertEqual(after.status, 0, after.stdout + after.stderr)
        XCTAssertFalse(after.stdout.contains("allowed-signers-changed"), after.stdout)

        // The pre-commit hook lets the next good commit through.
        XCTAssertEqual(isms(["hook", "install"], in: repo.path).status, 0)
        repo.write("risks/risk-2.yaml", "id: RISK-2\ntitle: Phishing\nowner: \(firstOwner(repo))\ntreatment: avoid\n")
        repo.git("add", "-A")
        let next = runProcess(GitRepository.git, ["commit", "-q", "-m", "Add a risk"], in: repo.path, environment: ["HOME": repo.path])
        XCTAssertEqual(next.status, 0, next.stdout + next.stderr)
        // Rewording the starter's comments still trusts no key: nothing to protect, nothing to report.
        let starter = repo.folder.read(".isms/allowed_signers")!
        repo.write(".isms/allowed_signers", "# Keys go here once we sign.\n")
        repo.commit("Shorter comment", at: "2026-01-06T10:00:00Z")
        XCTAssertEqual(findings(repo.path, rules: ["allowed-signers-changed"]).count, 0)

        // Keys added unsigned: refused.
        repo.git("checkout", "-q", "-b", "unsigned")
        repo.write(".isms/allowed_signers", starter + alice.allowedSigner("alice@example.com") + "\n")
        repo.commit("Trust Alice", at: "2026-01-07T10:00:00Z")
        let refused = findings(repo.path, rules: ["allowed-signers-changed"])
        XCTAssertEqual(ruleIDs(refused), ["allowed-signers-changed"])
        XCTAssertTrue((refused.first?["message"] as? String ?? "").contains("(unsigned)"), "\(refused)")
        XCTAssertEqual(isms(["check"], in: repo.path).status, 1)

        // Keys added by a commit signed with a key it lists: accepted.
        repo.git("checkout", "-q", "main")
        repo.write(".isms/allowed_signers", starter + alice.allowedSigner("alice@example.com") + "\n")
        repo.commitSigned("Trust Alice", by: .alice, at: "2026-01-07T10:00:00Z", key: alice)
        XCTAssertEqual(findings(repo.path, rules: ["allowed-signers-changed"]).count, 0)
        XCTAssertEqual(isms(["check"], in: repo.path).status, 0)
        // From then on the file is protected: emptying it again unsigned is a change to judge.
        repo.write(".isms/allowed_signers", starter)
        repo.commit("Stop signing", at: "2026-01-08T10:00:00Z")
        XCTAssertEqual(ruleIDs(findings(repo.path, rules: ["allowed-signers-changed"])), ["allowed-signers-changed"])
    }

    /// The starter's first person, so a new record's owner is known to its roster.
    func firstOwner(_ repo: GitRepository) -> String {
        let risk = repo.folder.read("risks/risk-1.yaml") ?? ""
        return risk.split(separator: "\n").first { $0.hasPrefix("owner: ") }.map { String($0.dropFirst(7)) } ?? "alice"
    }

    // MARK: (9) The index git hands the hook

    let goodRisk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n"
    let brokenRisk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nlikelihood: 0\n"

    func testStagedReadsTheIndexNamedByGIT_INDEX_FILE() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", goodRisk)
        repo.commit("Add ISMS", at: "2026-03-01T09:00:00+01:00")
        // Another index holding a broken record; the repository's own index and the work tree stay good.
        let alternative = ["GIT_INDEX_FILE": repo.path + "/.git/alternative-index"]
        repo.git("read-tree", "HEAD", environment: alternative)
        repo.write("risks/risk-1.yaml", brokenRisk)
        repo.git("add", "risks/risk-1.yaml", environment: alternative)
        repo.write("risks/risk-1.yaml", goodRisk)
        XCTAssertEqual(repo.git("status", "--porcelain"), "", "the repository's own index is untouched")

        let plain = isms(["check", "--staged"], in: repo.path)
        XCTAssertEqual(plain.status, 0, plain.stdout + plain.stderr)
        XCTAssertTrue(plain.stderr.contains("nothing staged"), plain.stderr)
        for path in [repo.path + "/.git/alternative-index", ".git/alternative-index"] {
            let result = runProcess(ismsExecutable, ["check", "--staged"], in: repo.path, environment: ["GIT_INDEX_FILE": path])
            XCTAssertEqual(result.status, 1, path + ": " + result.stdout + result.stderr)
            XCTAssertTrue(result.stdout.contains("'likelihood' is 0"), result.stdout)
        }
    }

    func testTheHookRefusesCommitAllAndCommitPathsWithABrokenRecord() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", goodRisk)
        let head = repo.commit("Add ISMS", at: "2026-03-01T09:00:00+01:00")
        XCTAssertEqual(isms(["hook", "install"], in: repo.path).status, 0)
        repo.write("risks/risk-1.yaml", brokenRisk)
        func commit(_ arguments: [String]) -> ProcessResult {
            runProcess(GitRepository.git, ["commit", "-q", "-m", "x"] + arguments, in: repo.path, environment: ["HOME": repo.path])
        }
        let all = commit(["-a"])
        XCTAssertNotEqual(all.status, 0, "git commit -a let a broken record through")
        XCTAssertTrue((all.stdout + all.stderr).contains("'likelihood' is 0"), all.stdout + all.stderr)
        let paths = commit(["risks/risk-1.yaml"])
        XCTAssertNotEqual(paths.status, 0, "git commit <path> let a broken record through")
        XCTAssertTrue((paths.stdout + paths.stderr).contains("'likelihood' is 0"), paths.stdout + paths.stderr)
        XCTAssertEqual(repo.git("rev-parse", "HEAD"), head)

        repo.write("risks/risk-1.yaml", goodRisk.replacingOccurrences(of: "Laptop theft", with: "Stolen laptop"))
        XCTAssertEqual(commit(["risks/risk-1.yaml"]).status, 0)
        repo.write("risks/risk-1.yaml", goodRisk)
        XCTAssertEqual(commit(["-a"]).status, 0)
    }
}
