import Foundation
import XCTest

/// Red team 12: the history read's object readers (packs of their own), `check --base` started beside the head's
/// history read, and the text log rendered in pieces, attacked from a hostile or unlucky environment.
final class RedTeam12Tests: XCTestCase {
    /// A repository never repacked holds a pack per fetch. Every object reader keeps a descriptor open on each pack it
    /// reads, beside the repository's own: under a descriptor limit the old read fitted in, the readers took the rest
    /// and the history stopped with "Too many open files" (exit 2). The readers are left out where their descriptors
    /// would crowd the limit, and the log is the one read without a limit.
    func testManyPacksUnderADescriptorLimitReadAsWithoutTheLimit() {
        let repo = Self.repositoryWithAPackPerCommit()
        let expected = ismsBounded(["log", "--no-cache"], in: repo.path)
        XCTAssertEqual(expected.status, 0, expected.stderr)
        Self.assertSameLogUnderDescriptorLimit(in: repo.path, expected: expected)
    }

    /// libgit2 kept every pack it read open: with more packs than the process may open files, the history stopped and
    /// blamed a commit "missing from the repository". libgit2 now keeps at most a quarter of the limit's packs open.
    func testMorePacksThanTheProcessMayOpenFilesReadAsWithoutTheLimit() {
        let repo = Self.repositoryWithAPackPerCommit()
        let expected = ismsBounded(["log", "--no-cache"], in: repo.path)
        XCTAssertEqual(expected.status, 0, expected.stderr)
        let limited = ["/bin/sh", "-c", "ulimit -n 30 && exec \"$@\"", "sh"]
        for threads in ["1", "8"] {
            let run = ismsBounded(["log", "--no-cache"], in: repo.path, environment: ["ISMS_THREADS": threads], wrapper: limited)
            XCTAssertEqual(run.status, 0, "\(threads) threads: \(run.stderr)")
            XCTAssertEqual(run.stdout, expected.stdout, "\(threads) threads")
        }
    }

    private static func assertSameLogUnderDescriptorLimit(
        in path: String, expected: BoundedResult, file: StaticString = #filePath, line: UInt = #line
    ) {
        // 55 descriptors: enough for the repository's 41 packs and the rest of the run, not for a second set of packs.
        let limited = ["/bin/sh", "-c", "ulimit -n 55 && exec \"$@\"", "sh"]
        for attempt in 1...3 {
            let run = ismsBounded(["log", "--no-cache"], in: path, environment: ["ISMS_THREADS": "8"], wrapper: limited)
            XCTAssertEqual(run.status, 0, "attempt \(attempt): \(run.stderr)", file: file, line: line)
            XCTAssertEqual(run.stdout, expected.stdout, "attempt \(attempt)", file: file, line: line)
            XCTAssertEqual(run.stderr, expected.stderr, "attempt \(attempt)", file: file, line: line)
        }
    }

    private static func repositoryWithAPackPerCommit() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Risk 0\nowner: alice\nlikelihood: 1\n")
        repo.commit("Start", at: "2026-01-01T10:00:00Z")
        repo.git("repack", "-q", "-d")
        // One pack per commit: each version of the record is in a pack of its own.
        for step in 1...40 {
            repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Risk \(step)\nowner: alice\nlikelihood: \(step % 5 + 1)\n")
            repo.commit("Step \(step)", at: String(format: "2026-02-%02dT10:00:00Z", step % 28 + 1))
            repo.git("repack", "-q", "-d")
        }
        return repo
    }
}
