import Foundation
import XCTest

@testable import ISMSKit

/// The registers of the operating rhythm: nonconformities, audits, objectives, incidents (golden files cover
/// example-isms; these cover the states it does not have).
final class RhythmReportsTests: XCTestCase {
    private func isms(_ files: [(String, String)]) throws -> ISMS {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        for (path, content) in files { folder.write(path, content) }
        return try Loader.load(from: WorkTreeSource(root: folder.path)).isms
    }

    private func column(_ document: ReportDocument, table: Int = 0, _ key: String) -> [String] {
        guard let index = document.tables[table].columns.firstIndex(where: { $0.key == key }) else { return [] }
        return document.tables[table].rows.map { $0[index].value.text }
    }

    func testOverdueActionsAndUncheckedClosures() throws {
        let ncs = try isms([
            (
                "nonconformities/nc-1.yaml",
                "id: NC-1\ntitle: x\nowner: alice\nsource: {type: audit}\ntype: major\nactions:\n  CA-1: {action: a, owner: bob, due: 2026-11-01}\n  CA-2: {action: b, owner: bob, due: 2026-12-31}\nstatus: closed\n"
            )
        ])
        let report = NonconformitiesReport.build(ncs, asOf: Day("2026-12-01")!)
        XCTAssertEqual(column(report, table: 1, "status"), ["overdue", "open"])
        XCTAssertEqual(column(report, "effectiveness"), ["not checked"])
        XCTAssertEqual(column(report, "root_cause"), ["missing"])
        XCTAssertEqual(report.summary.first { $0.key == "overdue_actions" }?.value, .integer(1))
    }

    func testTheProgrammeMatrixShowsGapsAndOverdueAudits() throws {
        let audits = try isms([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: People control\nowner: bob\nstatus: planned\nannex_a: [A.6.3]\n"),
            (
                "audits/aud-1.yaml",
                "id: AUD-1\ntitle: x\nowner: alice\ntype: internal\nplanned_on: 2026-10-01\nscope: {clauses: ['4', '5']}\n"
            ),
            (
                "audits/aud-2.yaml",
                "id: AUD-2\ntitle: y\nowner: alice\ntype: external\nstatus: performed\nplanned_on: 2026-02-01\nperformed_on: 2026-02-02\nscope: {clauses: ['6'], annex_a: [A.6.3]}\n"
            ),
        ])
        let report = AuditsReport.build(audits, asOf: Day("2026-12-01")!)
        XCTAssertEqual(column(report, "audit"), ["AUD-2", "AUD-1"])
        XCTAssertEqual(column(report, "status"), ["performed", "overdue"])
        XCTAssertEqual(report.tables[1].columns.map(\.key), ["subject", "AUD-2", "AUD-1", "coverage"])
        XCTAssertEqual(
            column(report, table: 1, "coverage"),
            ["gap", "gap", "covered", "gap", "gap", "gap", "gap", "not applicable", "covered", "not applicable", "not applicable"],
            "an overdue planned audit covers nothing; A.6 is applicable through CTRL-1")
    }

    func testObjectiveStatusesAndNotificationDeadlines() throws {
        let records = try isms([
            (
                "objectives/obj-1.yaml",
                "id: OBJ-1\ntitle: x\nowner: alice\nmeasure: m\ntarget: {value: 5, comparison: at-most}\ndue: 2026-11-30\n"
            ),
            ("objectives/obj-2.yaml", "id: OBJ-2\ntitle: y\nowner: alice\nmeasure: m\ntarget: {value: 5, comparison: at-most}\n"),
            ("evidence/ev-1.yaml", "id: EV-1\ntitle: m\nobjective: OBJ-1\nvalue: 7\ncollected_on: 2026-11-01\n"),
            (
                "incidents/inc-1.yaml",
                "id: INC-1\ntitle: z\nowner: alice\ndetected_at: 2026-11-29T10:00:00Z\nnis2_significant: true\nnotifications:\n  nis2_early_warning: {sent_at: 2026-11-30T11:00:00Z}\n"
            ),
        ])
        let objectives = ObjectivesReport.build(records, asOf: Day("2026-12-01")!)
        XCTAssertEqual(column(objectives, "status"), ["missed", "unmeasured"])
        let incidents = IncidentsReport.build(records, asOf: Day("2026-12-01")!)
        XCTAssertEqual(
            column(incidents, table: 1, "notification"), ["NIS2 early warning", "NIS2 incident notification", "NIS2 final report"])
        XCTAssertEqual(column(incidents, table: 1, "status"), ["late", "due", "due"])
        XCTAssertEqual(column(incidents, table: 1, "deadline"), ["2026-11-30 10:00 UTC", "2026-12-02 10:00 UTC", "2027-01-02 10:00 UTC"])
    }
}
