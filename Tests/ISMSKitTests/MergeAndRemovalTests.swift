import Foundation
import ISMSKit
import XCTest

/// Issue 11: a merge is judged by what it produces, and a removal is a change. Real repositories, real SSH
/// signatures; every scenario here went unjudged before.
extension GovernanceTests {
    func plainRisk(treatment: String = "reduce", likelihood: Int = 2) -> String {
        "id: RISK-1\ntitle: Office flood\nowner: alice\nlikelihood: \(likelihood)\nimpact: 2\ntreatment: \(treatment)\n"
    }

    /// `isms … --format json` in `repo`, decoded.
    func document(_ repo: GitRepository, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        let result = isms(arguments + ["--format", "json"], in: repo.path)
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// The commit `isms blame` credits with `field` of `id`.
    func blamed(_ repo: GitRepository, _ id: String, _ field: String, _ extra: [String] = []) -> String? {
        let fields = document(repo, ["blame", id] + extra)["fields"] as? [[String: Any]] ?? []
        return fields.first { $0["field"] as? String == field }?["commit"] as? String
    }

    /// The field an unsigned-decision finding names (not in the JSON contract), through the library.
    func unsignedDecisionFields(_ repo: GitRepository) throws -> [String?] {
        let workspace = try Workspace(explicitRoot: repo.path)
        var notes = [String]()
        return try workspace.check(
            workspace.workTreeSource, asOf: Day("2026-12-01")!, options: GovernanceOptions(useCache: false), notes: &notes
        )
        .findings.filter { $0.rule == "unsigned-decision" }.map(\.field)
    }

    func unsignedDecisions(_ repo: GitRepository) -> [[String: Any]] {
        historyFindings(repo).filter { $0["rule"] as? String == "unsigned-decision" }
    }

    /// Starts merging `branch` into the current branch without committing; a conflict leaves markers to resolve.
    func startMerge(_ repo: GitRepository, _ branch: String) {
        gitAllowingFailure(["merge", "-q", "--no-ff", "--no-commit", branch], in: repo.path)
    }

    /// `isms diff RANGE --format json`: record id → field → the commits credited with the change.
    func diffCommits(_ repo: GitRepository, _ range: String) -> (events: [String: String], commits: [String: [String: [String]]]) {
        let records = document(repo, ["diff", range])["records"] as? [[String: Any]] ?? []
        var events = [String: String](), commits = [String: [String: [String]]]()
        for record in records {
            let id = record["id"] as? String ?? "?"
            events[id] = record["event"] as? String
            for change in record["changes"] as? [[String: Any]] ?? [] {
                commits[id, default: [:]][change["field"] as? String ?? "?"] =
                    (change["commits"] as? [[String: Any]] ?? []).compactMap { $0["commit"] as? String }
            }
        }
        return (events, commits)
    }

    // MARK: Merges

    /// A signed branch changes a decision; the unsigned merge quietly keeps the old value. Before, blame credited
    /// the old signed commit and nothing was judged.
    func testAnEvilMergeThatKeepsTheOldValueIsTheAuthorOfIt() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", plainRisk())
        repo.commitSigned("Reduce the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "avoid")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "avoid"))
        let branch = repo.commitSigned("Avoid: move the servers", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.git("checkout", "-q", "main")
        repo.write("README.md", "x\n")
        repo.commitSigned("Readme", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        startMerge(repo, "avoid")
        repo.write("risks/risk-1.yaml", plainRisk())
        let merge = repo.commit("Merge branch 'avoid'", by: .bob, at: "2026-02-03T10:00:00Z")
        XCTAssertEqual(repo.git("rev-list", "--parents", "-n", "1", "HEAD").split(separator: " ").count, 3)

        XCTAssertEqual(blamed(repo, "RISK-1", "treatment"), merge)
        let entries = document(repo, ["history", "RISK-1"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.first?["commit"] as? String, merge)
        XCTAssertEqual(entries.first?["event"] as? String, "modified")
        let change = (entries.first?["changes"] as? [[String: Any]])?.first
        XCTAssertEqual(change?["field"] as? String, "treatment")
        XCTAssertEqual(change?["old"] as? String, "avoid", "old is the value the merge should have produced")
        XCTAssertEqual(change?["new"] as? String, "reduce")
        let log = document(repo, ["log", "--field", "treatment"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(log.compactMap { $0["commit"] as? String }.first, merge)
        XCTAssertEqual(diffCommits(repo, "avoid..HEAD").commits["RISK-1"]?["treatment"], [merge])
        _ = branch

        let findings = unsignedDecisions(repo)
        XCTAssertEqual(
            findings.compactMap { $0["message"] as? String },
            ["treatment of RISK-1 was set by commit \(merge.prefix(10)) (Bob Example, 2026-02-03), which is unsigned"])
    }

    /// Both sides changed the treatment and the merge wrote a value neither had.
    func testAConflictResolvedWithANewValueIsTheMergesDecision() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", plainRisk())
        repo.commitSigned("Reduce the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "transfer")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "transfer"))
        repo.commitSigned("Transfer to the insurer", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "avoid"))
        repo.commitSigned("Avoid", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        startMerge(repo, "transfer")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "accept"))
        let merge = repo.commit("Merge branch 'transfer'", by: .bob, at: "2026-02-03T10:00:00Z")

        XCTAssertEqual(blamed(repo, "RISK-1", "treatment"), merge)
        XCTAssertEqual(
            unsignedDecisions(repo).compactMap { $0["message"] as? String },
            ["treatment of RISK-1 was set by commit \(merge.prefix(10)) (Bob Example, 2026-02-03), which is unsigned"])
    }

    /// Both sides changed the treatment; the merge took one side. Choosing is the merge's decision, not the
    /// decision of the signed commit it took the value from.
    func testAConflictResolvedToOneSideIsTheMergesDecision() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", plainRisk())
        repo.commitSigned("Reduce the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "transfer")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "transfer"))
        repo.commitSigned("Transfer to the insurer", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "avoid"))
        repo.commitSigned("Avoid", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        startMerge(repo, "transfer")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "transfer"))
        let merge = repo.commit("Merge branch 'transfer'", by: .bob, at: "2026-02-03T10:00:00Z")

        XCTAssertEqual(blamed(repo, "RISK-1", "treatment"), merge)
        let entries = document(repo, ["history", "RISK-1"])["entries"] as? [[String: Any]] ?? []
        let change = (entries.first?["changes"] as? [[String: Any]])?.first
        XCTAssertEqual(entries.first?["commit"] as? String, merge)
        XCTAssertEqual(change?["old"] as? String, "avoid")
        XCTAssertEqual(change?["new"] as? String, "transfer")
        XCTAssertEqual(unsignedDecisions(repo).count, 1)
    }

    /// A clean merge decides nothing: each value stays credited to the branch commit that made it. With
    /// --first-parent the merge is credited with all it brought in, as before.
    func testACleanMergeKeepsCreditingTheBranchCommits() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", plainRisk())
        let start = repo.commitSigned("Reduce the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "avoid")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "avoid"))
        let branch = repo.commitSigned("Avoid", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-1.yaml", plainRisk(likelihood: 3))
        let mainline = repo.commitSigned("Raise the likelihood", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        repo.git("merge", "-q", "--no-ff", "--no-edit", "avoid", environment: repo.identity(.bob, "2026-02-03T10:00:00Z"))
        let merge = repo.git("rev-parse", "HEAD")
        XCTAssertEqual(repo.folder.read("risks/risk-1.yaml"), plainRisk(treatment: "avoid", likelihood: 3))

        XCTAssertEqual(historyFindings(repo).count, 0)
        XCTAssertEqual(blamed(repo, "RISK-1", "treatment"), branch)
        XCTAssertEqual(blamed(repo, "RISK-1", "likelihood"), mainline)
        XCTAssertEqual(blamed(repo, "RISK-1", "impact"), start)
        let entries = document(repo, ["history", "RISK-1"])["entries"] as? [[String: Any]] ?? []
        XCTAssertFalse(entries.contains { $0["commit"] as? String == merge })

        XCTAssertEqual(blamed(repo, "RISK-1", "treatment", ["--first-parent"]), merge)
        XCTAssertEqual(blamed(repo, "RISK-1", "likelihood", ["--first-parent"]), mainline)
        let firstParent = document(repo, ["history", "RISK-1", "--first-parent"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(firstParent.compactMap { $0["commit"] as? String }, [merge, mainline, start])
    }

    /// --first-parent credited an evil merge with its value already; it still does, and the same way.
    func testFirstParentSeesTheEvilMergeAsBefore() {
        let repo = repository()
        repo.write("risks/risk-1.yaml", plainRisk())
        let start = repo.commitSigned("Reduce the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "avoid")
        repo.write("risks/risk-1.yaml", plainRisk(treatment: "avoid"))
        repo.commitSigned("Avoid", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.git("checkout", "-q", "main")
        repo.write("README.md", "x\n")
        repo.commitSigned("Readme", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        startMerge(repo, "avoid")
        repo.write("risks/risk-1.yaml", plainRisk())
        repo.commit("Merge branch 'avoid'", by: .bob, at: "2026-02-03T10:00:00Z")
        // On the main line the merge changed nothing: the value is the one the first commit set.
        XCTAssertEqual(blamed(repo, "RISK-1", "treatment", ["--first-parent"]), start)
        let firstParent = document(repo, ["history", "RISK-1", "--first-parent"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(firstParent.compactMap { $0["commit"] as? String }, [start])
    }

    // MARK: Removals

    /// A risk deleted by an unsigned commit; another deleted by a signed one is fine.
    func testDeletingARecordUnsignedIsJudged() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.write("risks/risk-2.yaml", plainRisk().replacingOccurrences(of: "RISK-1", with: "RISK-2"))
        let start = repo.commitSigned("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.remove("risks/risk-2.yaml")
        repo.commitSigned("Drop the duplicate", by: .alice, at: "2026-01-20T10:00:00Z", key: alice)
        XCTAssertEqual(historyFindings(repo).count, 0)
        repo.remove("risks/risk-1.yaml")
        let deletion = repo.commit("Tidy up", by: .bob, at: "2026-02-01T10:00:00Z")
        assertDeletionJudged(repo, deletion: deletion, path: "risks/risk-1.yaml", since: start)
    }

    /// risks/risk-1.yaml → notes/risk-1.yaml: no longer read as a record, so the risk is gone.
    func testMovingARecordOutOfItsFolderUnsignedIsJudged() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        let start = repo.commitSigned("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("mv", "risks", "notes")
        let deletion = repo.commit("Keep it as a note", by: .bob, at: "2026-02-01T10:00:00Z")
        assertDeletionJudged(repo, deletion: deletion, path: "risks/risk-1.yaml", since: start)
    }

    /// risk-1.yaml → risk-1.YAML: the same folder, a name no longer read as a record.
    func testRenamingARecordToANameNotReadIsJudged() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        let start = repo.commitSigned("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("mv", "risks/risk-1.yaml", "risks/risk-1.YAML")
        let deletion = repo.commit("Rename", by: .bob, at: "2026-02-01T10:00:00Z")
        assertDeletionJudged(repo, deletion: deletion, path: "risks/risk-1.yaml", since: start)
    }

    func assertDeletionJudged(
        _ repo: GitRepository, deletion: String, path: String, since start: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let findings = unsignedDecisions(repo)
        XCTAssertEqual(findings.count, 1, "\(findings)", file: file, line: line)
        let finding = findings.first ?? [:]
        XCTAssertEqual(
            finding["message"] as? String,
            "RISK-1 was deleted by commit \(deletion.prefix(10)) (Bob Example, 2026-02-01), which is unsigned", file: file, line: line)
        XCTAssertEqual(finding["path"] as? String, path, file: file, line: line)
        XCTAssertEqual(finding["line"] as? Int, 1, file: file, line: line)
        XCTAssertEqual(finding["column"] as? Int, 1, file: file, line: line)
        XCTAssertEqual(finding["record"] as? String, "RISK-1", file: file, line: line)
        XCTAssertEqual(try unsignedDecisionFields(repo), ["likelihood"], "the first decision field in schema order", file: file, line: line)
        XCTAssertEqual(isms(["check", "--as-of", "2026-12-01"], in: repo.path).status, 1, file: file, line: line)

        let diff = diffCommits(repo, "\(start)..HEAD")
        XCTAssertEqual(diff.events["RISK-1"], "removed", file: file, line: line)
        XCTAssertEqual(diff.commits["RISK-1"]?["treatment"], [deletion], file: file, line: line)
        XCTAssertEqual(diff.commits["RISK-1"]?["acceptance.approved_by"], [deletion], file: file, line: line)
        let text = isms(["diff", "\(start)..HEAD"], in: repo.path).stdout
        XCTAssertTrue(
            text.contains("RISK-1 (risk) removed  \(path)\n    by \(deletion.prefix(10)) Bob Example"), text, file: file, line: line)
    }

    /// A risk's acceptance removed by an unsigned commit: the risk stays, its acceptance does not.
    func testRemovingADecisionFieldUnsignedIsJudged() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        let start = repo.commitSigned("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.write("risks/risk-1.yaml", acceptedRisk().components(separatedBy: "acceptance:")[0])
        let removal = repo.commit("Drop the acceptance", by: .bob, at: "2026-02-01T10:00:00Z")

        let findings = unsignedDecisions(repo)
        XCTAssertEqual(findings.count, 1, "\(findings)")
        XCTAssertEqual(
            findings.first?["message"] as? String,
            "acceptance of RISK-1 was removed by commit \(removal.prefix(10)) (Bob Example, 2026-02-01), which is unsigned")
        XCTAssertEqual(findings.first?["path"] as? String, "risks/risk-1.yaml")
        XCTAssertEqual(findings.first?["record"] as? String, "RISK-1")
        XCTAssertEqual(try unsignedDecisionFields(repo), ["acceptance.approved_by"])

        let diff = diffCommits(repo, "\(start)..HEAD")
        XCTAssertEqual(diff.events["RISK-1"], "modified")
        XCTAssertEqual(diff.commits["RISK-1"]?["acceptance.approved_by"], [removal])
        XCTAssertEqual(diff.commits["RISK-1"]?["acceptance.rationale"], [removal])

        // Signed again with the acceptance back, nothing stands.
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.commitSigned("Accept again", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        XCTAssertEqual(unsignedDecisions(repo).count, 0)
        // A signed removal is fine.
        repo.write("risks/risk-1.yaml", acceptedRisk().components(separatedBy: "acceptance:")[0])
        repo.commitSigned("Drop the acceptance, signed", by: .alice, at: "2026-02-03T10:00:00Z", key: alice)
        XCTAssertEqual(unsignedDecisions(repo).count, 0)
    }

    /// A removal that still stands is found however many changes follow it: the record's history is decoded newest
    /// first only until the newest change of each removed decision field is seen (`GovernanceRules.removals`), so
    /// signed changes of other fields after the removal, and a removal made again later and signed, are judged as when
    /// the whole history was decoded.
    func testARemovalFollowedByOtherChangesIsStillJudged() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.commitSigned("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.write("risks/risk-1.yaml", acceptedRisk().components(separatedBy: "acceptance:")[0])
        let removal = repo.commit("Drop the acceptance", by: .bob, at: "2026-02-01T10:00:00Z")
        for (n, likelihood) in [3, 4, 1].enumerated() {
            repo.write("risks/risk-1.yaml", acceptedRisk(likelihood: likelihood).components(separatedBy: "acceptance:")[0])
            repo.commitSigned("Reassess \(n)", by: .alice, at: "2026-02-0\(n + 2)T10:00:00Z", key: alice)
        }
        let findings = unsignedDecisions(repo)
        XCTAssertEqual(findings.count, 1, "\(findings)")
        XCTAssertEqual(
            findings.first?["message"] as? String,
            "acceptance of RISK-1 was removed by commit \(removal.prefix(10)) (Bob Example, 2026-02-01), which is unsigned")

        // Accepted again and removed again, signed: the newest removal stands, and it is signed.
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.commitSigned("Accept again", by: .alice, at: "2026-02-10T10:00:00Z", key: alice)
        repo.write("risks/risk-1.yaml", acceptedRisk(likelihood: 5).components(separatedBy: "acceptance:")[0])
        repo.commitSigned("Drop the acceptance, signed", by: .alice, at: "2026-02-11T10:00:00Z", key: alice)
        // An unsigned change of a field that is no decision (the title) after it.
        repo.write(
            "risks/risk-1.yaml",
            acceptedRisk(likelihood: 5).components(separatedBy: "acceptance:")[0]
                .replacingOccurrences(of: "Office flood", with: "Office flood, ground floor"))
        repo.commit("Retitle, unsigned", by: .bob, at: "2026-02-12T10:00:00Z")
        XCTAssertEqual(unsignedDecisions(repo).count, 0, "\(unsignedDecisions(repo))")
    }

    /// A removal made under the id a record had before an id change still stands for it: the record's entries follow
    /// the id change back, and the removals it may hold are looked for under every id joined to it
    /// (`GovernanceContext.fieldsRemoved`), also through a second id change, and beside another record's id change.
    func testARemovalUnderAnEarlierIDIsJudgedAfterTheIDChanges() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.write("risks/risk-2.yaml", acceptedRisk().replacingOccurrences(of: "RISK-1", with: "RISK-2"))
        repo.commitSigned("Accept the flood risks", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        let unaccepted = acceptedRisk().components(separatedBy: "acceptance:")[0]
        repo.write("risks/risk-1.yaml", unaccepted)
        let removal = repo.commit("Drop the acceptance", by: .bob, at: "2026-02-01T10:00:00Z")
        repo.write("risks/risk-1.yaml", unaccepted.replacingOccurrences(of: "RISK-1", with: "RISK-7"))
        repo.write("risks/risk-2.yaml", acceptedRisk().replacingOccurrences(of: "RISK-1", with: "RISK-8"))
        repo.commitSigned("Renumber", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        let expected = { (id: String) in
            ["acceptance of \(id) was removed by commit \(removal.prefix(10)) (Bob Example, 2026-02-01), which is unsigned"]
        }
        XCTAssertEqual(unsignedDecisions(repo).compactMap { $0["message"] as? String }, expected("RISK-7"))
        repo.write("risks/risk-1.yaml", unaccepted.replacingOccurrences(of: "RISK-1", with: "RISK-9"))
        repo.commitSigned("Renumber again", by: .alice, at: "2026-02-03T10:00:00Z", key: alice)
        XCTAssertEqual(unsignedDecisions(repo).compactMap { $0["message"] as? String }, expected("RISK-9"))
    }

    /// A signed branch accepts a risk; the unsigned merge drops the acceptance again.
    func testAMergeThatDropsABranchDecisionIsJudged() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk().components(separatedBy: "acceptance:")[0])
        repo.commitSigned("The flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "accept")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.commitSigned("Carol accepts", by: .alice, at: "2026-02-01T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "main")
        repo.write("README.md", "x\n")
        repo.commitSigned("Readme", by: .alice, at: "2026-02-02T10:00:00Z", key: alice)
        startMerge(repo, "accept")
        repo.write("risks/risk-1.yaml", acceptedRisk().components(separatedBy: "acceptance:")[0])
        let merge = repo.commit("Merge branch 'accept'", by: .bob, at: "2026-02-03T10:00:00Z")
        XCTAssertEqual(
            unsignedDecisions(repo).compactMap { $0["message"] as? String },
            ["acceptance of RISK-1 was removed by commit \(merge.prefix(10)) (Bob Example, 2026-02-03), which is unsigned"])
    }
}
