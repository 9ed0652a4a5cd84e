import Foundation
import GitKit
import ISMSCore
import ISMSKit
import XCTest

@testable import ISMSHistory
@testable import ISMSOutput
@testable import ISMSRules

/// `isms log` renders its text in pieces of consecutive commits on several threads and writes them in order
/// (`LogPieces`, `HistoryText.streamLog`): whatever the size of a piece and the number of threads, the bytes are those
/// of the log written in one go, and each commit's signature mark is asked for once.
final class LogPiecesTests: XCTestCase {
    /// A history whose settings change now and then, sometimes in a commit that changes records too, with a topic
    /// branch merged in: pieces of 1, 2, 3, 7 and more commits than there are, on 1 to 4 threads, with and without a
    /// filter. It fails when a piece is dropped, written out of order, or a setting change lands in the wrong piece.
    func testPiecesRenderedOnSeveralThreadsGiveTheLogWrittenInOneGo() throws {
        let repo = GitRepository()
        func config(_ scope: String) -> String { minimalConfig + "scope: \(scope)\n" }
        func risk(_ n: Int, likelihood: Int) -> String {
            "id: RISK-\(n)\ntitle: Risk number \(n)\nowner: alice\nlikelihood: \(likelihood)\n"
        }
        repo.write("isms.yaml", config("Scope 0"))
        for n in 1...6 { repo.write("risks/risk-\(n).yaml", risk(n, likelihood: 1)) }
        repo.commit("Start", at: "2026-01-01T10:00:00Z")
        let people: [GitRepository.Person] = [.alice, .bob, .carol]
        var day = 2
        func date() -> String {
            defer { day += 1 }
            return String(format: "2026-%02d-%02dT10:00:00Z", 1 + (day - 1) / 28, 1 + (day - 1) % 28)
        }
        for step in 1...40 {
            if step == 20 { _ = repo.git("checkout", "-q", "-b", "topic") }
            if step == 26 { _ = repo.git("checkout", "-q", "main") }
            if (20..<26).contains(step) {
                // The topic branch adds risks of its own.
                repo.write("risks/risk-\(100 + step).yaml", risk(100 + step, likelihood: 2))
                _ = repo.commit("Topic step \(step)", by: people[step % 3], at: date())
                continue
            }
            // Every fourth commit changes the scope; every eighth changes only the scope.
            if step % 4 == 0 { repo.write("isms.yaml", config("Scope \(step)")) }
            if step % 8 != 0 {
                for n in [step % 6 + 1, (step * 5) % 6 + 1] { repo.write("risks/risk-\(n).yaml", risk(n, likelihood: step % 5 + 1)) }
            }
            _ = repo.commit("Step \(step)", by: people[step % 3], at: date())
        }
        _ = repo.git("merge", "-q", "--no-ff", "-m", "Merge topic", "topic")
        repo.write("risks/risk-1.yaml", risk(1, likelihood: 5))
        repo.write("isms.yaml", config("Last"))
        _ = repo.commit("Last", at: date())

        let workspace = try Workspace(explicitRoot: repo.path)
        let history = try workspace.historyEngine().load(HistoryOptions(useCache: false))
        let settings = try workspace.settingsLog(history)
        XCTAssertGreaterThan(settings.entries.count, 8)
        for filter in [HistoryFilter(), HistoryFilter(since: Day("2026-01-10"), until: Day("2026-02-05")), HistoryFilter(field: "scope")] {
            var asked = [ObjectID]()
            var writer = HistoryText.Writer(withRecord: true, capacity: 0) { commit in
                asked.append(commit.id)
                return "mark-" + commit.id.short
            }
            history.forEachLogItem(filter, decisionsOf: settings) { writer.append($0) }
            let expected = writer.out.string
            XCTAssertTrue(expected.contains("isms.yaml  modified  scope:"), expected)
            for (commitsPerPiece, threads) in [(1, 2), (2, 4), (3, 1), (3, 2), (7, 3), (1000, 2)] {
                let pieces = try XCTUnwrap(
                    LogPieces(history, filter: filter, decisionsOf: settings, commitsPerPiece: commitsPerPiece))
                let markedCommits = Locked<[ObjectID]>([])
                var written = [String]()
                HistoryText.streamLog(pieces, threads: threads) { commit in
                    markedCommits.withLock { $0.append(commit.id) }
                    return "mark-" + commit.id.short
                } write: {
                    written.append($0)
                }
                let context = "\(commitsPerPiece) commits a piece, \(threads) threads, \(filter)"
                XCTAssertEqual(written.count, pieces.count, context)
                let got = written.joined()
                if got != expected {
                    let gotLines = got.split(separator: "\n"), expectedLines = expected.split(separator: "\n")
                    let first =
                        (0..<min(gotLines.count, expectedLines.count)).first { gotLines[$0] != expectedLines[$0] }
                        ?? min(gotLines.count, expectedLines.count)
                    XCTFail(
                        "\(context): line \(first) is \(first < gotLines.count ? String(gotLines[first]) : "none") instead of "
                            + "\(first < expectedLines.count ? String(expectedLines[first]) : "none")")
                }
                XCTAssertEqual(markedCommits.withLock { $0 }.sorted(), asked.sorted(), "each commit's mark asked once: \(context)")
            }
        }
    }
}

extension LogPiecesTests {
    /// `isms log` on a generated history of 1,000 commits (two pieces of 512 commits, merges, renames, deletions
    /// and restorations) prints the log rendered whole, with a filter and without, and with one thread.
    func testTheLogCommandInPiecesPrintsTheLogRenderedWhole() throws {
        let repo = try FaultTests.generatedRepository(records: 300, commits: 1000)
        let workspace = try Workspace(explicitRoot: repo.path + "/isms")
        let history = try workspace.historyEngine().load(HistoryOptions(useCache: false))
        let settings = try workspace.settingsLog(history)
        XCTAssertGreaterThan(history.order.count, 512, "two pieces at least")
        for (arguments, filter) in [([String](), HistoryFilter()), (["--kind", "risk"], HistoryFilter(kind: .risk))] {
            let items = history.log(filter, decisionsOf: settings)
            let verifier = try workspace.signatureVerifier(trustRef: "HEAD", useCache: false)
            let whole = HistoryText.log(
                items, signatures: verifier.signatures(of: items.map(\.commit), people: workspace.people(at: "HEAD")))
            XCTAssertFalse(whole.isEmpty)
            for threads in ["1", "2", "3"] {
                let printed = runProcess(
                    ismsExecutable, ["log", "--no-cache", "--root", "isms"] + arguments, in: repo.path,
                    environment: ["ISMS_THREADS": threads])
                XCTAssertEqual(printed.status, 0, printed.stderr)
                XCTAssertTrue(printed.stdout == whole, "\(arguments), \(threads) threads: the printed log differs")
            }
        }
    }
}

/// The settings' log looks a merge's base up only when a side of the merge holds other values than the merge itself.
final class SettingsLogMergeTests: XCTestCase {
    /// A merge that leaves isms.yaml as both sides have it authors nothing; one that keeps its first side's scope
    /// against the other side's change (`-s ours`), and one that writes a scope neither side had, author it; one that
    /// takes the other side's change does not. It fails when a merge is judged by its first side alone.
    func testAMergeIsJudgedAgainstItsBaseOnlyWhenASideDiffersFromIt() throws {
        func config(_ scope: String) -> String { minimalConfig + "scope: \(scope)\n" }
        let r = ISMSRepository()
        r.write("isms.yaml", config("A"))
        r.commit("Start", at: "2026-01-01T10:00:00Z")
        var day = 2
        func branch(_ name: String, scope: String?, summary: String) {
            _ = r.git("checkout", "-q", "-b", name, "main")
            if let scope { r.write("isms.yaml", config(scope)) } else { r.repo.write("src/\(name).txt", "\(name)\n") }
            r.commit(summary, by: .bob, at: String(format: "2026-01-%02dT10:00:00Z", day))
            day += 1
            _ = r.git("checkout", "-q", "main")
            r.repo.write("src/main-\(name).txt", "\(name)\n")
            r.commit("Unrelated before \(name)", at: String(format: "2026-01-%02dT10:00:00Z", day))
            day += 1
        }
        func merge(_ name: String, _ options: [String], summary: String, scope: String? = nil) {
            _ = r.repo.gitArguments(["merge", "-q", "--no-ff", "--no-commit"] + options + [name])
            if let scope { r.write("isms.yaml", config(scope)) }
            r.commit(summary, by: .carol, at: String(format: "2026-01-%02dT10:00:00Z", day))
            day += 1
        }
        branch("t1", scope: "C", summary: "Scope C on t1")
        merge("t1", ["-s", "ours"], summary: "Merge t1, keeping scope A")
        branch("t2", scope: nil, summary: "Unrelated on t2")
        merge("t2", [], summary: "Merge t2")
        branch("t3", scope: "D", summary: "Scope D on t3")
        merge("t3", ["-X", "theirs"], summary: "Merge t3, taking scope D")
        branch("t4", scope: nil, summary: "Unrelated on t4")
        merge("t4", [], summary: "Merge t4 with scope E", scope: "E")

        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        let history = try workspace.historyEngine().load(HistoryOptions(useCache: false))
        let log = try workspace.settingsLog(history)
        XCTAssertEqual(
            log.entries.map(\.commit.summary).reversed(),
            ["Start", "Scope C on t1", "Merge t1, keeping scope A", "Scope D on t3", "Merge t4 with scope E"])
        XCTAssertEqual(log.decisions["scope"]?.value, "E")
        XCTAssertEqual(log.decisions["scope"]?.commit.summary, "Merge t4 with scope E")
    }
}
