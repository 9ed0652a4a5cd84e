import Foundation
import XCTest

@testable import ISMSKit

/// `isms report management-review`: the 9.3.2 inputs from the records and the git history since the last review.
final class ManagementReviewReportTests: XCTestCase {
    /// A history: the 2026 review on 10 March, then a supplier (bob), an obligation (carol), a risk (alice) and the
    /// context (carol) changed; a risk change before the review must not show.
    private func repository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + "context:\n  external: [NIS2 applies]\n")
        repo.write(
            "risks/risk-1.yaml",
            "id: RISK-1\ntitle: Ransomware\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nlikelihood: 3\nimpact: 4\n")
        repo.write("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Offline backups\nowner: bob\nstatus: planned\n")
        repo.write("suppliers/sup-1.yaml", "id: SUP-1\ntitle: AWS\nowner: bob\ncriticality: medium\n")
        repo.write(
            "obligations/obl-gdpr-32.yaml", "id: OBL-GDPR-32\ntitle: Security of processing\nowner: carol\nsource: GDPR\nref: Art. 32\n")
        repo.commit("Start", by: .alice, at: "2026-01-05T10:00:00Z")
        repo.write(
            "risks/risk-1.yaml",
            "id: RISK-1\ntitle: Ransomware\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nlikelihood: 4\nimpact: 4\n")
        repo.commit("Before the review", by: .bob, at: "2026-02-01T10:00:00Z")
        repo.write(
            "management-reviews/mr-1.yaml",
            "id: MR-1\ntitle: Review 2026\nowner: alice\ndate: 2026-03-10\nattendees: [alice, carol]\ntop_management: [carol]\n"
                + OverdueManagementReviewRule.inputs
                + "actions:\n  A-1: {action: Assess AWS regions, owner: bob, due: 2026-06-30, link: SUP-1}\n")
        repo.commit("Management review 2026", by: .alice, at: "2026-03-10T16:00:00Z")
        repo.write("suppliers/sup-1.yaml", "id: SUP-1\ntitle: AWS\nowner: bob\ncriticality: high\n")
        repo.commit("AWS is critical", by: .bob, at: "2026-04-01T10:00:00Z")
        repo.write(
            "obligations/obl-gdpr-32.yaml",
            "id: OBL-GDPR-32\ntitle: Security of processing\nowner: carol\nsource: GDPR\nref: Art. 32(1)(b)\n")
        repo.commit("Narrow the GDPR reference", by: .carol, at: "2026-05-01T10:00:00Z")
        repo.write(
            "risks/risk-1.yaml",
            "id: RISK-1\ntitle: Ransomware\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nlikelihood: 4\nimpact: 5\n")
        repo.commit("Ransomware impact up", by: .alice, at: "2026-06-01T10:00:00Z")
        repo.write("isms.yaml", minimalConfig + "context:\n  external: [NIS2 applies, DORA applies]\n")
        repo.commit("DORA", by: .carol, at: "2026-07-01T10:00:00Z")
        return repo
    }

    private func rows(_ json: String) throws -> [[String: Any]] {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let tables = try XCTUnwrap(object["tables"] as? [[String: Any]])
        return try XCTUnwrap(tables.first?["rows"] as? [[String: Any]])
    }

    func testEachChangeSinceTheLastReviewAppearsUnderItsInputWithItsAuthor() throws {
        let repo = repository()
        let result = isms(["report", "management-review", "--format", "json", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try rows(result.stdout)
        func find(_ input: String, _ subject: String) -> [String: Any]? {
            rows.first { $0["input"] as? String == input && $0["subject"] as? String == subject }
        }
        let supplier = try XCTUnwrap(find("c", "SUP-1"), result.stdout)
        XCTAssertEqual(supplier["author"] as? String, "Bob Example")
        XCTAssertEqual(supplier["what"] as? String, "criticality: medium → high")
        XCTAssertEqual(supplier["date"] as? String, "2026-04-01")
        let obligation = try XCTUnwrap(find("c", "OBL-GDPR-32"))
        XCTAssertEqual(obligation["author"] as? String, "Carol Example")
        XCTAssertEqual(obligation["what"] as? String, "ref: Art. 32 → Art. 32(1)(b)")
        let risks = rows.filter { $0["input"] as? String == "f" && $0["subject"] as? String == "RISK-1" }
        XCTAssertEqual(risks.count, 1, "the change before the review is not in the period")
        XCTAssertEqual(risks.first?["author"] as? String, "Alice Example")
        XCTAssertEqual(risks.first?["what"] as? String, "impact: 4 → 5")
        let context = try XCTUnwrap(find("b", "isms.yaml context.external"))
        XCTAssertEqual(context["author"] as? String, "Carol Example")
        let action = try XCTUnwrap(find("a", "MR-1 A-1"))
        XCTAssertEqual(action["status"] as? String, "overdue since 2026-06-30")
        XCTAssertNotNil(
            rows.first { $0["input"] as? String == "f" && ($0["what"] as? String ?? "").contains("1 control still planned (CTRL-1)") })
        // Every input has a row, in the standard's order.
        var inputs = [String]()
        for input in rows.compactMap({ $0["input"] as? String }) where inputs.last != input { inputs.append(input) }
        XCTAssertEqual(inputs, ["a", "b", "c", "d", "e", "f", "g"])
        // Markdown and HTML render the same rows.
        let markdown = isms(["report", "management-review", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertTrue(
            markdown.stdout.contains("| c | SUP-1 | criticality: medium → high | modified | Bob Example | 2026-04-01 |"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("since the last review, MR-1 on 2026-03-10"), markdown.stdout)
        let html = isms(["report", "management-review", "--format", "html", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(html.status, 0)
        XCTAssertTrue(html.stdout.contains("Bob Example") && html.stdout.contains("<table"), html.stdout)
    }

    /// An action of a review is someone's: the pack names its owner in the Who column (by name for people, by
    /// roster key in JSON), not as a key appended to the action's text.
    func testAnActionsOwnerIsItsWhoByName() throws {
        let repo = repository()
        let json = isms(["report", "management-review", "--format", "json", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(json.status, 0, json.stderr)
        let action = try XCTUnwrap(try rows(json.stdout).first { $0["subject"] as? String == "MR-1 A-1" })
        XCTAssertEqual(action["author"] as? String, "bob")
        XCTAssertEqual(action["what"] as? String, "Assess AWS regions → SUP-1")
        XCTAssertEqual(action["date"] as? String, "2026-03-10")
        let markdown = isms(["report", "management-review", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        XCTAssertTrue(
            markdown.stdout.contains(
                "| a | MR-1 A-1 | Assess AWS regions → SUP-1 | overdue since 2026-06-30 | Bob Example (bob) | 2026-03-10 |"),
            markdown.stdout)
    }

    func testSinceADateOrARevision() throws {
        let repo = repository()
        let fromJune = try rows(
            isms(["report", "management-review", "--since", "2026-06-01", "--format", "json", "--as-of", "2026-12-01"], in: repo.path)
                .stdout)
        XCTAssertNil(fromJune.first { $0["subject"] as? String == "SUP-1" })
        XCTAssertNotNil(fromJune.first { $0["subject"] as? String == "RISK-1" })
        let afterObligation = try rows(
            isms(["report", "management-review", "--since", "HEAD~2", "--format", "json", "--as-of", "2026-12-01"], in: repo.path).stdout)
        XCTAssertEqual(
            afterObligation.filter { ($0["commit"] as? String) != nil }.compactMap { $0["subject"] as? String }.sorted(),
            ["RISK-1", "isms.yaml context.external"])
        let bad = isms(["report", "management-review", "--since", "no-such-rev"], in: repo.path)
        XCTAssertEqual(bad.status, 2)
    }

    func testOutsideGitTheRecordsAloneAreShown() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write(
            "nonconformities/nc-1.yaml",
            "id: NC-1\ntitle: Customer asked for our SOC 2 report\nowner: alice\nsource: {type: complaint}\ntype: opportunity\nraised_on: 2026-10-01\n"
        )
        let result = isms(["report", "management-review", "--format", "json", "--as-of", "2026-12-01"], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try rows(result.stdout)
        XCTAssertNotNil(rows.first { $0["input"] as? String == "e" && $0["subject"] as? String == "NC-1" })
        XCTAssertNotNil(rows.first { $0["input"] as? String == "g" && $0["subject"] as? String == "NC-1" })
        XCTAssertTrue(result.stdout.contains("outside a git repository"))
        XCTAssertEqual(isms(["report", "management-review", "--since", "HEAD~1"], in: folder.path).status, 2)
    }
}
