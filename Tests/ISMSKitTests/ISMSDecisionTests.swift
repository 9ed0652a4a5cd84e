import Foundation
import XCTest

/// The ISMS-level decisions of isms.yaml (scope, each SoA exclusion) as decisions: in `isms log`, `report
/// decisions`, `isms history isms.yaml` and judged by `unsigned-decision` (issue 15, item 3).
final class ISMSDecisionTests: XCTestCase {
    let alice = TestKeys.ed25519, bob = TestKeys.p256

    func config(scope: String, exclusions: [(String, String)] = [], signed: Bool = true) -> String {
        var text = minimalConfig + (signed ? "require_signed_decisions: true\n" : "") + "scope: \(scope)\n"
        text += "soa_exclusions:\n" + (exclusions.isEmpty ? "  {}\n" : exclusions.map { "  \($0.0): \($0.1)\n" }.joined())
        return text
    }

    /// Alice signs the start; returns the repository.
    func repository(scope: String = "All of Example Ltd", exclusions: [(String, String)] = []) -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", config(scope: scope, exclusions: exclusions))
        repo.write(
            ".isms/allowed_signers",
            [alice.allowedSigner("alice@example.com"), bob.allowedSigner("bob@example.com")]
                .joined(separator: "\n") + "\n")
        repo.commitSigned("Start the ISMS", by: .alice, at: "2026-01-01T10:00:00Z", key: alice)
        return repo
    }

    func unsignedDecisions(_ repo: GitRepository, _ extra: [String] = []) -> [[String: Any]] {
        let result = isms(["check", "--format", "json", "--as-of", "2026-12-01"] + extra, in: repo.path)
        XCTAssertNotEqual(result.status, 2, result.stderr)
        let document = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (document["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "unsigned-decision" }
    }

    func testAnUnsignedScopeChangeAndExclusionAreJudged() {
        let repo = repository()
        XCTAssertEqual(unsignedDecisions(repo).count, 0)

        repo.write("isms.yaml", config(scope: "The product only", exclusions: [("A.7.1", "No premises, staff work remotely.")]))
        let commit = String(repo.commit("Narrow the scope", by: .bob, at: "2026-02-01T10:00:00Z").prefix(10))
        let findings = unsignedDecisions(repo)
        XCTAssertEqual(
            findings.map { $0["message"] as? String ?? "" },
            [
                "scope in isms.yaml was set by commit \(commit) (Bob Example, 2026-02-01), which is unsigned",
                "soa_exclusions.\"A.7.1\" in isms.yaml was set by commit \(commit) (Bob Example, 2026-02-01), which is unsigned",
            ])
        XCTAssertEqual(findings.map { $0["path"] as? String ?? "" }, ["isms.yaml", "isms.yaml"])
        XCTAssertEqual(findings.first?["line"] as? Int, 7)

        // A later unrelated change to isms.yaml does not take the decision over; an uncommitted edit is not judged yet.
        repo.write(
            "isms.yaml",
            config(scope: "The product only", exclusions: [("A.7.1", "No premises, staff work remotely.")])
                .replacingOccurrences(of: "name: Test ISMS", with: "name: Test ISMS 2"))
        repo.commitSigned("Rename", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        XCTAssertEqual(unsignedDecisions(repo).count, 2)
        repo.write("isms.yaml", config(scope: "Everything", exclusions: [("A.7.1", "No premises, staff work remotely.")]))
        XCTAssertEqual(unsignedDecisions(repo).count, 1)

        // Made again, signed: quiet.
        repo.write("isms.yaml", config(scope: "The product only", exclusions: [("A.7.1", "No premises, all remote.")]))
        repo.commitSigned("Confirm the scope", by: .alice, at: "2026-02-03T10:00:00Z", key: alice)
        XCTAssertEqual(unsignedDecisions(repo).count, 1, "\(unsignedDecisions(repo))")  // the scope's value is still Bob's
        repo.write("isms.yaml", config(scope: "The product, signed", exclusions: [("A.7.1", "No premises, all remote.")]))
        repo.commitSigned("Sign the scope", by: .alice, at: "2026-02-04T10:00:00Z", key: alice)
        XCTAssertEqual(unsignedDecisions(repo).count, 0)
    }

    func testAnUnsignedRemovalOfAnExclusionIsJudgedWhileItStands() {
        let repo = repository(exclusions: [("A.7.1", "No premises.")])
        repo.write("isms.yaml", config(scope: "All of Example Ltd"))
        let commit = String(repo.commit("Bring A.7.1 back", by: .bob, at: "2026-02-01T10:00:00Z").prefix(10))
        XCTAssertEqual(
            unsignedDecisions(repo).map { $0["message"] as? String ?? "" },
            ["soa_exclusions.\"A.7.1\" in isms.yaml was removed by commit \(commit) (Bob Example, 2026-02-01), which is unsigned"])
        repo.write("isms.yaml", config(scope: "All of Example Ltd", exclusions: [("A.7.1", "No premises.")]))
        repo.commitSigned("Exclude A.7.1 again", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        XCTAssertEqual(unsignedDecisions(repo).count, 0)
    }

    func testABranchChangeMergedIsCreditedToTheBranchCommit() {
        let repo = repository()
        repo.git("checkout", "-q", "-b", "narrow")
        repo.write("isms.yaml", config(scope: "The product only"))
        repo.commitSigned("Narrow the scope", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")
        repo.commitSigned("Add a risk", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        repo.git("merge", "-q", "--no-ff", "-m", "Merge narrow", "narrow", environment: repo.identity(.carol, "2026-02-03T10:00:00Z"))
        XCTAssertEqual(unsignedDecisions(repo).count, 0)
        // In a pull request too.
        XCTAssertEqual(unsignedDecisions(repo, ["--base", "main~1"]).count, 0)
    }

    func testDiffListsAScopeChangeAndAnExclusionAsDecisions() throws {
        let repo = repository()
        repo.git("checkout", "-q", "-b", "narrow")
        repo.write("isms.yaml", config(scope: "The product only", exclusions: [("A.7.1", "No premises.")]))
        let commit = repo.commit("Narrow the scope", by: .bob, at: "2026-02-01T10:00:00Z")
        let result = isms(["diff", "main..HEAD", "--format", "json", "--no-cache", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let settings = json["settings"] as? [[String: Any]] ?? []
        XCTAssertEqual(settings.compactMap { $0["field"] as? String }, ["scope", "soa_exclusions", "soa_exclusions.\"A.7.1\""])
        XCTAssertTrue(settings.allSatisfy { $0["policy"] as? Bool == false }, "\(settings)")
        let scope = settings.first
        XCTAssertEqual(scope?["old"] as? String, "All of Example Ltd")
        XCTAssertEqual(scope?["new"] as? String, "The product only")
        XCTAssertEqual(((scope?["commits"] as? [[String: Any]])?.first)?["commit"] as? String, commit)
        // And the check of the pull request judges both decisions unsigned.
        XCTAssertEqual(unsignedDecisions(repo, ["--base", "main"]).count, 2)
    }

    func testLogReportAndHistoryShowTheDecisions() throws {
        let repo = repository()
        repo.write("isms.yaml", config(scope: "The product only", exclusions: [("A.7.1", "No premises.")]))
        repo.commitSigned("Narrow the scope", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")
        repo.commit("Add a risk", by: .alice, at: "2026-02-02T10:00:00Z")
        repo.write(
            "isms.yaml",
            config(scope: "The product only", exclusions: [("A.7.1", "No premises.")])
                .replacingOccurrences(of: "require_signed_decisions: true\n", with: ""))
        repo.commit("Relax signing", by: .alice, at: "2026-02-03T10:00:00Z")

        let log = isms(["log"], in: repo.path)
        XCTAssertEqual(log.status, 0, log.stderr)
        let lines = log.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].contains("RISK-1  created"), log.stdout)
        XCTAssertTrue(lines[1].contains("Bob Example ✓bob  isms.yaml  modified  scope: All of Example Ltd → The product only"), log.stdout)
        XCTAssertTrue(lines[2].hasSuffix("soa_exclusions.\"A.7.1\": (none) → No premises."), log.stdout)
        // Policy settings are not decisions: the log leaves out the signing change; the history of isms.yaml has it.
        XCTAssertFalse(log.stdout.contains("require_signed_decisions"))
        let history = isms(["history", "isms.yaml"], in: repo.path)
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertTrue(history.stdout.contains("modified  require_signed_decisions: true → (none)"), history.stdout)
        XCTAssertTrue(history.stdout.contains("scope: All of Example Ltd → The product only"), history.stdout)
        let scoped = isms(["history", "isms.yaml", "--field", "soa_exclusions", "--format", "json"], in: repo.path)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(scoped.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["record"] as? String, "isms.yaml")
        let entries = json["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.count, 2)  // the start and Bob's exclusion
        XCTAssertEqual((entries.first?["signature"] as? [String: Any])?["status"] as? String, "good")
        let logJSON = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(isms(["log", "--format", "json"], in: repo.path).stdout.utf8)) as? [String: Any])
        XCTAssertEqual(
            ((logJSON["entries"] as? [[String: Any]]) ?? []).compactMap { $0["record"] as? String }, ["RISK-1", "isms.yaml", "isms.yaml"])
        XCTAssertFalse(isms(["log", "--kind", "risk"], in: repo.path).stdout.contains("isms.yaml"))

        let report = isms(["report", "decisions", "--format", "csv"], in: repo.path)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains(",isms.yaml,isms,scope,All of Example Ltd,The product only,Bob Example,"), report.stdout)
        XCTAssertTrue(report.stdout.contains(",isms.yaml,isms,\"soa_exclusions.\"\"A.7.1\"\"\",,No premises.,Bob Example,"), report.stdout)
        XCTAssertFalse(report.stdout.contains("require_signed_decisions"))
    }
}
