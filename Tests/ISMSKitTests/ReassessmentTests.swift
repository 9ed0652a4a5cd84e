import Foundation
import XCTest

/// Material changes trigger reassessment (issue 15, item 1): the article's scenario on a real history, and the
/// rule in `check`, `check --base` and `--staged`.
final class ReassessmentTests: XCTestCase {
    let alice = TestKeys.ed25519, bob = TestKeys.p256, carol = TestKeys.p384

    let supplier = """
        id: SUP-1
        title: Cloud hosting
        owner: alice
        criticality: high
        hosting: ExampleCloud, eu-west-1
        data: [customer records]

        """
    let asset = "id: ASSET-1\ntitle: Customer database\nowner: alice\nclassification: confidential\nsuppliers: [SUP-1]\n"

    func risk(
        _ id: String, likelihood: Int = 2, controls: [String] = ["CTRL-1"], reviewed: String = "2026-01-10",
        evidence: String? = nil, note: String? = nil
    ) -> String {
        var text = """
            id: \(id)
            title: Risk \(id)
            owner: alice
            likelihood: \(likelihood)
            impact: 3
            treatment: reduce
            controls: [\(controls.joined(separator: ", "))]
            assets: [ASSET-1]
            review:
              last: \(reviewed)
              every: yearly

            """
        if let evidence { text += "  evidence: [\(evidence)]\n" }
        if let note { text += "  note: \(note)\n" }
        return text
    }

    func control(_ id: String) -> String { "id: \(id)\ntitle: Control \(id)\nowner: alice\nstatus: implemented\n" }

    /// The ISMS before the change, signed by Alice on 2026-01-12.
    /// The ISMS's first commit; `config: nil` leaves isms.yaml out of it.
    func repository(config: String? = minimalConfig) -> GitRepository {
        let repo = GitRepository()
        if let config { repo.write("isms.yaml", config) }
        repo.write(
            ".isms/allowed_signers",
            [
                alice.allowedSigner("alice@example.com"), bob.allowedSigner("bob@example.com"),
                carol.allowedSigner("carol@example.com"),
            ].joined(separator: "\n") + "\n")
        repo.write("suppliers/sup-1.yaml", supplier)
        repo.write("assets/asset-1.yaml", asset)
        repo.write("risks/risk-1.yaml", risk("RISK-1"))
        repo.write("risks/risk-2.yaml", risk("RISK-2"))
        repo.write("controls/ctrl-1.yaml", control("CTRL-1"))
        repo.write("controls/ctrl-2.yaml", control("CTRL-2"))
        repo.write(
            "evidence/ev-1.yaml",
            "id: EV-1\ntitle: OtherCloud SOC 2 report\ncontrol: CTRL-1\ncollected_on: 2026-03-02\ncollected_by: carol\n")
        repo.commitSigned("Start the ISMS", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        return repo
    }

    func findings(_ repo: GitRepository, asOf: String = "2026-03-10", _ extra: [String] = []) -> [(
        rule: String, record: String, message: String
    )] {
        let result = isms(["check", "--format", "json", "--no-cache", "--as-of", asOf] + extra, in: repo.path)
        XCTAssertNotEqual(result.status, 2, result.stderr)
        let document = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (document["findings"] as? [[String: Any]] ?? []).compactMap { finding in
            let rule = finding["rule"] as? String ?? ""
            guard rule.hasPrefix("reassessment-") else { return nil }
            return (rule, finding["record"] as? String ?? "", finding["message"] as? String ?? "")
        }
    }

    func testTheArticleScenario() throws {
        let repo = repository()
        XCTAssertTrue(findings(repo).isEmpty)
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud, eu-west-1", with: "OtherCloud, us-east-1"))
        let change = String(repo.commit("SUP-1 moves to OtherCloud", by: .bob, at: "2026-03-01T10:00:00Z").prefix(10))

        let due = findings(repo)
        XCTAssertEqual(due.map(\.rule), ["reassessment-due", "reassessment-due"])
        XCTAssertEqual(due.map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertEqual(
            due.first?.message,
            "RISK-1 has not been reassessed since SUP-1's hosting changed in commit \(change) "
                + "(Bob Example, 2026-03-01); reassess it by 2026-03-31 (update the risk, or set review.last)")
        // Past reassessment_days it is an error.
        XCTAssertEqual(findings(repo, asOf: "2026-04-15").map(\.rule), ["reassessment-overdue", "reassessment-overdue"])

        // Carol reassesses RISK-1 (review updated, evidence cited, decision unchanged) and changes RISK-2.
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-05", evidence: "EV-1", note: "OtherCloud SOC 2 covers us-east-1"))
        repo.commitSigned("Reassess RISK-1 after the hosting move", by: .carol, at: "2026-03-05T10:00:00Z", key: carol)
        XCTAssertEqual(findings(repo).map(\.record), ["RISK-2"])
        repo.write("risks/risk-2.yaml", risk("RISK-2", likelihood: 3, controls: ["CTRL-1", "CTRL-2"]))
        repo.commitSigned("Raise RISK-2 after the hosting move; add CTRL-2", by: .carol, at: "2026-03-06T10:00:00Z", key: carol)
        XCTAssertTrue(findings(repo).isEmpty)
        XCTAssertTrue(findings(repo, asOf: "2026-06-01").isEmpty)
        // A later commit that cites the change is part of the trail too.
        repo.write("controls/ctrl-3.yaml", control("CTRL-3"))
        repo.commitSigned("Add CTRL-3 for the move in \(change)", by: .carol, at: "2026-03-07T10:00:00Z", key: carol)
        try checkTrail(repo, change: change)

        // A review dated before the change is no reassessment of it.
        repo.write(
            "suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "[customer records]", with: "[customer records, payment data]"))
        repo.commit("SUP-1 now handles payment data", by: .bob, at: "2026-04-01T10:00:00Z")
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-20", evidence: "EV-1"))
        repo.commit("Touch RISK-1's review", by: .bob, at: "2026-04-02T10:00:00Z")
        XCTAssertEqual(findings(repo, asOf: "2026-04-10").map(\.record), ["RISK-1", "RISK-2"])
    }

    /// `isms trail SUP-1` shows the whole chain: names, dates, signatures, evidence and the changed records.
    func checkTrail(_ repo: GitRepository, change: String) throws {
        let text = isms(["trail", "SUP-1", "--no-cache"], in: repo.path)
        XCTAssertEqual(text.status, 0, text.stderr)
        let expected = [
            "SUP-1 (supplier): 1 material change",
            "",
            "\(change) 2026-03-01 Bob Example -  SUP-1 moves to OtherCloud",
            "  hosting: ExampleCloud, eu-west-1 → OtherCloud, us-east-1",
        ]
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(4)), expected, text.stdout)
        XCTAssertTrue(text.stdout.contains("RISK-1: reassessed by "), text.stdout)
        XCTAssertTrue(text.stdout.contains("2026-03-05 Carol Example ✓carol  Reassess RISK-1 after the hosting move"), text.stdout)
        XCTAssertTrue(
            text.stdout.contains(
                "    decision: unchanged\n    review.last: 2026-03-05\n    evidence: EV-1\n    note: OtherCloud SOC 2 covers us-east-1"),
            text.stdout)
        XCTAssertTrue(text.stdout.contains("    decision: likelihood 2 → 3; controls [CTRL-1] → [CTRL-1, CTRL-2]"), text.stdout)
        XCTAssertTrue(text.stdout.contains("changed too: CTRL-3 (id, title, owner, status) by "), text.stdout)
        XCTAssertTrue(text.stdout.contains("✓carol, cites the change"), text.stdout)
        XCTAssertTrue(text.stdout.hasSuffix("  open: nothing\n"), text.stdout)

        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(isms(["trail", "SUP-1", "--format", "json", "--no-cache"], in: repo.path).stdout.utf8))
                as? [String: Any])
        let changes = json["changes"] as? [[String: Any]] ?? []
        XCTAssertEqual(changes.count, 1)
        let risks = changes.first?["risks"] as? [[String: Any]] ?? []
        XCTAssertEqual(risks.compactMap { $0["id"] as? String }, ["RISK-1", "RISK-2"])
        let first = risks.first?["reassessment"] as? [String: Any]
        XCTAssertEqual(first?["evidence"] as? [String], ["EV-1"])
        XCTAssertEqual(((first?["commit"] as? [String: Any])?["signature"] as? [String: Any])?["status"] as? String, "good")
        XCTAssertEqual(((first?["commit"] as? [String: Any])?["author"] as? [String: Any])?["name"] as? String, "Carol Example")
        XCTAssertEqual(changes.first?["open"] as? [String], [])

        let markdown = isms(["trail", "SUP-1", "--format", "markdown", "--no-cache"], in: repo.path)
        XCTAssertTrue(markdown.stdout.contains("| RISK-1 | 2026-03-05"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("Open: nothing"), markdown.stdout)
        // Since the change itself: nothing left.
        XCTAssertTrue(
            isms(["trail", "SUP-1", "--since", change, "--no-cache"], in: repo.path).stdout.hasPrefix(
                "SUP-1 (supplier): 0 material changes"))
        XCTAssertTrue(
            isms(["trail", "SUP-1", "--since", "2026-03-01", "--no-cache"], in: repo.path).stdout.hasPrefix(
                "SUP-1 (supplier): 1 material change"))
        XCTAssertEqual(isms(["trail", "SUP-9", "--no-cache"], in: repo.path).status, 2)
    }

    func testStagedAndPullRequest() {
        let repo = repository()
        // Staged: the pending change is made on the day judged, and a staged reassessment answers it.
        repo.write("assets/asset-1.yaml", asset.replacingOccurrences(of: "confidential", with: "restricted"))
        repo.git("add", "-A")
        let staged = findings(repo, asOf: "2026-03-10", ["--staged"])
        XCTAssertEqual(staged.map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertTrue(staged.first?.message.contains("ASSET-1's classification changed in an uncommitted change") ?? false, "\(staged)")
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-10"))
        repo.write("risks/risk-2.yaml", risk("RISK-2", likelihood: 3))
        repo.git("add", "-A")
        XCTAssertTrue(findings(repo, asOf: "2026-03-10", ["--staged"]).isEmpty)
        repo.git("reset", "-q", "--hard")

        // A pull request that changes a supplier is told which risks to reassess.
        repo.git("checkout", "-q", "-b", "pull-request")
        repo.write("suppliers/sup-1.yaml", supplier + "subprocessors: [MailCo]\n")
        repo.commitSigned("SUP-1 adds MailCo", by: .bob, at: "2026-03-01T10:00:00Z", key: bob)
        let base = findings(repo, asOf: "2026-03-10", ["--base", "main"])
        XCTAssertEqual(base.map(\.rule), ["reassessment-due", "reassessment-due"])
        let comment = isms(["diff", "main..HEAD", "--format", "markdown", "--no-cache", "--as-of", "2026-03-10"], in: repo.path)
        XCTAssertTrue(comment.stdout.contains("reassessment-due"), comment.stdout)
        XCTAssertTrue(comment.stdout.contains("subprocessors"), comment.stdout)
    }

    func testTheTrailEscapesWhatCommittersChose() throws {
        let repo = repository()
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud, eu-west-1", with: "\"Evil\\e[2J\\u202Ecloud\""))
        repo.git("add", "-A")
        repo.git(
            "commit", "-q", "-m", "Move\u{1B}[31m hosting\n\nbody",
            environment: repo.identity(GitRepository.Person(name: "Eve\u{1B}[1m", email: "eve@example.com"), "2026-03-01T10:00:00Z"))
        for format in ["text", "markdown", "json"] {
            let result = isms(["trail", "SUP-1", "--format", format, "--no-cache"], in: repo.path)
            XCTAssertEqual(result.status, 0, result.stderr)
            // JSON escapes control characters and keeps other text as it is, like every JSON contract.
            XCTAssertFalse(
                result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || (format != "json" && $0 == "\u{202E}") },
                format + ": " + result.stdout)
        }
        XCTAssertTrue(isms(["trail", "SUP-1", "--no-cache"], in: repo.path).stdout.contains("RISK-1: not reassessed"))
    }

    func testARetiredControlIsMaterialAndOtherStatusesAreNot() {
        let repo = repository()
        repo.write("controls/ctrl-1.yaml", control("CTRL-1").replacingOccurrences(of: "implemented", with: "planned"))
        repo.commit("Replan CTRL-1", by: .bob, at: "2026-03-01T10:00:00Z")
        XCTAssertTrue(findings(repo).isEmpty)
        repo.write("controls/ctrl-1.yaml", control("CTRL-1").replacingOccurrences(of: "implemented", with: "retired"))
        repo.commit("Retire CTRL-1", by: .bob, at: "2026-03-02T10:00:00Z")
        XCTAssertEqual(findings(repo).map(\.record), ["RISK-1", "RISK-2"])
    }

    // MARK: The ISMS scope, to which every risk is linked

    func scoped(_ scope: String, _ extra: String = "") -> String { minimalConfig + "scope: \(scope)\n" + extra }
    let scope = "The customer platform hosted in eu-west-1"
    let narrowed = "The customer platform, without the EU support desk"

    func testAScopeChangeAsksEveryRiskToBeReassessed() {
        let repo = repository(config: scoped(scope))
        // Risks assessed in the commit that set the scope are assessed against it.
        XCTAssertTrue(findings(repo).isEmpty, "\(findings(repo))")
        repo.write("isms.yaml", scoped(narrowed))
        let change = String(repo.commit("Narrow the scope: the support desk leaves", by: .bob, at: "2026-03-01T10:00:00Z").prefix(10))

        let due = findings(repo)
        XCTAssertEqual(due.map(\.rule), ["reassessment-due", "reassessment-due"])
        XCTAssertEqual(due.map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertEqual(
            due.first?.message,
            "RISK-1 has not been reassessed since isms.yaml's scope changed in commit \(change) "
                + "(Bob Example, 2026-03-01); reassess it by 2026-03-31 (update the risk, or set review.last)")
        XCTAssertEqual(findings(repo, asOf: "2026-03-31").map(\.rule), ["reassessment-due", "reassessment-due"])
        let overdue = findings(repo, asOf: "2026-04-01")
        XCTAssertEqual(overdue.map(\.rule), ["reassessment-overdue", "reassessment-overdue"])
        XCTAssertTrue(overdue.first?.message.contains("isms.yaml's scope changed in commit \(change)") ?? false, "\(overdue)")

        // Carol reassesses RISK-1 against the new scope; RISK-2 is still open.
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-05", note: "Scope narrowed in \(change); unchanged"))
        repo.commitSigned("Reassess RISK-1 for the narrowed scope", by: .carol, at: "2026-03-05T10:00:00Z", key: carol)
        XCTAssertEqual(findings(repo, asOf: "2026-04-15").map(\.record), ["RISK-2"])
        // A review dated before the change does not answer it.
        repo.write("risks/risk-2.yaml", risk("RISK-2", reviewed: "2026-02-20"))
        repo.commit("Record RISK-2's February review", by: .bob, at: "2026-03-06T10:00:00Z")
        XCTAssertEqual(findings(repo, asOf: "2026-04-15").map(\.rule), ["reassessment-overdue"])
        repo.write("risks/risk-2.yaml", risk("RISK-2", likelihood: 1, reviewed: "2026-02-20"))
        repo.commitSigned("Lower RISK-2: the support desk is out of scope", by: .carol, at: "2026-03-07T10:00:00Z", key: carol)
        XCTAssertTrue(findings(repo, asOf: "2026-06-01").isEmpty)

        // A change of the scope in the work tree, not committed, is judged as the records' are: made on the day judged.
        repo.write("isms.yaml", scoped(scope))
        let uncommitted = findings(repo, asOf: "2026-06-01")
        XCTAssertEqual(uncommitted.map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertTrue(
            uncommitted.first?.message.contains("isms.yaml's scope changed in an uncommitted change; reassess it by 2026-07-01") ?? false,
            "\(uncommitted)")
        // Removing the scope is a change of it too.
        repo.write("isms.yaml", minimalConfig)
        XCTAssertEqual(findings(repo, asOf: "2026-06-01").map(\.record), ["RISK-1", "RISK-2"])
    }

    /// The commit that creates isms.yaml defines the scope; it does not change it, even for risks written before it
    /// (an ISMS set up over records already in the repository). Deleting isms.yaml and writing it again with another
    /// scope is a change.
    func testTheCommitThatCreatesIsmsYamlDefinesTheScope() {
        let repo = repository(config: nil)
        repo.write("isms.yaml", scoped(scope))
        repo.commit("Adopt isms: the ISMS and its scope", by: .bob, at: "2026-02-01T10:00:00Z")
        XCTAssertTrue(findings(repo).isEmpty, "\(findings(repo))")

        repo.remove("isms.yaml")
        repo.commit("Drop isms.yaml for a while", by: .bob, at: "2026-02-10T10:00:00Z")
        repo.write("isms.yaml", scoped(narrowed))
        let change = String(repo.commit("Write isms.yaml again, narrowed", by: .bob, at: "2026-02-11T10:00:00Z").prefix(10))
        let due = findings(repo)
        XCTAssertEqual(due.map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertTrue(due.allSatisfy { $0.message.contains("isms.yaml's scope changed in commit \(change)") }, "\(due)")
    }

    /// Red team: an octopus merge whose first parent is an orphan commit with a narrowed isms.yaml. The orphan
    /// "creates" isms.yaml, and the merge kept its first parent's file, yet the scope changed against main's.
    func testAnOctopusMergeOfAnOrphanWithANarrowedScopeIsAScopeChange() {
        let repo = repository(config: scoped(scope))
        let main = repo.git("rev-parse", "HEAD")
        repo.git("checkout", "-q", "-b", "side")
        repo.write("controls/ctrl-3.yaml", control("CTRL-3"))
        let side = repo.commit("A side change", by: .bob, at: "2026-02-20T10:00:00Z")
        repo.git("checkout", "-q", "--orphan", "pull-request")
        repo.write("isms.yaml", scoped(narrowed))
        let orphan = repo.commit("The ISMS, on a fresh root", by: .bob, at: "2026-03-01T10:00:00Z")
        let date = "2026-03-02T10:00:00Z"
        let merge = repo.git(
            "commit-tree", "\(orphan)^{tree}", "-p", orphan, "-p", main, "-p", side, "-m", "Merge main and side",
            environment: [
                "GIT_AUTHOR_NAME": "Bob Example", "GIT_AUTHOR_EMAIL": "bob@example.com", "GIT_AUTHOR_DATE": date,
                "GIT_COMMITTER_NAME": "Bob Example", "GIT_COMMITTER_EMAIL": "bob@example.com", "GIT_COMMITTER_DATE": date,
            ])
        repo.git("reset", "-q", "--hard", merge)
        XCTAssertEqual(findings(repo, ["--base", "main"]).map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertEqual(findings(repo).map(\.record), ["RISK-1", "RISK-2"])
    }

    /// Red team: the pull request narrows the scope, then merges in a root of its own that holds the same narrowed
    /// isms.yaml. The root "creates" isms.yaml; the merge must still credit the scope to the commit that changed it.
    func testAMergedRootWithTheSameNarrowedScopeDoesNotHideTheChange() {
        let repo = repository(config: scoped(scope))
        repo.git("checkout", "-q", "-b", "pull-request")
        repo.write("isms.yaml", scoped(narrowed))
        let change = repo.commit("Narrow the scope", by: .bob, at: "2026-03-01T10:00:00Z")
        repo.git("checkout", "-q", "--orphan", "root")
        let root = repo.commit("The same ISMS, on a root of its own", by: .bob, at: "2026-03-02T10:00:00Z")
        repo.git("checkout", "-q", "pull-request")
        repo.git("merge", "-q", "--allow-unrelated-histories", "-s", "ours", "-m", "Merge root", root)
        let gate = findings(repo, ["--base", "main"])
        XCTAssertEqual(gate.map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertTrue(gate.allSatisfy { $0.message.contains("isms.yaml's scope changed in commit \(change.prefix(10))") }, "\(gate)")
    }

    func testAStagedScopeChange() {
        let repo = repository(config: scoped(scope))
        // Only what is staged counts: a scope changed in the work tree alone is not part of the commit being made.
        repo.write("isms.yaml", scoped(narrowed))
        XCTAssertTrue(findings(repo, ["--staged"]).isEmpty, "\(findings(repo, ["--staged"]))")
        repo.git("add", "isms.yaml")
        let staged = findings(repo, ["--staged"])
        XCTAssertEqual(staged.map(\.rule), ["reassessment-due", "reassessment-due"])
        XCTAssertEqual(staged.map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertTrue(
            staged.first?.message.contains("isms.yaml's scope changed in an uncommitted change; reassess it by 2026-04-09") ?? false,
            "\(staged)")
        // Staged reassessments answer it: one review on the day judged, one changed decision.
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-10"))
        repo.write("risks/risk-2.yaml", risk("RISK-2", likelihood: 3))
        repo.git("add", "risks/risk-1.yaml")
        XCTAssertEqual(findings(repo, ["--staged"]).map(\.record), ["RISK-2"])
        repo.git("add", "risks/risk-2.yaml")
        XCTAssertTrue(findings(repo, ["--staged"]).isEmpty)
    }

    func testAPullRequestChangingTheScope() {
        let repo = repository(config: scoped(scope))
        // main already has an open reassessment (a supplier change); the gate reports only what the pull request adds.
        repo.write("suppliers/sup-1.yaml", supplier + "subprocessors: [MailCo]\n")
        repo.commitSigned("SUP-1 adds MailCo", by: .alice, at: "2026-02-01T10:00:00Z", key: alice)
        XCTAssertEqual(findings(repo).count, 2)
        repo.git("checkout", "-q", "-b", "pull-request")
        repo.write("isms.yaml", scoped(narrowed))
        let change = String(repo.commitSigned("Narrow the scope", by: .bob, at: "2026-03-01T10:00:00Z", key: bob).prefix(10))
        let gate = findings(repo, ["--base", "main"])
        XCTAssertEqual(gate.map(\.rule), ["reassessment-due", "reassessment-due"])
        XCTAssertEqual(gate.map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertTrue(gate.allSatisfy { $0.message.contains("isms.yaml's scope changed in commit \(change)") }, "\(gate)")

        // The pull-request comment names the risks to reassess.
        let comment = isms(["diff", "main..HEAD", "--format", "markdown", "--no-cache", "--as-of", "2026-03-10"], in: repo.path)
        XCTAssertEqual(comment.status, 0, comment.stderr)
        for id in ["RISK-1", "RISK-2"] {
            XCTAssertTrue(
                comment.stdout.contains("\(id) has not been reassessed since isms.yaml's scope changed in commit \(change)"), comment.stdout
            )
        }
        XCTAssertFalse(comment.stdout.contains("SUP-1's subprocessors"), comment.stdout)

        // Reassessing both on the branch clears the gate.
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-02"))
        repo.write("risks/risk-2.yaml", risk("RISK-2", reviewed: "2026-03-02"))
        repo.commitSigned("Reassess RISK-1 and RISK-2 for the narrowed scope", by: .carol, at: "2026-03-02T10:00:00Z", key: carol)
        XCTAssertTrue(findings(repo, ["--base", "main"]).isEmpty, "\(findings(repo, ["--base", "main"]))")
    }

    /// `material_fields` is policy: a pull request that narrows the scope and switches the scope off in the same
    /// change is judged with the base's material fields, so its risks are still to be reassessed.
    func testAPullRequestCannotSwitchTheScopeOffForItself() {
        let repo = repository(config: scoped(scope))
        repo.git("checkout", "-q", "-b", "pull-request")
        repo.write("isms.yaml", scoped(narrowed, "material_fields:\n  isms: []\n"))
        repo.commitSigned("Narrow the scope, and stop asking for reassessment", by: .bob, at: "2026-03-01T10:00:00Z", key: bob)
        XCTAssertTrue(findings(repo).isEmpty, "\(findings(repo))")  // HEAD's own policy, outside the gate
        XCTAssertEqual(findings(repo, ["--base", "main"]).map(\.record), ["RISK-1", "RISK-2"])
    }

    func testMaterialFieldsDecideWhetherTheScopeIsMaterial() {
        // `isms: []` switches the scope off: no finding for its change, committed or not.
        let off = repository(config: scoped(scope, "material_fields:\n  isms: []\n"))
        off.write("isms.yaml", scoped(narrowed, "material_fields:\n  isms: []\n"))
        XCTAssertTrue(findings(off).isEmpty, "\(findings(off))")
        off.commit("Narrow the scope", by: .bob, at: "2026-03-01T10:00:00Z")
        XCTAssertTrue(findings(off).isEmpty, "\(findings(off))")
        // Listing a kind's fields leaves the ISMS-level default as it is; `isms: [scope]` states it.
        for extra in ["material_fields:\n  supplier: [hosting]\n", "material_fields:\n  isms: [scope]\n"] {
            let on = repository(config: scoped(scope, extra))
            on.write("isms.yaml", scoped(narrowed, extra))
            on.commit("Narrow the scope", by: .bob, at: "2026-03-01T10:00:00Z")
            XCTAssertEqual(findings(on).map(\.record), ["RISK-1", "RISK-2"], extra)
        }
        // A setting no risk depends on is a located finding, and the rest of the list still counts.
        let wrong = repository(config: scoped(scope, "material_fields:\n  isms: [scope, name]\n"))
        let result = isms(["check", "--no-cache", "--as-of", "2026-03-10"], in: wrong.path)
        XCTAssertTrue(
            result.stdout.contains("isms.yaml:8:17: error: material_fields.isms lists name, which is not an ISMS-level setting"),
            result.stdout)
        wrong.write("isms.yaml", scoped(narrowed, "material_fields:\n  isms: [scope, name]\n"))
        XCTAssertEqual(findings(wrong).map(\.record), ["RISK-1", "RISK-2"])
    }

    /// `isms trail isms.yaml`: the scope's changes, every risk's reassessment, what else changed, what is open.
    func testTheTrailOfTheScope() throws {
        let repo = repository(config: scoped(scope))
        // The scope set when isms.yaml was created is the ISMS's start, not a change.
        XCTAssertTrue(isms(["trail", "isms.yaml", "--no-cache"], in: repo.path).stdout.hasPrefix("isms.yaml (isms): 0 material changes\n"))
        repo.write("isms.yaml", scoped(narrowed).replacingOccurrences(of: "name: Test ISMS", with: "name: Test ISMS 2"))
        let change = String(repo.commit("Narrow the scope", by: .bob, at: "2026-03-01T10:00:00Z").prefix(10))
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-05", evidence: "EV-1", note: "Scope narrowed in \(change)"))
        repo.commitSigned("Reassess RISK-1 for the narrowed scope", by: .carol, at: "2026-03-05T10:00:00Z", key: carol)

        let text = isms(["trail", "isms.yaml", "--no-cache"], in: repo.path)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(
            text.stdout.hasPrefix(
                "isms.yaml (isms): 1 material change\n\n\(change) 2026-03-01 Bob Example -  Narrow the scope\n"
                    + "  scope: \(scope) → \(narrowed)\n  RISK-1: reassessed by "),
            text.stdout)
        XCTAssertFalse(text.stdout.contains("name:"), text.stdout)  // only the material settings
        XCTAssertTrue(text.stdout.contains("Carol Example ✓carol  Reassess RISK-1 for the narrowed scope"), text.stdout)
        XCTAssertTrue(text.stdout.contains("    evidence: EV-1\n    note: Scope narrowed in \(change)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("  RISK-2: not reassessed\n"), text.stdout)
        XCTAssertTrue(text.stdout.hasSuffix("  open: RISK-2\n"), text.stdout)

        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(
                with: Data(isms(["trail", "isms.yaml", "--format", "json", "--no-cache"], in: repo.path).stdout.utf8))
                as? [String: Any])
        XCTAssertEqual(json["record"] as? String, "isms.yaml")
        XCTAssertEqual(json["kind"] as? String, "isms")
        let changes = json["changes"] as? [[String: Any]] ?? []
        XCTAssertEqual((changes.first?["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String }, ["scope"])
        XCTAssertEqual(changes.first?["open"] as? [String], ["RISK-2"])
        XCTAssertTrue(
            isms(["trail", "isms.yaml", "--format", "markdown", "--no-cache"], in: repo.path).stdout.hasPrefix(
                "### Trail of isms.yaml (isms)"))
        // Switched off, the scope has no trail.
        repo.write(
            "isms.yaml",
            scoped(narrowed, "material_fields:\n  isms: []\n").replacingOccurrences(of: "name: Test ISMS", with: "name: Test ISMS 2"))
        repo.commit("Scope changes ask for no reassessment", by: .alice, at: "2026-03-06T10:00:00Z")
        XCTAssertTrue(isms(["trail", "isms.yaml", "--no-cache"], in: repo.path).stdout.hasPrefix("isms.yaml (isms): 0 material changes\n"))
    }
}
