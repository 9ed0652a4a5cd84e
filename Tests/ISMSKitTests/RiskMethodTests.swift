import Foundation
import XCTest

@testable import ISMSKit

/// `risk_method` in isms.yaml: its reading, its defaults, and how it is taken from the trusted revision.
final class RiskMethodTests: XCTestCase {
    func read(_ text: String) throws -> (Config, [Finding]) {
        try ConfigReader.read(Data(text.utf8), path: "isms.yaml")
    }

    func testWithoutARiskMethodTheDefaultsHold() throws {
        let (config, findings) = try read("name: X\n")
        XCTAssertTrue(findings.isEmpty)
        let method = config.riskMethod
        XCTAssertEqual(method.likelihood.count, 5)
        XCTAssertEqual(method.impact.count, 5)
        XCTAssertEqual(method.levels, ["low", "medium", "high", "critical"])
        XCTAssertEqual(method.level(likelihood: 2, impact: 2), 0)
        XCTAssertEqual(method.level(likelihood: 1, impact: 5), 1)
        XCTAssertEqual(method.level(likelihood: 2, impact: 5), 2)
        XCTAssertEqual(method.level(likelihood: 4, impact: 4), 3)
        XCTAssertNil(method.appetite)
        XCTAssertTrue(method.mayAccept("anyone", level: 3, people: [:]))
        XCTAssertEqual(method.maxAcceptance(level: 3), 730)
        XCTAssertEqual(method.maxException(level: nil), 730)
    }

    static let method = """
        name: X
        people:
          md: {name: Mia, role: Managing Director}
          pl: {name: Pat, role: Platform Lead}
        risk_method:
          likelihood: [rare, possible, likely, frequent]
          impact: [minor, moderate, major, severe]
          levels: {low: 3, medium: 6, high: 11, critical: 16}
          appetite: medium
          acceptance_authority:
            medium: [Platform Lead]
            critical: [md]
          max_acceptance_days: {low: 730, medium: 365, high: 180, critical: 90}
          max_exception_days: 90

        """

    func testAMethodIsRead() throws {
        let (config, findings) = try read(Self.method)
        XCTAssertEqual(findings.map(\.message), [])
        let method = config.riskMethod
        XCTAssertEqual(method.likelihood.count, 4)
        XCTAssertEqual(method.levels, ["low", "medium", "high", "critical"])
        XCTAssertEqual(method.level(likelihood: 4, impact: 4), 3)
        XCTAssertEqual(method.level(likelihood: 3, impact: 3), 2)
        XCTAssertEqual(method.level(likelihood: 1, impact: 3), 0)
        XCTAssertNil(method.level(likelihood: 5, impact: 1), "outside the scale")
        XCTAssertEqual(method.appetite, 1)
        // The Managing Director may accept anything; the Platform Lead (by role) up to medium.
        XCTAssertTrue(method.mayAccept("md", level: 1, people: config.people))
        XCTAssertTrue(method.mayAccept("pl", level: 1, people: config.people))
        XCTAssertFalse(method.mayAccept("pl", level: 2, people: config.people))
        XCTAssertFalse(method.mayAccept("someone", level: 0, people: config.people))
        XCTAssertEqual(method.maxAcceptance(level: 3), 90)
        XCTAssertEqual(method.maxException(level: 0), 90)
    }

    func testAMatrixRanksLevelsInTheOrderTheyFirstAppear() throws {
        let (config, findings) = try read(
            """
            risk_method:
              likelihood: [low, mid, high]
              impact: [low, mid, high]
              levels:
                - [green, green, amber]
                - [green, amber, red]
                - [amber, red, red]

            """)
        XCTAssertEqual(findings.map(\.message), [])
        XCTAssertEqual(config.riskMethod.levels, ["green", "amber", "red"])
        XCTAssertEqual(config.riskMethod.level(likelihood: 3, impact: 2), 2)
        XCTAssertEqual(config.riskMethod.level(likelihood: 1, impact: 3), 1)
    }

    func testEveryDefectIsALocatedFinding() throws {
        let (_, findings) = try read(
            """
            risk_method:
              likelihood: [one, two]
              levels: {low: 9, high: 4}
              appetite: severe
              acceptance_authority: {hgh: [md]}
              max_acceptance_days: 0
              colour: red

            """)
        let byField = Dictionary(findings.map { ($0.field ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byField["risk_method.likelihood"]?.line, 2)
        XCTAssertEqual(byField["risk_method.levels.high"]?.line, 3)
        XCTAssertEqual(byField["risk_method.colour"]?.rule, "unknown-field")
        XCTAssertEqual(byField["risk_method.appetite"]?.rule, "invalid-value")
        XCTAssertTrue(byField["risk_method.acceptance_authority.hgh"]?.message.contains("did you mean high") ?? false, "\(findings)")
        XCTAssertEqual(byField["risk_method.max_acceptance_days"]?.line, 6)
    }

    func testScoresAreHeldToTheConfiguredScale() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", Self.method)
        folder.write(
            "risks/risk-1.yaml",
            "id: RISK-1\ntitle: Flood\nowner: md\nlikelihood: 5\nimpact: 4\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n")
        let findings = try Checker.check(WorkTreeSource(root: folder.path), asOf: Day("2026-12-01")!).findings
        XCTAssertEqual(findings.map(\.rule), ["invalid-value"], "\(findings)")
        XCTAssertEqual(findings.first?.field, "likelihood")
        // With the default method, 5 is fine and 6 is not.
        folder.write("isms.yaml", "name: X\n")
        folder.write(
            "risks/risk-1.yaml",
            "id: RISK-1\ntitle: Flood\nowner: md\nlikelihood: 6\nimpact: 5\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n")
        XCTAssertEqual(try Checker.check(WorkTreeSource(root: folder.path), asOf: Day("2026-12-01")!).findings.map(\.field), ["likelihood"])
    }

    func testThePolicyComesFromTheTrustedRevision() throws {
        let (trusted, _) = try read(Self.method)
        let (head, _) = try read(Self.method.replacingOccurrences(of: "critical: [md]", with: "critical: [md, pl]"))
        XCTAssertTrue(head.riskMethod.mayAccept("pl", level: 3, people: head.people))
        XCTAssertFalse(head.applyingPolicy(of: trusted).riskMethod.mayAccept("pl", level: 3, people: trusted.people))
    }
}

/// Issue 13: the register reads its scales and levels from the risk method, not from fixed 1–5 bands.
final class RiskMethodRegisterTests: XCTestCase {
    func testTheRegisterUsesTheMethodsScalesAndLevels() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", RiskMethodTests.method)
        folder.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Flood\nowner: md\nlikelihood: 4\nimpact: 3\ntreatment: avoid\n")
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let report = RegisterReport.build(isms, asOf: Day("2026-12-01")!)
        XCTAssertTrue(
            report.introduction.contains("likelihood (1–4) × impact (1–4): 1–3 low, 4–6 medium, 7–11 high, 12–16 critical"),
            report.introduction)
        XCTAssertTrue(report.introduction.contains("The appetite is medium"))
        let risk = report.tables[0].rows[0]
        XCTAssertEqual(risk[6].value, .text("critical"), "12 is critical on this method, high on the default one")
        let heat = report.tables[1]
        XCTAssertEqual(heat.rows.count, 4)
        XCTAssertEqual(heat.columns.map(\.header), ["Impact \\ likelihood", "1 rare", "2 possible", "3 likely", "4 frequent"])
        XCTAssertEqual(heat.rows[1][4].value, .list(["RISK-1"]))
    }
}

/// The edges of the risk method's rules: which level is judged, and by whom.
final class RiskMethodRuleEdgeTests: XCTestCase {
    static let config = (
        "isms.yaml",
        """
        name: X
        people:
          md: {name: Mia, role: Managing Director}
          ciso: {name: Cy, role: CISO}
          eng: {name: Eve, role: Engineer}
        risk_method:
          appetite: low
          acceptance_authority: {medium: [CISO], critical: [md]}
          max_exception_days: {low: 365, medium: 180, high: 90, critical: 30}

        """
    )

    func rules(_ files: [(String, String)], _ rule: String) throws -> [Finding] {
        try findings(of: RuleExample([Self.config] + files)).filter { $0.rule == rule }
    }

    func risk(_ body: String) -> (String, String) {
        ("risks/risk-1.yaml", "id: RISK-1\ntitle: R\nowner: ciso\n\(body)review: {last: 2026-06-01, every: yearly}\n")
    }

    func testAnUnscoredAcceptedRiskCountsAsTheHighestLevel() throws {
        let accept = "treatment: accept\nacceptance: {approved_by: ciso, approved_on: 2026-10-01, expires: 2026-12-20, rationale: x}\n"
        XCTAssertEqual(try rules([risk(accept)], "acceptance-beyond-authority").count, 1, "unscored: only md may accept")
        XCTAssertEqual(
            try rules([risk("likelihood: 2\nimpact: 3\n" + accept)], "acceptance-beyond-authority").count, 0, "medium: the CISO may")
        // The residual decides, not the inherent score.
        let reduced = "likelihood: 5\nimpact: 5\nresidual: {likelihood: 2, impact: 3}\n" + accept
        XCTAssertEqual(try rules([risk(reduced)], "acceptance-beyond-authority").count, 0)
        XCTAssertEqual(
            try rules(
                [risk("likelihood: 5\nimpact: 5\n" + accept.replacingOccurrences(of: "ciso", with: "md"))],
                "acceptance-beyond-authority"
            ).count, 0, "by roster key")
    }

    func testAnExceptionOnAControlTakesTheHighestLevelOfItsRisks() throws {
        let control = ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: C\nowner: ciso\nstatus: operating\nevery: yearly\n")
        let exception = (
            "exceptions/exc-1.yaml",
            """
            id: EXC-1
            title: E
            owner: ciso
            control: CTRL-1
            requested_by: eng
            approved_by: ciso
            approved_on: 2026-11-01
            expires: 2027-01-15

            """
        )
        let low = risk("likelihood: 1\nimpact: 2\ntreatment: reduce\ncontrols: [CTRL-1]\n")
        XCTAssertEqual(try rules([control, exception, low], "exception-too-long").count, 0, "75 days at low (365)")
        let critical = (
            "risks/risk-2.yaml", "id: RISK-2\ntitle: R2\nowner: ciso\nlikelihood: 5\nimpact: 5\ntreatment: reduce\ncontrols: [CTRL-1]\n"
        )
        let found = try rules([control, exception, low, critical], "exception-too-long")
        XCTAssertEqual(
            found.map(\.message),
            ["exception EXC-1 runs 75 days (approved on 2026-11-01, expires 2027-01-15); the risk method allows 30 at level critical"])
    }
}
