import Foundation
import ISMSKit
import XCTest

/// The subtle edges of the rules: boundaries of dates, which evidence counts, what the roster and the file system allow.
/// Every ISMS here is judged as of 2026-12-01 unless a test says otherwise.
final class RulesEdgeTests: XCTestCase {
    // MARK: Fixtures

    /// The findings of `rule` for an ISMS of `files` (plus the default isms.yaml unless one is given).
    func ruleFindings(_ rule: String, asOf: String = "2026-12-01", _ files: [(String, String)]) throws -> [Finding] {
        try findings(of: RuleExample(asOf: asOf, files)).filter { $0.rule == rule }
    }

    func control(_ id: String = "CTRL-1", status: String = "operating", every: String? = nil, satisfies: String? = nil) -> (String, String)
    {
        var text = "id: \(id)\ntitle: Backups\nowner: alice\nstatus: \(status)\n"
        if let every { text += "every: \(every)\n" }
        if let satisfies { text += "satisfies: [\(satisfies)]\n" }
        return ("controls/\(id.lowercased()).yaml", text)
    }

    func evidence(
        _ id: String, control: String = "CTRL-1", on day: String, result: String = "pass", file: String? = nil,
        extra: String = ""
    ) -> (String, String) {
        (
            "evidence/\(file ?? id.lowercased()).yaml",
            "id: \(id)\ntitle: Backup log\ncontrol: \(control)\ncollected_on: \(day)\nresult: \(result)\n\(extra)"
        )
    }

    func exception(_ id: String = "EXC-1", control: String = "CTRL-1", expires: String) -> (String, String) {
        (
            "exceptions/\(id.lowercased()).yaml",
            "id: \(id)\ntitle: Restore fails during migration\nowner: alice\ncontrol: \(control)\napproved_by: carol\nexpires: \(expires)\n"
        )
    }

    func acceptedRisk(expires: String) -> (String, String) {
        (
            "risks/risk-1.yaml",
            """
            id: RISK-1
            title: Office flood
            owner: alice
            treatment: accept
            acceptance:
              approved_by: carol
              approved_on: 2026-01-10
              expires: \(expires)
              rationale: Third floor.

            """
        )
    }

    func config(_ extra: String) -> (String, String) { ("isms.yaml", RuleExample.defaultConfig + extra) }

    // MARK: stale-evidence

    /// Monthly is one calendar month: evidence of 2026-10-26 is due by 2026-11-26, five days before the as-of date.
    func testStaleEvidenceGraceDaysMoveTheDueDate() throws {
        let files = [control(every: "monthly"), evidence("EV-1", on: "2026-10-26")]

        let withoutGrace = try ruleFindings("stale-evidence", files)
        XCTAssertEqual(
            withoutGrace.map(\.message),
            [
                "the newest evidence of control CTRL-1 is EV-1 from 2026-10-26; at cadence monthly (next on 2026-11-26) new evidence was due by 2026-11-26, 5 days ago"
            ])
        XCTAssertEqual(withoutGrace.first?.severity, .warning)
        XCTAssertEqual(withoutGrace.first?.field, "every")

        let fourDays = try ruleFindings("stale-evidence", files + [config("evidence_grace_days: 4\n")])
        XCTAssertEqual(
            fourDays.map(\.message),
            [
                "the newest evidence of control CTRL-1 is EV-1 from 2026-10-26; at cadence monthly (next on 2026-11-26, plus 4 grace days) new evidence was due by 2026-11-30, 1 day ago"
            ])

        // Due on the as-of day itself is not yet stale.
        XCTAssertEqual(try ruleFindings("stale-evidence", files + [config("evidence_grace_days: 5\n")]).map(\.message), [])
    }

    func testOnEventControlIsNeverStale() throws {
        let old = evidence("EV-1", on: "2020-01-01")
        XCTAssertEqual(try ruleFindings("stale-evidence", [control(every: "on-event"), old]).count, 0)
        XCTAssertEqual(try ruleFindings("stale-evidence", [control(every: "yearly"), old]).count, 1)
    }

    func testStaleEvidenceJudgesTheNewestEvidenceOnly() throws {
        let files = [control(every: "weekly"), evidence("EV-old", on: "2026-01-01"), evidence("EV-new", on: "2026-11-28")]
        XCTAssertEqual(try ruleFindings("stale-evidence", files).count, 0)
        let stale = try ruleFindings(
            "stale-evidence",
            [
                control(every: "weekly"), evidence("EV-old", on: "2026-01-01"),
                evidence("EV-new", on: "2026-11-01"),
            ])
        XCTAssertEqual(stale.count, 1)
        XCTAssertTrue(stale[0].message.contains("is EV-new from 2026-11-01"), stale[0].message)
    }

    func testStaleEvidenceIgnoresControlsNotOperating() throws {
        let old = evidence("EV-1", on: "2020-01-01")
        XCTAssertEqual(try ruleFindings("stale-evidence", [control(status: "implemented", every: "daily"), old]).count, 0)
        XCTAssertEqual(try ruleFindings("stale-evidence", [control(status: "operating", every: "daily"), old]).count, 1)
    }

    // MARK: expiry on the as-of day

    func testAcceptanceExpiringOnTheAsOfDayIsStillValid() throws {
        XCTAssertEqual(try ruleFindings("expired-acceptance", [acceptedRisk(expires: "2026-12-01")]).count, 0)
        let expired = try ruleFindings("expired-acceptance", [acceptedRisk(expires: "2026-11-30")])
        XCTAssertEqual(expired.map(\.message), ["the acceptance of risk RISK-1 (Office flood) expired on 2026-11-30, 1 day ago"])
        XCTAssertEqual(expired.first?.field, "acceptance.expires")
        XCTAssertEqual(expired.first?.line, 8)
    }

    func testExceptionExpiringOnTheAsOfDayIsStillValid() throws {
        XCTAssertEqual(try ruleFindings("expired-exception", [control(), exception(expires: "2026-12-01")]).count, 0)
        XCTAssertEqual(
            try ruleFindings("expired-exception", [control(), exception(expires: "2026-11-30")]).map(\.message),
            ["exception EXC-1 (Restore fails during migration) expired on 2026-11-30, 1 day ago"])
    }

    // MARK: failed-evidence

    func testFailedEvidenceLooksAtTheNewestEvidenceOnly() throws {
        let laterPass = [control(), evidence("EV-1", on: "2026-11-01", result: "fail"), evidence("EV-2", on: "2026-11-20")]
        XCTAssertEqual(try ruleFindings("failed-evidence", laterPass).count, 0)

        let laterFail = [control(), evidence("EV-1", on: "2026-11-01"), evidence("EV-2", on: "2026-11-20", result: "fail")]
        let found = try ruleFindings("failed-evidence", laterFail)
        XCTAssertEqual(
            found.map(\.message), ["EV-2, the newest evidence of control CTRL-1 (2026-11-20), failed and no current exception covers it"])
        XCTAssertEqual(found.first?.path, "evidence/ev-2.yaml")
        XCTAssertEqual(found.first?.field, "result")
    }

    /// Two records of one day: the later path is the newer.
    func testFailedEvidenceOnTheSameDayTakesTheLaterPath() throws {
        let failLast = [
            control(), evidence("EV-x", on: "2026-11-20", file: "a"), evidence("EV-y", on: "2026-11-20", result: "fail", file: "b"),
        ]
        XCTAssertEqual(try ruleFindings("failed-evidence", failLast).map(\.record), ["EV-y"])
        let passLast = [
            control(), evidence("EV-x", on: "2026-11-20", result: "fail", file: "a"), evidence("EV-y", on: "2026-11-20", file: "b"),
        ]
        XCTAssertEqual(try ruleFindings("failed-evidence", passLast).count, 0)
    }

    func testCurrentExceptionCoversFailedEvidenceAndExpiredOneDoesNot() throws {
        let failed = [control(), evidence("EV-1", on: "2026-11-20", result: "fail")]
        XCTAssertEqual(try ruleFindings("failed-evidence", failed + [exception(expires: "2026-12-01")]).count, 0)

        let lapsed = try ruleFindings("failed-evidence", failed + [exception(expires: "2026-11-30")])
        XCTAssertEqual(
            lapsed.map(\.message),
            [
                "EV-1, the newest evidence of control CTRL-1 (2026-11-20), failed and no current exception covers it; exception EXC-1 expired on 2026-11-30"
            ])

        // An exception for another control covers nothing here.
        let elsewhere = try ruleFindings(
            "failed-evidence", failed + [control("CTRL-2"), exception(control: "CTRL-2", expires: "2027-01-01")])
        XCTAssertEqual(elsewhere.count, 1)
    }

    // MARK: control-without-evidence

    func testOnlyEvidenceRecordsCountAsEvidence() throws {
        // An exception names the control too, but it proves nothing happened.
        XCTAssertEqual(
            try ruleFindings("control-without-evidence", [control(), exception(expires: "2027-01-01")]).map(\.message),
            ["control CTRL-1 (Backups) is operating but no evidence record has control: CTRL-1"])
        XCTAssertEqual(try ruleFindings("control-without-evidence", [control(), evidence("EV-1", on: "2026-11-20")]).count, 0)
        XCTAssertEqual(try ruleFindings("control-without-evidence", [control(status: "implemented")]).count, 0)
    }

    // MARK: uncovered-obligation and untraced-control

    let obligation = ("obligations/gdpr-32.yaml", "id: OBL-GDPR-32\ntitle: Security of processing\nowner: alice\n")

    func testRetiredControlDoesNotCoverAnObligation() throws {
        let retired = try ruleFindings("uncovered-obligation", [obligation, control(status: "retired", satisfies: "OBL-GDPR-32")])
        XCTAssertEqual(
            retired.map(\.message),
            [
                "obligation OBL-GDPR-32 (Security of processing) applies but no control satisfies it; CTRL-1 is retired and no longer covers it"
            ])
        let active = [
            obligation, control(status: "retired", satisfies: "OBL-GDPR-32"),
            control("CTRL-2", status: "planned", satisfies: "OBL-GDPR-32"),
        ]
        XCTAssertEqual(try ruleFindings("uncovered-obligation", active).count, 0)
    }

    func testObligationThatDoesNotApplyNeedsNoControl() throws {
        let notApplicable = (
            "obligations/dora.yaml", "id: OBL-DORA\ntitle: DORA\nowner: alice\napplies: false\njustification: Not a financial entity.\n"
        )
        XCTAssertEqual(try ruleFindings("uncovered-obligation", [notApplicable]).count, 0)
        XCTAssertEqual(try ruleFindings("uncovered-obligation", [obligation]).map(\.record), ["OBL-GDPR-32"])
    }

    func testControlIsTracedBySatisfiesOrByARiskAndRetiredControlsAreExempt() throws {
        XCTAssertEqual(try ruleFindings("untraced-control", [obligation, control(satisfies: "OBL-GDPR-32")]).count, 0)
        XCTAssertEqual(try ruleFindings("untraced-control", [control(status: "retired")]).count, 0)
        // Compensating for an exception is not a reason to exist.
        let compensating = (
            "exceptions/exc-1.yaml",
            "id: EXC-1\ntitle: Legacy VPN\nowner: alice\ncontrol: CTRL-2\nexpires: 2027-01-01\ncompensating: [CTRL-1]\n"
        )
        let found = try ruleFindings(
            "untraced-control", [control(), control("CTRL-2", satisfies: "OBL-GDPR-32"), obligation, compensating])
        XCTAssertEqual(found.map(\.record), ["CTRL-1"])
        XCTAssertEqual(found.first?.line, 1)
        XCTAssertEqual(found.first?.column, 5)
    }

    // MARK: untreated-risk and incomplete-acceptance

    func testUntreatedRiskMessages() throws {
        let none = try ruleFindings("untreated-risk", [("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\n")])
        XCTAssertEqual(none.map(\.message), ["risk RISK-1 (Laptop theft) has no treatment decision (reduce, accept, transfer or avoid)"])
        // reduce without a controls key points at the treatment.
        let noList = try ruleFindings(
            "untreated-risk", [("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\n")])
        XCTAssertEqual(noList.map(\.message), ["risk RISK-1 (Laptop theft) is to be reduced but lists no controls"])
        XCTAssertEqual(noList.first?.line, 4)
        let avoided = try ruleFindings(
            "untreated-risk", [("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")])
        XCTAssertEqual(avoided.count, 0)
    }

    func testAcceptanceMissingAltogetherNamesEveryPart() throws {
        let found = try ruleFindings(
            "incomplete-acceptance", [("risks/risk-1.yaml", "id: RISK-1\ntitle: Office flood\nowner: alice\ntreatment: accept\n")])
        XCTAssertEqual(
            found.map(\.message),
            ["risk RISK-1 (Office flood) is accepted but has no acceptance: add approved_by, approved_on, expires and rationale"])
        XCTAssertEqual(try ruleFindings("incomplete-acceptance", [acceptedRisk(expires: "2027-01-10")]).count, 0)
    }

    // MARK: overdue-review

    func testOverdueReviewBoundariesAndOnEvent() throws {
        func supplier(last: String, every: String) -> (String, String) {
            ("suppliers/sup-1.yaml", "id: SUP-1\ntitle: Hosting\nowner: alice\nreview:\n  last: \(last)\n  every: \(every)\n")
        }
        // Quarterly is three calendar months: 2026-09-01 is due on 2026-12-01, the as-of day; 2026-08-31 on
        // 2026-11-30, the end of the shorter month (issue 13: fixed day counts drifted 8 days a year).
        XCTAssertEqual(try ruleFindings("overdue-review", [supplier(last: "2026-09-01", every: "quarterly")]).count, 0)
        XCTAssertEqual(
            try ruleFindings("overdue-review", [supplier(last: "2026-08-31", every: "quarterly")]).map(\.message),
            [
                "supplier SUP-1 (Hosting) was last reviewed on 2026-08-31; with a quarterly review the next was due by 2026-11-30, 1 day ago"
            ])
        XCTAssertEqual(try ruleFindings("overdue-review", [supplier(last: "2015-01-01", every: "on-event")]).count, 0)
    }

    // MARK: unknown-person

    func testUnknownPersonMatchedByEmailSuggestsTheKey() throws {
        let files = [
            ("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: bob@example.com\ntreatment: avoid\n"),
            control(), evidence("EV-1", on: "2026-11-20", extra: "collected_by: Carol@Example.com\n"),
        ]
        let found = try ruleFindings("unknown-person", files)
        XCTAssertEqual(
            found.map(\.message),
            [
                "collected_by 'Carol@Example.com' of EV-1 is not in people; it is the email of 'carol', use the roster key 'carol'",
                "owner 'bob@example.com' of RISK-1 is not in people; it is the email of 'bob', use the roster key 'bob'",
            ])
        XCTAssertEqual(found.map(\.field), ["collected_by", "owner"])
    }

    func testUnknownPersonChecksApproversAndIsSilentWithoutARoster() throws {
        let files = [
            ("risks/risk-1.yaml", "id: RISK-1\ntitle: Flood\nowner: alice\ntreatment: accept\nacceptance:\n  approved_by: zed\n"),
            ("exceptions/exc-1.yaml", "id: EXC-1\ntitle: VPN\nowner: alice\nrisk: RISK-1\napproved_by: carl\nexpires: 2027-01-01\n"),
        ]
        XCTAssertEqual(
            try ruleFindings("unknown-person", files).map(\.message),
            [
                "approved_by 'carl' of EXC-1 is not in people; did you mean 'carol'?",
                "acceptance.approved_by 'zed' of RISK-1 is not in people",
            ])
        XCTAssertEqual(try ruleFindings("unknown-person", files + [("isms.yaml", "name: No roster\n")]).count, 0)
    }

    // MARK: missing-artifact

    func artifactEvidence(_ location: String, sha256: String? = nil) -> (String, String) {
        evidence("EV-1", on: "2026-11-20", extra: "location: \(location)\n" + (sha256.map { "sha256: \($0)\n" } ?? ""))
    }

    static let abcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    func testArtifactWhoseDigestDiffersIsReported() throws {
        let matching = try ruleFindings(
            "missing-artifact", [control(), artifactEvidence("artifacts/log.txt", sha256: Self.abcDigest), ("artifacts/log.txt", "abc")])
        XCTAssertEqual(matching.count, 0)

        let changed = try ruleFindings(
            "missing-artifact", [control(), artifactEvidence("artifacts/log.txt", sha256: Self.abcDigest), ("artifacts/log.txt", "abd")])
        XCTAssertEqual(changed.count, 1)
        XCTAssertEqual(changed.first?.field, "sha256")
        XCTAssertTrue(
            changed.first?.message.hasPrefix(
                "'artifacts/log.txt' has SHA-256 a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9, not the sha256 recorded in EV-1"
            ) ?? false,
            changed.first?.message ?? "no finding")
    }

    func testURLLocationsAreNotChecked() throws {
        XCTAssertEqual(
            try ruleFindings("missing-artifact", [control(), artifactEvidence("https://example.com/log.txt", sha256: Self.abcDigest)])
                .count, 0)
        XCTAssertEqual(try ruleFindings("missing-artifact", [control(), artifactEvidence("artifacts/log.txt")]).count, 1)
    }

    /// The ISMS root is a folder inside the temporary one, so that `../x` exists but lies outside the root.
    func artifactFindings(_ location: String, setUp: (TemporaryFolder) throws -> Void) throws -> [Finding] {
        let folder = TemporaryFolder()
        folder.write("isms/isms.yaml", RuleExample.defaultConfig)
        for (path, content) in [control(), artifactEvidence(location)] { folder.write("isms/" + path, content) }
        try setUp(folder)
        let report = try Checker.check(WorkTreeSource(root: folder.path + "/isms"), asOf: Day("2026-12-01")!)
        return report.findings.filter { $0.rule == "missing-artifact" }
    }

    func testPathOutsideTheRootIsNotRead() throws {
        for location in ["../outside.txt", "artifacts/../../outside.txt"] {
            let found = try artifactFindings(location) { $0.write("outside.txt", "abc") }
            XCTAssertEqual(found.map(\.message), ["location '\(location)' of EV-1 is not a path inside the ISMS root"])
        }
        XCTAssertEqual(try artifactFindings("artifacts/inside.txt") { $0.write("isms/artifacts/inside.txt", "abc") }.count, 0)
    }

    func testSymbolicLinksToArtifactsAreNotFollowed() throws {
        let linkedFile = try artifactFindings("artifacts/link.txt") { folder in
            folder.write("isms/artifacts/real.txt", "abc")
            try FileManager.default.createSymbolicLink(atPath: folder.path + "/isms/artifacts/link.txt", withDestinationPath: "real.txt")
        }
        XCTAssertEqual(linkedFile.count, 1)
        XCTAssertTrue(linkedFile.first?.message.contains("symbolic link") ?? false)

        let linkedFolder = try artifactFindings("artifacts/real.txt") { folder in
            folder.write("elsewhere/real.txt", "abc")
            try FileManager.default.createSymbolicLink(
                atPath: folder.path + "/isms/artifacts", withDestinationPath: folder.path + "/elsewhere")
        }
        XCTAssertEqual(linkedFolder.count, 1)
    }
}
