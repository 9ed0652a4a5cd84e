import Foundation
import GitKit
import ISMSKit
import ISMSModel
import ISMSRules
import XCTest

/// Attacks on the work `check --base` shares between the head's check and the merge base's (signature verdicts,
/// the standing removals of decision fields, the cache files both write): a pull request controls its records, its
/// isms.yaml, its allowed signers and its commits. Whatever it does, the gate must report what judging the two sides
/// in turn reports (`Workspace.compare` after a check that shares nothing), cold, warm and with `--no-cache`.
final class GateShareAttackTests: XCTestCase, GateRecords {
    let alice = TestKeys.ed25519, mallory = TestKeys.stranger
    private let asOf = "2026-12-01"

    /// Alice alone trusted; RISK-1 reduced, RISK-2 and RISK-3 accepted, all signed by her; RISK-3's acceptance then
    /// dropped by Bob, unsigned (a standing removal at the merge base).
    private func trustedStart() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", config)
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        repo.write("risks/risk-1.yaml", risk("RISK-1", "reduce"))
        repo.write("risks/risk-2.yaml", accepted("RISK-2"))
        repo.write("risks/risk-3.yaml", accepted("RISK-3"))
        repo.commitSigned("SEC-1 Trust Alice", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.write("risks/risk-3.yaml", risk("RISK-3", "accept"))
        repo.commit("SEC-2 Drop the acceptance of RISK-3", by: .bob, at: "2026-01-13T10:00:00Z")
        return repo
    }

    /// The gate's new findings as the command line prints them, with its exit status and notes.
    private func gate(_ repo: GitRepository, _ extra: [String] = [], threads: String? = nil, cold: Bool = true) -> ProcessResult {
        if cold { try? FileManager.default.removeItem(atPath: repo.path + "/.git/isms") }
        return runProcess(
            ismsExecutable, ["check", "--base", "main", "--format", "json", "--as-of", asOf] + extra, in: repo.path,
            environment: threads.map { ["ISMS_THREADS": $0] } ?? [:])
    }

    private struct Printed: Decodable { let findings: [Finding] }

    /// The two sides judged in turn, sharing nothing: the head's check, then the merge base's.
    private func inTurn(_ repo: GitRepository) throws -> (introduced: [Finding], resolved: Int) {
        try? FileManager.default.removeItem(atPath: repo.path + "/.git/isms")
        let workspace = try Workspace(explicitRoot: repo.path)
        var notes = [String]()
        let head = try workspace.check(
            workspace.workTreeSource, asOf: Day(asOf)!, options: GovernanceOptions(trustRef: "main", useCache: false),
            notes: &notes)
        let comparison = try workspace.compare(head, withBase: "main", asOf: Day(asOf)!, useCache: false)
        return (comparison.introduced, comparison.resolved.count)
    }

    /// Runs the gate cold beside, in turn on one thread, warm and without the cache, and holds each to `inTurn`.
    private func assertGateJudgesInTurn(_ repo: GitRepository, file: StaticString = #filePath, line: UInt = #line) throws -> [Finding] {
        let expected = try inTurn(repo)
        let cold = gate(repo)
        XCTAssertEqual(cold.status, expected.introduced.isEmpty ? 0 : 1, cold.stderr, file: file, line: line)
        let printed = try JSONDecoder().decode(Printed.self, from: Data(cold.stdout.utf8)).findings
        XCTAssertEqual(printed.map(\.message).sorted(), expected.introduced.map(\.message).sorted(), file: file, line: line)
        XCTAssertTrue(cold.stderr.contains("; \(expected.resolved) resolved"), cold.stderr, file: file, line: line)
        for (name, result) in [
            ("one thread", gate(repo, threads: "1")), ("warm", gate(repo, cold: false)),
            (
                "warm head, base judged",
                { () -> ProcessResult in
                    try? FileManager.default.removeItem(atPath: repo.path + "/.git/isms/base-findings-v1.cache")
                    return gate(repo, cold: false)
                }()
            ),
            ("no cache", gate(repo, ["--no-cache"])),
        ] {
            XCTAssertEqual(result.stdout, cold.stdout, name, file: file, line: line)
            XCTAssertEqual(result.stderr, cold.stderr, name, file: file, line: line)
            XCTAssertEqual(result.status, cold.status, name, file: file, line: line)
        }
        return printed
    }

    /// The pull request trusts Mallory's key and signs with it: at the head (its own removal of RISK-2's acceptance)
    /// and on a side branch it merges, whose commit is also the merge base's when judged against that branch. The
    /// trusted revision judges both sides: the verdict shared between them is the untrusted key's.
    func testAKeyThePullRequestAddsValidatesNoSignatureOnEitherSide() throws {
        let repo = trustedStart()
        repo.git("checkout", "-q", "-b", "pr")
        repo.write(
            ".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n" + mallory.allowedSigner("mallory@example.com") + "\n")
        repo.commit("SEC-3 Trust Mallory", by: .bob, at: "2026-02-01T10:00:00Z")
        repo.write("risks/risk-2.yaml", risk("RISK-2", "accept"))
        repo.commitSigned("SEC-4 Drop the acceptance of RISK-2", by: .bob, at: "2026-02-02T10:00:00Z", key: mallory)
        let printed = try assertGateJudgesInTurn(repo)
        XCTAssertTrue(
            printed.contains {
                $0.rule == "unsigned-decision" && $0.message.contains("acceptance of RISK-2") && $0.message.contains("not trusted")
            },
            "\(printed.map(\.message))")
        // RISK-3's removal stands at both sides: not new.
        XCTAssertFalse(printed.contains { $0.message.contains("acceptance of RISK-3 was removed") }, "\(printed.map(\.message))")
    }

    /// A record the pull request deletes and adds again, with its acceptance, signed by Alice; the acceptance is
    /// dropped again in a later commit, and main meanwhile drops RISK-1's treatment decision under another id. The
    /// merge base must not take the head's standing removals for records whose history the pull request touched.
    func testARecordRemovedAndAddedAgainByThePullRequestIsJudgedAtEachSide() throws {
        let repo = trustedStart()
        repo.git("checkout", "-q", "-b", "pr")
        repo.remove("risks/risk-3.yaml")
        repo.commit("SEC-5 Retire RISK-3", by: .carol, at: "2026-02-01T10:00:00Z")
        repo.write("risks/risk-3.yaml", accepted("RISK-3"))
        repo.commitSigned("SEC-6 Accept RISK-3 again", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        repo.write("risks/risk-3.yaml", risk("RISK-3", "accept"))
        repo.commit("SEC-7 Drop the acceptance of RISK-3 again", by: .carol, at: "2026-02-03T10:00:00Z")
        // An id change on the pull request: RISK-2 becomes RISK-20, its acceptance dropped by Mallory.
        repo.remove("risks/risk-2.yaml")
        repo.write("risks/risk-20.yaml", risk("RISK-20", "accept"))
        repo.commitSigned("SEC-8 Renumber RISK-2", by: .bob, at: "2026-02-04T10:00:00Z", key: mallory)
        let printed = try assertGateJudgesInTurn(repo)
        // At the head RISK-3's removal is Carol's (new); at the merge base it was Bob's.
        XCTAssertTrue(
            printed.contains { $0.message.contains("acceptance of RISK-3 was removed by commit") && $0.message.contains("Carol") },
            "\(printed.map(\.message))")
    }

    /// The pull request merges main (an octopus with a side branch of its own), and main moves on after: the merge
    /// base is inside the head's history, and main's later commits are not. Run again and again, cold and with only
    /// the merge base judged again, the gate prints one output and leaves one signature cache.
    func testTheGateRunAgainAndAgainPrintsOneOutputAndLeavesOneCache() throws {
        let repo = trustedStart()
        repo.git("checkout", "-q", "-b", "side")
        repo.write("risks/risk-4.yaml", accepted("RISK-4"))
        repo.commitSigned("SEC-9 Accept RISK-4", by: .alice, at: "2026-01-20T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-5.yaml", accepted("RISK-5"))
        repo.commitSigned("SEC-10 Accept RISK-5", by: .alice, at: "2026-01-21T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "pr", "main~1")
        repo.write("risks/risk-6.yaml", risk("RISK-6", "reduce"))
        repo.commitSigned("SEC-11 Add RISK-6", by: .bob, at: "2026-01-22T10:00:00Z", key: mallory)
        repo.git(
            "merge", "-q", "--no-ff", "-m", "SEC-12 Merge main and side", "main", "side",
            environment: repo.identity(.carol, "2026-01-23T10:00:00Z"))
        repo.write("risks/risk-5.yaml", risk("RISK-5", "accept"))
        repo.commit("SEC-13 Drop the acceptance of RISK-5", by: .bob, at: "2026-01-24T10:00:00Z")
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-1.yaml", risk("RISK-1"))
        repo.commitSigned("SEC-14 Avoid RISK-1", by: .alice, at: "2026-01-25T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "pr")
        _ = try assertGateJudgesInTurn(repo)
        let first = gate(repo)
        let signatures = repo.path + "/.git/isms/signatures-v1.cache"
        let verdicts = try String(contentsOfFile: signatures, encoding: .utf8)
        for run in 0..<12 {
            if run % 2 == 1 { try? FileManager.default.removeItem(atPath: repo.path + "/.git/isms/base-findings-v1.cache") }
            let again = gate(repo, cold: run % 2 == 0)
            XCTAssertEqual(again.stdout, first.stdout, "run \(run)")
            XCTAssertEqual(again.stderr, first.stderr, "run \(run)")
            XCTAssertEqual(again.status, first.status, "run \(run)")
            XCTAssertEqual(try String(contentsOfFile: signatures, encoding: .utf8), verdicts, "run \(run)")
        }
    }
}
