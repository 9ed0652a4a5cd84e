import Foundation
import ISMSKit
import ISMSLoading
import ISMSModel
import ISMSRules
import XCTest

/// `GovernanceContext.blame` reads the tip's fields from the history cache's snapshot when it is the tip's, and asks
/// `History.blame` otherwise: both give `History.blame`'s answers.
final class GovernanceBlameTests: XCTestCase {
    private func repository() -> ISMSRepository {
        let r = ISMSRepository()
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "planned\ndue: 2027-03-01"))
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "operating"))
        r.commit("Encryption is operating", by: .bob, at: "2026-01-06T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2, extra: "review: {last: 2026-01-07, every: yearly}\n"))
        r.write("risks/r2.yaml", riskYAML("RISK-2", controls: []))
        r.commit("Lower likelihood, add RISK-2", by: .carol, at: "2026-01-07T10:00:00+01:00")
        return r
    }

    private func lines(_ blame: [String: GovernanceContext.FieldSetter]?) -> [String]? {
        blame?.map { "\($0.key) \($0.value.value) \($0.value.commit.id.hex) \($0.value.commit.author.name)" }.sorted()
    }

    private func lines(_ blame: [BlameLine]?) -> [String]? {
        blame?.map { "\($0.field) \($0.value) \($0.commit.id.hex) \($0.commit.author.name)" }.sorted()
    }

    private func assertSameBlame(_ r: ISMSRepository, at revision: String, useCache: Bool, snapshotIsTip: Bool?) throws {
        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        var notes = [String]()
        let governance = try XCTUnwrap(
            try workspace.governance(at: revision, trustRef: nil, config: Config(), useCache: useCache, notes: &notes))
        if let snapshotIsTip {
            XCTAssertEqual(governance.history.graph.snapshotCommit == governance.history.tip, snapshotIsTip, revision)
        }
        for id in ["RISK-1", "RISK-2", "CTRL-1", "RISK-9"] {
            let expected = lines(governance.history.blame(id))
            XCTAssertEqual(lines(governance.blame(id)), expected, "\(id) at \(revision)")
            if id != "RISK-9" && !(revision == "HEAD~1" && id == "RISK-2") { XCTAssertNotNil(expected, id) }
        }
    }

    /// `setter(of:in:)` and `uncommittedFields(of:)` read one record's committed fields without decoding every
    /// field's commit as `blame` does: the same answers as asking `blame`, for records with a field changed, added
    /// and removed in the work tree, an unchanged record and one not committed, warm (the snapshot is the tip's)
    /// and replayed (an older revision).
    func testSetterAndUncommittedFieldsAgreeWithBlame() throws {
        let r = repository()
        r.write("risks/r1.yaml", riskYAML("RISK-1", title: "Laptop stolen", likelihood: 4, extra: "assets: [ASSET-1]\n"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "operating"))
        r.write("risks/r3.yaml", riskYAML("RISK-3"))
        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        let records = try Loader.load(from: workspace.workTreeSource).isms.records
        XCTAssertEqual(records.count, 4)
        for (revision, useCache) in [("HEAD", false), ("HEAD", true), ("HEAD", true), ("HEAD~1", true)] {
            var notes = [String]()
            let governance = try XCTUnwrap(
                try workspace.governance(at: revision, trustRef: nil, config: Config(), useCache: useCache, notes: &notes))
            var compared = 0
            for record in records {
                let blame = governance.blame(record.id)
                let expected = blame.map { blame in
                    Set(blame.keys).union(record.fields.keys).filter { record.fields[$0]?.value != blame[$0]?.value }
                }
                XCTAssertEqual(governance.uncommittedFields(of: record), expected, "\(record.id) at \(revision)")
                for field in Set(blame?.keys.map { $0 } ?? []).union(record.fields.keys) {
                    let line = blame?[field]
                    let setter = line.flatMap { record.fields[field]?.value == $0.value ? $0.commit.id : nil }
                    XCTAssertEqual(governance.setter(of: field, in: record)?.id, setter, "\(record.id).\(field) at \(revision)")
                    compared += 1
                }
            }
            XCTAssertGreaterThan(compared, 20)
            if revision == "HEAD" {
                // The edits are seen: RISK-1's title and likelihood changed, a field added and review removed.
                let risk = try XCTUnwrap(records.first { $0.id == "RISK-1" })
                XCTAssertEqual(governance.uncommittedFields(of: risk), ["title", "likelihood", "assets", "review.last", "review.every"])
                XCTAssertEqual(governance.uncommittedFields(of: try XCTUnwrap(records.first { $0.id == "CTRL-1" })), [])
                XCTAssertNil(governance.uncommittedFields(of: try XCTUnwrap(records.first { $0.id == "RISK-3" })))
            }
        }
    }

    func testBlameFromTheSnapshotIsHistoryBlame() throws {
        let r = repository()
        try assertSameBlame(r, at: "HEAD", useCache: false, snapshotIsTip: nil)
        try assertSameBlame(r, at: "HEAD", useCache: true, snapshotIsTip: nil)
        // Warm: the cache's snapshot is HEAD's, read rather than replayed.
        try assertSameBlame(r, at: "HEAD", useCache: true, snapshotIsTip: true)
        // An older revision than the snapshot's: History.blame replays it.
        try assertSameBlame(r, at: "HEAD~1", useCache: true, snapshotIsTip: false)
    }
}
