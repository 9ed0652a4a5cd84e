import Foundation
import ISMSKit
import XCTest

/// The cache, shallow clones and damaged repositories.
final class HistoryCacheTests: XCTestCase {
    private func threeCommits() -> (ISMSRepository, [String]) {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1"))
        let c1 = r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        r.touchUnrelated()
        let c2 = r.commit("Lower likelihood", by: .bob, at: "2026-01-06T10:00:00+01:00")
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "retired"))
        let c3 = r.commit("Retire encryption", by: .carol, at: "2026-01-07T10:00:00+01:00")
        return (r, [c1, c2, c3])
    }

    private func load(_ r: ISMSRepository, _ options: HistoryOptions = HistoryOptions()) throws -> History {
        try Workspace(explicitRoot: r.path + "/isms").historyEngine().load(options)
    }

    private func cacheFile(_ r: ISMSRepository) throws -> String {
        try Workspace(explicitRoot: r.path + "/isms").historyEngine().cachePath(firstParent: false)
    }

    func testSecondRunReadsOnlyNewCommits() throws {
        let (r, commits) = threeCommits()
        let cold = try load(r)
        XCTAssertEqual(cold.commitsRead, 3)
        let file = try cacheFile(r)
        XCTAssertTrue(FileManager.default.fileExists(atPath: file))
        XCTAssertTrue((file as NSString).deletingLastPathComponent.hasSuffix("/.git/isms"), file)

        let warm = try load(r)
        XCTAssertEqual(warm.commitsRead, 0)
        XCTAssertEqual(warm.blobsParsed, 0)
        XCTAssertEqual(warm.log().map(\.commit.id.hex), cold.log().map(\.commit.id.hex))

        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2, impact: 2))
        let c4 = r.commit("Lower impact", by: .alice, at: "2026-01-08T10:00:00+01:00")
        let incremental = try load(r)
        XCTAssertEqual(incremental.commitsRead, 1)
        XCTAssertEqual(incremental.blobsParsed, 1)
        XCTAssertEqual(incremental.entries(of: "RISK-1")?.map(\.commit.id.hex), [c4, commits[1], commits[0]])
        XCTAssertEqual(r.isms(["log", "--format", "json"]).stdout, r.isms(["log", "--format", "json", "--no-cache"]).stdout)
    }

    /// Each cached run must give what a fresh run gives: after a commit on the cached tip (which starts from
    /// the saved state), and after merging a branch forked from an older commit (which replays the history).
    func testIncrementalRunsMatchAFreshRun() throws {
        let (r, commits) = threeCommits()
        func same(_ step: String) {
            for command in [["log"], ["blame", "RISK-1"], ["blame", "CTRL-1"], ["history", "RISK-1"]] {
                let cached = r.isms(command + ["--format", "json"]), fresh = r.isms(command + ["--format", "json", "--no-cache"])
                XCTAssertEqual(cached.status, 0, "\(step) \(command): \(cached.stderr)")
                XCTAssertEqual(cached.stderr, "", "\(step) \(command)")
                XCTAssertEqual(cached.stdout, fresh.stdout, "\(step) \(command)")
            }
        }
        same("first run")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2, treatment: "accept"))
        r.commit("Accept", by: .bob, at: "2026-01-08T10:00:00+01:00")
        XCTAssertEqual(try load(r).commitsRead, 1)
        same("after a commit on the cached tip")

        _ = r.git("checkout", "-q", "-b", "late", commits[0])
        r.write("risks/r1.yaml", riskYAML("RISK-1", title: "Stolen laptop"))
        r.write("controls/c2.yaml", controlYAML("CTRL-2", title: "Remote wipe"))
        r.commit("Retitle; add remote wipe", by: .carol, at: "2026-01-09T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        _ = r.git("merge", "-q", "--no-ff", "--no-commit", "late")
        r.commit("Merge late", by: .alice, at: "2026-01-10T10:00:00+01:00")
        XCTAssertEqual(try load(r).commitsRead, 2)
        same("after merging a branch forked from an older commit")
        let blame = r.json(["blame", "RISK-1"])["fields"] as? [[String: Any]] ?? []
        XCTAssertEqual(blame.first { $0["field"] as? String == "title" }?["value"] as? String, "Stolen laptop")
    }

    func testNoCacheNeitherReadsNorWritesTheCache() throws {
        let (r, _) = threeCommits()
        XCTAssertEqual(try load(r, HistoryOptions(useCache: false)).commitsRead, 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: try cacheFile(r)))
    }

    func testCorruptOrForeignCacheIsRebuiltWithAWarning() throws {
        let (r, _) = threeCommits()
        let first = r.isms(["log", "--format", "json"])
        let file = try cacheFile(r)
        var bytes = [UInt8](FileManager.default.contents(atPath: file)!)
        bytes[bytes.count / 2] ^= 0xFF
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(bytes)))

        let corrupt = r.isms(["log", "--format", "json"])
        XCTAssertEqual(corrupt.status, 0)
        XCTAssertEqual(corrupt.stdout, first.stdout)
        XCTAssertEqual(corrupt.stderr, "isms: warning: the history cache \(file) is unreadable (checksum mismatch); rebuilding it\n")

        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("{\"not\": \"ours\"}".utf8)))
        let foreign = r.isms(["log", "--format", "json"])
        XCTAssertEqual(foreign.stdout, first.stdout)
        XCTAssertEqual(
            foreign.stderr, "isms: warning: the history cache \(file) is unreadable (not an isms history cache); rebuilding it\n")

        let healed = r.isms(["log", "--format", "json"])
        XCTAssertEqual(healed.stderr, "")
        XCTAssertEqual(healed.stdout, first.stdout)
    }

    func testForcePushIsDetectedAndTheResultIsCorrect() throws {
        let (r, commits) = threeCommits()
        XCTAssertEqual(r.history("RISK-1").strings("commit"), [commits[1], commits[0]])
        // Rewrite the last two commits: the likelihood change is replaced by an impact change.
        _ = r.git("reset", "-q", "--hard", commits[0])
        r.write("risks/r1.yaml", riskYAML("RISK-1", impact: 1))
        let rewritten = r.commit("Lower impact instead", by: .carol, at: "2026-01-09T10:00:00+01:00")

        let result = r.isms(["history", "RISK-1", "--format", "json"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(
            result.stderr,
            "isms: note: history was rewritten since the last run, or another branch is read ("
                + String(commits[2].prefix(10)) + " is not an ancestor of " + String(rewritten.prefix(10))
                + "); dropped 2 cached commit(s) that it does not reach\n")
        XCTAssertEqual(result.stdout, r.isms(["history", "RISK-1", "--format", "json", "--no-cache"]).stdout)
        let entries = r.history("RISK-1")
        XCTAssertEqual(entries.strings("commit"), [rewritten, commits[0]])
        XCTAssertEqual(entries[0].changes.strings("field"), ["impact"])
        XCTAssertEqual(try load(r).commitsRead, 0, "the rewritten history is cached in turn")

        r.write("risks/r1.yaml", riskYAML("RISK-1", impact: 2))
        r.commit("Raise impact a little", by: .bob, at: "2026-01-10T10:00:00+01:00")
        XCTAssertEqual(try load(r).commitsRead, 1)
        for command in [["log"], ["blame", "RISK-1"]] {
            XCTAssertEqual(r.isms(command + ["--format", "json"]).stdout, r.isms(command + ["--format", "json", "--no-cache"]).stdout)
        }
    }

    func testShallowCloneStopsAtTheBoundaryWithANote() throws {
        let (origin, commits) = threeCommits()
        let clone = TemporaryFolder("isms-shallow")
        let cloned = runProcess(GitRepository.git, ["clone", "-q", "--depth", "2", "file://" + origin.path, clone.path + "/repo"])
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        let repo = clone.path + "/repo"
        XCTAssertTrue(FileManager.default.fileExists(atPath: repo + "/.git/shallow"))

        let result = isms(["history", "RISK-1", "--root", "isms", "--format", "json"], in: repo)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("isms: note: this is a shallow clone"), result.stderr)
        XCTAssertTrue(result.stderr.contains("`git fetch --unshallow`"), result.stderr)
        XCTAssertTrue(result.stderr.contains("`fetch-depth: 0`"), result.stderr)
        let entries =
            (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.strings("commit"), [commits[1]])
        XCTAssertEqual(entries.strings("event"), ["boundary"])
        let log = isms(["log", "--root", "isms", "--format", "json"], in: repo)
        let logEntries =
            (try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(logEntries.strings("event"), ["modified", "boundary", "boundary"])
        XCTAssertFalse(logEntries.strings("event").contains("created"))

        // Fetching the rest changes the boundary: the cache is rebuilt and the creation appears.
        let unshallow = runProcess(GitRepository.git, ["fetch", "-q", "--unshallow"], in: repo)
        XCTAssertEqual(unshallow.status, 0, unshallow.stderr)
        let full = isms(["history", "RISK-1", "--root", "isms", "--format", "json"], in: repo)
        XCTAssertEqual(full.stderr, "isms: note: the clone's shallow boundary changed since the history cache was written; rebuilding it\n")
        let fullEntries =
            (try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(fullEntries.strings("event"), ["modified", "created"])
    }

    func testMissingObjectIsAClearErrorNotACrash() throws {
        let (r, commits) = threeCommits()
        let blob = r.git("rev-parse", "\(commits[0]):isms/risks/r1.yaml")
        let object = r.path + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
        XCTAssertTrue(FileManager.default.fileExists(atPath: object))
        try FileManager.default.removeItem(atPath: object)

        let result = r.isms(["history", "RISK-1", "--no-cache"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(
            result.stderr,
            "isms: error: git: the record file risks/r1.yaml (blob \(blob.prefix(10))) is missing from the "
                + "repository; run `git fsck` to find the damage\n")
    }

    func testOutsideAGitRepositoryHistoryCommandsExit2WithOneLine() {
        let folder = TemporaryFolder("isms-plain")
        folder.write("isms.yaml", minimalConfig)
        folder.write("risks/r1.yaml", riskYAML("RISK-1"))
        for command in [["history", "RISK-1"], ["blame", "RISK-1"], ["log"]] {
            let result = isms(command, in: folder.path)
            XCTAssertEqual(result.status, 2, "\(command)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(
                result.stderr.hasPrefix("isms: error: ") && result.stderr.hasSuffix("is not inside a git repository\n"), result.stderr)
        }
        XCTAssertNotEqual(isms(["check"], in: folder.path).status, 2, "check keeps working on a plain folder")
    }
}
