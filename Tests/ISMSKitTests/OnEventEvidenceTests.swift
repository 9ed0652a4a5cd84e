import Foundation
import XCTest

@testable import ISMSKit

/// Issue 13, "Calendar time": an on-event control states its event, and is judged by evidence per event in the
/// audit period (evidence-gap), as a scheduled control is judged per cadence interval.
final class OnEventEvidenceTests: XCTestCase {
    private let risk = ("risks/risk-1.yaml", "id: RISK-1\ntitle: R\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\n")

    private func control(event: String? = "{kind: incident}", status: String = "operating") -> (String, String) {
        var text = "id: CTRL-1\ntitle: Incident response\nowner: alice\nstatus: \(status)\nevery: on-event\n"
        if let event { text += "event: \(event)\n" }
        return ("controls/ctrl-1.yaml", text)
    }

    private func incident(_ n: Int, on day: String, severity: String? = nil) -> (String, String) {
        var text = "id: INC-\(n)\ntitle: Incident \(n)\nowner: bob\ndetected_at: \(day)T10:00:00+02:00\n"
        if let severity { text += "severity: \(severity)\n" }
        return ("incidents/inc-\(n).yaml", text)
    }

    private func evidence(_ id: String, cites event: String?, on day: String, result: String? = "pass") -> (String, String) {
        var text = "id: \(id)\ntitle: Ticket\ncontrol: CTRL-1\ncollected_on: \(day)\n" + (result.map { "result: \($0)\n" } ?? "")
        if let event { text += "event: \(event)\n" }
        return ("evidence/\(id.lowercased()).yaml", text)
    }

    private func findings(_ rule: String, asOf: String = "2026-12-01", _ files: [(String, String)]) throws -> [Finding] {
        try ISMSKitTests.findings(of: RuleExample(asOf: asOf, files)).filter { $0.rule == rule }
    }

    /// Red team: a pull request that answers the incident main left unanswered and records a new one without an
    /// answer. Both gaps are findings of the same control and field; the new incident's gap must not pair with the old
    /// one's and pass as "already there".
    func testAPullRequestCannotTradeAnAnsweredIncidentForANewUnansweredOne() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        for (path, text) in [control(), risk, incident(1, on: "2026-05-02")] { repo.write(path, text) }
        repo.commit("Incident response, INC-1 unanswered", by: .alice, at: "2026-05-10T10:00:00Z")
        repo.git("checkout", "-q", "-b", "pull-request")
        for (path, text) in [evidence("EV-1", cites: "INC-1", on: "2026-05-03"), incident(2, on: "2026-06-01")] { repo.write(path, text) }
        repo.commit("Answer INC-1; record INC-2", by: .bob, at: "2026-06-10T10:00:00Z")
        let gate = isms(["check", "--base", "main", "--format", "json", "--no-cache", "--as-of", "2026-07-01"], in: repo.path)
        let document = (try? JSONSerialization.jsonObject(with: Data(gate.stdout.utf8))) as? [String: Any] ?? [:]
        let gaps = (document["findings"] as? [[String: Any]] ?? []).compactMap {
            $0["rule"] as? String == "evidence-gap" ? $0["message"] as? String : nil
        }
        XCTAssertEqual(gaps.map { String($0.prefix(18)) }, ["INC-2 (2026-06-01)"], gate.stdout)
    }

    /// An edit that moves an incident out of a control's severities (or out of the audit period) makes its gap go
    /// away without any evidence: the severity and the day of detection are decisions, so with
    /// require_signed_decisions the gate asks for the editor's signature (`unsigned-decision`).
    func testLoweringAnIncidentsSeverityIsADecision() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + "require_signed_decisions: true\n")
        for (path, text) in [control(event: "{kind: incident, severity: [high]}"), risk, incident(1, on: "2026-05-02", severity: "high")] {
            repo.write(path, text)
        }
        repo.commit("Incident response, INC-1 unanswered", by: .alice, at: "2026-05-10T10:00:00Z")
        repo.git("checkout", "-q", "-b", "pull-request")
        let lowered = incident(1, on: "2026-05-02", severity: "low")
        repo.write(lowered.0, lowered.1)
        let edit = String(repo.commit("INC-1 was minor after all", by: .bob, at: "2026-06-10T10:00:00Z").prefix(10))
        let gate = isms(["check", "--base", "main", "--format", "json", "--no-cache", "--as-of", "2026-07-01"], in: repo.path)
        XCTAssertEqual(gate.status, 1, gate.stderr)
        let document = (try? JSONSerialization.jsonObject(with: Data(gate.stdout.utf8))) as? [String: Any] ?? [:]
        let new = (document["findings"] as? [[String: Any]] ?? []).compactMap { finding -> String? in
            finding["rule"] as? String == "unsigned-decision" ? finding["message"] as? String : nil
        }
        XCTAssertTrue(new.contains { $0.hasPrefix("severity of INC-1 was set by commit \(edit) (Bob Example") }, gate.stdout)
    }

    func testAnIncidentInThePeriodNeedsEvidenceOfTheControlCitingIt() throws {
        let unanswered = try findings(
            "evidence-gap", [control(), risk, incident(4, on: "2026-05-02"), evidence("EV-1", cites: nil, on: "2026-05-03")])
        XCTAssertEqual(
            unanswered.map { "\($0.path ?? ""):\($0.line ?? 0):\($0.column ?? 0): \($0.message)" },
            [
                "controls/ctrl-1.yaml:6:15: INC-4 (2026-05-02) has no evidence of control CTRL-1 (Incident response): none of its "
                    + "evidence cites INC-4 in event with result pass or exception; 0 of 1 events in the audit period evidenced"
            ])
        XCTAssertEqual(unanswered.first?.severity, .warning)
        let answered = [control(), risk, incident(4, on: "2026-05-02"), evidence("EV-1", cites: "INC-4", on: "2026-05-03")]
        XCTAssertEqual(try findings("evidence-gap", answered).map(\.message), [])
        XCTAssertEqual(try ISMSKitTests.findings(of: RuleExample(answered)).map { "\($0.rule): \($0.message)" }, [])
    }

    /// Each event needs its own answer: evidence of the second incident does not cover the first.
    func testEachEventNeedsItsOwnEvidence() throws {
        let gaps = try findings(
            "evidence-gap",
            [
                control(), risk, incident(1, on: "2026-03-10"), incident(2, on: "2026-08-20"),
                evidence("EV-2", cites: "INC-2", on: "2026-08-21"),
            ])
        XCTAssertEqual(gaps.map { String($0.message.prefix(24)) }, ["INC-1 (2026-03-10) has n"])
        let message = gaps.first?.message ?? ""
        XCTAssertTrue(message.hasSuffix("1 of 2 events in the audit period evidenced"), message)
    }

    /// Red team: an incident dated after the day judged cannot have happened yet; its date must not keep it out of the
    /// audit period's events.
    func testAnIncidentDatedInTheFutureIsAGapNow() throws {
        let gaps = try findings("evidence-gap", asOf: "2026-07-01", [control(), risk, incident(1, on: "2099-05-02")])
        XCTAssertEqual(gaps.map { String($0.message.prefix(18)) }, ["INC-1 (2099-05-02)"])
        let answered = try findings(
            "evidence-gap", asOf: "2026-07-01",
            [control(), risk, incident(1, on: "2099-05-02"), evidence("EV-1", cites: "INC-1", on: "2026-06-01")])
        XCTAssertEqual(answered.count, 1)
    }

    func testAnIncidentOutsideTheAuditPeriodIsIgnored() throws {
        // As of 2026-12-01 the period runs from 2025-12-02: an incident the day before is outside it.
        XCTAssertEqual(try findings("evidence-gap", [control(), risk, incident(1, on: "2025-12-01")]).count, 0)
        XCTAssertEqual(try findings("evidence-gap", [control(), risk, incident(1, on: "2025-12-02")]).count, 1)
        let longer = ("isms.yaml", RuleExample.defaultConfig + "audit_period: 24\n")
        XCTAssertEqual(try findings("evidence-gap", [longer, control(), risk, incident(1, on: "2025-12-01")]).count, 1)
    }

    func testEvidenceThatFailedHasNoResultOrPrecedesTheEventDoesNotAnswerIt() throws {
        let base = [control(), risk, incident(1, on: "2026-05-02")]
        XCTAssertEqual(try findings("evidence-gap", base + [evidence("EV-1", cites: "INC-1", on: "2026-05-03", result: "fail")]).count, 1)
        XCTAssertEqual(try findings("evidence-gap", base + [evidence("EV-1", cites: "INC-1", on: "2026-05-03", result: nil)]).count, 1)
        XCTAssertEqual(try findings("evidence-gap", base + [evidence("EV-1", cites: "INC-1", on: "2026-05-01")]).count, 1)
        XCTAssertEqual(
            try findings("evidence-gap", base + [evidence("EV-1", cites: "INC-1", on: "2026-05-03", result: "exception")]).count, 0)
        // Evidence of another control citing the incident answers for that control, not this one.
        let other = (
            "evidence/ev-9.yaml", "id: EV-9\ntitle: x\ncontrol: CTRL-2\nevent: INC-1\ncollected_on: 2026-05-03\nresult: pass\n"
        )
        let ctrl2 = ("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Other\nowner: alice\nstatus: planned\n")
        XCTAssertEqual(try findings("evidence-gap", base + [ctrl2, other]).count, 1)
    }

    func testEvidenceCitingAMissingOrWrongKindEventIsALinkError() throws {
        let base = [control(), risk, incident(1, on: "2026-05-02")]
        let broken = try findings("broken-link", base + [evidence("EV-1", cites: "INC-9", on: "2026-05-03")])
        XCTAssertEqual(
            broken.map { "\($0.path ?? ""):\($0.line ?? 0): \($0.message)" },
            [
                "evidence/ev-1.yaml:6: event refers to INC-9, which no record has; did you mean INC-1?"
            ])
        let wrong = try findings("wrong-link-kind", base + [evidence("EV-1", cites: "RISK-1", on: "2026-05-03")])
        XCTAssertEqual(wrong.map(\.field), ["event"])
        XCTAssertEqual(wrong.map(\.severity), [.error])
        // "an" before a vowel sound (it said "a incident").
        XCTAssertEqual(wrong.map(\.message), ["event must refer to an incident, but RISK-1 is a risk"])
    }

    func testWrongLinkKindUsesTheRightArticle() throws {
        let files = [
            ("risks/risk-1.yaml", "id: RISK-1\ntitle: R\nowner: alice\ntreatment: reduce\ncontrols: [ASSET-1]\n"),
            ("assets/asset-1.yaml", "id: ASSET-1\ntitle: Laptops\nowner: alice\n"),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: C\nowner: alice\nstatus: planned\ndue: 2027-01-01\nsatisfies: [RISK-1]\n"),
        ]
        XCTAssertEqual(
            try findings("wrong-link-kind", files).map(\.message).sorted(),
            [
                "controls must refer to a control, but ASSET-1 is an asset",
                "satisfies must refer to an obligation, but RISK-1 is a risk",
            ])
    }

    /// `severity` narrows incidents; beside `kind: other` it would narrow nothing, and was ignored without a word.
    func testSeverityOfAnEventInWordsIsALocatedInvalidValue() throws {
        let described = control(event: "{kind: other, description: A person leaves, severity: [high]}")
        let invalid = try findings("invalid-value", [described, risk])
        XCTAssertEqual(
            invalid.map { "\($0.path ?? ""):\($0.line ?? 0):\($0.column ?? 0): \($0.message)" },
            ["controls/ctrl-1.yaml:6:52: 'event.severity' applies only when event.kind is incident, not other"])
        XCTAssertEqual(invalid.map(\.field), ["event.severity"])
        let block = control(event: "\n  kind: other\n  description: A person leaves\n  severity: [high]")
        XCTAssertEqual(try findings("invalid-value", [block, risk]).map { "\($0.line ?? 0):\($0.column ?? 0)" }, ["9:3"])
        // With incidents it narrows them, and an empty severity is no severity.
        XCTAssertEqual(try findings("invalid-value", [control(event: "{kind: incident, severity: [high]}"), risk]).count, 0)
        XCTAssertEqual(
            try findings("invalid-value", [control(event: "{kind: other, description: A person leaves, severity: }"), risk]).count, 0)
    }

    func testAnEventInWordsIsNeverAGapAndTheReportSaysSo() throws {
        let described = control(event: "{kind: other, description: A person leaves}")
        let files = [described, risk, incident(1, on: "2026-05-02"), evidence("EV-1", cites: nil, on: "2026-06-01")]
        XCTAssertEqual(try findings("evidence-gap", files).count, 0)
        XCTAssertEqual(try findings("evidence-gap", [described, risk, incident(1, on: "2026-05-02")]).count, 0)
        let report = EvidenceReport.build(try load(files + [evidence("EV-0", cites: nil, on: "2025-01-01")]), asOf: Day("2026-12-01")!)
        XCTAssertEqual(intervals(report), ["event not enumerable: 1 evidence record in the period"])
    }

    func testAsOfMovesThePeriodAndLeavesTheEventsOwnDayAndGraceDaysForTheResponse() throws {
        let files = [control(), risk, incident(1, on: "2026-05-02")]
        XCTAssertEqual(try findings("evidence-gap", asOf: "2026-12-01", files).count, 1)
        XCTAssertEqual(try findings("evidence-gap", asOf: "2027-05-01", files).count, 1, "the period runs from 2026-05-02")
        XCTAssertEqual(try findings("evidence-gap", asOf: "2027-05-02", files).count, 0, "the period has moved past it")
        XCTAssertEqual(try findings("evidence-gap", asOf: "2026-05-02", files).count, 0, "its own day is for the response")
        XCTAssertEqual(try findings("evidence-gap", asOf: "2026-05-03", files).count, 1)
        let grace = ("isms.yaml", RuleExample.defaultConfig + "evidence_grace_days: 14\n")
        XCTAssertEqual(try findings("evidence-gap", asOf: "2026-05-16", [grace] + files).count, 0)
        XCTAssertEqual(try findings("evidence-gap", asOf: "2026-05-17", [grace] + files).count, 1)
        // Evidence dated after the day judged is not on file yet.
        let later = evidence("EV-1", cites: "INC-1", on: "2026-06-01")
        XCTAssertEqual(try findings("evidence-gap", asOf: "2026-05-20", files + [later]).count, 1)
        XCTAssertEqual(try findings("evidence-gap", asOf: "2026-06-01", files + [later]).count, 0)
    }

    func testSeverityNarrowsTheEventsButAnIncidentWithoutSeverityCounts() throws {
        let narrowed = control(event: "{kind: incident, severity: [high, critical]}")
        let files = [
            narrowed, risk, incident(1, on: "2026-03-01", severity: "medium"), incident(2, on: "2026-04-01", severity: "high"),
            incident(3, on: "2026-05-01"),
        ]
        XCTAssertEqual(try findings("evidence-gap", files).map { String($0.message.prefix(5)) }, ["INC-2", "INC-3"])
    }

    func testOnlyOperatingControlsAreJudged() throws {
        XCTAssertEqual(try findings("evidence-gap", [control(status: "implemented"), risk, incident(1, on: "2026-05-02")]).count, 0)
        XCTAssertEqual(try findings("evidence-gap", [control(status: "operating"), risk, incident(1, on: "2026-05-02")]).count, 1)
    }

    func testMissingCadenceAsksAnOnEventControlForItsEvent() throws {
        let silent = try findings("missing-cadence", [control(event: nil), risk, incident(1, on: "2026-05-02")])
        XCTAssertEqual(
            silent.map { "\($0.path ?? ""):\($0.line ?? 0): \($0.message)" },
            ["controls/ctrl-1.yaml:5: control CTRL-1 (Incident response) operates on-event but does not say which event (event)"])
        XCTAssertEqual(try findings("missing-cadence", [control(), risk]).count, 0)
        XCTAssertEqual(try findings("missing-cadence", [control(event: nil, status: "planned"), risk]).count, 0)
    }

    func testAnUnknownEventKindOrAnEventInWordsWithoutWordsIsALocatedError() throws {
        let unknown = try ISMSKitTests.findings(of: RuleExample([control(event: "{kind: incidents}"), risk]))
            .filter { $0.rule == "invalid-value" }
        XCTAssertEqual(
            unknown.map { "\($0.path ?? ""):\($0.line ?? 0):\($0.column ?? 0): \($0.message)" },
            ["controls/ctrl-1.yaml:6:15: 'event.kind' must be one of incident, other, not 'incidents'; did you mean 'incident'?"])
        let wordless = try ISMSKitTests.findings(of: RuleExample([control(event: "{kind: other}"), risk]))
            .filter { $0.rule == "missing-field" }
        XCTAssertEqual(wordless.map(\.message), ["'event.description' is required when event.kind is other"])
        XCTAssertEqual(wordless.first?.line, 6)
    }

    func testTheEvidenceReportCountsEventsEvidenced() throws {
        let files = [
            control(), risk, incident(1, on: "2026-03-10"), incident(2, on: "2026-08-20"), incident(3, on: "2026-11-30"),
            evidence("EV-2", cites: "INC-2", on: "2026-08-21"),
        ]
        let report = EvidenceReport.build(try load(files), asOf: Day("2026-12-01")!)
        XCTAssertEqual(intervals(report), ["1 of 2 events evidenced; 1 within the grace days"])
        let json = JSONReportRenderer.render(report)
        XCTAssertTrue(json.contains("\"intervals\" : \"1 of 2 events evidenced; 1 within the grace days\""), json)
    }

    /// example-isms: every incident of the period is answered by each incident control, and the others say their event.
    func testTheExampleAnswersEveryIncident() throws {
        let folder = exampleISMSOutsideGit()
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let report = EvidenceReport.build(isms, asOf: Day("2026-12-01")!)
        let index = report.tables[0].columns.firstIndex { $0.key == "control" }!
        let rows = Dictionary(uniqueKeysWithValues: zip(report.tables[0].rows.map { $0[index].value.text }, intervals(report)))
        for id in ["CTRL-26", "CTRL-27", "CTRL-28"] { XCTAssertEqual(rows[id], "2 of 2 events evidenced", id) }
        XCTAssertEqual(rows["CTRL-11"], "event not enumerable: 1 evidence record in the period")
    }

    private func load(_ files: [(String, String)]) throws -> ISMS {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", "name: Test\nevidence_grace_days: 7\n")
        for (path, content) in files { folder.write(path, content) }
        return try Loader.load(from: WorkTreeSource(root: folder.path)).isms
    }

    private func intervals(_ document: ReportDocument) -> [String] {
        let index = document.tables[0].columns.firstIndex { $0.key == "intervals" }!
        return document.tables[0].rows.map { $0[index].value.text }
    }
}
