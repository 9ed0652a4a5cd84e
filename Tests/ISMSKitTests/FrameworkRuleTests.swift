import XCTest

@testable import ISMSKit

/// unknown-reference and soa-gap: their own examples and the edge cases.
final class FrameworkRuleTests: XCTestCase {
    private func check(_ files: [(String, String)], asOf: String = "2026-12-01") throws -> CheckReport {
        let folder = TemporaryFolder()
        if !files.contains(where: { $0.0 == "isms.yaml" }) { folder.write("isms.yaml", "name: Rule example\n") }
        for (path, content) in files { folder.write(path, content) }
        return try Checker.check(WorkTreeSource(root: folder.path), asOf: Day(asOf)!)
    }

    private func findings(_ report: CheckReport, _ rule: String) -> [Finding] { report.findings.filter { $0.rule == rule } }

    func testUnknownReferenceIsLocatedAndSuggests() throws {
        let report = try check([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nannex_a: [A.8.13, A.8.35, A5.15, Access control]\n"),
            ("obligations/a.yaml", "id: OBL-GDPR-31\ntitle: x\nowner: alice\nsource: GDPR\nref: Art. 31\n"),
            ("obligations/b.yaml", "id: OBL-NIS2-K\ntitle: x\nowner: alice\nsource: NIS2\nref: Art. 21(2)(k)\n"),
            ("obligations/c.yaml", "id: OBL-DORA\ntitle: x\nowner: alice\nsource: DORA\n"),
            ("obligations/d.yaml", "id: OBL-CONTRACT\ntitle: x\nowner: alice\nsource: contract\nref: MSA clause 9\n"),
            ("obligations/e.yaml", "id: OBL-ISO\ntitle: x\nowner: alice\nsource: ISO27001\nref: Clause 6.1.3\n"),
        ])
        let found = findings(report, "unknown-reference")
        XCTAssertEqual(found.count, 5, found.map(\.message).joined(separator: "\n"))
        let annex = found.filter { $0.path == "controls/ctrl-1.yaml" }
        XCTAssertEqual(annex.map(\.column), [19, 34])
        XCTAssertTrue(annex[0].message.contains("A.8.35 is not an ISO/IEC 27001:2022 Annex A control"), annex[0].message)
        XCTAssertTrue(annex[0].message.contains("did you mean A.8.34"), annex[0].message)
        XCTAssertTrue(annex[1].message.contains("'Access control' is not an Annex A reference"), annex[1].message)
        XCTAssertTrue(annex[1].message.hasSuffix("did you mean A.5.15 (Access control)?"), annex[1].message)
        let gdpr = try XCTUnwrap(found.first { $0.record == "OBL-GDPR-31" })
        XCTAssertEqual(gdpr.line, 5)
        XCTAssertEqual(gdpr.severity, .warning)
        XCTAssertTrue(gdpr.message.contains("did you mean Art. 30 (Records of processing activities)?"), gdpr.message)
        XCTAssertTrue(found.contains { $0.record == "OBL-NIS2-K" && $0.message.contains("(a) to (j)") })
        XCTAssertTrue(found.contains { $0.record == "OBL-DORA" && $0.message.contains("ref is missing") })
    }

    func testSOAExclusionsAreValidated() throws {
        let config = """
            name: x
            soa_exclusions:
              A.7.4: No premises.
              A.7.15: Typo of A.7.14.
              A.7.1:
            """
        let report = try check([("isms.yaml", config + "\n")])
        let unknown = findings(report, "unknown-reference")
        XCTAssertEqual(unknown.count, 1)
        XCTAssertEqual(unknown.first?.path, "isms.yaml")
        XCTAssertEqual(unknown.first?.line, 4)
        XCTAssertTrue(unknown.first?.message.contains("did you mean A.7.14") ?? false, unknown.first?.message ?? "")
        let invalid = findings(report, "invalid-value")
        XCTAssertEqual(invalid.map(\.line), [5])
        XCTAssertTrue(invalid.first?.message.contains("needs a justification") ?? false)
        // A.7.4 is excluded; A.7.1 without a justification is not, so it is still a gap.
        let gaps = findings(report, "soa-gap")
        XCTAssertEqual(gaps.count, 92)
        XCTAssertFalse(gaps.contains { $0.message.contains("A.7.4 ") })
        XCTAssertTrue(gaps.contains { $0.message.contains("A.7.1 (Physical security perimeters)") })
        XCTAssertTrue(gaps.allSatisfy { $0.path == "isms.yaml" && $0.line == 2 && $0.severity == .warning })
    }

    func testRetiredControlsDoNotImplementButPlannedOnesDo() throws {
        let report = try check([
            ("isms.yaml", "name: x\nsoa_exclusions: {}\n"),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: VPN\nowner: alice\nstatus: retired\nannex_a: [A.8.20]\n"),
            ("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Backups\nowner: alice\nstatus: planned\nannex_a: [A.8.13]\n"),
        ])
        let gaps = findings(report, "soa-gap")
        XCTAssertEqual(gaps.count, 92)
        XCTAssertNil(gaps.first { $0.message.contains("A.8.13 ") })
        let vpn = try XCTUnwrap(gaps.first { $0.message.contains("A.8.20 ") })
        XCTAssertTrue(vpn.message.hasSuffix("only retired CTRL-1 named it"), vpn.message)
        XCTAssertEqual(vpn.line, 2)
    }

    func testSOAGapAppliesOnlyOnceTheISMSUsesAnnexA() throws {
        let risk = ("risks/risk-1.yaml", "id: RISK-1\ntitle: Data loss\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\n")
        let plain = ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: planned\ndue: 2027-03-01\n")
        let annexA = (
            "controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: planned\ndue: 2027-03-01\nannex_a: [A.8.13]\n"
        )
        XCTAssertEqual(try check([risk, plain]).findings, [], "no Annex A reference and no soa_exclusions: no soa-gap")
        XCTAssertEqual(findings(try check([risk, annexA]), "soa-gap").count, 92, "a control naming Annex A turns it on")
        XCTAssertEqual(
            findings(try check([("isms.yaml", "name: x\nsoa_exclusions:\n"), risk, plain]), "soa-gap").count, 93,
            "an empty soa_exclusions turns it on")
    }

    func testExampleISMSHasACompleteSoAAndKnownReferences() throws {
        let root = repositoryRoot + "/example-isms"
        let report = try Checker.check(WorkTreeSource(root: root), asOf: Day("2026-12-01")!)
        XCTAssertEqual(findings(report, "soa-gap"), [])
        XCTAssertEqual(findings(report, "unknown-reference"), [])
    }
}

/// The top of this repository (for example-isms, templates/ and golden files).
let repositoryRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
