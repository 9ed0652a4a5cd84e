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

    /// Each thread sorts its findings and the report merges them: the stable sort of both lists one after the other,
    /// or nil (and the report sorts them whole) when findings of the two are tied, which keep the list's order.
    func testMergeIsTheSortOfBothListsOrNilOnATie() {
        func finding(_ path: String?, _ line: Int, _ rule: String, _ message: String, _ record: String) -> Finding {
            Finding(
                rule: rule, severity: .warning, message: message, path: path,
                location: SourceLocation(line: line, column: 1), record: record)
        }
        let paths: [String?] = [nil, "risks/a.yaml", "risks/b.yaml", "controls/c.yaml"]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            // Ties (same path, line, rule and message; another record) only within a list, as the rules' own are.
            func list(_ rules: [String]) -> [Finding] {
                (0..<Int.random(in: 0...30, using: &generator)).map { n in
                    finding(
                        paths.randomElement(using: &generator)!, Int.random(in: 1...4, using: &generator),
                        rules.randomElement(using: &generator)!, "A.5.\(Int.random(in: 1...3, using: &generator))", "R\(n)")
                }
            }
            let a = list(["broken-link", "overdue-review"]), b = list(["backdated-record", "bad-signature"])
            let expected = (a + b).sorted(by: Finding.ordered)
            XCTAssertEqual(Checker.merge(a.sorted(by: Finding.ordered), b.sorted(by: Finding.ordered)), expected, "round \(round)")
        }
        // A tie across the lists: which comes first would depend on the list, so there is no merge.
        let tied = finding("risks/a.yaml", 3, "broken-link", "A.5.1", "R1"),
            other = finding("risks/a.yaml", 3, "broken-link", "A.5.1", "R2")
        XCTAssertNil(Checker.merge([finding(nil, 1, "x", "m", "R0"), tied], [other]))
        XCTAssertEqual(Checker.merge([tied], [finding("risks/b.yaml", 1, "broken-link", "A.5.1", "R2")])?.count, 2)
    }
}
