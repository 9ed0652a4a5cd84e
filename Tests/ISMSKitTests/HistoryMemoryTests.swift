import Foundation
import ISMSKit
import XCTest

/// A cold run frees each parsed record version once the commits compared so far that name it are tracked, and reads
/// a version again when a later commit names it: what is freed may change memory and speed, never the history.
final class HistoryMemoryTests: XCTestCase {
    /// A version met again after it was freed (a revert to an earlier text, a merge bringing a branch's change made
    /// commits before, a record restored): tracking one commit behind gives what tracking far behind gives.
    func testRecordVersionsFreedAndMetAgainGiveTheSameHistory() throws {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("risks/r2.yaml", riskYAML("RISK-2"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "planned\ndue: 2027-03-01"))
        r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "topic")
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "operating"))
        r.commit("Encryption is operating", by: .bob, at: "2026-01-06T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        r.commit("Lower likelihood", by: .carol, at: "2026-01-07T10:00:00+01:00")
        r.remove("risks/r2.yaml")
        r.touchUnrelated()
        r.commit("Drop RISK-2", at: "2026-01-08T10:00:00+01:00")
        // The first texts again: their blobs were parsed three commits ago.
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("risks/r2.yaml", riskYAML("RISK-2"))
        r.commit("Back to the first assessment; RISK-2 restored", by: .bob, at: "2026-01-09T10:00:00+01:00")
        r.touchUnrelated()
        r.commit("Unrelated", at: "2026-01-10T10:00:00+01:00")
        // The merge's diff with its first parent holds the branch's control, parsed five commits ago.
        _ = r.git("merge", "-q", "--no-ff", "--no-commit", "topic")
        r.commit("Merge topic", by: .alice, at: "2026-01-11T10:00:00+01:00")

        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        func load(lag: Int) throws -> History {
            let engine = try workspace.historyEngine()
            engine.trackingLag = lag
            return try engine.load(HistoryOptions(useCache: false))
        }
        let far = try load(lag: 256), near = try load(lag: 1)
        func describe(_ history: History) -> [String] {
            history.log().map { entry in
                "\(entry.commit.id.hex) \(entry.record) \(entry.event) \(entry.path) "
                    + entry.changes.map { "\($0.field): \(String(describing: $0.old)) → \(String(describing: $0.new))" }
                    .joined(separator: "; ")
            }
        }
        XCTAssertEqual(describe(near), describe(far))
        XCTAssertEqual(near.blobsParsed, far.blobsParsed, "a version read again counts once")
        for id in ["RISK-1", "RISK-2", "CTRL-1"] {
            XCTAssertEqual(
                near.blame(id)?.map { "\($0.field) \($0.value) \($0.commit.id.hex)" },
                far.blame(id)?.map { "\($0.field) \($0.value) \($0.commit.id.hex)" }, id)
        }
        XCTAssertTrue(describe(far).contains { $0.contains("RISK-2 restored") }, describe(far).joined(separator: "\n"))
        XCTAssertEqual(far.entries(of: "CTRL-1")?.count, 2)
    }
}
