import Foundation
import XCTest

@testable import ISMSKit

/// Each operating-rhythm rule on a real git repository with fixed dates: where it reports, the day it starts,
/// and what silences it. (RuleExamplesTests runs every rule's own examples.)
final class RhythmRulesTests: XCTestCase {
    /// A repository holding the default roster and `files`, committed on `day`.
    private func repository(_ files: [(String, String)], on day: String = "2026-01-05", config: String = minimalConfig) -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", config)
        for (path, content) in files { repo.write(path, content) }
        repo.commit("Records", by: .alice, at: day + "T10:00:00Z")
        return repo
    }

    /// The lines of `isms check` naming `rule`.
    private func findings(_ rule: String, in path: String, asOf: String) -> [String] {
        isms(["check", "--as-of", asOf], in: path).stdout.split(separator: "\n").map(String.init).filter { $0.hasSuffix("[\(rule)]") }
    }

    static let allClauses = "['4', '5', '6', '7', '8', '9', '10']"

    func testOverdueAuditFromTheDayAfterItsPlannedDay() {
        let audit =
            "id: AUD-1\ntitle: Internal audit\nowner: alice\ntype: internal\nauditor: carol\nscope: {clauses: \(Self.allClauses)}\nplanned_on: 2026-10-15\n"
        let repo = repository([("audits/aud-1.yaml", audit + "status: planned\n")])
        XCTAssertEqual(findings("overdue-audit", in: repo.path, asOf: "2026-10-15"), [])
        XCTAssertEqual(
            findings("overdue-audit", in: repo.path, asOf: "2026-10-16"),
            [
                "audits/aud-1.yaml:7:13: error: audit AUD-1 (Internal audit) was planned for 2026-10-15, 1 day ago, and is not performed [overdue-audit]"
            ])
        repo.write("audits/aud-1.yaml", audit + "status: cancelled\n")
        repo.commit("Cancel", at: "2026-10-20T10:00:00Z")
        XCTAssertEqual(findings("overdue-audit", in: repo.path, asOf: "2026-12-01"), [])
        repo.write("audits/aud-1.yaml", audit + "performed_on: 2026-10-21\n")
        repo.commit("Held late", at: "2026-10-21T10:00:00Z")
        XCTAssertEqual(findings("overdue-audit", in: repo.path, asOf: "2026-12-01"), [], "a performed_on date counts as performed")
    }

    func testAuditProgrammeGapCountsAuditsWithinTheCycleBothWays() {
        let control = "id: CTRL-1\ntitle: Backups\nowner: bob\nstatus: planned\nannex_a: [A.8.13]\n"
        let old =
            "id: AUD-1\ntitle: Audit 2023\nowner: alice\ntype: internal\nstatus: performed\nplanned_on: 2023-05-01\nperformed_on: 2023-05-02\nauditor: carol\nscope: {clauses: \(Self.allClauses), annex_a: [A.8]}\n"
        let repo = repository(
            [("controls/ctrl-1.yaml", control), ("audits/aud-1.yaml", old)],
            config: minimalConfig + "audit_programme:\n  cycle: 1096d\n")
        XCTAssertEqual(findings("audit-programme-gap", in: repo.path, asOf: "2026-05-01"), [], "performed 1095 days before")
        XCTAssertEqual(
            findings("audit-programme-gap", in: repo.path, asOf: "2026-12-01"),
            [
                "isms.yaml:6:1: warning: the audit programme covers clause 4, clause 5, clause 6, clause 7, clause 8, clause 9, clause 10 and "
                    + "Annex A theme A.8 with no audit performed in the last 1096d or planned in the next [audit-programme-gap]"
            ])
        // A planned audit covers what it will audit: clause 9.3 covers clause 9, A.8.13 the technological theme.
        repo.write(
            "audits/aud-2.yaml",
            "id: AUD-2\ntitle: Audit 2027\nowner: alice\ntype: internal\nplanned_on: 2027-03-01\nauditor: carol\nscope: {clauses: ['4', '5', '6', '7', '8', Clause 9.3], annex_a: [A.8.13]}\n"
        )
        repo.commit("Plan 2027", at: "2026-11-01T10:00:00Z")
        XCTAssertEqual(
            findings("audit-programme-gap", in: repo.path, asOf: "2026-12-01"),
            [
                "isms.yaml:6:1: warning: the audit programme covers clause 10 with no audit performed in the last 1096d or planned in the next [audit-programme-gap]"
            ])
        // Without audits or an audit_programme, an ISMS is not held to a programme.
        let none = repository([("controls/ctrl-1.yaml", control)])
        XCTAssertEqual(findings("audit-programme-gap", in: none.path, asOf: "2026-12-01"), [])
    }

    func testAuditorOwningAControlOfAThemeInScopeIsNotIndependent() {
        let repo = repository([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Access reviews\nowner: bob\nstatus: planned\nannex_a: [A.5.18]\n"),
            ("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Backups\nowner: carol\nstatus: planned\nannex_a: [A.8.13]\n"),
            (
                "audits/aud-1.yaml",
                "id: AUD-1\ntitle: Organisational controls\nowner: alice\ntype: internal\nplanned_on: 2027-02-01\nauditor: bob\nscope: {annex_a: [A.5]}\n"
            ),
            (
                "audits/aud-2.yaml",
                "id: AUD-2\ntitle: Backups\nowner: alice\ntype: internal\nplanned_on: 2027-02-01\nauditor: bob\nscope: {annex_a: [A.8.13]}\n"
            ),
        ])
        XCTAssertEqual(
            findings("auditor-not-independent", in: repo.path, asOf: "2026-12-01"),
            ["audits/aud-1.yaml:6:10: error: audit AUD-1 is audited by bob, who owns CTRL-1 in its scope [auditor-not-independent]"])
    }

    func testOverdueActionsOfNonconformitiesAndReviews() {
        let nc =
            "id: NC-1\ntitle: Leavers\nowner: alice\nsource: {type: audit}\ntype: minor\nroot_cause: x\nactions:\n  CA-1:\n    action: Automate\n    owner: bob\n    due: 2026-11-15\n"
        let review =
            "id: MR-1\ntitle: Review\nowner: alice\ndate: 2026-06-01\nattendees: [carol]\ntop_management: [carol]\n"
            + OverdueManagementReviewRule.inputs
            + "actions:\n  A-1: {action: Budget for EDR, owner: carol, due: 2026-09-30}\n  A-2: {action: Hire, owner: carol, due: 2026-09-30, done_on: 2026-09-01}\n"
        let repo = repository([("nonconformities/nc-1.yaml", nc), ("management-reviews/mr-1.yaml", review)])
        XCTAssertEqual(
            findings("overdue-action", in: repo.path, asOf: "2026-11-15"),
            [
                "management-reviews/mr-1.yaml:9:52: error: action A-1 of MR-1 (Budget for EDR) was due on 2026-09-30, 46 days ago, and is not done [overdue-action]"
            ])
        XCTAssertEqual(
            findings("overdue-action", in: repo.path, asOf: "2026-11-16").last,
            "nonconformities/nc-1.yaml:11:10: error: corrective action CA-1 of NC-1 (Automate) was due on 2026-11-15, 1 day ago, and is not done [overdue-action]"
        )
        repo.write("nonconformities/nc-1.yaml", nc + "    done_on: 2026-11-20\n")
        repo.commit("Done", at: "2026-11-20T10:00:00Z")
        XCTAssertEqual(findings("overdue-action", in: repo.path, asOf: "2026-12-01").count, 1)
    }

    func testClosingNeedsAnEffectiveCheckForNonconformitiesOnly() {
        let closed = "owner: alice\nsource: {type: audit}\nroot_cause: x\nstatus: closed\n"
        let repo = repository([
            ("nonconformities/nc-1.yaml", "id: NC-1\ntitle: Major one\ntype: major\n" + closed + "effectiveness: {checked_by: carol}\n"),
            ("nonconformities/nc-2.yaml", "id: NC-2\ntitle: Observation\ntype: observation\n" + closed),
            (
                "nonconformities/nc-3.yaml",
                "id: NC-3\ntitle: Not fixed\ntype: minor\n" + closed
                    + "effectiveness: {checked_by: carol, checked_on: 2026-11-01, result: not-effective}\n"
            ),
            (
                "nonconformities/nc-4.yaml",
                "id: NC-4\ntitle: Fixed\ntype: minor\n" + closed
                    + "effectiveness: {checked_by: carol, checked_on: 2026-11-01, result: effective}\n"
            ),
        ])
        XCTAssertEqual(
            findings("closed-without-effectiveness", in: repo.path, asOf: "2026-12-01"),
            [
                "nonconformities/nc-1.yaml:7:9: error: nonconformity NC-1 (Major one) is closed without an effectiveness check: effectiveness lacks checked_on and result [closed-without-effectiveness]",
                "nonconformities/nc-3.yaml:8:68: error: nonconformity NC-3 (Not fixed) is closed although its effectiveness check found the actions not effective [closed-without-effectiveness]",
            ])
    }

    func testRootCauseIsAskedOnlyOnceThereAreActions() {
        let base = "owner: alice\nsource: {type: monitoring}\ntype: minor\n"
        let repo = repository([
            (
                "nonconformities/nc-1.yaml",
                "id: NC-1\ntitle: With actions\n" + base + "actions:\n  CA-1: {action: x, owner: bob, due: 2027-01-01}\n"
            ),
            ("nonconformities/nc-2.yaml", "id: NC-2\ntitle: Just raised\n" + base),
        ])
        XCTAssertEqual(
            findings("missing-root-cause", in: repo.path, asOf: "2026-12-01"),
            [
                "nonconformities/nc-1.yaml:7:3: warning: nonconformity NC-1 (With actions) has corrective actions but no root_cause [missing-root-cause]"
            ])
    }

    func testOverdueManagementReviewRunsFromTheFirstCommitUntilAReviewExists() {
        let risk = ("risks/risk-1.yaml", "id: RISK-1\ntitle: x\nowner: alice\ntreatment: avoid\n")
        let repo = repository([risk], on: "2025-06-01", config: minimalConfig + "management_review:\n  every: yearly\n")
        // Yearly is the same date a year later (calendar time).
        XCTAssertEqual(findings("overdue-management-review", in: repo.path, asOf: "2026-06-01"), [], "due by 2026-06-01")
        XCTAssertEqual(
            findings("overdue-management-review", in: repo.path, asOf: "2026-06-02"),
            [
                "isms.yaml:6:1: error: no management review is recorded; the ISMS's first commit was on 2025-06-01, so with a yearly review the first "
                    + "was due by 2026-06-01, 1 day ago [overdue-management-review]"
            ])
        // Outside git, with no review, nothing says when the ISMS began.
        let copy = TemporaryFolder()
        copy.write("isms.yaml", minimalConfig)
        copy.write(risk.0, risk.1)
        XCTAssertEqual(findings("overdue-management-review", in: copy.path, asOf: "2030-01-01"), [])
        // A review held resets the clock; a longer cadence is policy.
        repo.write(
            "management-reviews/mr-1.yaml",
            "id: MR-1\ntitle: Review\nowner: alice\ndate: 2026-06-10\nattendees: [carol]\ntop_management: [carol]\n"
                + OverdueManagementReviewRule.inputs)
        repo.commit("Review", at: "2026-06-10T10:00:00Z")
        XCTAssertEqual(findings("overdue-management-review", in: repo.path, asOf: "2027-06-10"), [])
        XCTAssertEqual(
            findings("overdue-management-review", in: repo.path, asOf: "2027-06-11"),
            [
                "management-reviews/mr-1.yaml:4:7: error: the last management review, MR-1, was held on 2026-06-10; with a yearly review the next was due by 2027-06-10, 1 day ago [overdue-management-review]"
            ])
    }

    func testAFreshInitInGitPassesCheck() {
        let repo = GitRepository()
        XCTAssertEqual(isms(["init", ".", "--name", "Acme"], in: repo.path).status, 0)
        repo.commit("Start the ISMS", at: "2024-01-05T10:00:00Z")
        let check = isms(["check"], in: repo.path)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertFalse(check.stdout.contains("warning:") || check.stdout.contains("error:"), check.stdout)
    }

    func testIncompleteManagementReviewNamesEachMissingInput() {
        let head = "id: MR-1\ntitle: Review\nowner: alice\ndate: 2026-11-01\nattendees: [alice, bob]\n"
        let repo = repository([
            (
                "management-reviews/mr-1.yaml",
                head
                    + "top_management: [carol]\ninputs:\n  previous_actions: All done\n  issues: '  '\n  parties: a\n  nonconformities: b\n  monitoring: c\n  audits: d\n  objectives: e\n  feedback: f\n  improvement: g\n"
            )
        ])
        XCTAssertEqual(
            findings("incomplete-management-review", in: repo.path, asOf: "2026-12-01"),
            [
                "management-reviews/mr-1.yaml:6:17: error: management review MR-1 names carol as top management, who is not among the attendees [incomplete-management-review]",
                "management-reviews/mr-1.yaml:8:3: error: management review MR-1 lacks 9.3.2 inputs b (inputs.issues: changes in external and internal issues) and "
                    + "f (inputs.risks: results of risk assessment and status of the risk treatment plan) [incomplete-management-review]",
            ])
    }

    func testObjectivesAreMeasuredWithinTheirCadenceAndMeetTheirTarget() {
        let objective = "owner: alice\nmeasure: m\ntarget: {value: 95, comparison: at-least, unit: '%'}\nevery: quarterly\n"
        let repo = repository([
            ("objectives/obj-1.yaml", "id: OBJ-1\ntitle: Patched\n" + objective + "set_on: 2026-08-01\ndue: 2026-11-30\n"),
            ("objectives/obj-2.yaml", "id: OBJ-2\ntitle: Trained\n" + objective + "due: 2027-06-30\n"),
            ("evidence/ev-1.yaml", "id: EV-1\ntitle: Patch level\nobjective: OBJ-1\nvalue: 93.5\ncollected_on: 2026-10-01\n"),
            ("evidence/ev-2.yaml", "id: EV-2\ntitle: Patch level, future\nobjective: OBJ-1\nvalue: 99\ncollected_on: 2027-02-01\n"),
        ])
        XCTAssertEqual(
            findings("unmeasured-objective", in: repo.path, asOf: "2026-12-01"),
            ["objectives/obj-2.yaml:6:8: warning: objective OBJ-2 (Trained) has never been measured [unmeasured-objective]"])
        // Evidence dated after the as-of day does not count.
        XCTAssertTrue(
            findings("unmeasured-objective", in: repo.path, asOf: "2027-01-02").contains {
                $0.hasPrefix("objectives/obj-1.yaml:")
                    && $0.hasSuffix(
                        "objective OBJ-1 (Patched) was last measured on 2026-10-01 (EV-1); measured quarterly, "
                            + "the next was due by 2027-01-01, 1 day ago [unmeasured-objective]")
            })
        XCTAssertEqual(findings("objective-missed", in: repo.path, asOf: "2026-11-30"), [], "due that day")
        XCTAssertEqual(
            findings("objective-missed", in: repo.path, asOf: "2026-12-01"),
            [
                "objectives/obj-1.yaml:5:17: warning: objective OBJ-1 (Patched) was due on 2026-11-30 with a target of at least 95%; its newest value, 93.5 (EV-1, 2026-10-01), misses it [objective-missed]"
            ])
    }

    func testNotificationDeadlinesRunInHoursFromDetection() {
        let base = "owner: alice\nseverity: high\nnis2_significant: true\n"
        let repo = repository([
            // Detected 23:30 UTC on 30 November: the early warning is due 23:30 UTC on 1 December, before that day ends.
            ("incidents/inc-1.yaml", "id: INC-1\ntitle: Outage\n" + base + "detected_at: 2026-12-01T00:30:00+01:00\n"),
            // Sent one hour late, in another zone; the notification on time; the final report one month after it.
            (
                "incidents/inc-2.yaml",
                "id: INC-2\ntitle: Intrusion\n" + base + "detected_at: 2026-10-01T08:00:00Z\nnotifications:\n"
                    + "  nis2_early_warning: {sent_at: '2026-10-02T11:00:00+02:00'}\n  nis2_notification: {sent_at: 2026-10-03T08:00:00Z}\n"
                    + "  nis2_final_report: {sent_at: 2026-11-03T08:00:00Z}\n"
            ),
        ])
        XCTAssertEqual(
            findings("late-notification", in: repo.path, asOf: "2026-11-30"),
            [
                "incidents/inc-2.yaml:8:33: error: incident INC-2: the NIS2 early warning was sent at 2026-10-02 09:00 UTC, after its deadline of 2026-10-02 08:00 UTC (24 hours after detection) [late-notification]"
            ])
        XCTAssertEqual(
            findings("late-notification", in: repo.path, asOf: "2026-12-01").first,
            "incidents/inc-1.yaml:6:14: error: incident INC-1: the NIS2 early warning was due by 2026-12-01 23:30 UTC (24 hours after detection) and is not recorded as sent [late-notification]"
        )
        // A breach not notified: 72 hours.
        let breach = repository([
            (
                "incidents/inc-1.yaml",
                "id: INC-1\ntitle: Leak\nowner: alice\npersonal_data_breach: true\ndetected_at: 2026-11-27T12:00:00Z\n"
            )
        ])
        XCTAssertEqual(findings("late-notification", in: breach.path, asOf: "2026-11-29"), [])
        XCTAssertEqual(findings("late-notification", in: breach.path, asOf: "2026-11-30").count, 1)
    }

    func testPeopleOfActionsReviewsAndChecksAreOnTheRoster() {
        let repo = repository([
            (
                "nonconformities/nc-1.yaml",
                "id: NC-1\ntitle: x\nowner: alice\nsource: {type: audit}\ntype: minor\nroot_cause: y\nactions:\n  CA-1: {action: z, owner: bobby, due: 2027-01-01}\nstatus: closed\neffectiveness: {checked_by: Carol, checked_on: 2026-11-01, result: effective}\n"
            ),
            (
                "management-reviews/mr-1.yaml",
                "id: MR-1\ntitle: Review\nowner: alice\ndate: 2026-11-01\nattendees: [alice, dave]\ntop_management: [alice]\n"
                    + OverdueManagementReviewRule.inputs
            ),
        ])
        XCTAssertEqual(
            findings("unknown-person", in: repo.path, asOf: "2026-12-01"),
            [
                "management-reviews/mr-1.yaml:5:20: error: attendees 'dave' of MR-1 is not in people [unknown-person]",
                "nonconformities/nc-1.yaml:8:28: error: actions.CA-1.owner 'bobby' of NC-1 is not in people [unknown-person]",
                "nonconformities/nc-1.yaml:10:29: error: effectiveness.checked_by 'Carol' of NC-1 is not in people; did you mean 'carol'? [unknown-person]",
            ])
    }

    func testClosedSignificantIncidentsNeedLessonsAndPartiesObligations() {
        let repo = repository([
            (
                "incidents/inc-1.yaml",
                "id: INC-1\ntitle: Breach\nowner: alice\ndetected_at: 2026-10-01T08:00:00Z\npersonal_data_breach: true\nnotifications:\n  gdpr_authority: {sent_at: 2026-10-02T08:00:00Z}\nstatus: closed\n"
            ),
            ("incidents/inc-2.yaml", "id: INC-2\ntitle: Spam\nowner: alice\ndetected_at: 2026-10-01T08:00:00Z\nstatus: closed\n"),
            (
                "parties/party-1.yaml",
                "id: PARTY-1\ntitle: Regulator\nowner: alice\nrequirements:\n  reporting: {need: Incidents reported}\n  empty: {need: x, obligations: []}\n"
            ),
        ])
        XCTAssertEqual(
            findings("incident-without-lessons", in: repo.path, asOf: "2026-12-01"),
            [
                "incidents/inc-1.yaml:8:9: warning: incident INC-1 (Breach) is closed with no nonconformity, risk or control under lessons [incident-without-lessons]"
            ])
        XCTAssertEqual(
            findings("party-without-obligation", in: repo.path, asOf: "2026-12-01"),
            [
                "parties/party-1.yaml:5:14: warning: PARTY-1 (Regulator) requires reporting (Incidents reported), which no obligation captures [party-without-obligation]",
                "parties/party-1.yaml:6:10: warning: PARTY-1 (Regulator) requires empty (x), which no obligation captures [party-without-obligation]",
            ])
    }
}
