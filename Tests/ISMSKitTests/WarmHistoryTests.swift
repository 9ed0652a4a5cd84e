import Foundation
@_spi(Fuzzing) import ISMSOutput
import XCTest

@testable import ISMSKit

/// A warm `isms history ID` checks only the cached commits that can name the record (`HistoryOptions.onlyRecord`),
/// and must still print what a fresh read prints, and refuse a damaged commit it reads.
final class WarmHistoryTests: XCTestCase {
    /// RISK-1 becomes RISK-5 and then RISK-9; other commits change other records only.
    private func renumberedRisk() -> ISMSRepository {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1"))
        r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        r.commit("Lower likelihood", by: .bob, at: "2026-01-06T10:00:00+01:00")
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "retired"))
        r.commit("Retire encryption", by: .carol, at: "2026-01-07T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-5", likelihood: 2))
        r.commit("Renumber", by: .alice, at: "2026-01-08T10:00:00+01:00")
        r.write("risks/r2.yaml", riskYAML("RISK-2"))
        r.commit("Add a second risk", by: .bob, at: "2026-01-09T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-9", likelihood: 2, impact: 2))
        r.commit("Renumber again, rescore", by: .carol, at: "2026-01-10T10:00:00+01:00")
        return r
    }

    private func cachePath(_ r: ISMSRepository) throws -> String {
        try Workspace(explicitRoot: r.path + "/isms").historyEngine().cachePath(firstParent: false)
    }

    private func warmGraph(_ r: ISMSRepository) throws -> HistoryGraph {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: try cachePath(r)))
        return try HistoryCache.decode(data).1
    }

    func testWarmHistoryOfARenumberedRecordEqualsAFreshRead() throws {
        let r = renumberedRisk()
        XCTAssertEqual(r.isms(["log"]).status, 0)  // writes the cache
        for id in ["RISK-9", "RISK-5", "RISK-1", "RISK-2", "CTRL-1", "RISK-404"] {
            for format in ["text", "json"] {
                let warm = r.isms(["history", id, "--format", format]), fresh = r.isms(["history", id, "--format", format, "--no-cache"])
                XCTAssertEqual(warm.status, fresh.status, id)
                XCTAssertEqual(warm.stdout, fresh.stdout, "\(id) \(format)")
                XCTAssertEqual(warm.stderr, fresh.stderr, "\(id) \(format)")
            }
        }
        XCTAssertEqual(r.history("RISK-9").count, 4)
    }

    /// The commits checked for a record hold every commit its entries come from, back through each id change.
    func testTheChecksOfOneRecordCoverEveryCommitItsEntriesRead() throws {
        let r = renumberedRisk()
        XCTAssertEqual(r.isms(["log"]).status, 0)
        let graph = try warmGraph(r)
        let cached = try XCTUnwrap(graph.cached)
        let history = History(
            graph: graph, tip: Int32(graph.count - 1), notices: [], commitsRead: 0, blobsParsed: 0, timings: PhaseTimings())
        for id in ["RISK-9", "RISK-5", "RISK-1", "RISK-2", "CTRL-1"] {
            let checked = try cached.validate(namingRecord: id, mentions: graph.mentions)
            let read = Set(try XCTUnwrap(history.entries(of: id)).map { graph.index[$0.commit.id]! })
            XCTAssertTrue(read.isSubset(of: checked), "\(id): read \(read.sorted()), checked \(checked.sorted())")
        }
        XCTAssertEqual(try cached.validate(namingRecord: "RISK-9", mentions: graph.mentions).count, 4)
        XCTAssertEqual(try cached.validate(namingRecord: "RISK-404", mentions: graph.mentions), [])
    }

    /// A commit the record's history reads, damaged behind a valid checksum (before the record's first id change), is
    /// found: the cache is rebuilt with a warning, as when every commit is checked. A damaged commit that does not name
    /// the record is not read by `history ID`, and is still found by a command that reads it.
    func testADamagedCommitIsFoundWhenTheRecordsHistoryReadsIt() throws {
        let r = renumberedRisk()
        let fresh = r.isms(["history", "RISK-9", "--no-cache"]).stdout
        let freshLog = r.isms(["log", "--no-cache"]).stdout
        let file = try cachePath(r)
        func damage(_ commit: Int) throws {
            XCTAssertEqual(r.isms(["log"]).status, 0)
            let graph = try warmGraph(r)
            var bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: file)))
            // The operation count now claims more operations than there are bytes.
            bytes[graph.cached!.opsBytes(commit).lowerBound] = 0x7F
            XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(HistoryCacheFuzzing.withValidChecksum(bytes))))
        }
        let unreadable = "isms: warning: the history cache \(file) is unreadable (count beyond the end); rebuilding it\n"

        // Commit 1 ("Lower likelihood") names RISK-1 only: reached through two id changes.
        try damage(1)
        let damaged = r.isms(["history", "RISK-9"])
        XCTAssertEqual(damaged.status, 0)
        XCTAssertEqual(damaged.stdout, fresh)
        XCTAssertEqual(damaged.stderr, unreadable)
        XCTAssertEqual(r.isms(["history", "RISK-9"]).stderr, "", "rebuilt")

        // Commit 2 ("Retire encryption") names CTRL-1 only.
        try damage(2)
        let unread = r.isms(["history", "RISK-9"])
        XCTAssertEqual(unread.stdout, fresh)
        XCTAssertEqual(unread.stderr, "")
        let log = r.isms(["log"])
        XCTAssertEqual(log.stdout, freshLog)
        XCTAssertEqual(log.stderr, unreadable)
    }

    /// The cache file is mapped, not read: a file that is not a regular file is still refused, and a missing one is
    /// simply written.
    func testTheCacheFileIsReadOnlyWhenItIsARegularFile() throws {
        let r = renumberedRisk()
        let fresh = r.isms(["history", "RISK-9", "--no-cache"]).stdout
        let file = try cachePath(r)
        XCTAssertEqual(r.isms(["history", "RISK-9"]).stdout, fresh)
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
        let folder = r.isms(["history", "RISK-9"])
        XCTAssertEqual(folder.stdout, fresh)
        XCTAssertTrue(folder.stderr.contains("is unreadable (not a regular file); rebuilding it"), folder.stderr)
        try FileManager.default.removeItem(atPath: file)
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        let empty = r.isms(["history", "RISK-9"])
        XCTAssertEqual(empty.stdout, fresh)
        XCTAssertTrue(empty.stderr.contains("is unreadable (not an isms history cache); rebuilding it"), empty.stderr)
        XCTAssertEqual(r.isms(["history", "RISK-9"]).stderr, "")
    }
}
