import Foundation
import XCTest

@testable import ISMSKit

/// Issue 13: cadences in calendar time, continuous feeds with a freshness window, and gaps in the audit period.
final class CalendarCadenceTests: XCTestCase {
    func day(_ text: String) -> Day { Day(text)! }

    func testMonthsAndYearsAreCalendarMonthsClampedToTheMonthsEnd() {
        XCTAssertEqual(Cadence.monthly.next(after: day("2026-01-31")), day("2026-02-28"))
        XCTAssertEqual(Cadence.monthly.next(after: day("2028-01-31")), day("2028-02-29"))
        XCTAssertEqual(Cadence.quarterly.next(after: day("2026-11-30")), day("2027-02-28"))
        XCTAssertEqual(Cadence.yearly.next(after: day("2028-02-29")), day("2029-02-28"))
        XCTAssertEqual(Cadence.monthly.next(after: day("2026-12-15")), day("2027-01-15"))
        XCTAssertEqual(day("2026-03-31").adding(months: -1), day("2026-02-28"))
        XCTAssertEqual(day("2026-01-15").adding(months: -13), day("2024-12-15"))
        // A quarterly schedule does not drift: four quarters from 2026-01-15 is 2027-01-15 (92-day steps made it 2027-01-23).
        var d = day("2026-01-15")
        for _ in 1...4 { d = Cadence.quarterly.next(after: d)! }
        XCTAssertEqual(d, day("2027-01-15"))
        XCTAssertNil(Cadence.onEvent.next(after: d))
    }

    /// RISK-15 of example-isms, last reviewed 2026-04-15 yearly, is due 2027-04-15 (it showed 2027-04-16).
    func testTheExampleReviewIsDueOnTheSameDayNextYear() throws {
        let folder = exampleISMSOutsideGit()
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let table = RegisterReport.build(isms, asOf: day("2026-12-01")).tables[0]
        let row = try XCTUnwrap(
            table.rows.first {
                if case .text("RISK-15") = $0[0].value { return true }; return false
            })
        XCTAssertEqual(row.last.map { "\($0.value)" }?.contains("2027-04-15"), true, "\(row.last.map { "\($0.value)" } ?? "")")
    }

    func testContinuousEvidenceIsFreshForContinuousDays() throws {
        let control = ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Feed\nowner: alice\nstatus: operating\nevery: continuous\n")
        let risk = ("risks/risk-1.yaml", "id: RISK-1\ntitle: R\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\n")
        let evidence = ("evidence/ev-1.yaml", "id: EV-1\ntitle: Feed export\ncontrol: CTRL-1\ncollected_on: 2026-11-24\nresult: pass\n")
        XCTAssertEqual(try findings(of: RuleExample([control, risk, evidence])).filter { $0.rule == "stale-evidence" }.count, 0)
        let tight = ("isms.yaml", RuleExample.defaultConfig + "continuous_days: 2\n")
        XCTAssertEqual(try findings(of: RuleExample([tight, control, risk, evidence])).filter { $0.rule == "stale-evidence" }.count, 1)
    }

    func testEvidenceGapCountsEndedIntervalsFromTheFirstEvidence() throws {
        let control = ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Restore test\nowner: alice\nstatus: operating\nevery: monthly\n")
        let risk = ("risks/risk-1.yaml", "id: RISK-1\ntitle: R\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\n")
        func ev(_ on: String) -> (String, String) {
            ("evidence/ev-\(on).yaml", "id: EV-\(on)\ntitle: Restore\ncontrol: CTRL-1\ncollected_on: \(on)\nresult: pass\n")
        }
        // First evidence 2026-09-10: intervals from then; 2026-11-10 to 2026-12-09 has not ended yet.
        let clean = try findings(of: RuleExample([control, risk, ev("2026-09-10"), ev("2026-10-12")])).filter { $0.rule == "evidence-gap" }
        XCTAssertEqual(clean.count, 0)
        let gap = try findings(of: RuleExample([control, risk, ev("2026-08-10"), ev("2026-10-12")])).filter { $0.rule == "evidence-gap" }
        XCTAssertEqual(
            gap.map(\.message),
            [
                "control CTRL-1 (Restore test) has evidence for 2 of 3 monthly intervals in the audit period; "
                    + "none for 2026-09-10 to 2026-10-09"
            ])
        // The audit period starts 12 months back: a gap before it is not counted.
        let old = try findings(
            of: RuleExample([control, risk, ev("2024-01-10")] + (0..<11).map { ev(String(format: "2025-%02d-20", $0 + 1)) }))
        XCTAssertTrue(old.filter { $0.rule == "evidence-gap" }.first?.message.contains("for 0 of") ?? false, "\(old)")
        let audit = try findings(
            of: RuleExample([
                ("isms.yaml", RuleExample.defaultConfig + "audit_period: 1\n"), control, risk, ev("2026-08-10"), ev("2026-10-12"),
            ]))
        XCTAssertEqual(
            audit.filter { $0.rule == "evidence-gap" }.map(\.message),
            [
                "control CTRL-1 (Restore test) has evidence for 0 of 1 monthly intervals in the audit period; none for 2026-11-02 to 2026-12-01"
            ],
            "audit_period: 1 is the month before the as-of day")
    }
}
