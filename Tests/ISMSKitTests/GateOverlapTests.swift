import Foundation
import GitKit
import ISMSKit
import ISMSModel
import ISMSOutput
import ISMSRules
import XCTest

/// `check --base` starts the merge base's check once the head's history read has started (`BaselineRun`,
/// `GovernanceOptions.historyStarted`): its records and history-free rules beside the head's history read, its own
/// history read waiting for the head's (`GovernanceOptions.awaitHistory`). Started earlier, it must still give what it
/// gave judged after the head, lose none of its findings and errors, read no history of its own before the head's is
/// read, and stop when the head's check stops, the head's error being the one shown.
final class GateOverlapTests: XCTestCase, GateRecords {
    let alice = TestKeys.ed25519

    /// main: isms.yaml with every history rule on, Alice trusted, RISK-1 accepted and RISK-2 reduced, unsigned (a
    /// finding the pull request resolves). The pull request (checked out) avoids RISK-2, signed, and reduces RISK-1
    /// unsigned and without a reference (findings it adds); `cut` is its first commit.
    private func pullRequest() -> (repo: GitRepository, cut: String) {
        let repo = GitRepository()
        repo.write("isms.yaml", config)
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        repo.write("risks/risk-1.yaml", accepted("RISK-1"))
        repo.commitSigned("SEC-1 Trust Alice", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.write("risks/risk-2.yaml", risk("RISK-2", "reduce"))
        repo.commit("Add RISK-2", by: .bob, at: "2026-01-13T10:00:00Z")
        repo.git("checkout", "-q", "-b", "pr")
        repo.write("risks/risk-2.yaml", risk("RISK-2"))
        let cut = repo.commitSigned("SEC-2 Avoid RISK-2", by: .alice, at: "2026-02-01T10:00:00Z", key: alice)
        repo.write("risks/risk-1.yaml", risk("RISK-1", "reduce"))
        repo.commit("Reduce RISK-1", by: .carol, at: "2026-02-02T10:00:00Z")
        return (repo, cut)
    }

    private let arguments = ["check", "--base", "main", "--format", "json", "--as-of", "2026-12-01"]

    /// The gate stops (exit 2) with `stderrContains` judged in turn (one thread), and three times alike beside it.
    private func assertStopsAlike(_ repo: GitRepository, stderrContains: String, line: UInt = #line) {
        let inTurn = gate(repo, threads: "1")
        XCTAssertEqual(inTurn.status, 2, inTurn.stderr, line: line)
        XCTAssertTrue(inTurn.stderr.contains(stderrContains), inTurn.stderr, line: line)
        for _ in 0..<3 {
            let beside = gate(repo)
            XCTAssertEqual(beside.stdout, inTurn.stdout, line: line)
            XCTAssertEqual(beside.stderr, inTurn.stderr, line: line)
            XCTAssertEqual(beside.status, 2, line: line)
        }
    }

    private func gate(_ repo: GitRepository, threads: String? = nil) -> ProcessResult {
        try? FileManager.default.removeItem(atPath: repo.path + "/.git/isms")
        return runProcess(ismsExecutable, arguments, in: repo.path, environment: threads.map { ["ISMS_THREADS": $0] } ?? [:])
    }

    /// The gate's findings, those it resolves and its notes are those of the two checks judged in turn (ISMS_THREADS=1,
    /// where the merge base starts only once the head's history is read).
    func testTheMergeBaseStartedBesideTheHeadsHistoryReadGivesTheGateJudgedInTurn() {
        let (repo, _) = pullRequest()
        let inTurn = gate(repo, threads: "1")
        XCTAssertEqual(inTurn.status, 1, inTurn.stderr)
        XCTAssertFalse(inTurn.stderr.contains(" 0 resolved"), inTurn.stderr)
        XCTAssertTrue(inTurn.stdout.contains("\"RISK-1\""), inTurn.stdout)
        for _ in 0..<3 {
            let beside = gate(repo)
            XCTAssertEqual(beside.stdout, inTurn.stdout)
            XCTAssertEqual(beside.stderr, inTurn.stderr)
            XCTAssertEqual(beside.status, inTurn.status)
        }
    }

    /// A head whose history cannot be judged (a shallow boundary cuts the pull request's commits) stops the gate with
    /// its own error, exit 2, as judged in turn: the merge base, started beside it, stops too (the command waits for it,
    /// so a merge base left waiting would hang it), and its error is not the one shown.
    func testAHeadThatStopsStopsTheMergeBaseWithTheHeadsError() {
        let (repo, cut) = pullRequest()
        repo.write(".git/shallow", cut + "\n")
        assertStopsAlike(repo, stderrContains: "cut by this shallow clone")
    }

    /// The merge base's own error (its isms.yaml cannot be read) is the gate's, as judged in turn, though its check
    /// ended long before the head's.
    func testTheMergeBasesOwnErrorIsTheGates() {
        let (repo, _) = pullRequest()
        // The pull request merges a commit of main that broke isms.yaml (the merge base), then mends it; so does main.
        repo.git("checkout", "-q", "main")
        repo.write("isms.yaml", "name: [unclosed\n")
        let broken = repo.commit("Break isms.yaml", by: .bob, at: "2026-01-14T10:00:00Z")
        repo.git("checkout", "-q", "pr")
        repo.git("merge", "-q", "--no-ff", "-m", "SEC-3 Merge main", broken, environment: repo.identity(.carol, "2026-02-03T10:00:00Z"))
        repo.write("isms.yaml", config)
        repo.commitSigned("SEC-4 Mend isms.yaml", by: .alice, at: "2026-02-04T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "main")
        repo.write("isms.yaml", config)
        repo.commitSigned("SEC-5 Mend isms.yaml", by: .alice, at: "2026-02-05T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "pr")
        assertStopsAlike(repo, stderrContains: "isms.yaml")
    }

    /// Started beside the head, the merge base reads no history until the head's is read, then gives the findings it
    /// gives judged alone; when the head's check stops first, it stops without reading one.
    func testTheMergeBaseWaitsForTheHeadsHistoryAndStopsWithIt() throws {
        let (repo, _) = pullRequest()
        let day = Day("2026-12-01")!
        let judgedAlone = try Workspace(explicitRoot: repo.path).findings(
            atCommit: try Workspace(explicitRoot: repo.path).mergeBase(of: "main"), label: "main", asOf: day, trustRef: "main",
            useCache: false)
        XCTAssertFalse(judgedAlone.isEmpty)

        let stopped = try Workspace(explicitRoot: repo.path)
        let stoppedRun = BaselineRun(workspace: stopped, base: "main", asOf: day, trustRef: "main", useCache: false)
        stoppedRun.headHistoryStarted()
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertNil(stopped.lastHistory.withLock { $0 }, "the merge base read a history before the head's was read")
        stoppedRun.headHistoryRead(false)
        stoppedRun.waitIfStarted()
        XCTAssertNil(stopped.lastHistory.withLock { $0 }, "the merge base read a history after the head's check stopped")

        let workspace = try Workspace(explicitRoot: repo.path)
        let run = BaselineRun(workspace: workspace, base: "main", asOf: day, trustRef: "main", useCache: false)
        run.headHistoryStarted()
        run.headHistoryRead(true)
        let comparison = try run.comparison(with: CheckReport(findings: [], records: []))
        XCTAssertEqual(comparison.resolved.map(\.message), judgedAlone.map(\.message))
        XCTAssertNotNil(workspace.lastHistory.withLock { $0 })
    }

    /// `check` tells `historyRead` once on every path: true once the history is read, false when it throws after the
    /// history read started, so that a merge base waiting for it never waits for ever.
    func testTheCheckTellsWhetherItsHistoryWasReadOnEveryPath() throws {
        let (repo, cut) = pullRequest()
        let told = Locked<[Bool]>([])
        var options = GovernanceOptions(revision: "HEAD", trustRef: "main", useCache: false)
        options.historyRead = { read in told.withLock { $0.append(read) } }
        var notes = [String]()
        let workspace = try Workspace(explicitRoot: repo.path)
        _ = try workspace.check(workspace.source(at: "HEAD"), asOf: Day("2026-12-01")!, options: options, notes: &notes)
        XCTAssertEqual(told.withLock { $0 }, [true])

        told.withLock { $0 = [] }
        repo.write(".git/shallow", cut + "\n")
        let cutWorkspace = try Workspace(explicitRoot: repo.path)
        XCTAssertThrowsError(
            try cutWorkspace.check(cutWorkspace.source(at: "HEAD"), asOf: Day("2026-12-01")!, options: options, notes: &notes))
        XCTAssertEqual(told.withLock { $0 }, [false])
    }
}
