import Foundation
import GitKit
import ISMSKit
import ISMSModel
import ISMSRules
import XCTest

/// The cold gate reads a file below the ISMS root (the allowed signers, isms.yaml) only at the commits whose walk saw
/// its first folder change (`TopLevelChanges`), and takes a commit the walk read unsigned as unsigned without reading
/// it again. Both are shortcuts of a cold run: the history rules must report what a run without them reports (the
/// history from the cache, every tree read).
final class ColdGateTests: XCTestCase, GateRecords {
    let alice = TestKeys.ed25519, bob = TestKeys.p256

    /// The history every test starts from: isms.yaml, Alice alone in the trust file, RISK-1, committed signed by her.
    private func trustedStart() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", config)
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        repo.write("risks/risk-1.yaml", risk("RISK-1"))
        repo.commitSigned("SEC-1 Trust Alice", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        return repo
    }

    /// Alice trusts herself (signed); on a branch Bob adds his key and changes the scope, unsigned; main goes on with
    /// records; the branch is merged (the merge takes the trust file from the branch: not its change); later the
    /// trust file goes back to Alice alone, signed, and a nested file of `.isms` changes unsigned.
    private func repository() -> GitRepository {
        let repo = trustedStart()
        repo.git("checkout", "-q", "-b", "trust")
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n" + bob.allowedSigner("bob@example.com") + "\n")
        repo.write("isms.yaml", config + "scope: Everything Bob runs\n")
        repo.commit("Trust Bob too", by: .bob, at: "2026-02-01T10:00:00Z")
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-2.yaml", risk("RISK-2", "reduce"))
        repo.commit("SEC-2 Add RISK-2", by: .carol, at: "2026-02-02T10:00:00Z")
        repo.git(
            "merge", "-q", "--no-ff", "-m", "Merge branch 'trust'", "trust", environment: repo.identity(.carol, "2026-02-03T10:00:00Z"))
        repo.write("risks/risk-1.yaml", risk("RISK-1", "reduce"))
        repo.commit("Reduce RISK-1", by: .carol, at: "2026-02-04T10:00:00Z")
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        repo.commitSigned("SEC-3 Distrust Bob", by: .alice, at: "2026-02-05T10:00:00Z", key: alice)
        repo.write(".isms/notes.txt", "who may sign\n")
        repo.write("risks/risk-2.yaml", risk("RISK-2"))
        repo.commit("SEC-4 Avoid RISK-2", by: .bob, at: "2026-02-06T10:00:00Z")
        return repo
    }

    private static let historyRules: Set<String> = [
        "allowed-signers-changed", "unsigned-decision", "bad-signature", "decision-without-reference", "reassessment-due",
    ]

    private func findings(_ repo: GitRepository, useCache: Bool) throws -> [Finding] {
        let workspace = try Workspace(explicitRoot: repo.path)
        var notes = [String]()
        return try workspace.check(
            workspace.workTreeSource, asOf: Day("2026-12-01")!, options: GovernanceOptions(useCache: useCache), notes: &notes
        ).findings.filter { Self.historyRules.contains($0.rule) }
    }

    func testTheColdRunReportsWhatARunReadingEveryTreeReports() throws {
        let repo = repository()
        // Cold: every commit read by this run's walk, so the shortcuts apply.
        let cold = try findings(repo, useCache: true)
        let trust = cold.filter { $0.rule == "allowed-signers-changed" }
        XCTAssertEqual(trust.count, 1, "\(cold)")
        XCTAssertTrue(trust.first?.message.contains("changed in commit") ?? false, "\(trust)")
        XCTAssertTrue(cold.contains { $0.rule == "unsigned-decision" && $0.field == "scope" }, "\(cold)")
        XCTAssertEqual(try findings(repo, useCache: false), cold)
        // The history from the cache (no walk this run) and no per-path answers kept: every commit's tree is read.
        for file in try FileManager.default.contentsOfDirectory(atPath: repo.path + "/.git/isms")
        where file.hasPrefix("path-") || file.hasPrefix("signatures") || file.hasPrefix("reassessment") {
            try FileManager.default.removeItem(atPath: repo.path + "/.git/isms/" + file)
        }
        XCTAssertEqual(try findings(repo, useCache: true), cold)
    }

    /// `check --base main` on a pull request: the merge base is judged from the head's history (its state kept by the
    /// head's replay), which must give what a run reading the history afresh gives.
    private func gate(_ repo: GitRepository, useCache: Bool) throws -> (introduced: [Finding], resolved: [Finding]) {
        let workspace = try Workspace(explicitRoot: repo.path)
        var notes = [String]()
        let asOf = Day("2026-12-01")!
        let head = try workspace.check(
            workspace.source(at: "HEAD"), asOf: asOf, options: GovernanceOptions(revision: "HEAD", trustRef: "main", useCache: useCache),
            notes: &notes)
        let comparison = try workspace.compare(head, withBase: "main", asOf: asOf, trustRef: "main", useCache: useCache)
        return (comparison.introduced, comparison.resolved)
    }

    func testTheMergeBaseJudgedFromTheHeadsHistoryIsJudgedAsAfresh() throws {
        let repo = trustedStart()
        repo.write("risks/risk-2.yaml", risk("RISK-2", "reduce"))
        repo.commit("Add RISK-2", by: .bob, at: "2026-01-13T10:00:00Z")
        repo.write("risks/risk-3.yaml", risk("RISK-3", "reduce"))
        repo.commit("SEC-2 Add RISK-3", by: .bob, at: "2026-01-14T10:00:00Z")
        repo.git("checkout", "-q", "-b", "pr")
        repo.write("risks/risk-1.yaml", risk("RISK-1", "reduce"))
        repo.commit("SEC-3 Reduce RISK-1", by: .carol, at: "2026-02-01T10:00:00Z")
        repo.write("risks/risk-2.yaml", risk("RISK-2"))
        repo.commitSigned("SEC-4 Avoid RISK-2", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        repo.remove("risks/risk-3.yaml")
        repo.commit("SEC-5 Drop RISK-3", by: .carol, at: "2026-02-03T10:00:00Z")
        let afresh = try gate(repo, useCache: false)
        XCTAssertTrue(afresh.introduced.contains { $0.rule == "unsigned-decision" && $0.record == "RISK-1" }, "\(afresh)")
        XCTAssertTrue(afresh.resolved.contains { $0.rule == "unsigned-decision" && $0.record == "RISK-2" }, "\(afresh)")
        XCTAssertTrue(afresh.resolved.contains { $0.rule == "decision-without-reference" && $0.record == "RISK-2" }, "\(afresh)")
        // Cold, with the caches: the merge base from the head's history; then warm.
        let cold = try gate(repo, useCache: true)
        XCTAssertEqual(cold.introduced, afresh.introduced)
        XCTAssertEqual(cold.resolved, afresh.resolved)
        let warm = try gate(repo, useCache: true)
        XCTAssertEqual(warm.introduced, afresh.introduced)
        XCTAssertEqual(warm.resolved, afresh.resolved)
    }

    /// `check --base` judges the merge base on a thread of its own, beside the head's history rules (`BaselineRun`,
    /// started once the head's history is read). The gate must print, cold, what it prints with the two judged in turn
    /// (ISMS_THREADS=1: the merge base judged in line), with `--no-cache` and warm: a finding only the merge base has
    /// (fixed by the pull request), one the pull request adds, one on both sides in a record the pull request moved
    /// (the same blob at another path), and signed and unsigned commits on both sides. Both checks write the signature
    /// cache side by side: it must hold every verdict either made, as when they ran in turn.
    func testTheMergeBaseJudgedBesideTheHeadGivesTheGateJudgedInTurn() throws {
        let repo = trustedStart()
        repo.write("risks/risk-2.yaml", risk("RISK-2", "reduce"))
        repo.commit("Add RISK-2", by: .bob, at: "2026-01-13T10:00:00Z")
        repo.write("risks/risk-3.yaml", risk("RISK-3", "reduce"))
        repo.commitSigned("SEC-2 Add RISK-3", by: .alice, at: "2026-01-14T10:00:00Z", key: alice)
        repo.write("risks/risk-4.yaml", risk("RISK-4", "reduce"))
        repo.commit("SEC-3 Add RISK-4", by: .carol, at: "2026-01-15T10:00:00Z")
        repo.git("checkout", "-q", "-b", "pr")
        repo.write("risks/risk-2.yaml", risk("RISK-2"))
        repo.commitSigned("SEC-4 Avoid RISK-2", by: .alice, at: "2026-02-01T10:00:00Z", key: alice)
        repo.write("risks/risk-1.yaml", risk("RISK-1", "reduce"))
        repo.commit("Reduce RISK-1", by: .carol, at: "2026-02-02T10:00:00Z")
        repo.remove("risks/risk-4.yaml")
        repo.write("risks/kept/risk-4.yaml", risk("RISK-4", "reduce"))
        repo.commit("SEC-5 File RISK-4", by: .carol, at: "2026-02-03T10:00:00Z")
        // RISK-5's acceptance: removed on main by Bob; on the pull request given back and removed again by Carol. Its
        // fields are the same at both sides, its removal is not the same commit's: the merge base must not take the
        // head's answer for it.
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-5.yaml", accepted("RISK-5"))
        repo.commitSigned("SEC-6 Accept RISK-5", by: .alice, at: "2026-01-16T10:00:00Z", key: alice)
        repo.write("risks/risk-5.yaml", risk("RISK-5", "accept"))
        repo.commit("SEC-7 Drop the acceptance of RISK-5", by: .bob, at: "2026-01-17T10:00:00Z")
        repo.git("checkout", "-q", "pr")
        repo.git("merge", "-q", "--no-ff", "-m", "SEC-8 Merge main", "main", environment: repo.identity(.carol, "2026-02-04T10:00:00Z"))
        repo.write("risks/risk-5.yaml", accepted("RISK-5"))
        repo.commitSigned("SEC-9 Accept RISK-5 again", by: .alice, at: "2026-02-05T10:00:00Z", key: alice)
        repo.write("risks/risk-5.yaml", risk("RISK-5", "accept"))
        repo.commit("SEC-10 Drop the acceptance of RISK-5 again", by: .carol, at: "2026-02-06T10:00:00Z")
        let arguments = ["check", "--base", "main", "--format", "json", "--as-of", "2026-12-01"]
        func run(_ extra: [String] = [], threads: String? = nil, cold: Bool = true) throws -> ProcessResult {
            if cold { try? FileManager.default.removeItem(atPath: repo.path + "/.git/isms") }
            return runProcess(
                ismsExecutable, arguments + extra, in: repo.path, environment: threads.map { ["ISMS_THREADS": $0] } ?? [:])
        }
        let inTurn = try run(threads: "1")
        XCTAssertEqual(inTurn.status, 1, inTurn.stderr)
        XCTAssertTrue(inTurn.stderr.contains("new since main"), inTurn.stderr)
        XCTAssertTrue(inTurn.stdout.contains("RISK-1"), inTurn.stdout)
        XCTAssertFalse(inTurn.stderr.contains(" 0 resolved"), inTurn.stderr)
        XCTAssertTrue(inTurn.stdout.contains("acceptance of RISK-5 was removed by commit"), inTurn.stdout)
        let signatures = repo.path + "/.git/isms/signatures-v1.cache"
        let inTurnVerdicts = try String(contentsOfFile: signatures, encoding: .utf8)
        for (name, result) in [
            ("beside", try run()), ("no cache", try run(["--no-cache"])), ("warm", try run(cold: false)),
        ] {
            XCTAssertEqual(result.stdout, inTurn.stdout, name)
            XCTAssertEqual(result.stderr, inTurn.stderr, name)
            XCTAssertEqual(result.status, inTurn.status, name)
        }
        _ = try run()
        XCTAssertEqual(try String(contentsOfFile: signatures, encoding: .utf8), inTurnVerdicts)
    }

    /// A NUL byte in a header line before the `gpgsig` header: libgit2's raw header stops there, so the walk's
    /// header scan must not take the commit for unsigned. The signature (garbage) is bad, cold as with `--no-cache`.
    func testASignatureBehindANulInTheHeaderIsNotTakenForUnsigned() throws {
        let repo = trustedStart()
        repo.write("risks/risk-1.yaml", risk("RISK-1", "reduce"))
        let honest = repo.commit("SEC-2 Reduce RISK-1", by: .bob, at: "2026-01-13T10:00:00Z")
        let tree = repo.git("rev-parse", honest + "^{tree}"), parent = repo.git("rev-parse", honest + "^")
        let bob = "Bob <bob@example.com> 1768298400 +0000"
        let forged = repo.rawCommit(
            tree: tree, parents: [parent], author: bob, message: "SEC-2 Reduce RISK-1",
            extraHeaders: "x-note a\u{0}b\ngpgsig -----BEGIN SSH SIGNATURE-----\n garbage\n -----END SSH SIGNATURE-----\n")
        repo.git("update-ref", "refs/heads/main", forged)
        repo.git("reset", "-q", "--hard", forged)
        let afresh = try findings(repo, useCache: false)
        XCTAssertTrue(afresh.contains { $0.rule == "bad-signature" }, "\(afresh)")
        XCTAssertEqual(try findings(repo, useCache: true), afresh)
        XCTAssertEqual(try findings(repo, useCache: true), afresh)
    }

    /// The head merges a side branch that is no ancestor of the merge base but comes before it in the walk's order, and
    /// main merged the side branch's other half (criss-cross): the merge base's state kept by the head's replay must
    /// be the merge base's own.
    func testTheMergeBaseFromTheHeadsHistoryIgnoresBranchesOnlyTheHeadHolds() throws {
        let repo = trustedStart()
        repo.git("checkout", "-q", "-b", "side")
        repo.write("risks/risk-1.yaml", risk("RISK-1", "reduce"))
        repo.commit("Reduce RISK-1", by: .bob, at: "2026-01-13T10:00:00Z")
        repo.git("checkout", "-q", "-b", "side2", "main")
        repo.write("risks/risk-3.yaml", risk("RISK-3", "reduce"))
        repo.commit("Add RISK-3", by: .bob, at: "2026-01-13T11:00:00Z")
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-2.yaml", risk("RISK-2", "reduce"))
        repo.commit("SEC-2 Add RISK-2", by: .carol, at: "2026-01-20T10:00:00Z")
        repo.git("checkout", "-q", "-b", "pr")
        repo.git("merge", "-q", "--no-ff", "-m", "Merge side", "side", environment: repo.identity(.carol, "2026-02-01T10:00:00Z"))
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--no-ff", "-m", "Merge side2", "side2", environment: repo.identity(.carol, "2026-02-01T11:00:00Z"))
        repo.git("checkout", "-q", "pr")
        repo.git("merge", "-q", "--no-ff", "-m", "Merge side2", "side2", environment: repo.identity(.carol, "2026-02-01T12:00:00Z"))
        repo.write("risks/risk-2.yaml", risk("RISK-2"))
        repo.commit("SEC-5 Avoid RISK-2", by: .carol, at: "2026-02-03T10:00:00Z")
        let afresh = try gate(repo, useCache: false)
        let cold = try gate(repo, useCache: true)
        XCTAssertEqual(cold.introduced, afresh.introduced)
        XCTAssertEqual(cold.resolved, afresh.resolved)
        let warm = try gate(repo, useCache: true)
        XCTAssertEqual(warm.introduced, afresh.introduced)
        XCTAssertEqual(warm.resolved, afresh.resolved)
        XCTAssertTrue(afresh.introduced.contains { $0.record == "RISK-1" }, "\(afresh)")
    }

    /// The trust file changed through the shape of `.isms` or isms.yaml rather than a file's content: a mode change
    /// only, `.isms` made a symbolic link, a submodule entry or a file, a rename out of and back into `.isms`. The
    /// walk must note each as a change of the root's entry, so the cold run reports what a run reading every tree does.
    func testTrustFileShapeChangesAreSeenByTheColdRun() throws {
        let signers = alice.allowedSigner("alice@example.com") + "\n"
        let repo = trustedStart()
        repo.git("update-index", "--chmod=+x", ".isms/allowed_signers")
        repo.git("commit", "-q", "-m", "SEC-2 Mode", environment: repo.identity(.bob, "2026-01-13T10:00:00Z"))
        repo.git("mv", ".isms/allowed_signers", "signers.txt")
        repo.commit("SEC-3 Move out", by: .bob, at: "2026-01-14T10:00:00Z")
        repo.git("mv", "signers.txt", ".isms/allowed_signers")
        repo.commit("SEC-4 Move back", by: .bob, at: "2026-01-15T10:00:00Z")
        repo.git("rm", "-q", "-r", ".isms")
        repo.write("keys/allowed_signers", signers + bob.allowedSigner("bob@example.com") + "\n")
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "SEC-5 unlinked", environment: repo.identity(.bob, "2026-01-16T10:00:00Z"))
        let link = repo.rawObject(type: "blob", "keys")
        repo.git("update-index", "--add", "--cacheinfo", "120000,\(link),.isms")
        repo.git("commit", "-q", "-m", "SEC-6 Link", environment: repo.identity(.bob, "2026-01-17T10:00:00Z"))
        let head = repo.git("rev-parse", "HEAD")
        repo.git("update-index", "--force-remove", ".isms")
        repo.git("update-index", "--add", "--cacheinfo", "160000,\(head),.isms")
        repo.git("commit", "-q", "-m", "SEC-7 Submodule", environment: repo.identity(.bob, "2026-01-18T10:00:00Z"))
        repo.git("update-index", "--force-remove", ".isms")
        repo.git("checkout", "-q", "HEAD~6", "--", ".isms")
        repo.git("commit", "-q", "-m", "SEC-8 Back", environment: repo.identity(.bob, "2026-01-19T10:00:00Z"))
        repo.git("reset", "-q", "--hard")
        let afresh = try findings(repo, useCache: false)
        XCTAssertGreaterThanOrEqual(afresh.filter { $0.rule == "allowed-signers-changed" }.count, 2, "\(afresh)")
        XCTAssertEqual(try findings(repo, useCache: true), afresh)
        for file in try FileManager.default.contentsOfDirectory(atPath: repo.path + "/.git/isms")
        where file.hasPrefix("path-") || file.hasPrefix("signatures") {
            try FileManager.default.removeItem(atPath: repo.path + "/.git/isms/" + file)
        }
        XCTAssertEqual(try findings(repo, useCache: true), afresh)
    }
}
