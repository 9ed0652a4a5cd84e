import XCTest

@testable import ISMSKit

/// The reports as pure functions of (ISMS, as-of day), on small ISMSs built for each case.
final class ReportTests: XCTestCase {
    private let asOf = Day("2026-12-01")!

    private func load(_ files: [String: String], config: String = "name: Test\nevidence_grace_days: 7\n") throws -> ISMS {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", config)
        for (path, content) in files { folder.write(path, content) }
        return try Loader.load(from: WorkTreeSource(root: folder.path)).isms
    }

    private func control(_ n: Int, status: String = "operating", every: String = "weekly", extra: String = "") -> (String, String) {
        ("controls/ctrl-\(n).yaml", "id: CTRL-\(n)\ntitle: Control \(n)\nowner: alice\nstatus: \(status)\nevery: \(every)\n\(extra)")
    }

    private func evidence(_ id: String, control: Int, on day: String, result: String = "pass") -> (String, String) {
        ("evidence/\(id).yaml", "id: \(id)\ntitle: \(id)\ncontrol: CTRL-\(control)\ncollected_on: \(day)\nresult: \(result)\n")
    }

    private func column(_ document: ReportDocument, _ key: String, table: Int = 0) -> [String] {
        let index = document.tables[table].columns.firstIndex { $0.key == key }!
        return document.tables[table].rows.map { $0[index].value.text }
    }

    func testEvidenceStatuses() throws {
        let files = Dictionary(uniqueKeysWithValues: [
            control(1), evidence("EV-1", control: 1, on: "2026-11-28"),  // ok: due 12-05
            control(2), evidence("EV-2", control: 2, on: "2026-11-20"),  // due: 11-27 + 7 grace
            control(3), evidence("EV-3", control: 3, on: "2026-11-10"),  // stale
            control(4), evidence("EV-4a", control: 4, on: "2026-11-01"), evidence("EV-4b", control: 4, on: "2026-11-30", result: "fail"),
            control(5),  // missing
            control(6, status: "planned"),  // n/a
            control(7, every: "on-event"), evidence("EV-7", control: 7, on: "2025-01-01"),  // ok, never due
            control(8), evidence("EV-8", control: 8, on: "2026-12-05"),  // future evidence: missing
            ("exceptions/exc-1.yaml", "id: EXC-1\ntitle: x\nowner: alice\ncontrol: CTRL-4\nexpires: 2027-01-31\n"),
        ])
        let report = EvidenceReport.build(try load(files), asOf: asOf)
        XCTAssertEqual(column(report, "control"), (1...8).map { "CTRL-\($0)" })
        XCTAssertEqual(column(report, "status"), ["ok", "due", "stale", "failed", "missing", "n/a", "ok", "missing"])
        XCTAssertEqual(column(report, "next_due"), ["2026-12-05", "2026-11-27", "2026-11-17", "2026-12-07", "", "", "", ""])
        XCTAssertEqual(column(report, "newest_evidence")[3], "EV-4b")
        XCTAssertEqual(column(report, "note")[3], "excused by EXC-1 until 2027-01-31")
        XCTAssertEqual(column(report, "note")[2], "14 days past due")
        XCTAssertEqual(report.summary.first { $0.key == "missing" }?.value, .integer(2))
    }

    func testRegisterScoresAndHeatMaps() throws {
        let isms = try load([
            "risks/risk-1.yaml":
                "id: RISK-1\ntitle: a\nowner: alice\nlikelihood: 4\nimpact: 5\ntreatment: avoid\nresidual: {likelihood: 1, impact: 2}\n",
            "risks/risk-2.yaml":
                "id: RISK-2\ntitle: b\nowner: alice\nlikelihood: 4\nimpact: 5\ntreatment: accept\nacceptance: {approved_by: alice, approved_on: 2026-01-01, expires: 2026-06-30, rationale: x}\n",
            "risks/risk-10.yaml": "id: RISK-10\ntitle: c\nowner: alice\n",
        ])
        let report = RegisterReport.build(isms, asOf: asOf)
        XCTAssertEqual(column(report, "risk"), ["RISK-1", "RISK-2", "RISK-10"], "natural order")
        XCTAssertEqual(column(report, "score"), ["20", "20", ""])
        XCTAssertEqual(column(report, "level"), ["critical", "critical", ""])
        XCTAssertEqual(column(report, "residual_score"), ["2", "", ""])
        XCTAssertEqual(column(report, "treatment"), ["avoid", "accept (acceptance expired 2026-06-30)", "untreated"])
        let inherent = report.tables[1]
        XCTAssertEqual(inherent.rows.count, 5)
        XCTAssertEqual(inherent.columns.count, 6)
        XCTAssertEqual(inherent.rows[0][0].value.text, "5 critical", "impact 5 is the top row")
        XCTAssertEqual(inherent.rows[0][4].value, .list(["RISK-1", "RISK-2"]), "likelihood 4")
        XCTAssertEqual(inherent.rows[0][4].tone, .critical)
        XCTAssertEqual(inherent.rows[4][1].tone, .low)
        XCTAssertEqual(report.tables[2].rows[3][1].value, .list(["RISK-1"]), "residual impact 2, likelihood 1")
        XCTAssertEqual(report.summary.first { $0.key == "unscored" }?.value, .integer(1))
    }

    func testTraceMarksBreaks() throws {
        let isms = try load(
            Dictionary(uniqueKeysWithValues: [
                ("risks/risk-1.yaml", "id: RISK-1\ntitle: a\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1, CTRL-9, CTRL-2]\n"),
                ("risks/risk-2.yaml", "id: RISK-2\ntitle: b\nowner: alice\ntreatment: reduce\n"),
                (
                    "risks/risk-3.yaml",
                    "id: RISK-3\ntitle: c\nowner: alice\ntreatment: accept\nacceptance: {approved_by: alice, approved_on: 2026-01-01, expires: 2026-06-30, rationale: x}\n"
                ),
                control(1, extra: "satisfies: [OBL-A]\n"), evidence("EV-1", control: 1, on: "2026-11-30"),
                control(2, status: "retired"),
                control(3),
                ("obligations/a.yaml", "id: OBL-A\ntitle: a\nowner: alice\n"),
                ("obligations/b.yaml", "id: OBL-B\ntitle: b\nowner: alice\n"),
                ("obligations/c.yaml", "id: OBL-C\ntitle: c\nowner: alice\napplies: false\njustification: n/a\n"),
            ]))
        let report = TraceReport.build(isms, asOf: asOf)
        XCTAssertEqual(column(report, "risk"), ["RISK-1", "RISK-1", "RISK-1", "RISK-2", "RISK-3", "", ""])
        XCTAssertEqual(column(report, "control"), ["CTRL-1", "CTRL-9", "CTRL-2", "", "", "CTRL-3", ""])
        XCTAssertEqual(
            column(report, "breaks"),
            [
                "", "CTRL-9 is not a control on record", "control retired",
                "reduce without controls", "acceptance expired on 2026-06-30",
                "no evidence; no risk or obligation requires it", "no control satisfies it",
            ])
        XCTAssertEqual(column(report, "obligations"), ["OBL-A", "", "", "", "", "", "OBL-B"])
        XCTAssertEqual(report.summary.map(\.value), [.integer(7), .integer(6), .integer(1)])
    }

    func testCoveragePerFramework() throws {
        let isms = try load(
            Dictionary(uniqueKeysWithValues: [
                control(1, extra: "satisfies: [OBL-G1]\n"),
                ("evidence/ev-1.yaml", "id: EV-1\ntitle: Week 48\ncontrol: CTRL-1\ncollected_on: 2026-11-27\nresult: pass\n"),
                control(2, status: "planned", extra: "satisfies: [OBL-G2]\n"),
                control(3, status: "retired", extra: "satisfies: [OBL-G3]\n"),
                ("obligations/g1.yaml", "id: OBL-G1\ntitle: a\nowner: alice\nsource: GDPR\nref: Art. 32\n"),
                ("obligations/g2.yaml", "id: OBL-G2\ntitle: b\nowner: alice\nsource: gdpr\nref: Art. 33\n"),
                ("obligations/g3.yaml", "id: OBL-G3\ntitle: c\nowner: alice\nsource: GDPR\nref: Art. 34\n"),
                (
                    "obligations/g4.yaml",
                    "id: OBL-G4\ntitle: d\nowner: alice\nsource: GDPR\nref: Art. 36\napplies: false\njustification: no prior consultation needed\n"
                ),
                ("obligations/i1.yaml", "id: OBL-I1\ntitle: e\nowner: alice\nsource: internal\n"),
            ]))
        let report = CoverageReport.build(isms, asOf: asOf)
        XCTAssertEqual(column(report, "framework"), ["GDPR", "internal"], "catalogued frameworks first; gdpr is GDPR")
        XCTAssertEqual(column(report, "covered_percent"), ["33.3", "0"])
        XCTAssertEqual(column(report, "planned"), ["1", "0"])
        XCTAssertEqual(column(report, "status", table: 1), ["covered", "planned", "uncovered", "not applicable", "uncovered"])
        XCTAssertEqual(report.summary.first { $0.key == "covered_percent" }?.value, .decimal(25))
    }

    func testSOAReportShowsApplicabilityJustificationAndGaps() throws {
        let isms = try load(
            [
                "risks/risk-1.yaml": "id: RISK-1\ntitle: a\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\n",
                "controls/ctrl-1.yaml":
                    "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: operating\nevery: monthly\nannex_a: [A.8.13]\nsatisfies: [OBL-A]\n",
                "evidence/ev-1.yaml": "id: EV-1\ntitle: Backup log\ncontrol: CTRL-1\ncollected_on: 2026-11-27\nresult: pass\n",
                "controls/ctrl-2.yaml": "id: CTRL-2\ntitle: VPN\nowner: alice\nstatus: retired\nannex_a: [A.8.20]\n",
                "obligations/a.yaml": "id: OBL-A\ntitle: a\nowner: alice\n",
            ], config: "name: Test\nsoa_exclusions:\n  A.7.4: No premises.\n")
        let report = SOAReport.build(isms, asOf: asOf)
        XCTAssertEqual(report.tables[0].rows.count, 93)
        let ids = column(report, "annex_a")
        func row(_ id: String, _ key: String) -> String { column(report, key)[ids.firstIndex(of: id)!] }
        XCTAssertEqual(row("A.8.13", "applicable"), "yes")
        XCTAssertEqual(row("A.8.13", "justification"), "risks: RISK-1; obligations: OBL-A")
        XCTAssertEqual(row("A.8.13", "controls"), "CTRL-1 Backups (operating)")
        XCTAssertEqual(row("A.8.13", "status"), "operating")
        XCTAssertEqual(row("A.7.4", "applicable"), "no")
        XCTAssertEqual(row("A.7.4", "justification"), "No premises.")
        XCTAssertEqual(row("A.8.20", "applicable"), "undecided")
        XCTAssertTrue(row("A.8.20", "justification").hasSuffix("only retired CTRL-2 named it"))
        XCTAssertEqual(report.summary.prefix(4).map(\.value), [.integer(93), .integer(1), .integer(1), .integer(91)])
    }

    func testGraphAroundARecordFollowsTheChainOutward() throws {
        let isms = try load(
            Dictionary(uniqueKeysWithValues: [
                ("risks/risk-1.yaml", "id: RISK-1\ntitle: a\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nassets: [ASSET-1]\n"),
                ("risks/risk-2.yaml", "id: RISK-2\ntitle: b\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1, CTRL-2]\n"),
                control(1, extra: "satisfies: [OBL-A, OBL-X]\n"), control(2, extra: "satisfies: [OBL-A]\n"),
                evidence("EV-1", control: 1, on: "2026-11-30"), evidence("EV-2", control: 2, on: "2026-11-30"),
                ("obligations/a.yaml", "id: OBL-A\ntitle: a\nowner: alice\n"),
                ("assets/asset-1.yaml", "id: ASSET-1\ntitle: a\nowner: alice\n"),
                ("assets/asset-2.yaml", "id: ASSET-2\ntitle: unrelated\nowner: alice\n"),
            ]))
        XCTAssertEqual(
            GraphReport.select(isms, from: "RISK-1").ids, ["RISK-1", "CTRL-1", "OBL-A", "EV-1", "ASSET-1", "OBL-X"],
            "its control, that control's evidence and obligations, its asset; not RISK-2; a broken link as a missing node")
        XCTAssertEqual(GraphReport.select(isms, from: "OBL-A").ids, ["RISK-1", "RISK-2", "CTRL-1", "CTRL-2", "OBL-A", "EV-1", "EV-2"])
        XCTAssertEqual(GraphReport.select(isms, from: "ASSET-1").ids, ["RISK-1", "CTRL-1", "OBL-A", "EV-1", "ASSET-1", "OBL-X"])
        let whole = GraphReport.select(isms, from: nil)
        XCTAssertEqual(whole.ids.count, 10)
        let mermaid = GraphReport.render(isms, GraphReport.select(isms, from: "RISK-1"), format: .mermaid)
        XCTAssertTrue(mermaid.hasPrefix("flowchart LR\n"))
        XCTAssertTrue(mermaid.contains("  RISK_1 -->|controls| CTRL_1\n"), mermaid)
        XCTAssertTrue(mermaid.contains("  OBL_X[\"OBL-X<br/>no such record\"]:::missing\n"), mermaid)
        let dot = GraphReport.render(isms, whole, format: .dot)
        XCTAssertTrue(dot.contains("  \"EV-1\" -> \"CTRL-1\" [label=\"control\"];\n"), dot)
        XCTAssertTrue(dot.hasSuffix("}\n"))
    }

    func testRenderersEscape() {
        let document = ReportDocument(
            kind: "x", title: "T", ismsName: "A <b> & \"c\"", asOf: asOf, introduction: "i",
            summary: [SummaryItem("n", "N", .decimal(66.7))],
            tables: [
                ReportTable(
                    id: "t", title: "Table", columns: [ReportColumn("a", "A"), ReportColumn("b", "B")],
                    rows: [[.text("x | y"), .list(["one, two", "three \"3\""])], [.empty, .integer(4)]])
            ])
        XCTAssertEqual(CSVReportRenderer.render(document), "a,b\nx | y,\"one, two; three \"\"3\"\"\"\n,4\n")
        let markdown = MarkdownReportRenderer.render(document)
        XCTAssertTrue(markdown.contains("| x \\| y | one, two; three \"3\" |\n|  | 4 |\n"), markdown)
        XCTAssertTrue(markdown.contains("- N: **66.7**\n"), markdown)
        let html = HTMLReportRenderer.page(document)
        XCTAssertTrue(html.contains("A &lt;b&gt; &amp; &quot;c&quot;"), html)
        XCTAssertTrue(html.contains("<td>one, two<br>three &quot;3&quot;</td>"), html)
        XCTAssertTrue(html.contains("<td class=\"num\">4</td>"), html)
        XCTAssertFalse(html.contains("<script"))
        let json = JSONReportRenderer.render(document)
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        XCTAssertEqual(object?["version"] as? Int, 1)
        let rows = (object?["tables"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]]
        XCTAssertEqual(rows?.first?["b"] as? [String], ["one, two", "three \"3\""])
        XCTAssertTrue(rows?.last?["a"] is NSNull)
        XCTAssertEqual(rows?.last?["b"] as? Int, 4)
    }
}
