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

    /// Two branches merged, with committer dates out of order: the order is not just the graph's numbering.
    private func mergedBranches() -> ISMSRepository {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        let base = r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "side")
        r.write("risks/r2.yaml", riskYAML("RISK-2"))
        r.commit("Side: add a risk", by: .bob, at: "2026-01-09T10:00:00+01:00")
        r.write("risks/r2.yaml", riskYAML("RISK-2", likelihood: 2))
        r.commit("Side: rescore", by: .bob, at: "2026-01-06T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        r.commit("Main: rescore", by: .carol, at: "2026-01-10T10:00:00+01:00")
        _ = r.git("merge", "-q", "--no-ff", "-m", "Merge side", "side")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2, impact: 2))
        r.commit("Main: rescore again", at: "2026-01-11T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "old", base)
        _ = r.git("checkout", "-q", "main")
        return r
    }

    /// The places a cache file keeps are the newest-first order of its tip, and a warm run's queries list as a fresh
    /// run's do; a run at another revision orders its commits itself.
    func testTheStoredPlacesAreTheNewestFirstOrder() throws {
        let r = mergedBranches()
        XCTAssertEqual(r.isms(["log"]).status, 0)
        let graph = try warmGraph(r)
        let places = try XCTUnwrap(graph.cached?.tipPlaces)
        let tip = try XCTUnwrap(graph.index[try XCTUnwrap(ObjectID(hex: r.git("rev-parse", "HEAD")))])
        let order = History.newestFirst(from: tip, in: graph)
        XCTAssertEqual(order.count, 6)
        XCTAssertEqual(order.map { places[Int($0)] }, Array(0..<Int32(order.count)))
        XCTAssertEqual(places.filter { $0 >= 0 }.count, order.count)
        for command in [["log"], ["history", "RISK-1"], ["history", "RISK-2"], ["blame", "RISK-1"], ["log", "--rev", "HEAD~1"]] {
            for format in ["text", "json"] {
                let warm = r.isms(command + ["--format", format]), fresh = r.isms(command + ["--format", format, "--no-cache"])
                XCTAssertEqual(warm.stdout, fresh.stdout, "\(command) \(format)")
                XCTAssertEqual(warm.stderr, fresh.stderr, "\(command) \(format)")
            }
        }
    }

    /// Places that are not a newest-first order of the tip's ancestry, behind a valid checksum, are refused when read.
    func testPlacesOutOfOrderAreRefused() throws {
        let r = mergedBranches()
        XCTAssertEqual(r.isms(["log"]).status, 0)
        let file = try cachePath(r)
        let bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: file)))
        let places = try XCTUnwrap(try warmGraph(r).cached?.tipPlaces)
        let encoded = places.flatMap { withUnsafeBytes(of: UInt32(bitPattern: $0).littleEndian, Array.init) }
        let start = try XCTUnwrap(
            (0...(bytes.count - encoded.count)).first { Array(bytes[$0..<($0 + encoded.count)]) == encoded })
        func refused(_ change: (inout [UInt32]) -> Void) -> String? {
            var changed = places.map { UInt32(bitPattern: $0) }
            change(&changed)
            var tampered = bytes
            tampered.replaceSubrange(
                start..<(start + encoded.count), with: changed.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
            do {
                _ = try HistoryCache.decode(HistoryCacheFuzzing.withValidChecksum(tampered))
                return nil
            } catch {
                return "\(error)"
            }
        }
        XCTAssertNil(refused { _ in })
        let tip = places.firstIndex(of: 0)!, root = places.firstIndex(of: places.max()!)!
        XCTAssertEqual(refused { $0.swapAt(tip, root) }, "bad places")
        XCTAssertEqual(refused { $0[root] = $0[tip] }, "bad place")
        XCTAssertEqual(refused { $0[root] = .max }, "a parent placed before its child")
        XCTAssertEqual(refused { $0[tip] = UInt32(places.count) }, "bad place")
        // The root (placed last) and its child (placed just before it) swapped.
        let child = places.firstIndex(of: places.max()! - 1)!
        XCTAssertEqual(refused { $0.swapAt(child, root) }, "a parent placed before its child")

        // Damaged so, the file is rebuilt with a warning and the output is a fresh run's.
        var tampered = bytes
        tampered[start + 4 * root] ^= 0x01
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(HistoryCacheFuzzing.withValidChecksum(tampered))))
        let damaged = r.isms(["history", "RISK-1"])
        XCTAssertEqual(damaged.stdout, r.isms(["history", "RISK-1", "--no-cache"]).stdout)
        XCTAssertTrue(damaged.stderr.hasSuffix("is unreadable (bad place); rebuilding it\n"), damaged.stderr)
    }

    /// A file whose commits include one its tip does not reach (isms never writes one: it drops them; a file carried
    /// between CI jobs or tampered with may hold one), with places that put it in the tip's order behind a valid
    /// checksum, parent-closed and each parent after its child, is refused: a warm run must not count a commit of
    /// another branch in this branch's history (without the places, the order never held it).
    func testPlacesThatPutACommitTheTipDoesNotReachInItsOrderAreRefused() throws {
        let r = mergedBranches()
        let main = r.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = r.git("checkout", "-q", "old")
        r.write("risks/r3.yaml", riskYAML("RISK-3"))
        let stray = r.commit("Old: add a risk", by: .bob, at: "2026-01-12T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "both", "main")
        _ = r.git("merge", "-q", "--no-ff", "-m", "Merge old", "old")
        XCTAssertEqual(r.isms(["log"]).status, 0)  // a file of every commit, for the tip "both"
        let file = try cachePath(r)
        let (header, graph) = try HistoryCache.decode(try XCTUnwrap(FileManager.default.contents(atPath: file)))
        let mainIndex = try XCTUnwrap(graph.index[try XCTUnwrap(ObjectID(hex: main))])
        let strayIndex = try XCTUnwrap(graph.index[try XCTUnwrap(ObjectID(hex: stray))])
        // main's newest-first order with the stray commit placed just before its parent, the root (placed last).
        var order = History.newestFirst(from: mainIndex, in: graph)
        XCTAssertEqual(Array(graph.nodes[Int(strayIndex)].parents), [order.last!])
        order.insert(strayIndex, at: order.count - 1)
        var forgedHeader = header
        forgedHeader.tip = ObjectID(hex: main)
        let forged = HistoryCache.encode(graph, header: forgedHeader, order: order)
        XCTAssertThrowsError(try HistoryCache.decode(forged)) { error in
            XCTAssertEqual("\(error)", "a placed commit the tip does not reach")
        }
        _ = r.git("checkout", "-q", "main")
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(forged)))
        let warm = r.isms(["log"])
        XCTAssertFalse(warm.stdout.contains("RISK-3"), warm.stdout)
        XCTAssertEqual(warm.stdout, r.isms(["log", "--no-cache"]).stdout)
    }

    /// Each revision of the format (the places section; names that are not UTF-8 refused; merges' contested paths
    /// told apart byte for byte) changes the version:
    /// a file of the previous revision is refused, never misread.
    func testAFileOfThePreviousFormatRevisionIsRefused() throws {
        let hash = fnv1a(Array("\(HistoryCache.formatRevision - 1) \(HistoryCache.layoutFingerprint)".utf8))
        let previous = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        XCTAssertEqual(HistoryCache.formatRevision, 7)
        XCTAssertNotEqual(previous, HistoryCache.formatVersion)
        let r = mergedBranches()
        XCTAssertEqual(r.isms(["log"]).status, 0)
        var bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: try cachePath(r))))
        withUnsafeBytes(of: previous.littleEndian) { bytes.replaceSubrange(8..<12, with: $0) }
        XCTAssertThrowsError(try HistoryCache.decode(HistoryCacheFuzzing.withValidChecksum(bytes))) { error in
            XCTAssertEqual("\(error)", "cache format \(previous), expected \(HistoryCache.formatVersion)")
        }
    }
}
