import Foundation
import XCTest

@testable import ISMSKit

/// Documents (issue 15, item 4): Markdown with front matter read from the work tree, the index and git trees; a
/// policy edited after its approval on a branch, in `check`, `check --base`, `--staged` and the pull-request
/// comment; its re-approval; the register and the text as approved in the audit pack.
final class DocumentTests: XCTestCase {
    let alice = TestKeys.ed25519, bob = TestKeys.p256, carol = TestKeys.p384
    let config = minimalConfig + "require_signed_decisions: true\n"

    func policy(
        version: String = "1.0", approvedOn: String = "2026-01-12", approvedBy: String = "carol",
        text: String = "Access is granted on a need-to-know basis."
    ) -> String {
        """
        ---
        id: DOC-1
        title: Access control policy
        owner: alice
        version: "\(version)"
        approved_by: \(approvedBy)
        approved_on: \(approvedOn)
        review:
          last: \(approvedOn)
          every: yearly
        controls: [CTRL-1]
        ---
        # Access control policy

        \(text)

        """
    }
    let control = "id: CTRL-1\ntitle: Access reviews\nowner: alice\nstatus: implemented\ndocuments: [DOC-1]\n"

    /// main: the policy approved by Carol in a commit she signed.
    func repository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", config)
        repo.write(
            ".isms/allowed_signers",
            [
                alice.allowedSigner("alice@example.com"), bob.allowedSigner("bob@example.com"),
                carol.allowedSigner("carol@example.com"),
            ].joined(separator: "\n") + "\n")
        repo.write("controls/ctrl-1.yaml", control)
        repo.write("documents/doc-1.md", policy())
        repo.commitSigned("Approve the access control policy 1.0", by: .carol, at: "2026-01-12T10:00:00Z", key: carol)
        return repo
    }

    func findings(_ repo: GitRepository, _ extra: [String] = []) -> [(rule: String, record: String, message: String, line: Int)] {
        let result = isms(["check", "--format", "json", "--no-cache", "--as-of", "2026-03-10"] + extra, in: repo.path)
        XCTAssertNotEqual(result.status, 2, result.stderr)
        let document = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        // The rules about documents and approvals (the example's control is traced by nothing, on purpose).
        let judged: Set<String> = ["unapproved-document-change", "unproven-approval", "unsigned-decision", "overdue-document-review"]
        return (document["findings"] as? [[String: Any]] ?? []).filter { judged.contains($0["rule"] as? String ?? "") }.map { finding in
            (
                finding["rule"] as? String ?? "", finding["record"] as? String ?? "", finding["message"] as? String ?? "",
                finding["line"] as? Int ?? 0
            )
        }
    }

    func testAPolicyEditedAfterApprovalOnABranchAndItsReapproval() {
        let repo = repository()
        XCTAssertTrue(findings(repo).isEmpty, "\(findings(repo))")

        // A pull request edits the text; Bob signs, but he is not the approver.
        repo.git("checkout", "-q", "-b", "pull-request")
        repo.write("documents/doc-1.md", policy(text: "Access is granted to all staff."))
        let edit = repo.commitSigned("Open access to all staff", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        let head = findings(repo)
        XCTAssertEqual(head.map(\.rule), ["unapproved-document-change"], "\(head)")
        XCTAssertTrue(head[0].message.hasPrefix("body of DOC-1 changed in commit \(edit.prefix(10))"), head[0].message)
        // The finding points at the text: its first line in the whole file (after 12 lines of front matter).
        XCTAssertEqual(head[0].line, 13)
        let base = findings(repo, ["--base", "main"])
        XCTAssertEqual(base.map(\.rule), ["unapproved-document-change"], "\(base)")
        let comment = isms(["diff", "main..HEAD", "--format", "markdown", "--no-cache", "--as-of", "2026-03-10"], in: repo.path)
        XCTAssertTrue(comment.stdout.contains("unapproved-document-change"), comment.stdout)

        // Re-approved in Bob's name: the version and date are new, but the approver did not sign.
        repo.write("documents/doc-1.md", policy(version: "1.1", approvedOn: "2026-02-03", text: "Access is granted to all staff."))
        repo.commitSigned("Approve the access control policy 1.1", by: .bob, at: "2026-02-03T10:00:00Z", key: bob)
        XCTAssertEqual(findings(repo, ["--base", "main"]).map(\.rule), ["unproven-approval"])

        // Approved by Carol, signed by her: clean.
        repo.write("documents/doc-1.md", policy(version: "1.1", approvedOn: "2026-02-04", text: "Access is granted to all staff."))
        repo.commitSigned("Approve the access control policy 1.1", by: .carol, at: "2026-02-04T10:00:00Z", key: carol)
        XCTAssertTrue(findings(repo, ["--base", "main"]).isEmpty, "\(findings(repo, ["--base", "main"]))")
        XCTAssertTrue(findings(repo).isEmpty)
    }

    /// example-isms's access control policy with a pending unapproved edit on a branch, not on main (issue 15,
    /// item 5): the gate and the pull-request comment name it, and nothing else of the example is new.
    func testTheExamplesAccessControlPolicyEditedOnABranch() throws {
        let example = exampleISMSOutsideGit()
        let repo = GitRepository()
        for name in try FileManager.default.contentsOfDirectory(atPath: example.path) {
            try FileManager.default.copyItem(atPath: example.path + "/" + name, toPath: repo.path + "/" + name)
        }
        repo.commit("Import the ISMS", by: .alice, at: "2026-11-29T10:00:00Z")
        repo.git("checkout", "-q", "-b", "open-access")
        let path = "documents/doc-2.md"
        let text = try String(contentsOfFile: repo.path + "/" + path, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: "- Access rights are reviewed every quarter", with: "- Access rights are reviewed every year")
        XCTAssertNotEqual(edited, text)
        repo.write(path, edited)
        let edit = String(repo.commit("Review access yearly", by: .bob, at: "2026-11-30T10:00:00Z").prefix(10))

        let gate = isms(["check", "--base", "main", "--format", "json", "--no-cache", "--as-of", "2026-12-01"], in: repo.path)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(gate.stdout.utf8)) as? [String: Any], gate.stderr)
        let findings = document["findings"] as? [[String: Any]] ?? []
        XCTAssertEqual(findings.compactMap { $0["rule"] as? String }, ["unapproved-document-change"], gate.stdout)
        XCTAssertEqual(findings.first?["record"] as? String, "DOC-2")
        XCTAssertTrue((findings.first?["message"] as? String ?? "").hasPrefix("body of DOC-2 changed in commit \(edit)"), gate.stdout)
        XCTAssertEqual(gate.status, 1)
        let comment = isms(["diff", "main..HEAD", "--format", "markdown", "--no-cache", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(comment.status, 0, comment.stderr)
        XCTAssertTrue(comment.stdout.contains("unapproved-document-change"), comment.stdout)
        XCTAssertTrue(comment.stdout.contains("DOC-2"), comment.stdout)
        // main itself passes the gate's rules: the edit exists only on the branch.
        repo.git("checkout", "-q", "main")
        let main = isms(["check", "--no-cache", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertFalse(main.stdout.contains("unapproved-document-change"), main.stdout)
    }

    func testAnUncommittedEditIsJudgedInTheWorkTreeAndTheIndex() {
        let repo = repository()
        repo.write("documents/doc-1.md", policy(text: "Access is granted to all staff."))
        repo.git("add", "-A")
        for extra in [[], ["--staged"]] {
            let pending = findings(repo, extra)
            XCTAssertEqual(pending.map(\.rule), ["unapproved-document-change"], "\(extra): \(pending)")
            XCTAssertTrue(pending.first?.message.contains("uncommitted change") ?? false, "\(pending)")
        }
        // A new approval staged with it: nothing to report (the commit is judged once made).
        repo.write("documents/doc-1.md", policy(version: "1.1", approvedOn: "2026-03-10", text: "Access is granted to all staff."))
        repo.git("add", "-A")
        XCTAssertTrue(findings(repo, ["--staged"]).isEmpty)
        // A review alone needs no approval.
        repo.git("reset", "-q", "--hard")
        repo.write("documents/doc-1.md", policy().replacingOccurrences(of: "last: 2026-01-12", with: "last: 2026-03-01"))
        XCTAssertTrue(findings(repo).isEmpty)
        repo.commitSigned("Review the access control policy", by: .alice, at: "2026-03-01T10:00:00Z", key: alice)
        XCTAssertTrue(findings(repo).isEmpty)
    }

    func testADraftsFirstApprovalApprovesItsVersionAndALaterDateAloneApprovesNothing() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        let draft = policy().replacingOccurrences(of: "approved_on: 2026-01-12\n", with: "")
        repo.write("documents/doc-1.md", draft)
        repo.commit("Draft the policy", by: .alice, at: "2026-01-05T10:00:00Z")
        repo.write("documents/doc-1.md", draft.replacingOccurrences(of: "need-to-know", with: "need-to-know and least-privilege"))
        repo.commit("Tighten the draft", by: .bob, at: "2026-01-08T10:00:00Z")
        // First approval: approved_on added, the version the draft named.
        repo.write("documents/doc-1.md", policy(text: "Access is granted on a need-to-know and least-privilege basis."))
        repo.commit("Approve the policy 1.0", by: .carol, at: "2026-01-12T10:00:00Z")
        XCTAssertTrue(findings(repo).isEmpty, "\(findings(repo))")
        // An edit, then approved_on moved without a new version: the edit is still unapproved.
        repo.write("documents/doc-1.md", policy(text: "Access is granted to all staff."))
        let edit = repo.commit("Open access", by: .bob, at: "2026-02-01T10:00:00Z")
        repo.write("documents/doc-1.md", policy(approvedOn: "2026-02-02", text: "Access is granted to all staff."))
        repo.commit("Approve again", by: .carol, at: "2026-02-02T10:00:00Z")
        let found = findings(repo)
        XCTAssertEqual(found.map(\.rule), ["unapproved-document-change"], "\(found)")
        XCTAssertTrue(found.first?.message.contains("commit \(edit.prefix(10))") ?? false, "\(found)")
    }

    func testTheRegisterAndTheTextAsApproved() throws {
        let repo = repository()
        repo.write("documents/doc-1.md", policy(text: "Access is granted to <script>all</script> staff."))
        let edit = repo.commitSigned("Open access", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        let approval = repo.git("rev-parse", "--short=10", "HEAD~1")
        let json = isms(["report", "documents", "--format", "json", "--as-of", "2026-03-10"], in: repo.path)
        XCTAssertEqual(json.status, 0, json.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let row = try XCTUnwrap(((report["tables"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])?.first)
        XCTAssertEqual(row["approving_commit"] as? String, approval)
        XCTAssertEqual(row["text_changed_commit"] as? String, String(edit.prefix(10)))
        XCTAssertEqual(row["text_changed_on"] as? String, "2026-02-01")
        XCTAssertEqual(row["next_review"] as? String, "2027-01-12")
        XCTAssertEqual(row["status"] as? String, "changed since approval")
        // The audit pack shows the text approved, not the edit.
        XCTAssertEqual(isms(["export", "--html", "pack.html", "--as-of", "2026-03-10"], in: repo.path).status, 0)
        let pack = try XCTUnwrap(repo.folder.read("pack.html"))
        XCTAssertTrue(pack.contains("<p>Access is granted on a need-to-know basis.</p>"), pack)
        XCTAssertFalse(pack.contains("<script>"))
        // An edit not committed yet is not the text approved either.
        repo.write("documents/doc-1.md", policy(text: "Access is granted to contractors."))
        XCTAssertEqual(isms(["export", "--html", "pack.html", "--as-of", "2026-03-10"], in: repo.path).status, 0)
        let packAgain = try XCTUnwrap(repo.folder.read("pack.html"))
        XCTAssertTrue(packAgain.contains("<p>Access is granted on a need-to-know basis.</p>"), packAgain)
        XCTAssertFalse(packAgain.contains("contractors"))
        repo.git("checkout", "-q", "--", "documents/doc-1.md")
        // The history treats the text as the field body.
        let history = isms(["history", "DOC-1", "--no-cache"], in: repo.path)
        XCTAssertTrue(history.stdout.contains("body"), history.stdout)
    }

    func testFrontMatterErrorsAreLocatedInTheWholeFile() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write("documents/doc-1.md", "# No front matter\n")
        folder.write("documents/doc-2.md", "---\nid: DOC-2\ntitle: Unclosed\n")
        folder.write("documents/doc-3.md", "---\nid: DOC-3\ntitle: Bad\nowner: alice\nversion: [1\n---\nText\n")
        folder.write("documents/doc-4.md", "---\nid: DOC-4\ntitle: Body twice\nowner: alice\nbody: nope\napproved_on: someday\n---\nText\n")
        folder.write("documents/README.txt", "not a record\n")
        folder.write("controls/README.md", "# Not a record either\n")
        folder.write("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Reviews\nowner: alice\ndocuments: [DOC-4, CTRL-1, DOC-9]\n")
        let result = isms(["check", "--as-of", "2026-03-10"], in: folder.path)
        let out = result.stdout
        XCTAssertTrue(out.contains("documents/doc-1.md:1:1: error: a document starts with its front matter"), out)
        XCTAssertTrue(out.contains("documents/doc-2.md:4:1: error: the front matter opened on line 1 is not closed"), out)
        // A YAML error counts the lines of the whole file (here: the flow list still open at the closing line).
        XCTAssertTrue(out.contains("documents/doc-3.md:6:1: error: YAML syntax"), out)
        XCTAssertTrue(out.contains("documents/doc-4.md:5:1: error: 'body' is the text after the front matter"), out)
        XCTAssertTrue(out.contains("documents/doc-4.md:6:14: error: 'approved_on' must be a date"), out)
        XCTAssertFalse(out.contains("README"), out)
        XCTAssertTrue(out.contains("[wrong-link-kind]") && out.contains("[broken-link]"), out)
    }

    func testTheParserKeepsTheTextAndTheLinesOfTheWholeFile() throws {
        let config = Config()
        let file = "---\r\nid: DOC-7\r\ntitle: CRLF\r\nowner: alice\r\n---  \r\n# Text\r\n\r\nLine two.\r\n"
        let parsed = RecordParser.parse(Data(file.utf8), kind: .document, path: "documents/doc-7.md", config: config)
        XCTAssertTrue(parsed.findings.isEmpty, "\(parsed.findings)")
        let record = try XCTUnwrap(parsed.record)
        XCTAssertEqual(record.id, "DOC-7")
        XCTAssertEqual(record.idLocation.line, 2)
        XCTAssertEqual(record.string("body"), "# Text\r\n\r\nLine two.\r\n")
        XCTAssertEqual(record.location(of: "body").line, 6)
        // A YAML record kind never reads Markdown, and a Markdown file is not YAML.
        let yaml = RecordParser.parse(
            Data("id: DOC-8\ntitle: Plain\nowner: alice\n".utf8), kind: .document, path: "documents/doc-8.md", config: config)
        XCTAssertNil(yaml.record)
        XCTAssertEqual(yaml.findings.map(\.rule), ["parse-error"])
    }

    func testTheMarkdownIsRenderedSafely() {
        let html = MarkdownHTML.render(
            """
            # Title <b>bold</b>

            Some *emphasis*, **strong**, `code <i>` and <script>alert(1)</script> [a link](javascript:alert(1)).

            - one
            - two
              continued
            1. first

            ```
            <img src=x onerror=alert(1)>
            ```
            """, headingOffset: 2)
        XCTAssertTrue(html.contains("<h3>Title &lt;b&gt;bold&lt;/b&gt;</h3>"), html)
        XCTAssertTrue(html.contains("<em>emphasis</em>, <strong>strong</strong>, <code>code &lt;i&gt;</code>"), html)
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html)
        XCTAssertTrue(html.contains("<ul><li>one</li><li>two continued</li></ul>\n<ol><li>first</li></ol>"), html)
        XCTAssertTrue(html.contains("<pre><code>&lt;img src=x onerror=alert(1)&gt;</code></pre>"), html)
        XCTAssertFalse(html.contains("<script") || html.contains("<img") || html.contains("href"), html)
    }
}
