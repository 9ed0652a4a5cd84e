import Foundation
import XCTest

/// `isms diff`: decisions, not lines, across a real history with a merge.
final class DiffTests: XCTestCase {
    /// main: RISK-1 reduced by CTRL-1, CTRL-1 satisfies OBL-1. A feature branch (Bob) accepts the risk, (Carol)
    /// moves and renames CTRL-1's file and drops the obligation, adds RISK-2 with a broken link, and changes
    /// RISK-3's id to RISK-30 in place; meanwhile main gains an unrelated record; the branch merges main in.
    private func repository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", minimalConfig)
        repo.write(
            "isms/risks/risk-1.yaml",
            "id: RISK-1\ntitle: Laptop theft\nowner: alice\nlikelihood: 3\nimpact: 4\ntreatment: reduce\ncontrols: [CTRL-1]\n")
        repo.write("isms/risks/risk-3.yaml", "id: RISK-3\ntitle: Phishing\nowner: alice\ntreatment: avoid\n")
        repo.write("isms/controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Disk encryption\nowner: bob\nsatisfies: [OBL-1]\n")
        repo.write(
            "isms/obligations/obl-1.yaml", "id: OBL-1\ntitle: Security of processing\nowner: alice\nsource: GDPR\nref: Art. 32(1)(a)\n")
        repo.commit("Initial ISMS", at: "2026-02-01T09:00:00+01:00")
        repo.git("checkout", "-q", "-b", "feature")
        repo.write(
            "isms/risks/risk-1.yaml",
            "id: RISK-1\ntitle: Laptop theft\nowner: alice\nlikelihood: 3\nimpact: 4\ntreatment: accept\ncontrols: [CTRL-1]\nacceptance:\n  approved_by: carol\n  approved_on: 2026-02-02\n  expires: 2027-02-02\n  rationale: Fleet is encrypted and insured\n"
        )
        repo.commit("Accept laptop theft (CAB-12)", by: .bob, at: "2026-02-02T10:00:00+01:00")
        repo.remove("isms/controls/ctrl-1.yaml")
        repo.write("isms/controls/endpoint/disk-encryption.yaml", "id: CTRL-1\ntitle: Disk encryption\nowner: bob\nsatisfies: []\n")
        repo.write("isms/risks/risk-2.yaml", "id: RISK-2\ntitle: Ransomware\nowner: bob\ntreatment: reduce\ncontrols: [CTRL-404]\n")
        repo.write("isms/risks/risk-3.yaml", "id: RISK-30\ntitle: Phishing\nowner: alice\ntreatment: avoid\n")
        repo.commit("Reorganise controls, add ransomware", by: .carol, at: "2026-02-03T10:00:00+01:00")
        repo.git("checkout", "-q", "main")
        repo.write("isms/risks/risk-4.yaml", "id: RISK-4\ntitle: Flood\nowner: alice\ntreatment: avoid\n")
        repo.commit("Main: add flood", at: "2026-02-04T10:00:00+01:00")
        repo.git("checkout", "-q", "feature")
        repo.git(
            "merge", "-q", "--no-ff", "-m", "Merge main into feature", "main",
            environment: ["GIT_AUTHOR_DATE": "2026-02-05T10:00:00+01:00", "GIT_COMMITTER_DATE": "2026-02-05T10:00:00+01:00"])
        return repo
    }

    func testJSONNamesEveryDecisionWithTheCommitsThatMadeIt() throws {
        let repo = repository()
        let result = isms(["diff", "main..feature", "--format", "json", "--as-of", "2026-03-01", "--no-cache"], in: repo.path + "/isms")
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["version"] as? Int, 1)
        XCTAssertEqual(json["base"] as? String, "main")
        XCTAssertEqual(json["head"] as? String, "feature")
        let records = try XCTUnwrap(json["records"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0["id"] as! String, $0) })
        // The merge brought RISK-4 from main: BASE is the merge base, so RISK-4 is not the branch's change.
        XCTAssertEqual(Set(byID.keys), ["RISK-1", "RISK-2", "RISK-30", "CTRL-1"])
        XCTAssertEqual(byID["RISK-2"]?["event"] as? String, "added")
        XCTAssertEqual(byID["RISK-30"]?["event"] as? String, "id-changed")
        XCTAssertEqual(byID["CTRL-1"]?["event"] as? String, "moved")
        XCTAssertEqual(byID["CTRL-1"]?["path"] as? String, "controls/endpoint/disk-encryption.yaml")
        XCTAssertEqual(byID["RISK-1"]?["event"] as? String, "modified")

        let riskChanges = try XCTUnwrap(byID["RISK-1"]?["changes"] as? [[String: Any]])
        let treatment = try XCTUnwrap(riskChanges.first { $0["field"] as? String == "treatment" })
        XCTAssertEqual(treatment["old"] as? String, "reduce")
        XCTAssertEqual(treatment["new"] as? String, "accept")
        XCTAssertNil(treatment["added"], "added/removed only on list fields")
        let commits = try XCTUnwrap(treatment["commits"] as? [[String: Any]])
        XCTAssertEqual(commits.count, 1)
        XCTAssertEqual(commits.first?["summary"] as? String, "Accept laptop theft (CAB-12)")
        XCTAssertEqual((commits.first?["author"] as? [String: String])?["name"], "Bob Example")
        XCTAssertEqual((commits.first?["author"] as? [String: String])?["date"], "2026-02-02T10:00:00+01:00")
        let signature = try XCTUnwrap(commits.first?["signature"] as? [String: Any])
        XCTAssertEqual(signature["status"] as? String, "unsigned")
        XCTAssertEqual(Set(signature.keys), ["status", "format", "principal", "key"])
        XCTAssertTrue(
            riskChanges.contains {
                $0["field"] as? String == "acceptance.approved_by" && $0["new"] as? String == "carol" && $0["old"] is NSNull
            })

        let satisfies = try XCTUnwrap((byID["CTRL-1"]?["changes"] as? [[String: Any]])?.first { $0["field"] as? String == "satisfies" })
        XCTAssertEqual(satisfies["removed"] as? [String], ["OBL-1"])
        XCTAssertEqual(satisfies["added"] as? [String], [])
        XCTAssertEqual(((satisfies["commits"] as? [[String: Any]])?.first?["author"] as? [String: String])?["name"], "Carol Example")

        let findings = try XCTUnwrap(json["findings"] as? [String: [[String: Any]]])
        let introduced = Set(findings["introduced"]!.map { "\($0["rule"]!) \($0["record"]!)" })
        XCTAssertTrue(introduced.contains("broken-link RISK-2"), "\(introduced)")
        XCTAssertTrue(introduced.contains("uncovered-obligation OBL-1"), "\(introduced)")
        XCTAssertEqual(Set(findings["introduced"]!.first!.keys), ["rule", "severity", "message", "path", "line", "column", "record"])
    }

    func testMarkdownIsAPullRequestComment() {
        let repo = repository()
        let result = isms(["diff", "main..feature", "--format", "markdown", "--as-of", "2026-03-01"], in: repo.path + "/isms")
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = result.stdout
        XCTAssertTrue(text.hasPrefix("### isms: decision changes in `main..feature`\n\n| | count |"), text)
        XCTAssertTrue(text.contains("| records added | 1 |"), text)
        XCTAssertTrue(text.contains("| RISK-1 | `treatment` | reduce → accept | Bob Example unsigned ("), text)
        XCTAssertTrue(text.contains("\nSignatures: ✓ signed with a trusted key"), "the marks have a legend: \(text)")
        XCTAssertTrue(text.contains("<details><summary><b>CTRL-1</b> control — moved from controls/ctrl-1.yaml"), text)
        XCTAssertTrue(text.contains("links removed | 1"), text)
        XCTAssertLessThan(text.count, 65_000)
    }

    func testMarkdownStaysUnderTheCommentLimit() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.commit("Empty ISMS", at: "2026-02-01T09:00:00+01:00")
        repo.git("checkout", "-q", "-b", "bulk")
        for n in 1...600 {
            repo.write(
                "risks/risk-\(n).yaml",
                "id: RISK-\(n)\ntitle: Imported risk number \(n) with a long title for the register\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-\(n)]\n"
            )
        }
        repo.commit("Import the register", at: "2026-02-02T09:00:00+01:00")
        let result = isms(["diff", "main..bulk", "--format", "markdown", "--as-of", "2026-03-01"], in: repo.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertLessThan(result.stdout.count, 65_000)
        XCTAssertTrue(result.stdout.contains("> Too large for one comment"), String(result.stdout.suffix(300)))
        // Every added risk is a decision: listed, or counted with the command that lists them all.
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("| RISK") }.count
        let left =
            result.stdout.range(of: #"\*\*\d+ more decisions? not shown"#, options: .regularExpression)
            .flatMap { Int(result.stdout[$0].dropFirst(2).prefix { $0.isNumber }) } ?? 0
        XCTAssertEqual(rows + left, 600, String(result.stdout.suffix(1500)))
        XCTAssertTrue(result.stdout.contains("more new errors not shown"), String(result.stdout.suffix(1500)))
    }

    func testTextAndErrors() {
        let repo = repository()
        let text = isms(["diff", "main..feature", "--as-of", "2026-03-01"], in: repo.path + "/isms")
        XCTAssertTrue(text.stdout.contains("RISK-30 (risk) id changed from RISK-3"), text.stdout)
        XCTAssertTrue(text.stdout.contains("    treatment: reduce → accept   ["), text.stdout)
        let same = isms(["diff", "feature..feature"], in: repo.path + "/isms")
        XCTAssertTrue(same.stdout.hasSuffix("no decision changed\n"), same.stdout)
        XCTAssertEqual(isms(["diff", "nope..feature"], in: repo.path + "/isms").status, 2)
        XCTAssertEqual(isms(["diff", "main..feature", "--format", "xml"], in: repo.path + "/isms").status, 2)
    }
}
