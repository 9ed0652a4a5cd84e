import Foundation
import XCTest

/// `isms check` run as users run it: the built binary, real folders, real git repositories.
final class CheckCommandTests: XCTestCase {
    private let risk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n"

    func testCleanISMSExitsZeroWithASummary() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write("risks/risk-1.yaml", risk)
        let result = isms(["check", "--as-of", "2026-12-01"], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout, "1 record checked: 0 errors, 0 warnings, 0 notes\n")
    }

    func testFindsTheRootAboveTheCurrentFolderAndPrintsClickablePaths() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write("risks/sub/risk-1.yaml", "id: RISK-1\ntitle: x\nowner: alice\ntreatment: avoid\nfoo: 1\n")
        let below = isms(["check"], in: folder.path + "/risks/sub")
        XCTAssertEqual(below.status, 1)
        XCTAssertTrue(
            below.stdout.hasPrefix("\(folder.path)/risks/sub/risk-1.yaml:5:1: error: unknown field 'foo' in a risk [unknown-field]\n"),
            below.stdout)
        let above = isms(["check", "--root", "."], in: folder.path)
        XCTAssertTrue(above.stdout.hasPrefix("risks/sub/risk-1.yaml:5:1: error:"), above.stdout)
    }

    func testJSONContract() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write("risks/risk-1.yaml", "id: RISK-1\ntitle: x\nowner: alice\ntreatment: maybe\n")
        folder.write("risks/risk-2.yaml", "title: [\n")
        let result = isms(["check", "--format", "json", "--as-of", "2026-12-01"], in: folder.path)
        XCTAssertEqual(result.status, 1)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["version"] as? Int, 1)
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.count, 2)
        for finding in findings {
            XCTAssertEqual(Set(finding.keys), ["rule", "severity", "message", "path", "line", "column", "record"])
        }
        XCTAssertEqual(findings[0]["rule"] as? String, "invalid-value")
        XCTAssertEqual(findings[0]["path"] as? String, "risks/risk-1.yaml")
        XCTAssertEqual(findings[0]["line"] as? Int, 4)
        XCTAssertEqual(findings[0]["column"] as? Int, 12)
        XCTAssertEqual(findings[0]["record"] as? String, "RISK-1")
        XCTAssertTrue(findings[1]["record"] is NSNull)
        let summary = try XCTUnwrap(json["summary"] as? [String: Int])
        XCTAssertEqual(summary, ["records": 1, "errors": 2, "warnings": 0, "notes": 0])
    }

    func testStrictFailsOnWarnings() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig + "rules:\n  unknown-field: warning\n")
        folder.write("risks/risk-1.yaml", risk + "foo: bar\n")
        XCTAssertEqual(isms(["check"], in: folder.path).status, 0)
        XCTAssertEqual(isms(["check", "--strict"], in: folder.path).status, 1)
    }

    func testCannotRunExitsTwoWithOneLine() {
        let empty = TemporaryFolder()
        let noRoot = isms(["check"], in: empty.path)
        XCTAssertEqual(noRoot.status, 2)
        XCTAssertTrue(noRoot.stderr.hasPrefix("isms: error: no isms.yaml found"), noRoot.stderr)
        XCTAssertEqual(noRoot.stderr.split(separator: "\n").count, 1)

        let badConfig = TemporaryFolder()
        badConfig.write("isms.yaml", "name: [unclosed\n")
        let unreadable = isms(["check"], in: badConfig.path)
        XCTAssertEqual(unreadable.status, 2)
        XCTAssertTrue(unreadable.stderr.contains("cannot read isms.yaml"), unreadable.stderr)

        badConfig.write("isms.yaml", minimalConfig)
        let badDate = isms(["check", "--as-of", "2026-02-30"], in: badConfig.path)
        XCTAssertEqual(badDate.status, 2, badDate.stderr)
        let badFormat = isms(["check", "--format", "xml"], in: badConfig.path)
        XCTAssertEqual(badFormat.status, 2)
        XCTAssertTrue(badFormat.stderr.contains("the value 'xml' is invalid for '--format <format>'"), badFormat.stderr)
        let notInGit = isms(["check", "--rev", "HEAD"], in: badConfig.path)
        XCTAssertEqual(notInGit.status, 2)
        XCTAssertTrue(notInGit.stderr.contains("not inside a git repository"), notInGit.stderr)
    }

    func testRevisionIsReadFromGitObjectsNotTheWorkTree() {
        let repo = GitRepository()
        repo.write("README.md", "unrelated\n")
        repo.write("isms/isms.yaml", minimalConfig)
        repo.write("isms/risks/risk-1.yaml", risk)
        repo.commit("Add ISMS", at: "2026-01-05T10:00:00+01:00")
        repo.write("isms/risks/risk-1.yaml", "id: RISK-1\ntitle: broken\nowner: alice\nlikelihood: 9\ntreatment: avoid\n")
        repo.commit("Break likelihood", by: .bob, at: "2026-01-06T10:00:00+01:00")
        // The work tree is fixed again but not committed.
        repo.write("isms/risks/risk-1.yaml", risk)
        repo.write("isms/risks/risk-2.yaml", "id: RISK-2\ntitle: uncommitted\nowner: alice\ntreatment: avoid\n")

        let workTree = isms(["check"], in: repo.path + "/isms")
        XCTAssertEqual(workTree.status, 0, workTree.stdout)
        XCTAssertTrue(workTree.stdout.contains("2 records checked"))

        let head = isms(["check", "--rev", "HEAD"], in: repo.path + "/isms")
        XCTAssertEqual(head.status, 1)
        XCTAssertTrue(head.stdout.contains("risks/risk-1.yaml:4:13: error: 'likelihood' is 9, outside 1–5 [invalid-value]"), head.stdout)
        XCTAssertTrue(head.stdout.contains("1 record checked"), head.stdout)

        let previous = isms(["check", "--rev", "HEAD~1", "--root", "isms"], in: repo.path)
        XCTAssertEqual(previous.status, 0, previous.stdout)

        let unknown = isms(["check", "--rev", "no-such-branch"], in: repo.path + "/isms")
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown revision 'no-such-branch'"), unknown.stderr)
    }

    func testRevisionWithoutTheISMSExitsTwo() {
        let repo = GitRepository()
        repo.write("README.md", "x\n")
        repo.commit("Initial", at: "2026-01-05T10:00:00+01:00")
        repo.write("isms/isms.yaml", minimalConfig)
        let result = isms(["check", "--rev", "HEAD"], in: repo.path + "/isms")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("no isms.yaml at HEAD:isms"), result.stderr)
    }

    func testCheckWritesNothing() throws {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", risk)
        repo.write("risks/bad.yaml", "id: [\n")
        repo.commit("Add", at: "2026-01-05T10:00:00+01:00")
        // Every file dated 2001: a rewrite, even within the second of the set-up and with the same bytes, then
        // shows in its modification time (the snapshot's times are whole seconds). No waiting needed.
        try backdate(repo.path)
        let before = snapshot(repo.path)
        XCTAssertTrue(before.values.contains { $0.contains("2001-01-01") }, "the files are dated 2001: \(before)")
        // With --no-cache not a byte is written, not even the history and signature caches.
        isms(["check", "--no-cache"], in: repo.path)
        XCTAssertEqual(snapshot(repo.path), before)
        // Otherwise only those caches, under .git/isms/: never the work tree, the index, refs or objects.
        isms(["check"], in: repo.path)
        isms(["check", "--rev", "HEAD", "--format", "json"], in: repo.path)
        let after = snapshot(repo.path)
        XCTAssertEqual(after.filter { !$0.key.hasPrefix(".git/isms") }, before)
        let caches = after.keys.filter { $0.hasPrefix(".git/isms/") }.map { ($0 as NSString).lastPathComponent }
        // The history, the signatures, the blob per commit of the trust file (allowed-signers-changed) and of
        // isms.yaml (the scope's changes, reassessment-due), the commits that changed the trust file per tip; the
        // reassessment answers and the base findings (`check --base`) are caches too.
        XCTAssertEqual(caches.count, 5, "\(caches)")
        let kinds = ["history-", "signatures-", "path-blobs-", "path-changes-", "reassessment-", "base-findings-"]
        XCTAssertTrue(caches.allSatisfy { name in kinds.contains { name.hasPrefix($0) } }, "\(caches)")
    }

    /// Sets the modification time of every file under `root` (the work tree and `.git`) to 2001-01-01.
    private func backdate(_ root: String) throws {
        let past = Date(timeIntervalSince1970: 978_307_200)
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
        while let path = enumerator.nextObject() as? String {
            let full = root + "/" + path
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: full)
        }
    }

    /// Every path under `root`: a file with its size, modification time and content, a folder by name only.
    /// A folder's own time changes when the cache folder is created inside `.git`, which is allowed;
    /// what it holds is compared through the paths themselves.
    private func snapshot(_ root: String) -> [String: String] {
        var result = [String: String]()
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let path = enumerator.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + path)
            if attributes?[.type] as? FileAttributeType == .typeDirectory {
                result[path] = "folder"
                continue
            }
            let content = FileManager.default.contents(atPath: root + "/" + path) ?? Data()
            result[path] = "\(attributes?[.size] ?? 0) \(attributes?[.modificationDate] ?? 0) \(content.base64EncodedString())"
        }
        return result
    }
}
