import Foundation
import XCTest

@testable import ISMSKit

/// Issue 13: the reports say no more than the records prove, on example-isms as of 2026-12-01.
final class ReportTruthTests: XCTestCase {
    func text(_ cell: Cell) -> String {
        switch cell.value {
        case .text(let s): return s
        case .list(let items): return items.joined(separator: "; ")
        default: return ""
        }
    }

    func row(_ table: ReportTable, _ key: String, column: Int = 0) throws -> [Cell] {
        try XCTUnwrap(table.rows.first { text($0[column]) == key }, "no row \(key)")
    }

    func example() throws -> (ISMS, TemporaryFolder) {
        let folder = exampleISMSOutsideGit()
        return (try Loader.load(from: WorkTreeSource(root: folder.path)).isms, folder)
    }

    func testTheSOAStatusIsTheWorstOfTheImplementingControlsWithTheReason() throws {
        let (isms, folder) = try example()
        defer { _ = folder }
        let table = SOAReport.build(isms, asOf: Day("2026-12-01")!).tables[0]
        // CTRL-20's restore test failed and CTRL-52 is planned: A.5.30 was shown as operating.
        let bcp = text(try row(table, "A.5.30")[6])
        XCTAssertTrue(bcp.hasPrefix("evidence failed: CTRL-20 newest evidence EV-2026-11-restore-test failed"), bcp)
        XCTAssertTrue(bcp.contains("CTRL-52 planned (due 2027-03-31)"), bcp)
        // Retired CTRL-14 no longer implements A.8.20.
        let network = try row(table, "A.8.20")
        XCTAssertFalse(text(network[5]).contains("CTRL-14"), text(network[5]))
        XCTAssertEqual(text(network[6]), "operating")
    }

    func testCoverageCountsOnlyControlsProvenToOperate() throws {
        let (isms, folder) = try example()
        defer { _ = folder }
        let obligations = CoverageReport.build(isms, asOf: Day("2026-12-01")!).tables[1]
        let rto = try row(obligations, "OBL-INT-BCP-RTO", column: 1)
        XCTAssertEqual(text(rto[4]), "not proven", "the restore test that proves the RTO failed")
        XCTAssertTrue(text(rto[5]).contains("CTRL-20 newest evidence EV-2026-11-restore-test failed"), text(rto[5]))
        let notice = try row(obligations, "OBL-CONTRACT-DPA-6-2", column: 1)
        XCTAssertEqual(text(notice[4]), "covered")
    }

    func testResultlessEvidenceProvesNothing() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", "name: x\n")
        folder.write(
            "controls/ctrl-1.yaml",
            "id: CTRL-1\ntitle: Backups\nowner: a\nstatus: operating\nevery: yearly\nannex_a: [A.8.13]\nsatisfies: [OBL-1]\n")
        folder.write("obligations/obl-1.yaml", "id: OBL-1\ntitle: Backups\nowner: a\nsource: internal\n")
        folder.write("evidence/ev-1.yaml", "id: EV-1\ntitle: Log\ncontrol: CTRL-1\ncollected_on: 2026-06-01\n")
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let soa = SOAReport.build(isms, asOf: Day("2026-12-01")!).tables[0]
        let backup = try row(soa, "A.8.13")
        XCTAssertEqual(text(backup[6]), "evidence missing: CTRL-1 evidence EV-1 has no result")
        let coverage = CoverageReport.build(isms, asOf: Day("2026-12-01")!).tables[1]
        let obligation = try row(coverage, "OBL-1", column: 1)
        XCTAssertEqual(text(obligation[4]), "not proven")
    }

    /// An operating control with no `every`, whose 2019 evidence reads `ok`: without a cadence nothing is ever out of
    /// date, so the SoA and coverage cannot call the control operating (they did, beside a missing-cadence warning).
    func testEvidenceWithoutACadenceIsNotCurrent() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", "name: x\n")
        folder.write(
            "controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: a\nstatus: operating\nannex_a: [A.8.13]\nsatisfies: [OBL-1]\n")
        folder.write("obligations/obl-1.yaml", "id: OBL-1\ntitle: Backups\nowner: a\nsource: internal\n")
        folder.write("evidence/ev-1.yaml", "id: EV-1\ntitle: Log\ncontrol: CTRL-1\ncollected_on: 2019-03-01\nresult: pass\n")
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let soa = SOAReport.build(isms, asOf: Day("2026-12-01")!)
        XCTAssertEqual(
            text(try row(soa.tables[0], "A.8.13")[6]),
            "cadence not recorded: CTRL-1 has no cadence (every): its evidence cannot be judged current")
        XCTAssertEqual(soa.summary.first { $0.key == "unproven" }?.value, .integer(1))
        let coverage = CoverageReport.build(isms, asOf: Day("2026-12-01")!).tables[1]
        XCTAssertEqual(text(try row(coverage, "OBL-1", column: 1)[4]), "not proven")
        // With a cadence the same evidence is stale, and fresh evidence makes the control operate.
        folder.write(
            "controls/ctrl-1.yaml",
            "id: CTRL-1\ntitle: Backups\nowner: a\nstatus: operating\nevery: yearly\nannex_a: [A.8.13]\nsatisfies: [OBL-1]\n")
        folder.write("evidence/ev-1.yaml", "id: EV-1\ntitle: Log\ncontrol: CTRL-1\ncollected_on: 2026-03-01\nresult: pass\n")
        let fresh = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        XCTAssertEqual(text(try row(SOAReport.build(fresh, asOf: Day("2026-12-01")!).tables[0], "A.8.13")[6]), "operating")
    }
}

/// Issue 13: coverage used the ISMS's own records as its denominator ("3 of 3 = 100%" of 34 catalogued clauses).
final class CoverageCatalogueTests: XCTestCase {
    func testTheCatalogueIsTheDenominator() throws {
        let folder = exampleISMSOutsideGit()
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let frameworks = CoverageReport.build(isms, asOf: Day("2026-12-01")!).tables[0]
        let iso = try XCTUnwrap(frameworks.rows.first { $0[0].value == .text("ISO27001") })
        XCTAssertEqual(iso.last?.value, .text("ISO27001 clauses 4–10: 3 of 34 covered"))
        let nis2 = try XCTUnwrap(frameworks.rows.first { $0[0].value == .text("NIS2") })
        // By paragraph: the nine points of 21(2) covered, and Art. 23 as a whole (its eleven paragraphs).
        XCTAssertEqual(nis2.last?.value, .text("NIS2 Art. 20–23 by paragraph, 21(2)(a)–(j) by point: 20 of 29 covered"))
        // DORA: Art. 9, 10, 11 and 17 whole (4 + 4 + 11 + 3 paragraphs), 19(1), and 30(2) and 30(3) of one reference.
        let dora = try XCTUnwrap(frameworks.rows.first { $0[0].value == .text("DORA") })
        XCTAssertEqual(dora.last?.value, .text("DORA Art. 5–30 by paragraph: 25 of 125 covered"))
    }
}

/// Issue 13: the HTML pack had no exception, supplier or asset register, showed owners as roster keys and said
/// "from the records in git" outside git.
final class AuditPackRegisterTests: XCTestCase {
    func testThePackHoldsEveryRegisterWithPeopleByNameAndHonestProvenance() throws {
        let folder = exampleISMSOutsideGit()
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let asOf = Day("2026-12-01")!
        let outside = HTMLReportRenderer.pack(AuditPack(isms, asOf: asOf, generator: "isms test"))
        XCTAssertFalse(outside.contains("from the records in git"))
        XCTAssertTrue(
            HTMLReportRenderer.pack(AuditPack(isms, asOf: asOf, generator: "isms test", inGit: true)).contains("from the records in git"))
        for table in ["registers-acceptances", "registers-exceptions", "registers-suppliers", "registers-assets", "registers-obligations"] {
            XCTAssertTrue(outside.contains("id=\"\(table)\""), table)
        }
        let registers = RegistersReport.build(isms, asOf: asOf)
        let acceptance = try XCTUnwrap(registers.tables[0].rows.first { $0[0].value == .text("RISK-19") })
        XCTAssertEqual(acceptance[3].value, .text("Miriam Kessler (mkessler)"))
        XCTAssertEqual(acceptance[4].value, .text("2026-03-18"))
        let exception = try XCTUnwrap(registers.tables[1].rows.first { $0[0].value == .text("EXC-1") })
        XCTAssertEqual(exception[4].value, .text("Tobias Wendt (twendt)"), "requested by")
        XCTAssertEqual(exception[5].value, .text("Priya Raman (praman)"), "approved by")
    }
}
