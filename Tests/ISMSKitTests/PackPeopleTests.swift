import Foundation
import XCTest

@testable import ISMSKit

/// Issue 13, "What to build" 4: the audit pack names people everywhere, not only in the registers. Each report with a
/// person shows a roster key as `Name (key)` in HTML, Markdown and CSV, and the key alone when the roster has no such
/// person; JSON keeps the key as written. The register shows each risk's target beside inherent and residual.
final class PackPeopleTests: XCTestCase {
    private let asOf = Day("2026-12-01")!

    /// alice is on the roster (with a name that needs escaping), zed is not.
    private func loadISMS() throws -> ISMS {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", "name: Test\npeople:\n  alice: {name: Alice <Adler> & Co}\n")
        folder.write(
            "risks/risk-1.yaml",
            "id: RISK-1\ntitle: Theft\nowner: alice\nlikelihood: 4\nimpact: 4\ntreatment: reduce\ncontrols: [CTRL-1]\n"
                + "residual: {likelihood: 3, impact: 4}\ntarget: {likelihood: 2, impact: 3}\n")
        folder.write("risks/risk-2.yaml", "id: RISK-2\ntitle: Fire\nowner: zed\nlikelihood: 1\nimpact: 5\ntreatment: avoid\n")
        folder.write("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Locks\nowner: alice\nstatus: operating\nevery: yearly\n")
        folder.write("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Sprinklers\nowner: zed\nstatus: planned\ndue: 2027-06-01\n")
        folder.write(
            "nonconformities/nc-1.yaml",
            "id: NC-1\ntitle: Gap\nowner: alice\nsource: {type: audit, record: AUD-1}\ntype: minor\nraised_on: 2026-07-24\n"
                + "actions:\n  CA-1: {action: Fix it, owner: zed, due: 2026-12-31}\n")
        folder.write(
            "objectives/obj-1.yaml",
            "id: OBJ-1\ntitle: Fewer clicks\nowner: zed\nmeasure: Click rate\ntarget: {value: 3, comparison: at-most, unit: '%'}\n")
        folder.write("objectives/obj-2.yaml", "id: OBJ-2\ntitle: Faster patches\nowner: alice\nmeasure: Days\n")
        folder.write(
            "documents/doc-1.md",
            "---\nid: DOC-1\ntitle: Policy\nowner: alice\nversion: '1.0'\napproved_by: zed\napproved_on: 2026-02-16\n---\n# Policy\n")
        folder.write(
            "audits/aud-1.yaml",
            "id: AUD-1\ntitle: Internal audit\nowner: alice\ntype: internal\nstatus: performed\nplanned_on: 2026-07-20\n"
                + "performed_on: 2026-07-24\nauditor: alice\n")
        folder.write(
            "audits/aud-2.yaml",
            "id: AUD-2\ntitle: Surveillance audit\nowner: alice\ntype: external\nstatus: planned\nplanned_on: 2027-07-20\n"
                + "auditor: Katrin Hofmann (external)\n")
        return try Loader.load(from: WorkTreeSource(root: folder.path)).isms
    }

    /// The HTML of one report of the pack, from its section to the next.
    private func section(_ kind: String, of pack: String) throws -> String {
        let start = try XCTUnwrap(pack.range(of: "<section id=\"\(kind)\" class=\"report\">"), kind)
        let end = pack.range(of: "class=\"report\">", range: start.upperBound..<pack.endIndex)?.lowerBound ?? pack.endIndex
        return String(pack[start.lowerBound..<end])
    }

    func testThePackNamesPeopleInEveryReportAndKeepsAKeyTheRosterLacks() throws {
        let pack = HTMLReportRenderer.pack(AuditPack(try loadISMS(), asOf: asOf, generator: "isms test"))
        let alice = "<td>Alice &lt;Adler&gt; &amp; Co (alice)</td>", zed = "<td>zed</td>"
        // Each report's person columns hold a roster person and a key the roster lacks.
        let expected: [(String, [String])] = [
            ("register", [alice, zed]),  // owner
            ("evidence", [alice, zed]),  // the control's owner
            ("nonconformities", [alice, zed]),  // owner; the corrective action's owner
            ("objectives", [alice, zed]),  // owner
            ("documents", [alice, zed]),  // owner; approved_by
            ("audits", [alice, "<td>Katrin Hofmann (external)</td>"]),  // auditor: a roster key, or an external name as written
        ]
        for (kind, cells) in expected {
            let html = try section(kind, of: pack)
            for cell in cells { XCTAssertTrue(html.contains(cell), "\(kind): \(cell)\n\(html)") }
            XCTAssertFalse(html.contains("<td>alice</td>"), "\(kind) shows alice's key instead of her name")
            XCTAssertFalse(html.contains("<Adler>"), "\(kind): the name is escaped")
        }
        // In the columns they belong to: the document's owner and approver, the corrective action's owner.
        let documents = try section("documents", of: pack), nonconformities = try section("nonconformities", of: pack)
        XCTAssertTrue(documents.contains("<td>DOC-1</td><td>Policy</td>\(alice)<td>1.0</td>\(zed)"), documents)
        XCTAssertTrue(nonconformities.contains("<td>NC-1</td><td>CA-1</td><td>Fix it</td>\(zed)"), nonconformities)
    }

    func testMarkdownAndCSVNamePeopleWhileJSONKeepsTheKey() throws {
        let register = RegisterReport.build(try loadISMS(), asOf: asOf)
        let markdown = MarkdownReportRenderer.render(register)
        XCTAssertTrue(markdown.contains("| RISK-1 | Theft | Alice \\<Adler\\> \\& Co (alice) |"), markdown)
        XCTAssertTrue(markdown.contains("| RISK-2 | Fire | zed |"), markdown)
        let csv = CSVReportRenderer.render(register)
        XCTAssertTrue(csv.contains("\nRISK-1,Theft,Alice <Adler> & Co (alice),"), csv)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(JSONReportRenderer.render(register).utf8)) as? [String: Any])
        let rows = try XCTUnwrap(((json["tables"] as? [[String: Any]])?.first)?["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["owner"] as? String }, ["alice", "zed"], "JSON keeps the roster key as written")
    }

    func testTheRegisterShowsTheTargetBesideInherentAndResidual() throws {
        let register = RegisterReport.build(try loadISMS(), asOf: asOf)
        let markdown = MarkdownReportRenderer.render(register)
        XCTAssertTrue(markdown.contains("| Residual level | Target L | Target I | Target | Target level | Review due |"), markdown)
        XCTAssertTrue(markdown.contains("| 3 | 4 | 12 | high | 2 | 3 | 6 | medium |"), markdown)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(JSONReportRenderer.render(register).utf8)) as? [String: Any])
        let rows = try XCTUnwrap(((json["tables"] as? [[String: Any]])?.first)?["rows"] as? [[String: Any]])
        XCTAssertEqual(rows[0]["target_likelihood"] as? Int, 2)
        XCTAssertEqual(rows[0]["target_impact"] as? Int, 3)
        XCTAssertEqual(rows[0]["target_score"] as? Int, 6)
        XCTAssertEqual(rows[0]["target_level"] as? String, "medium")
        // No target recorded: the keys are there, null.
        XCTAssertTrue(rows[1].keys.contains("target_score") && rows[1]["target_score"] is NSNull, "\(rows[1])")
        XCTAssertTrue(
            CSVReportRenderer.render(register).hasPrefix(
                "risk,title,owner,likelihood,impact,score,level,treatment,controls,residual_likelihood,residual_impact,residual_score,"
                    + "residual_level,target_likelihood,target_impact,target_score,target_level,review_due\n"))
    }
}
