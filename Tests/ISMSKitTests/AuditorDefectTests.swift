import Foundation
import XCTest

@testable import ISMSKit

// Issue 13, "Done when": every item of its "Why" is a test. Each test below failed on the main the issue was filed
// against (0ef74f2): the example-data tests with the example's fixes reverted, the others by running their scenario
// through the isms built from 0ef74f2 (their APIs did not exist then).
//
// | "Why" item                                                    | test (Suite/testName)                                   |
// | ------------------------------------------------------------- | ------------------------------------------------------- |
// | scales fixed at 1–5, level bands hard-coded                   | RiskMethodTests/testAMethodIsRead, …/testAMatrixRanksLevelsInTheOrderTheyFirstAppear, RiskMethodRegisterTests/testTheRegisterUsesTheMethodsScalesAndLevels |
// | no acceptance criteria, appetite, authority or longest period | AuditorDefectTests/testEveryPlantedDefectIsFound (plants 2, 12), RiskMethodRuleEdgeTests/* |
// | residual may exceed the inherent score                        | AuditorDefectTests/testEveryPlantedDefectIsFound (plant 1) |
// | residual counts planned controls (RISK-25, CTRL-52)           | AuditorExampleTests/testTheResidualCountsOnlyOperatingControlsAndThePlanIsTheTarget |
// | a planned control has no due date                             | AuditorDefectTests/testEveryPlantedDefectIsFound (plant 11) |
// | self-approved-acceptance flags the approver's own commit      | GovernanceTests/testAnApprovalIsProvenByTheApproversOwnSignature |
// | prove the approver approved and had the authority             | GovernanceTests/testAnApprovalIsProvenByTheApproversOwnSignature (unproven-approval), plant 2 (acceptance-beyond-authority) |
// | exceptions: nothing records who asked; asker = approver       | AuditorDefectTests/testEveryPlantedDefectIsFound (plant 7), AuditPackRegisterTests/testThePackHoldsEveryRegisterWithPeopleByNameAndHonestProvenance |
// | "Permissive check", its nine states                           | AuditorDefectTests/testEveryPlantedDefectIsFound (plants 1–6, 8–10) |
// | … the 2019 evidence of a control without `every` reads `ok`   | ReportTruthTests/testEvidenceWithoutACadenceIsNotCurrent (the SoA and coverage) |
// | fixed day counts; RISK-15 due 2027-04-16                      | CalendarCadenceTests/testMonthsAndYearsAreCalendarMonthsClampedToTheMonthsEnd, …/testTheExampleReviewIsDueOnTheSameDayNextYear, RulesEdgeTests/testOverdueReviewBoundariesAndOnEvent |
// | continuous is 1 day: 25 of 58 controls `due`                  | AuditorExampleTests/testAContinuousFeedIsFreshForAWeek, CalendarCadenceTests/testContinuousEvidenceIsFreshForContinuousDays |
// | only the newest evidence counts: gaps invisible               | CalendarCadenceTests/testEvidenceGapCountsEndedIntervalsFromTheFirstEvidence, plant 13 (evidence-gap) |
// | minutes claim 9/9 and 4/4; KPIs not backed by evidence        | AuditorExampleTests/testEveryFigureOfTheMinutesCitesTheEvidenceItCounts |
// | coverage: BCP-RTO covered although the restore test failed    | ReportTruthTests/testCoverageCountsOnlyControlsProvenToOperate, …/testResultlessEvidenceProvesNothing |
// | soa: A.5.30 operating (best, not worst); A.8.20 lists retired | ReportTruthTests/testTheSOAStatusIsTheWorstOfTheImplementingControlsWithTheReason |
// | check 0 findings, trace 4 chains with a break                 | TraceFindingsTests/testEveryBreakOfTheExampleIsAFindingOrExplained, …/testPlantedBreaksAreFindings |
// | Annex A ids sorted as text                                    | CatalogueOrderTests/testSOAGapFindingsAreInCatalogueOrder, …/testActionsAndAuditsOfOneDayAreInNumberOrder |
// | the pack: registers, approver, rationale, commit, names, git  | AuditPackRegisterTests/testThePackHoldsEveryRegisterWithPeopleByNameAndHonestProvenance, ApprovingCommitTests/* |
// | GDPR, NIS2, DORA articles missing                             | CatalogCompletionTests/testTheArticlesAnAuditorCitesAreCatalogued, …/testNIS2ArticlesHaveTheDirectivesParagraphs |
// | users cannot add a catalogue                                  | UserCatalogTests/testAFolderOfCataloguesIsLoadedAndReferencesAreCheckedAgainstIt (and the rest of UserCatalogTests) |
// | coverage's denominator is the ISMS's own records              | CoverageCatalogueTests/testTheCatalogueIsTheDenominator, UserCatalogTests/testCoverageCountsTheCatalogueAsTheDenominator |
// | A.8.23 excluded naming CTRL-45; A.8.30 excluded despite EXC-2 | AuditorExampleTests/testTheExclusionsTheRecordsContradictAreApplicable |
// | A.5.6 rests on a planned control only                         | AuditorExampleTests/testNoApplicableAnnexAControlRestsOnPlannedControlsOnly |
// | OBL-DORA-28 "not a financial entity", Art. 9–19 apply         | AuditorExampleTests/testTheDORAExclusionNamesTheArticlesThatApplyThroughTheBankContracts |

/// Issue 13: the states a certification auditor would write up, each planted into a copy of example-isms, must be
/// findings of `isms check` (all of them passed with no finding before the risk method and its rules: the isms of
/// 0ef74f2 gives 0 findings on these plants).
final class AuditorDefectTests: XCTestCase {
    func check(_ plant: [(String, String)]) throws -> [Finding] {
        let folder = exampleISMSOutsideGit()
        for (path, content) in plant { folder.write(path, content) }
        return try Checker.check(WorkTreeSource(root: folder.path), asOf: XCTUnwrap(Day("2026-12-01"))).findings
    }

    func testExampleISMSIsCleanWithItsRiskMethod() throws {
        XCTAssertEqual(try check([]).map { "\($0.rule): \($0.message)" }, [])
    }

    /// One planted defect per "Why" item: the record written, and the rules that must report it.
    let plants: [(what: String, file: (String, String), rules: Set<String>)] = [
        (
            "a risk reduced only by a retired control, residual 25 against inherent 1",
            (
                "risks/planted-1.yaml",
                """
                id: RISK-901
                title: Planted
                owner: jalbrecht
                likelihood: 1
                impact: 1
                treatment: reduce
                controls: [CTRL-14]
                residual: {likelihood: 5, impact: 5}
                review: {last: 2026-10-01, every: quarterly}

                """
            ), ["ineffective-treatment", "residual-above-inherent"]
        ),
        (
            "a 5×5 risk accepted for 10 years by the Platform Lead, with no residual score",
            (
                "risks/planted-2.yaml",
                """
                id: RISK-902
                title: Planted
                owner: twendt
                likelihood: 5
                impact: 5
                treatment: accept
                acceptance: {approved_by: twendt, approved_on: 2026-06-01, expires: 2036-06-01, rationale: Cheaper to live with.}
                review: {last: 2026-10-01, every: quarterly}

                """
            ), ["acceptance-beyond-authority", "acceptance-too-long"]
        ),
        (
            "a transfer with no rationale",
            (
                "risks/planted-3.yaml",
                """
                id: RISK-903
                title: Planted
                owner: jalbrecht
                treatment: transfer
                transfer: {to: Hiscox cyber policy}
                review: {last: 2026-10-01, every: quarterly}

                """
            ), ["incomplete-transfer"]
        ),
        (
            "a risk with no review cycle",
            ("risks/planted-4.yaml", "id: RISK-904\ntitle: Planted\nowner: jalbrecht\ntreatment: avoid\n"), ["missing-review-cycle"]
        ),
        (
            "a high-criticality supplier with no assurance evidence and no review",
            ("suppliers/planted-5.yaml", "id: SUP-905\ntitle: Planted\nowner: jalbrecht\ncriticality: high\n"),
            ["supplier-without-assurance", "missing-review-cycle"]
        ),
        (
            "an exception running to 2036",
            (
                "exceptions/planted-6.yaml",
                """
                id: EXC-906
                title: Planted
                owner: twendt
                control: CTRL-20
                reason: Forever.
                requested_by: twendt
                approved_by: praman
                approved_on: 2026-11-01
                expires: 2036-01-01

                """
            ), ["exception-too-long"]
        ),
        (
            "an exception approved by the one who asked for it",
            (
                "exceptions/planted-7.yaml",
                """
                id: EXC-907
                title: Planted
                owner: twendt
                control: CTRL-20
                reason: Migration.
                requested_by: praman
                approved_by: praman
                approved_on: 2026-11-01
                expires: 2027-01-01

                """
            ), ["self-approved-acceptance"]
        ),
        (
            "evidence dated after --as-of",
            ("evidence/planted-8.yaml", "id: EV-planted-8\ntitle: Planted\ncontrol: CTRL-20\ncollected_on: 2026-12-24\nresult: pass\n"),
            ["future-dated-evidence"]
        ),
        (
            "evidence with no result",
            ("evidence/planted-9.yaml", "id: EV-planted-9\ntitle: Planted\ncontrol: CTRL-20\ncollected_on: 2026-11-24\n"),
            ["evidence-without-result"]
        ),
        (
            "an operating control with no every, whose 2019 evidence reads ok",
            ("controls/planted-10.yaml", "id: CTRL-910\ntitle: Planted\nowner: twendt\nstatus: operating\nsatisfies: [OBL-GDPR-32-1-b]\n"),
            ["missing-cadence"]
        ),
        (
            "a planned control with no due date",
            ("controls/planted-11.yaml", "id: CTRL-911\ntitle: Planted\nowner: twendt\nstatus: planned\nsatisfies: [OBL-GDPR-32-1-b]\n"),
            ["overdue-treatment"]
        ),
        (
            "a risk above the appetite, neither accepted nor planned down",
            (
                "risks/planted-12.yaml",
                """
                id: RISK-912
                title: Planted
                owner: jalbrecht
                likelihood: 4
                impact: 4
                treatment: reduce
                controls: [CTRL-20]
                residual: {likelihood: 3, impact: 4}
                review: {last: 2026-10-01, every: quarterly}

                """
            ), ["residual-above-appetite"]
        ),
        (
            "a gap inside the audit period, invisible when only the newest evidence counts",
            (
                "controls/planted-13.yaml",
                "id: CTRL-913\ntitle: Planted\nowner: twendt\nstatus: operating\nevery: monthly\nsatisfies: [OBL-GDPR-32-1-b]\n"
            ),
            ["evidence-gap"]
        ),
    ]

    func testEveryPlantedDefectIsFound() throws {
        let folder = exampleISMSOutsideGit()
        for plant in plants { folder.write(plant.file.0, plant.file.1) }
        folder.write(
            "evidence/planted-10-2019.yaml",
            "id: EV-planted-10\ntitle: Planted\ncontrol: CTRL-910\ncollected_on: 2019-03-01\nresult: pass\n")
        // CTRL-913's newest evidence is fresh, but nothing was collected from July to October.
        for day in ["2026-06-05", "2026-07-05", "2026-11-05"] {
            folder.write(
                "evidence/planted-13-\(day).yaml",
                "id: EV-planted-13-\(day)\ntitle: Planted\ncontrol: CTRL-913\ncollected_on: \(day)\nresult: pass\n")
        }
        let findings = try Checker.check(WorkTreeSource(root: folder.path), asOf: XCTUnwrap(Day("2026-12-01"))).findings
        for plant in plants {
            let found = Set(findings.filter { $0.path == plant.file.0 }.map(\.rule))
            XCTAssertTrue(plant.rules.isSubset(of: found), "\(plant.what): expected \(plant.rules.sorted()), found \(found.sorted())")
        }
    }
}
