import Foundation
import XCTest

@testable import ISMSKit

/// Issue 13, "Example data an auditor would challenge" and the example's own figures: the records of example-isms
/// must not contradict themselves where a lead auditor would read them side by side. Each test failed on the
/// example as it was when the issue was filed (0ef74f2).
final class AuditorExampleTests: XCTestCase {
    func example() throws -> (ISMS, TemporaryFolder) {
        let folder = exampleISMSOutsideGit()
        return (try Loader.load(from: WorkTreeSource(root: folder.path)).isms, folder)
    }

    /// A.8.23 was excluded with a justification naming EDR (CTRL-45) as the control doing the job, and A.8.30 as "no
    /// outsourced development" while EXC-2 has contractors build the OCR model. Both are now applicable, implemented by
    /// the controls that do the job.
    func testTheExclusionsTheRecordsContradictAreApplicable() throws {
        let (isms, folder) = try example()
        defer { _ = folder }
        let excluded = Set(isms.config.soaExclusions.map(\.annexA))
        let soa = SOAReport.build(isms, asOf: Day("2026-12-01")!).tables[0]
        func implementing(_ annexA: String) -> String {
            guard let row = soa.rows.first(where: { $0[0].value == .text(annexA) }) else { return "no row" }
            if case .list(let items) = row[5].value { return items.joined(separator: "; ") }
            return ""
        }
        for (annexA, control) in [("A.8.23", "CTRL-45"), ("A.8.30", "CTRL-32")] {
            XCTAssertFalse(excluded.contains(annexA), "\(annexA) is excluded")
            XCTAssertTrue(implementing(annexA).contains(control), "\(annexA): \(implementing(annexA))")
        }
        // Whoever records contractors developing for us cannot also exclude outsourced development.
        let contractors = isms.records.filter { record in
            record.fields.values.contains {
                if case .string(let text) = $0.value { return text.contains("contractor") }; return false
            }
        }
        XCTAssertTrue(contractors.map(\.id).contains("EXC-2"))
        XCTAssertFalse(excluded.contains("A.8.30"))
    }

    /// A.5.6 rested on a planned control (CTRL-38) only: an applicable Annex A control needs one that is not just a plan.
    func testNoApplicableAnnexAControlRestsOnPlannedControlsOnly() throws {
        let (isms, folder) = try example()
        defer { _ = folder }
        var statuses = [String: [String]]()
        for control in isms.records(of: .control) where control.string("status") != "retired" {
            for annexA in control.list("annex_a") { statuses[annexA.value, default: []].append(control.string("status") ?? "") }
        }
        let plannedOnly = statuses.filter { $0.value.allSatisfy { $0 == "planned" } }.keys.sorted()
        XCTAssertEqual(plannedOnly, [], "applicable only through planned controls")
    }

    /// OBL-DORA-28 said "not a financial entity" while the obligations of DORA Art. 9–19 apply through the bank
    /// contracts: the justification must say which of them do.
    func testTheDORAExclusionNamesTheArticlesThatApplyThroughTheBankContracts() throws {
        let (isms, folder) = try example()
        defer { _ = folder }
        let justification = try XCTUnwrap(isms.record("OBL-DORA-28")?.string("justification"))
        let applicable = isms.records(of: .obligation).filter {
            $0.string("source") == "DORA" && $0.boolean("applies") != false
                && (9...19).contains(Int($0.id.replacingOccurrences(of: "OBL-DORA-", with: "")) ?? 0)
        }
        XCTAssertFalse(applicable.isEmpty)
        XCTAssertTrue(justification.contains("OBL-DORA-9"), justification)
        let numbers = Set(justification.matches(of: /[0-9]+/).map { String($0.output) })
        for obligation in applicable {
            XCTAssertTrue(
                numbers.contains(obligation.id.replacingOccurrences(of: "OBL-DORA-", with: "")),
                "\(obligation.id) applies through the bank contracts; OBL-DORA-28 does not say so: \(justification)")
        }
    }

    /// The management-review minutes claimed "restore tests 9/9" and "access review 4/4" with three restore tests and
    /// two access reviews on file: every n/m the minutes give cites the m evidence records it counts, n of them passed.
    func testEveryFigureOfTheMinutesCitesTheEvidenceItCounts() throws {
        let (isms, folder) = try example()
        defer { _ = folder }
        let minutes = try XCTUnwrap(folder.read("artifacts/2026-09-management-review-minutes.md"))
        let figures = minutes.matches(of: /([0-9]+)\/([0-9]+)([^;)]*)/)
        XCTAssertFalse(figures.isEmpty)
        for figure in figures {
            let (passed, of) = (Int(figure.output.1)!, Int(figure.output.2)!)
            let cited = figure.output.3.matches(of: /EV-[A-Za-z0-9-]+/).map { String($0.output) }
            XCTAssertEqual(cited.count, of, "\(figure.output.0) cites \(cited)")
            let records = cited.compactMap { isms.record($0) }.filter { $0.kind == .evidence }
            XCTAssertEqual(records.count, cited.count, "\(figure.output.0): evidence not on file")
            XCTAssertEqual(records.filter { $0.string("result") == "pass" }.count, passed, "\(figure.output.0)")
        }
    }

    /// RISK-25's residual counted the planned exit plan (CTRL-52): the residual is the score with the operating controls,
    /// what the planned control will bring is the target.
    func testTheResidualCountsOnlyOperatingControlsAndThePlanIsTheTarget() throws {
        let (isms, folder) = try example()
        defer { _ = folder }
        let risk = try XCTUnwrap(isms.record("RISK-25"))
        XCTAssertEqual(isms.record("CTRL-52")?.string("status"), "planned")
        XCTAssertEqual(risk.integer("residual.impact"), 4, "without the exit plan the impact stays")
        XCTAssertEqual(risk.integer("target.impact"), 3, "the exit plan lowers the impact once it operates")
        XCTAssertEqual(risk.integer("target.likelihood"), risk.integer("residual.likelihood"))
    }

    /// `continuous` meant one day, so 25 of the example's controls showed `due` on its own date: a feed is fresh for
    /// `continuous_days` (7), so one collected within the last week is `ok`.
    func testAContinuousFeedIsFreshForAWeek() throws {
        let (isms, folder) = try example()
        defer { _ = folder }
        let asOf = Day("2026-12-01")!
        let table = EvidenceReport.build(isms, asOf: asOf).tables[0]
        func column(_ key: String) throws -> Int { try XCTUnwrap(table.columns.firstIndex { $0.key == key }, key) }
        let (cadence, collected, next, status) = (
            try column("cadence"), try column("collected_on"), try column("next_due"), try column("status")
        )
        func day(_ cell: Cell) -> Day? { if case .text(let text) = cell.value { return Day(text) }; return nil }
        let fresh = table.rows.filter {
            $0[cadence].value == .text("continuous") && (day($0[collected]).map { $0 > asOf.adding(days: -7) } ?? false)
        }
        XCTAssertGreaterThan(fresh.count, 10)
        for row in fresh {
            XCTAssertEqual(day(row[next]), day(row[collected])?.adding(days: 7), "\(row[0].value)")
            XCTAssertEqual(row[status].value, .text("ok"), "\(row[0].value)")
        }
    }
}
