import Foundation
import XCTest

@testable import ISMSKit

/// Issue 13, item 4: the HTML audit pack shows, for each risk acceptance, the commit that approved it (the commit that
/// set `acceptance.approved_by`: short id and day), read from git; outside git it shows no such column.
final class ApprovingCommitTests: XCTestCase {
    private let config = """
        name: Approvals
        people:
          alice: {name: Alice Adler, email: alice@example.com}
          carol: {name: Carol Chen, email: carol@example.com}

        """

    private func risk(_ id: String, approver: String, title: String = "Office flood") -> String {
        """
        id: \(id)
        title: \(title)
        owner: alice
        likelihood: 2
        impact: 2
        treatment: accept
        acceptance:
          approved_by: \(approver)
          approved_on: 2026-01-10
          expires: 2027-01-10
          rationale: Third floor, no servers on site.
        review: {last: 2026-06-01, every: yearly}

        """
    }

    /// The acceptances table of the pack's registers, as text cells per row.
    private func acceptances(_ html: String) throws -> (header: [String], rows: [[String]]) {
        let start = try XCTUnwrap(html.range(of: "id=\"registers-acceptances\"") ?? html.range(of: "Risk acceptances</h"), html)
        let rest = html[start.upperBound...]
        let end = try XCTUnwrap(rest.range(of: "</table>"))
        let table = String(rest[..<end.lowerBound])
        func cells(_ row: Substring, tag: String) -> [String] {
            row.components(separatedBy: "<\(tag)").dropFirst().map { cell in
                let body = cell.drop { $0 != ">" }.dropFirst()
                let text = body.components(separatedBy: "</\(tag)>")[0]
                return text.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression).trimmingCharacters(
                    in: .whitespacesAndNewlines)
            }
        }
        let rows = table.components(separatedBy: "<tr").dropFirst().map { Substring($0) }
        let header = rows.first.map { cells($0, tag: "th") } ?? []
        return (header, rows.dropFirst().map { cells($0, tag: "td") })
    }

    func testThePackShowsTheCommitThatSetTheApprover() throws {
        let repository = GitRepository()
        repository.write("isms.yaml", config)
        repository.write("risks/risk-1.yaml", risk("RISK-1", approver: "carol"))
        repository.write("risks/risk-2.yaml", risk("RISK-2", approver: "alice", title: "Laptop theft"))
        repository.commit("Accept two risks", by: .carol, at: "2026-01-12T10:00:00Z")
        let approving = repository.git("rev-parse", "--short=10", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        // A later commit changes the rationale only: the approving commit stays the first.
        repository.write(
            "risks/risk-1.yaml", risk("RISK-1", approver: "carol").replacingOccurrences(of: "Third floor", with: "Fourth floor"))
        repository.commit("Reword the rationale", by: .bob, at: "2026-02-03T10:00:00Z")
        // An approver typed into the work tree, not committed: no commit records it.
        repository.write("risks/risk-2.yaml", risk("RISK-2", approver: "carol", title: "Laptop theft"))

        let result = isms(["export", "--html", "pack.html", "--as-of", "2026-12-01"], in: repository.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try XCTUnwrap(repository.folder.read("pack.html"))
        let table = try acceptances(html)
        XCTAssertEqual(table.header.last, "Approving commit", table.header.joined(separator: " | "))
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertEqual(table.rows.first?.first, "RISK-1")
        XCTAssertEqual(table.rows.first?.last, "\(approving.prefix(10)) (2026-01-12)")
        XCTAssertEqual(table.rows.last?.first, "RISK-2")
        XCTAssertEqual(table.rows.last?.last, "not committed")
        XCTAssertTrue(html.contains("The approving commit of an acceptance is the commit that set its approved_by"))
    }

    func testOutsideGitThereIsNoApprovingCommit() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", config)
        folder.write("risks/risk-1.yaml", risk("RISK-1", approver: "carol"))
        let result = isms(["export", "--html", "pack.html", "--as-of", "2026-12-01"], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try XCTUnwrap(folder.read("pack.html"))
        let table = try acceptances(html)
        XCTAssertFalse(table.header.contains("Approving commit"), table.header.joined(separator: " | "))
        XCTAssertEqual(table.rows.first?.first, "RISK-1")
    }
}
