import Foundation
import ISMSKit
import ISMSLoading
import ISMSModel
import ISMSRules
import XCTest

/// `isms check` runs the rules that do not read the history on another thread, started before the history is read
/// (and the history is read while the records are): the report is what running every rule in turn, on one thread,
/// with the history, gives.
final class RuleRunTests: XCTestCase {
    private let day = Day("2026-12-01")!

    /// A history with findings of both sorts: a record dated before its commit (backdated-record, a history rule),
    /// links to records that do not exist and overdue reviews (broken-link, overdue-review), with one staged change.
    private func repository() -> ISMSRepository {
        let r = ISMSRepository()
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "planned\ndue: 2027-03-01"))
        r.write("risks/r1.yaml", riskYAML("RISK-1", extra: "review: {last: 2026-01-05, every: yearly}\n"))
        r.write("risks/r2.yaml", riskYAML("RISK-2", controls: ["CTRL-1", "CTRL-9"]))
        r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "operating"))
        r.commit("Encryption is operating", by: .bob, at: "2026-02-06T10:00:00+01:00")
        r.write("risks/r3.yaml", riskYAML("RISK-3", controls: ["CTRL-7"], extra: "review: {last: 2025-01-07, every: yearly}\n"))
        r.commit("Add RISK-3", by: .carol, at: "2026-03-07T10:00:00+01:00")
        r.write("risks/r2.yaml", riskYAML("RISK-2", likelihood: 1, controls: ["CTRL-1", "CTRL-8"]))
        r.git("add", "isms/risks/r2.yaml")
        return r
    }

    /// What `Checker` did before the rules ran on two threads: every rule in the registry's order, with the history.
    private func everyRuleInTurn(_ loaded: LoadedISMS, artifacts: any ArtifactReader, governance: GovernanceContext?) -> [Finding] {
        let context = RuleContext(isms: loaded.isms, asOf: day, artifacts: artifacts, governance: governance)
        var findings = loaded.findings
        for rule in RuleRegistry.all { findings += rule.check(context) }
        let overrides = loaded.isms.config.ruleSeverities
        findings = findings.compactMap { finding in
            guard let override = overrides[finding.rule] else { return finding }
            guard let severity = override else { return nil }
            var changed = finding
            changed.severity = severity
            return changed
        }
        return findings.sorted(by: Finding.ordered)
    }

    func testCheckEqualsEveryRuleInTurnWithTheHistory() throws {
        let r = repository()
        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        for useCache in [false, true, true] {
            var notes = [String]()
            let report = try workspace.check(
                workspace.stagedSource(), asOf: day, options: GovernanceOptions(revision: "HEAD", useCache: useCache), notes: &notes)

            let source = try workspace.stagedSource()
            let loaded = try Loader.load(from: source)
            var governanceNotes = [String]()
            let governance = try XCTUnwrap(
                try workspace.governance(
                    at: "HEAD", trustRef: nil, config: loaded.isms.config, useCache: useCache, notes: &governanceNotes))
            let expected = everyRuleInTurn(loaded, artifacts: source, governance: governance)
            XCTAssertEqual(report.findings, expected, "useCache: \(useCache)")
            XCTAssertEqual(Checker.check(loaded, asOf: day, artifacts: source, governance: governance).findings, expected)
            XCTAssertEqual(notes, governanceNotes)

            // Both sorts of rule report here, so a rule left out on either thread changes the report.
            let rules = Set(expected.map(\.rule))
            XCTAssertTrue(rules.isSuperset(of: ["broken-link", "overdue-review", "backdated-record"]), "\(rules.sorted())")
        }
    }

    /// The rules that declare they do not read the history (`HistoryUse.notRead`) give the same findings without it:
    /// what lets them run before it is read.
    func testHistoryFreeRulesGiveTheSameWithoutTheHistory() throws {
        let r = repository()
        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        let source = try workspace.stagedSource()
        let loaded = try Loader.load(from: source)
        var notes = [String]()
        let governance = try XCTUnwrap(
            try workspace.governance(at: "HEAD", trustRef: nil, config: loaded.isms.config, useCache: false, notes: &notes))
        let with = RuleContext(isms: loaded.isms, asOf: day, artifacts: source, governance: governance)
        let without = RuleContext(isms: loaded.isms, asOf: day, artifacts: source, governance: nil)
        var reported = 0
        for rule in RuleRegistry.all where type(of: rule).history == .notRead {
            let findings = rule.check(with)
            XCTAssertEqual(rule.check(without), findings, type(of: rule).id)
            reported += findings.count
        }
        XCTAssertGreaterThan(reported, 0)
    }
}
