import Foundation
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The places users meet isms in review and CI: output formats, --base, --staged and the pre-commit hook.
final class ReviewTests: XCTestCase {
    private let goodRisk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n"
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A repository whose ISMS (in `isms/`) has two findings: an unknown field and a broken link.
    private func repositoryWithFindings() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", minimalConfig)
        repo.write("isms/risks/risk-1.yaml", goodRisk)
        repo.write(
            "isms/risks/risk-2.yaml", "id: RISK-2\ntitle: Phishing\nowner: bob\ntreatment: reduce\ncontrols: [CTRL-404]\ncolour: red\n")
        repo.commit("Add ISMS", at: "2026-03-01T09:00:00+01:00")
        return repo
    }

    func testSARIFIsValidAgainstTheSchemaAndStableAcrossLineMoves() throws {
        let repo = repositoryWithFindings()
        let result = isms(["check", "--format", "sarif", "--as-of", "2026-12-01"], in: repo.path + "/isms")
        XCTAssertEqual(result.status, 1, result.stderr)
        let file = repo.folder.write("out.sarif", result.stdout)
        let validation = validateSARIF(file)
        XCTAssertEqual(validation.status, 0, validation.stderr)

        let sarif = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let run = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertTrue(
            rules.contains {
                $0["id"] as? String == "broken-link" && ($0["helpUri"] as? String)?.hasSuffix("docs/rules.md#broken-link") == true
            })
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["ruleId"] as? String }, ["broken-link", "unknown-field"])
        let location = try XCTUnwrap(((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        XCTAssertEqual((location["artifactLocation"] as? [String: Any])?["uri"] as? String, "isms/risks/risk-2.yaml")
        XCTAssertEqual((location["region"] as? [String: Int])?["startLine"], 5)

        // Moving the finding down two lines keeps its fingerprint.
        repo.write(
            "isms/risks/risk-2.yaml",
            "# moved\n\nid: RISK-2\ntitle: Phishing\nowner: bob\ntreatment: reduce\ncontrols: [CTRL-404]\ncolour: red\n")
        let moved = isms(["check", "--format", "sarif", "--as-of", "2026-12-01"], in: repo.path + "/isms")
        func fingerprints(_ text: String) -> [String] {
            let document = try! JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            let results = (document["runs"] as! [[String: Any]])[0]["results"] as! [[String: Any]]
            return results.map { ($0["partialFingerprints"] as! [String: String])["ismsFinding/v1"]! }
        }
        XCTAssertEqual(fingerprints(moved.stdout), fingerprints(result.stdout))
        XCTAssertNotEqual(moved.stdout, result.stdout)
    }

    func testGitHubAnnotations() {
        let repo = repositoryWithFindings()
        repo.write(
            "isms/risks/risk-3.yaml",
            "id: RISK-3\ntitle: 'Odd: title, with 100% punctuation'\nowner: bob\ntreatment: avoid\nlikelihood: 9\n")
        let result = isms(["check", "--format", "github", "--as-of", "2026-12-01"], in: repo.path + "/isms")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.stdout)
        let pattern = try! NSRegularExpression(
            pattern: #"^::(error|warning|notice) file=isms/risks/[^,]+,line=\d+,col=\d+,title=[a-z-]+::.+$"#)
        for line in lines {
            XCTAssertNotNil(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), line)
        }
        XCTAssertTrue(
            lines.contains("::error file=isms/risks/risk-3.yaml,line=5,col=13,title=invalid-value::'likelihood' is 9, outside 1–5"),
            result.stdout)
    }

    func testJUnitIsWellFormedWithACasePerRecord() throws {
        let repo = repositoryWithFindings()
        repo.write("isms/risks/broken.yaml", "id: [\n")
        let result = isms(["check", "--format", "junit", "--as-of", "2026-12-01"], in: repo.path + "/isms")
        let document = try XMLDocument(data: Data(result.stdout.utf8))
        let cases = try document.nodes(forXPath: "//testcase")
        XCTAssertEqual(cases.count, 3, result.stdout)  // RISK-1, RISK-2 and the unreadable file
        let failures = try document.nodes(forXPath: "//testcase[@name='RISK-2']/failure")
        XCTAssertEqual(failures.count, 2)
        XCTAssertEqual(try document.nodes(forXPath: "//testcase[@name='RISK-1']/failure").count, 0)
        XCTAssertEqual(
            try document.nodes(forXPath: "//testcase[@name='risks/broken.yaml']/failure/@type").first?.stringValue, "parse-error")
        XCTAssertEqual(try document.nodes(forXPath: "/testsuites/@failures").first?.stringValue, "2")
    }

    func testBaseReportsOnlyNewFindingsEvenAfterReformatting() {
        let repo = repositoryWithFindings()
        repo.git("checkout", "-q", "-b", "feature")
        // The old findings' file is reformatted (lines move, flow list becomes a block list) ...
        repo.write(
            "isms/risks/risk-2.yaml",
            "# Phishing of staff\nid: RISK-2\n\ntitle: Phishing\nowner: bob\ntreatment: reduce\ncolour: red\ncontrols:\n  - CTRL-404\n")
        // ... and one new finding is added.
        repo.write("isms/risks/risk-1.yaml", goodRisk + "likelihood: 6\n")
        repo.commit("Reformat and rescore", by: .bob, at: "2026-03-02T09:00:00+01:00")
        // A later change on main must not count: BASE is taken at the merge base.
        repo.git("checkout", "-q", "main")
        repo.write("isms/risks/risk-4.yaml", "id: RISK-4\ntitle: x\nowner: alice\ntreatment: avoid\n")
        repo.commit("Main moves on", at: "2026-03-03T09:00:00+01:00")
        repo.git("checkout", "-q", "feature")

        let result = isms(["check", "--base", "main", "--format", "json", "--as-of", "2026-12-01"], in: repo.path + "/isms")
        XCTAssertEqual(result.status, 1, result.stderr)
        let json = try! JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let findings = json["findings"] as! [[String: Any]]
        XCTAssertEqual(findings.map { $0["rule"] as? String }, ["invalid-value"])
        XCTAssertEqual(findings.first?["record"] as? String, "RISK-1")
        XCTAssertTrue(result.stderr.contains("1 new since main"), result.stderr)
        XCTAssertTrue(result.stderr.contains("2 already there not shown"), result.stderr)

        // Without a new error, --fail-on new passes and --fail-on all fails on the old debt. --base judges what HEAD
        // commits (docs/signatures.md): the fix is committed first.
        repo.write("isms/risks/risk-1.yaml", goodRisk)
        repo.commit("Fix the score", by: .bob, at: "2026-03-04T09:00:00+01:00")
        XCTAssertEqual(isms(["check", "--base", "main"], in: repo.path + "/isms").status, 0)
        XCTAssertEqual(isms(["check", "--base", "main", "--fail-on", "all"], in: repo.path + "/isms").status, 1)
        let unknownBase = isms(["check", "--base", "nope"], in: repo.path + "/isms")
        XCTAssertEqual(unknownBase.status, 2)
        XCTAssertTrue(unknownBase.stderr.contains("unknown revision 'nope'"), unknownBase.stderr)
    }

    /// `check --rev REV --base BASE` (a CI job that checks a pull request's head without checking it out) takes the
    /// merge base of BASE and REV. It took that of BASE and HEAD: with main checked out, main itself, so an error the
    /// pull request adds and main later added too counted as already there, and the gate passed.
    func testRevMovesTheMergeBase() {
        let repo = repositoryWithFindings()
        let branchPoint = repo.git("rev-parse", "HEAD")
        repo.git("checkout", "-q", "-b", "feature")
        let scored = goodRisk + "likelihood: 6\n"
        repo.write("isms/risks/risk-1.yaml", scored)
        repo.commit("Rescore", by: .bob, at: "2026-03-02T09:00:00+01:00")
        repo.git("checkout", "-q", "main")
        repo.write("isms/risks/risk-1.yaml", scored)
        repo.commit("Main makes the same change", at: "2026-03-03T09:00:00+01:00")

        let result = isms(["check", "--rev", "feature", "--base", "main", "--as-of", "2026-12-01"], in: repo.path + "/isms")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("1 new since main (merge base \(branchPoint.prefix(10)))"), result.stderr)
        XCTAssertTrue(result.stdout.contains("[invalid-value]"), result.stdout)
    }

    func testStagedReadsTheIndexNotTheWorkTree() {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", minimalConfig)
        repo.write("isms/risks/risk-1.yaml", goodRisk)
        repo.commit("Add ISMS", at: "2026-03-01T09:00:00+01:00")
        let root = repo.path + "/isms"

        let nothing = isms(["check", "--staged"], in: root)
        XCTAssertEqual(nothing.status, 0)
        XCTAssertTrue(nothing.stderr.contains("nothing staged"), nothing.stderr)

        // Broken in the index, fixed in the work tree: the commit would be broken.
        repo.write("isms/risks/risk-1.yaml", goodRisk + "likelihood: 0\n")
        repo.git("add", "isms/risks/risk-1.yaml")
        repo.write("isms/risks/risk-1.yaml", goodRisk)
        let broken = isms(["check", "--staged"], in: root)
        XCTAssertEqual(broken.status, 1, broken.stdout)
        XCTAssertTrue(broken.stdout.contains("'likelihood' is 0"), broken.stdout)
        XCTAssertEqual(isms(["check"], in: root).status, 0)

        // Fixed in the index, broken in the work tree: the commit is fine.
        repo.git("add", "isms/risks/risk-1.yaml")
        repo.write("isms/risks/risk-2.yaml", "id: RISK-2\ntitle: [\n")
        repo.write("isms/risks/risk-3.yaml", "id: RISK-3\ntitle: staged new record\nowner: carol\ntreatment: avoid\n")
        repo.git("add", "isms/risks/risk-3.yaml")
        let fine = isms(["check", "--staged"], in: root)
        XCTAssertEqual(fine.status, 0, fine.stdout)
        XCTAssertTrue(fine.stdout.contains("2 records checked"), fine.stdout)
        XCTAssertEqual(isms(["check"], in: root).status, 1)
    }

    func testStagedReportsAConflictedIndex() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", goodRisk)
        repo.commit("Add", at: "2026-03-01T09:00:00+01:00")
        repo.git("checkout", "-q", "-b", "other")
        repo.write("risks/risk-1.yaml", goodRisk.replacingOccurrences(of: "Laptop theft", with: "Laptop loss"))
        repo.commit("Other", by: .bob, at: "2026-03-02T09:00:00+01:00")
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-1.yaml", goodRisk.replacingOccurrences(of: "Laptop theft", with: "Stolen laptop"))
        repo.commit("Main", at: "2026-03-02T10:00:00+01:00")
        _ = runProcess(GitRepository.git, ["merge", "-q", "other"], in: repo.path, environment: ["HOME": repo.path])
        let result = isms(["check", "--staged"], in: repo.path)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("risks/risk-1.yaml:1:1: error: unresolved merge conflict in the index"), result.stdout)
    }

    func testHookBlocksABadCommitAndLetsAGoodOneThrough() {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", minimalConfig)
        repo.write("isms/risks/risk-1.yaml", goodRisk)
        repo.commit("Add ISMS", at: "2026-03-01T09:00:00+01:00")

        let installed = isms(["hook", "install"], in: repo.path + "/isms")
        XCTAssertEqual(installed.status, 0, installed.stderr)
        let hookPath = repo.path + "/.git/hooks/pre-commit"
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hookPath))

        repo.write("isms/risks/risk-2.yaml", "id: RISK-2\ntitle: Phishing\nowner: mallory\ntreatment: reduce\ncontrols: [CTRL-1]\n")
        repo.git("add", "-A")
        let blocked = runProcess(GitRepository.git, ["commit", "-m", "Bad"], in: repo.path, environment: ["HOME": repo.path])
        XCTAssertNotEqual(blocked.status, 0)
        XCTAssertTrue((blocked.stdout + blocked.stderr).contains("CTRL-1, which no record has"), blocked.stdout + blocked.stderr)

        repo.write("isms/risks/risk-2.yaml", "id: RISK-2\ntitle: Phishing\nowner: bob\ntreatment: avoid\n")
        repo.git("add", "-A")
        let passed = runProcess(GitRepository.git, ["commit", "-q", "-m", "Good"], in: repo.path, environment: ["HOME": repo.path])
        XCTAssertEqual(passed.status, 0, passed.stdout + passed.stderr)

        XCTAssertEqual(isms(["hook", "uninstall", "--root", "isms"], in: repo.path).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: hookPath))
    }

    func testHookNeverReplacesAForeignHookWithoutForce() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.commit("Add", at: "2026-03-01T09:00:00+01:00")
        let hookPath = repo.path + "/.git/hooks/pre-commit"
        repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n")

        let refused = isms(["hook", "install"], in: repo.path)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("was not written by isms"), refused.stderr)
        XCTAssertEqual(repo.folder.read(".git/hooks/pre-commit"), "#!/bin/sh\necho mine\n")
        XCTAssertEqual(isms(["hook", "uninstall"], in: repo.path).status, 2)

        XCTAssertEqual(isms(["hook", "install", "--force"], in: repo.path).status, 0)
        XCTAssertTrue(repo.folder.read(".git/hooks/pre-commit")!.contains("isms-pre-commit-hook"))
        XCTAssertEqual(isms(["hook", "uninstall"], in: repo.path).status, 0)
        XCTAssertEqual(try? String(contentsOfFile: hookPath, encoding: .utf8), "#!/bin/sh\necho mine\n")
    }
}
