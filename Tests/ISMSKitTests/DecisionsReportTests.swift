import Foundation
import XCTest

/// `isms report decisions`: every decision change in a period, from the history, with who and the signature.
final class DecisionsReportTests: XCTestCase {
    private func repository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", minimalConfig)
        repo.write("isms/risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")
        repo.commit("Add RISK-1", at: "2026-01-10T09:00:00+01:00")
        repo.write("isms/risks/risk-1.yaml", "id: RISK-1\ntitle: Stolen laptops\nowner: alice\ntreatment: avoid\n")
        repo.commit("Retitle RISK-1", by: .bob, at: "2026-02-10T09:00:00+01:00")
        repo.write(
            "isms/risks/risk-1.yaml", "id: RISK-1\ntitle: Stolen laptops\nowner: alice\ntreatment: transfer\ntransfer: {to: Insurer AG}\n")
        repo.commit("Transfer RISK-1 to the insurer", by: .carol, at: "2026-03-10T09:00:00+01:00")
        return repo
    }

    func testListsDecisionFieldsOnlyWithWhoAndSignature() throws {
        let repo = repository()
        let result = isms(["report", "decisions", "--format", "json", "--as-of", "2026-12-01"], in: repo.path + "/isms")
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let table = try XCTUnwrap((json["tables"] as? [[String: Any]])?.first)
        let rows = try XCTUnwrap(table["rows"] as? [[String: Any]])
        // The retitle is not a decision; the creation's treatment and the transfer are.
        XCTAssertEqual(
            rows.map { "\($0["field"] ?? "") \($0["old"] ?? "") \($0["new"] ?? "")" },
            ["treatment avoid transfer", "treatment <null> avoid"].map { $0.replacingOccurrences(of: "<null>", with: "\(NSNull())") })
        XCTAssertEqual(rows.first?["author"] as? String, "Carol Example")
        XCTAssertEqual(rows.first?["signature"] as? String, "unsigned")
        XCTAssertEqual(rows.first?["date"] as? String, "2026-03-10T09:00:00+01:00")
    }

    func testPeriodAndPlainFolders() {
        let repo = repository()
        let march = isms(["report", "decisions", "--since", "2026-03-01", "--until", "2026-03-31"], in: repo.path + "/isms")
        XCTAssertEqual(march.status, 0, march.stderr)
        XCTAssertTrue(march.stdout.contains("- Decision changes: **1**"), march.stdout)
        XCTAssertTrue(march.stdout.contains("| RISK-1 | risk | treatment | avoid | transfer | Carol Example |"), march.stdout)

        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        let plain = isms(["report", "decisions"], in: folder.path)
        XCTAssertEqual(plain.status, 2)
        XCTAssertTrue(plain.stderr.contains("not inside a git repository"), plain.stderr)
    }

    func testTheAuditPackHoldsTheDecisionLogInAGitRepository() throws {
        let repo = repository()
        let out = TemporaryFolder()
        let result = isms(["export", "--html", out.path + "/pack.html", "--as-of", "2026-12-01"], in: repo.path + "/isms")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Decision log"), result.stdout)
        let html = try XCTUnwrap(out.read("pack.html"))
        XCTAssertTrue(html.contains("Transfer RISK-1 to the insurer"), "the pack lists the decision commits")
    }
}
