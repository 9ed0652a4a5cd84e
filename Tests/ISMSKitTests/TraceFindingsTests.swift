import Foundation
import XCTest

@testable import ISMSKit

/// Issue 13: every break in `report trace` is a finding of `isms check`, or the trace says why it is not one
/// (example-isms gave 0 findings while the trace counted 4 chains with a break).
final class TraceFindingsTests: XCTestCase {
    func unexplainedBreaks(_ folder: TemporaryFolder) throws -> [String] {
        let asOf = Day("2026-12-01")!
        let result = try Checker.check(WorkTreeSource(root: folder.path), asOf: asOf)
        let flagged = Set(result.findings.compactMap(\.record))
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let table = TraceReport.build(isms, asOf: asOf).tables[0]
        var unexplained = [String]()
        for row in table.rows {
            func text(_ index: Int) -> String? { if case .text(let s) = row[index].value { return s }; return nil }
            guard case .list(let breaks) = row[10].value else { continue }
            var ids = [text(0), text(3)].compactMap { $0 }
            if case .list(let obligations) = row[9].value { ids += obligations }
            for item in breaks where !item.contains("not a finding") && ids.allSatisfy({ !flagged.contains($0) }) {
                unexplained.append("\(ids.joined(separator: " → ")): \(item)")
            }
        }
        return unexplained
    }

    func testEveryBreakOfTheExampleIsAFindingOrExplained() throws {
        let folder = exampleISMSOutsideGit()
        XCTAssertEqual(try unexplainedBreaks(folder), [])
    }

    func testPlantedBreaksAreFindings() throws {
        let folder = exampleISMSOutsideGit()
        // An operating control with no evidence, a planned control past its date, a risk with no treatment.
        folder.write("controls/planted-1.yaml", "id: CTRL-901\ntitle: Planted\nowner: twendt\nstatus: operating\nevery: yearly\n")
        folder.write("controls/planted-2.yaml", "id: CTRL-902\ntitle: Planted\nowner: twendt\nstatus: planned\ndue: 2026-10-01\n")
        folder.write(
            "risks/planted-3.yaml",
            "id: RISK-903\ntitle: Planted\nowner: twendt\ncontrols: [CTRL-901, CTRL-902]\nreview: {last: 2026-10-01, every: yearly}\n")
        XCTAssertEqual(try unexplainedBreaks(folder), [])
    }
}
