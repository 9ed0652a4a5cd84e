import Foundation
import GitKit
import ISMSKit
import XCTest

@testable import ISMSHistory
@testable import ISMSRules

/// The walk keeps each commit's facts in columns (ids, trees, parents, one table of people, one run of summary
/// bytes) and the history graph builds a commit's `CommitInfo` from them when asked: every fact must come back byte
/// for byte as the full commit reader gives it, for merges, an octopus merge, non-ASCII identities in two Unicode
/// spellings, an empty message, a shallow boundary and `--first-parent`.
final class CompactCommitsTests: XCTestCase {
    private let zoeComposed = GitRepository.Person(name: "Zo\u{EB} Ex\u{E4}mple", email: "zoe@example.com")
    private let zoeDecomposed = GitRepository.Person(name: "Zoe\u{308} Exa\u{308}mple", email: "zoe@example.com")
    private let jose = GitRepository.Person(name: "Jos\u{E9} \u{5F20}\u{4F1F}", email: "jos\u{E9}@b\u{FC}cher.example")

    /// A history with a branch, a two-parent merge, a four-parent (octopus) merge, an author other than the
    /// committer, a timezone west of UTC, a multi-line message and an empty one.
    private func repository() -> ISMSRepository {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.commit("Add register\n\nWith a body\nof two lines.", at: "2026-01-05T10:00:00+01:00")
        for (n, author) in [zoeComposed, zoeDecomposed, jose].enumerated() {
            _ = r.git("checkout", "-q", "-b", "topic\(n)", "main")
            r.write("risks/t\(n).yaml", riskYAML("RISK-\(10 + n)"))
            r.commit("Topic \(n): a summary\nwrapped on two lines", by: author, at: "2026-01-0\(6 + n)T10:00:00-07:30")
        }
        _ = r.git("checkout", "-q", "main")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        r.repo.commit("Lower likelihood", by: jose, at: "2026-01-09T10:00:00+05:45", committer: zoeDecomposed)
        _ = r.git("merge", "-q", "--no-ff", "--no-commit", "topic0")
        r.commit("Merge topic0", by: .bob, at: "2026-01-10T10:00:00Z")
        r.touchUnrelated()
        _ = r.repo.commitEverything(
            ["--allow-empty-message", "-m", ""],
            environment: [
                "GIT_AUTHOR_NAME": zoeComposed.name, "GIT_AUTHOR_EMAIL": zoeComposed.email,
                "GIT_AUTHOR_DATE": "2026-01-11T10:00:00Z", "GIT_COMMITTER_NAME": "Carol Example",
                "GIT_COMMITTER_EMAIL": "carol@example.com", "GIT_COMMITTER_DATE": "2026-01-11T11:00:00Z",
            ])
        _ = r.git("merge", "-q", "--no-ff", "--no-commit", "topic1", "topic2")
        r.commit("Octopus", by: .carol, at: "2026-01-12T10:00:00Z")
        return r
    }

    private func bytes(_ identity: GitIdentity) -> String {
        "\(Array(identity.name.utf8)) \(Array(identity.email.utf8)) \(identity.time) \(identity.offsetMinutes)"
    }

    private func assertSameFacts(
        _ walked: WalkedCommits, _ i: Int, as commit: Commit, followed: [ObjectID], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(walked.ids[i], commit.id, file: file, line: line)
        XCTAssertEqual(walked.trees[i], commit.tree, file: file, line: line)
        XCTAssertEqual(Array(walked.parents(i)), followed, file: file, line: line)
        XCTAssertEqual(bytes(walked.facts.author(i)), bytes(commit.author), file: file, line: line)
        XCTAssertEqual(bytes(walked.facts.committer(i)), bytes(commit.committer), file: file, line: line)
        XCTAssertEqual(walked.facts.committerTime(i), commit.committer.time, file: file, line: line)
        XCTAssertEqual(Array(walked.facts.summary(i).utf8), Array(commit.summary.utf8), file: file, line: line)
        XCTAssertEqual(walked.facts.carriesSignature(i), commit.carriesSignature, file: file, line: line)
    }

    func testTheWalkKeepsEveryFactOfEveryCommit() throws {
        let r = repository()
        let repository = try XCTUnwrap(try Repository.discover(containing: r.path))
        let tip = try repository.resolveCommit("HEAD")
        for firstParent in [false, true] {
            let walked = try repository.walk(from: tip, firstParent: firstParent, shallow: [], isKnown: { _ in false })
            XCTAssertEqual(walked.count, firstParent ? 5 : 8)
            var seen = Set<ObjectID>()
            for i in 0..<walked.count {
                let commit = try repository.commit(walked.ids[i])
                assertSameFacts(walked, i, as: commit, followed: firstParent ? Array(commit.parents.prefix(1)) : commit.parents)
                XCTAssertFalse(walked.isShallowBoundary(i))
                XCTAssertEqual(walked.index[commit.id], Int32(i))
                XCTAssertTrue(walked.parents(i).allSatisfy(seen.contains), "parents come first")
                seen.insert(commit.id)
            }
            let summaries = (0..<walked.count).map { walked.facts.summary($0) }
            XCTAssertTrue(summaries.contains(""), "the empty message")
            XCTAssertTrue(summaries.contains("Add register"), summaries.description)
            if !firstParent {
                XCTAssertTrue(summaries.contains("Topic 1: a summary wrapped on two lines"), summaries.description)
                XCTAssertEqual((0..<walked.count).map { walked.parents($0).count }.max(), 3, "the octopus merge")
                // The two spellings of one name stay two.
                let names = Set((0..<walked.count).map { Array(walked.facts.author($0).name.utf8) })
                XCTAssertTrue(names.contains(Array(zoeComposed.name.utf8)) && names.contains(Array(zoeDecomposed.name.utf8)))
            }
        }
    }

    /// The graph's `CommitInfo`, built from the columns on each call, equals the commit as read whole; a commit's
    /// objects compare by id.
    func testTheGraphGivesEachCommitItsOwnFacts() throws {
        let r = repository()
        let repository = try XCTUnwrap(try Repository.discover(containing: r.path))
        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        let history = try workspace.historyEngine().load(HistoryOptions(useCache: false))
        XCTAssertEqual(history.graph.count, 8)
        for i in 0..<Int32(history.graph.count) {
            let info = history.graph.info(i), commit = try repository.commit(history.graph.nodes[Int(i)].id)
            XCTAssertEqual(info.id, commit.id)
            XCTAssertEqual(bytes(info.author), bytes(commit.author))
            XCTAssertEqual(bytes(info.committer), bytes(commit.committer))
            XCTAssertEqual(Array(info.summary.utf8), Array(commit.summary.utf8))
            XCTAssertEqual(info.carriesSignature, commit.carriesSignature)
            XCTAssertEqual(history.graph.nodes[Int(i)].committerTime, commit.committer.time)
            XCTAssertEqual(
                history.graph.nodes[Int(i)].parents.map { history.graph.nodes[Int($0)].id }, commit.parents, "every parent, in order")
        }
        // The cache written from the columns reads back to the same log.
        let cached = try workspace.historyEngine().load(HistoryOptions(useCache: true))
        let again = try workspace.historyEngine().load(HistoryOptions(useCache: true))
        XCTAssertGreaterThan(cached.commitsRead, 0)
        XCTAssertEqual(again.commitsRead, 0)
        func describe(_ history: History) -> [String] {
            history.log().map { "\($0.commit.id.hex) \(Array($0.commit.author.name.utf8)) \($0.commit.summary) \($0.record) \($0.event)" }
        }
        XCTAssertEqual(describe(again), describe(history))
    }

    /// In a shallow clone the boundary commits are marked and keep no parents; their facts are whole.
    func testAShallowBoundaryIsKept() throws {
        let r = repository()
        let clone = TemporaryFolder("isms-shallow")
        let cloned = runProcess(GitRepository.git, ["clone", "-q", "--depth", "2", "file://" + r.path, clone.path + "/repo"])
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        let repository = try XCTUnwrap(try Repository.discover(containing: clone.path + "/repo"))
        let shallow = repository.shallowBoundary().commits
        XCTAssertFalse(shallow.isEmpty)
        let walked = try repository.walk(
            from: try repository.resolveCommit("HEAD"), firstParent: false, shallow: shallow, isKnown: { _ in false })
        var boundaries = 0
        for i in 0..<walked.count {
            let commit = try repository.commit(walked.ids[i])
            let boundary = shallow.contains(commit.id)
            XCTAssertEqual(walked.isShallowBoundary(i), boundary)
            assertSameFacts(walked, i, as: commit, followed: boundary ? [] : commit.parents)
            if boundary { boundaries += 1 }
        }
        XCTAssertEqual(boundaries, shallow.count)
    }

    /// `Workspace.settingsLog` drops each commit's isms.yaml state once its last child is read: the log and the
    /// decisions' setters are those of the reading that keeps every state. A branch point read by three children, a
    /// merge taking a side's scope, an octopus merge and a commit deleting isms.yaml and one writing it again.
    func testTheSettingsLogDroppingStatesIsTheLogKeepingThem() throws {
        func config(_ scope: String, _ exclusion: String? = nil) -> String {
            minimalConfig + "scope: \(scope)\n"
                + (exclusion.map { "soa_exclusions:\n  A.7.1: \($0)\n" } ?? "")
        }
        let r = ISMSRepository()
        r.write("isms.yaml", config("All of Example Ltd"))
        r.commit("Start", at: "2026-01-01T10:00:00Z")
        for (n, scope) in ["The product", "The product and support", "The office"].enumerated() {
            _ = r.git("checkout", "-q", "-b", "side\(n)", "main")
            r.write("isms.yaml", config(scope, n == 1 ? "No premises." : nil))
            r.commit("Scope on side \(n)", by: n == 0 ? .bob : .carol, at: "2026-01-0\(2 + n)T10:00:00Z")
        }
        _ = r.git("checkout", "-q", "main")
        r.touchUnrelated()
        r.commit("Unrelated", at: "2026-01-06T10:00:00Z")
        _ = r.git("merge", "-q", "--no-ff", "-X", "theirs", "--no-commit", "side0")
        r.commit("Merge side0", by: .alice, at: "2026-01-07T10:00:00Z")
        r.remove("isms.yaml")
        r.commit("Drop the settings", by: .bob, at: "2026-01-08T10:00:00Z")
        // Read before the next commit on main, which must still know that isms.yaml existed: it is no creation.
        _ = r.git("checkout", "-q", "-b", "late", "main")
        r.touchUnrelated()
        r.commit("Unrelated, late", by: .carol, at: "2026-01-08T12:00:00Z")
        _ = r.git("checkout", "-q", "main")
        r.write("isms.yaml", config("The product"))
        r.commit("Settings again", by: .carol, at: "2026-01-09T10:00:00Z")
        _ = r.git("merge", "-q", "--no-ff", "-s", "ours", "--no-commit", "side1", "side2", "late")
        r.commit("Octopus", by: .alice, at: "2026-01-10T10:00:00Z")

        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        let history = try workspace.historyEngine().load(HistoryOptions(useCache: false))
        let repository = try XCTUnwrap(try Repository.discover(containing: r.path))
        let dropping = try workspace.settingsLog(history)
        let keeping = try SettingsLog.read(range: history.range(excludingAncestorsOf: nil), repository: repository) {
            try repository.blobID(at: "isms/isms.yaml", inCommit: $0)
        }
        func describe(_ log: SettingsLog) -> [String] {
            log.entries.map { entry in
                "\(entry.commit.id.hex) \(entry.createsFile) "
                    + entry.changes.map { "\($0.field): \(String(describing: $0.old)) → \(String(describing: $0.new))" }
                    .joined(separator: "; ")
            } + log.decisions.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value.value ?? "-") by \($0.value.commit.id.hex)" }
        }
        XCTAssertEqual(describe(dropping), describe(keeping))
        XCTAssertGreaterThanOrEqual(dropping.entries.count, 6, describe(dropping).joined(separator: "\n"))
        XCTAssertEqual(dropping.entries.filter(\.createsFile).count, 1, "only the first commit creates isms.yaml")
        XCTAssertFalse(dropping.decisions.isEmpty)
    }
}
