import Foundation
import XCTest

@testable import ISMSKit

/// Red-team attacks on the document kind and user catalogues, as the author of a pull request would make them:
/// every file of the repository under review is the attacker's.
final class RedTeamDocumentsTests: XCTestCase {
    func policy(
        version: String = "1.0", approvedOn: String? = "2026-01-12",
        text: String = "Access is granted on a need-to-know basis."
    ) -> String {
        """
        ---
        id: DOC-1
        title: Access control policy
        owner: alice
        version: "\(version)"
        approved_by: carol
        \(approvedOn.map { "approved_on: \($0)\n" } ?? "")review:
          last: 2026-01-12
          every: yearly
        controls: [CTRL-1]
        ---
        # Access control policy

        \(text)

        """
    }

    /// main: the policy approved by Carol; the pull-request branch checked out.
    func repository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Access reviews\nowner: alice\nstatus: implemented\ndocuments: [DOC-1]\n")
        repo.write("documents/doc-1.md", policy())
        repo.commit("Approve the access control policy 1.0", by: .carol, at: "2026-01-12T10:00:00Z")
        repo.git("checkout", "-q", "-b", "pull-request")
        return repo
    }

    func documentFindings(_ repo: GitRepository, _ extra: [String] = []) -> [(rule: String, message: String)] {
        let result = isms(["check", "--format", "json", "--no-cache", "--as-of", "2026-03-10"] + extra, in: repo.path)
        XCTAssertNotEqual(result.status, 2, result.stderr)
        let document = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (document["findings"] as? [[String: Any]] ?? []).filter { ($0["record"] as? String) == "DOC-1" }.map {
            ($0["rule"] as? String ?? "", $0["message"] as? String ?? "")
        }
    }

    /// A pull request that removes approved_on and edits the text turns the approved policy into a "draft" that no
    /// rule judged: the text in force changed with no approval, and `check --base main` passed.
    func testRemovingTheApprovalDateWhileEditingTheTextIsAnUnapprovedChange() {
        let repo = repository()
        repo.write("documents/doc-1.md", policy(approvedOn: nil, text: "Access is granted to all staff."))
        // Uncommitted first (the pre-commit hook, --staged): the approval withdrawn in the work tree.
        let pending = documentFindings(repo)
        XCTAssertEqual(pending.map(\.rule), ["unapproved-document-change"], "\(pending)")
        repo.commit("Open access to all staff", by: .bob, at: "2026-02-01T10:00:00Z")
        let base = documentFindings(repo, ["--base", "main"])
        XCTAssertEqual(base.map(\.rule), ["unapproved-document-change"], "\(base)")
        XCTAssertTrue(base.first?.message.contains("approved_on of DOC-1 removed") ?? false, "\(base)")
        // approved_on: null is no different.
        repo.write("documents/doc-1.md", policy(approvedOn: "null", text: "Access is granted to all staff."))
        repo.commit("Null the approval", by: .bob, at: "2026-02-02T10:00:00Z")
        XCTAssertEqual(documentFindings(repo, ["--base", "main"]).map(\.rule), ["unapproved-document-change"])
        // A new approval ends it.
        repo.write("documents/doc-1.md", policy(version: "1.1", approvedOn: "2026-02-03", text: "Access is granted to all staff."))
        repo.commit("Approve the access control policy 1.1", by: .carol, at: "2026-02-03T10:00:00Z")
        XCTAssertEqual(documentFindings(repo, ["--base", "main"]).map(\.rule), [])
    }

    /// The audit pack shows each policy's text as approved; its heading must not pair that text with the version
    /// (or title) a pull request wrote afterwards.
    func testTheAuditPackHeadsTheApprovedTextWithTheApprovedVersionAndTitle() throws {
        let repo = repository()
        let edited = policy().replacingOccurrences(of: "version: \"1.0\"", with: "version: \"2.0\"")
            .replacingOccurrences(of: "title: Access control policy", with: "title: Open access policy")
        repo.write("documents/doc-1.md", edited)
        repo.commit("Call it 2.0", by: .bob, at: "2026-02-01T10:00:00Z")
        let pack = repo.path + "/pack.html"
        let result = isms(["export", "--html", pack, "--as-of", "2026-03-10"], in: repo.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOfFile: pack, encoding: .utf8)
        XCTAssertTrue(
            html.contains("DOC-1 Access control policy, version 1.0, as approved in commit"), "the heading names the approved version")
        XCTAssertFalse(html.contains("version 2.0, as approved"), "a version written after the approval is not the approved one")
    }

    /// A document that was never approved stays a draft that nobody judges.
    func testADraftIsStillNotJudged() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("documents/doc-1.md", policy(approvedOn: nil))
        repo.commit("Draft", by: .bob, at: "2026-01-12T10:00:00Z")
        repo.write("documents/doc-1.md", policy(approvedOn: nil, text: "Edited."))
        repo.commit("Edit the draft", by: .bob, at: "2026-01-13T10:00:00Z")
        XCTAssertEqual(documentFindings(repo).map(\.rule).filter { $0 == "unapproved-document-change" }, [])
    }
}

/// Catalogues: a pull request adds a catalogue of 20,000 requirements (under 1 MB, within limits.file_bytes) and
/// obligations whose refs name none of them; each unknown ref cost a did-you-mean over every requirement, about
/// 0.1 s each in a debug build, so 3,000 obligations held `isms check` for five minutes.
final class RedTeamCatalogTests: XCTestCase {
    func testUnknownRefsIntoAHugeCatalogueStayCheap() {
        let folder = TemporaryFolder("huge-catalogue")
        folder.write("isms.yaml", minimalConfig)
        folder.write(
            "catalogs/big.yaml",
            "id: BIG\ntitle: Big\nrequirements:\n"
                + (0..<20_000).map { "  - {id: \"R\($0)a\($0 % 97)b\($0 % 89)c\", title: t}\n" }.joined())
        for j in 0..<300 {
            folder.write(
                "obligations/o\(j).yaml",
                "id: OBL-\(j)\ntitle: x\nowner: alice\nsource: BIG\nref: \"Q\(j)z\(j % 97)y\(j % 89)x\"\n"
                    + "applies: true\njustification: x\n")
        }
        let start = Date()
        let result = isms(["check", "--format", "json", "--no-cache", "--as-of", "2026-03-10"], in: folder.path)
        XCTAssertNotEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stdout.contains("unknown-reference"))
        // Unbounded suggestions took 290 s here (debug); bounded, about 5 s alone. The margin is for a loaded machine:
        // 8 s failed at a load average of 10 on two cores.
        XCTAssertLessThan(Date().timeIntervalSince(start), 60, "300 unknown refs into a catalogue of 20,000 requirements")
    }
}
