import Foundation
import XCTest

/// The history rules on real repositories, beyond their own examples: where they stay silent, what they
/// compare with, and how trust is taken in a pull request.
final class GovernanceTests: XCTestCase {
    let alice = TestKeys.ed25519, bob = TestKeys.p256, carol = TestKeys.p384, mallory = TestKeys.stranger

    func acceptedRisk(
        likelihood: Int = 2, impact: Int = 2, approvedBy: String = "alice", approvedOn: String = "2026-01-10",
        treatment: String = "accept"
    ) -> String {
        """
        id: RISK-1
        title: Office flood
        owner: alice
        likelihood: \(likelihood)
        impact: \(impact)
        treatment: \(treatment)
        acceptance:
          approved_by: \(approvedBy)
          approved_on: \(approvedOn)
          expires: 2027-01-10
          rationale: Third floor, no servers on site.

        """
    }

    /// A repository with the default roster plus `settings`, and alice, bob and carol's keys trusted by a first
    /// commit Alice signs (unless `committed` is false: then nothing is committed yet).
    func repository(_ settings: String = "", committed: Bool = true) -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + settings)
        repo.write(
            ".isms/allowed_signers",
            [
                alice.allowedSigner("alice@example.com"), bob.allowedSigner("bob@example.com"),
                carol.allowedSigner("carol@example.com"),
            ].joined(separator: "\n") + "\n")
        if committed { repo.commitSigned("Trust the team", by: .alice, at: "2026-01-01T10:00:00Z", key: alice) }
        return repo
    }

    /// `isms check --format json` in `repo` (plus `extra`), decoded; the findings of the history rules only.
    func historyFindings(_ repo: GitRepository, _ extra: [String] = [], in folder: String? = nil) -> [[String: Any]] {
        let result = isms(["check", "--format", "json", "--as-of", "2026-12-01"] + extra, in: folder ?? repo.path)
        XCTAssertNotEqual(result.status, 2, result.stderr)
        let document = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        let ids = Set([
            "unsigned-decision", "unproven-approval", "self-approved-acceptance", "acceptance-invalidated", "backdated-record",
            "decision-without-reference", "bad-signature", "allowed-signers-changed",
        ])
        return (document["findings"] as? [[String: Any]] ?? []).filter { ids.contains($0["rule"] as? String ?? "") }
    }

    func rules(_ findings: [[String: Any]]) -> [String] { findings.map { $0["rule"] as? String ?? "?" } }

    // MARK: Where they are silent

    func testSilentOutsideGitAndBeforeTheFirstCommit() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig + "require_signed_decisions: true\n")
        folder.write("risks/risk-1.yaml", acceptedRisk(approvedBy: "alice"))
        let outside = isms(["check", "--as-of", "2026-12-01"], in: folder.path)
        XCTAssertEqual(outside.status, 0, outside.stdout + outside.stderr)

        let unborn = repository("require_signed_decisions: true\n", committed: false)
        unborn.write("risks/risk-1.yaml", acceptedRisk(approvedBy: "alice"))
        XCTAssertEqual(historyFindings(unborn).count, 0)
        XCTAssertEqual(isms(["check", "--as-of", "2026-12-01"], in: unborn.path).status, 0)
    }

    func testAnUncommittedValueIsNotJudgedYet() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.commitSigned("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        XCTAssertEqual(historyFindings(repo).count, 0)
        // Edited on disk, then staged: no commit set the new impact yet, so nothing judges it.
        repo.write("risks/risk-1.yaml", acceptedRisk(impact: 3))
        XCTAssertEqual(historyFindings(repo).count, 0)
        repo.git("add", "-A")
        XCTAssertEqual(historyFindings(repo, ["--staged"]).count, 0)
        // Committed unsigned, it is.
        repo.commit("Raise the impact", by: .bob, at: "2026-02-01T10:00:00Z")
        let findings = historyFindings(repo)
        XCTAssertEqual(Set(rules(findings)), ["unsigned-decision", "acceptance-invalidated"])
        let unsigned = findings.filter { $0["rule"] as? String == "unsigned-decision" }
        XCTAssertEqual(unsigned.count, 1)
        let message = unsigned.first?["message"] as? String ?? ""
        let commit = String(repo.git("rev-parse", "HEAD").prefix(10))
        XCTAssertEqual(message, "impact of RISK-1 was set by commit \(commit) (Bob Example, 2026-02-01), which is unsigned")
        XCTAssertEqual(unsigned.first?["line"] as? Int, 5)
    }

    // MARK: Trust in a pull request

    func testAPullRequestThatTrustsItsOwnKeyIsNotTrusted() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.commitSigned("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "pull-request")
        let signers = repo.folder.read(".isms/allowed_signers")!
        repo.write(".isms/allowed_signers", signers + mallory.allowedSigner("mallory@example.com") + "\n")
        repo.write(
            "risks/risk-1.yaml", acceptedRisk(approvedOn: "2026-03-01").replacingOccurrences(of: "likelihood: 2", with: "likelihood: 1"))
        repo.commitSigned("Lower the likelihood; trust my key", by: .alice, at: "2026-03-01T10:00:00Z", key: mallory)

        let base = historyFindings(repo, ["--base", "main"])
        XCTAssertEqual(Set(rules(base)), ["unsigned-decision", "allowed-signers-changed"], "\(base)")
        let unsigned = base.first { $0["rule"] as? String == "unsigned-decision" }?["message"] as? String ?? ""
        XCTAssertTrue(unsigned.contains("signed by a key that is not trusted (\(mallory.fingerprint))"), unsigned)
        let changed = base.first { $0["rule"] as? String == "allowed-signers-changed" }
        XCTAssertEqual(changed?["path"] as? String, ".isms/allowed_signers")
        XCTAssertTrue((changed?["message"] as? String ?? "").contains("(unknown-key)"))
        XCTAssertEqual(isms(["check", "--base", "main", "--as-of", "2026-12-01"], in: repo.path).status, 1)

        // Trusting the pull request itself makes its signature good, but the change to the trust is still judged
        // against the file before it.
        XCTAssertEqual(rules(historyFindings(repo, ["--base", "main", "--trust-ref", "pull-request"])), ["allowed-signers-changed"])
    }

    /// One unsigned commit set two decisions; a pull request re-decides one of them, signed. The other's finding is
    /// the base's, now worded for one field: the gate must not report it as the pull request's.
    func testReDecidingOneOfTwoFieldsOfAnUnsignedCommitIsNotBlamedOnThePullRequest() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.commitSigned("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.write("risks/risk-1.yaml", acceptedRisk(likelihood: 3, impact: 3))
        repo.commit("Raise likelihood and impact", by: .bob, at: "2026-02-01T10:00:00Z")
        let base = historyFindings(repo).filter { $0["rule"] as? String == "unsigned-decision" }
        XCTAssertEqual(base.count, 1, "\(base)")
        XCTAssertTrue((base.first?["message"] as? String ?? "").contains(" and "), "\(base)")

        repo.git("checkout", "-q", "-b", "pull-request")
        repo.write("risks/risk-1.yaml", acceptedRisk(likelihood: 3, impact: 4))
        repo.commitSigned("Impact 4", by: .alice, at: "2026-03-01T10:00:00Z", key: alice)
        let signed = historyFindings(repo, ["--base", "main"]).filter { $0["rule"] as? String == "unsigned-decision" }
        XCTAssertEqual(signed.count, 0, "\(signed)")

        // The same re-decision unsigned is the pull request's own finding, and only that one is new.
        repo.git("reset", "-q", "--hard", "main")
        repo.write("risks/risk-1.yaml", acceptedRisk(likelihood: 3, impact: 4))
        repo.commit("Impact 4, unsigned", by: .carol, at: "2026-03-01T10:00:00Z")
        let unsigned = historyFindings(repo, ["--base", "main"]).filter { $0["rule"] as? String == "unsigned-decision" }
        XCTAssertEqual(unsigned.map { $0["message"] as? String ?? "" }.count, 1, "\(unsigned)")
        XCTAssertTrue((unsigned.first?["message"] as? String ?? "").hasPrefix("impact of RISK-1 was set by commit "), "\(unsigned)")
        XCTAssertTrue((unsigned.first?["message"] as? String ?? "").contains("Carol Example"), "\(unsigned)")
    }

    func testTheAllowedSignersFileJudgedAgainstItsParent() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")
        repo.commit("Start without signatures", at: "2026-01-05T10:00:00Z")
        // Created later by a commit signed with a key it lists: the bootstrap is accepted.
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        repo.commitSigned("Trust Alice", by: .alice, at: "2026-01-06T10:00:00Z", key: alice)
        XCTAssertEqual(historyFindings(repo).count, 0)
        // Bob, not yet trusted, adds himself on a branch; merged by Alice with a signed merge.
        repo.git("checkout", "-q", "-b", "bob")
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n" + bob.allowedSigner("bob@example.com") + "\n")
        let bobs = repo.commitSigned("Trust Bob", by: .bob, at: "2026-01-07T10:00:00Z", key: bob)
        repo.git("checkout", "-q", "main")
        repo.write("README.md", "x\n")
        repo.commit("Unrelated", at: "2026-01-08T10:00:00Z")
        repo.gitArguments(
            [
                "-c", "gpg.format=ssh", "-c", "user.signingkey=\(alice.privateKey)", "merge", "-q", "-S", "--no-ff", "-m", "Merge Bob",
                "bob",
            ],
            environment: repo.identity(.alice, "2026-01-09T10:00:00Z"))
        let findings = historyFindings(repo)
        XCTAssertEqual(rules(findings), ["allowed-signers-changed"], "only Bob's own commit, not the merge that took it")
        XCTAssertTrue((findings.first?["message"] as? String ?? "").contains(String(bobs.prefix(10))))
        // Deleting the file unsigned is a change too.
        repo.remove(".isms/allowed_signers")
        repo.commit("Remove the signers", at: "2026-01-10T10:00:00Z")
        XCTAssertEqual(historyFindings(repo).compactMap { $0["message"] as? String }.filter { $0.contains("was deleted") }.count, 1)
    }

    // MARK: The rules' own logic

    /// Issue 13: the approver recording her own acceptance, signed, is the proof an auditor wants, not a fault;
    /// an approval recorded in someone else's name, or unsigned, is unproven.
    func testAnApprovalIsProvenByTheApproversOwnSignature() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk(approvedBy: "carol"))
        repo.commitSigned("Accept the flood risk", by: .carol, at: "2026-01-12T10:00:00Z", key: carol)
        XCTAssertEqual(rules(historyFindings(repo)), [], "carol signed her own acceptance")
        // Alice records an exception in Bob's name, signed by herself.
        repo.write(
            "exceptions/exc-1.yaml",
            "id: EXC-1\ntitle: Legacy VPN\nowner: alice\nrisk: RISK-1\nreason: Vendor migration\napproved_by: bob\nexpires: 2027-01-01\n")
        repo.commitSigned("Grant the VPN exception", by: .alice, at: "2026-01-13T10:00:00Z", key: alice)
        var findings = historyFindings(repo)
        XCTAssertEqual(rules(findings), ["unproven-approval"])
        XCTAssertTrue((findings.first?["message"] as? String ?? "").contains("signed by alice@example.com, not by bob"), "\(findings)")
        // Bob records Carol's approval, unsigned: still unproven (and an unsigned decision).
        repo.write(
            "exceptions/exc-1.yaml",
            "id: EXC-1\ntitle: Legacy VPN\nowner: alice\nrisk: RISK-1\nreason: Vendor migration\napproved_by: carol\nexpires: 2027-01-02\n")
        repo.commit("Carol approves the VPN exception", by: .bob, at: "2026-01-14T10:00:00Z")
        findings = historyFindings(repo).filter { $0["rule"] as? String == "unproven-approval" }
        XCTAssertEqual(findings.count, 1)
        XCTAssertTrue((findings.first?["message"] as? String ?? "").contains("which is unsigned"), "\(findings)")
        // Without require_signed_decisions the rule says nothing.
        repo.write("isms.yaml", minimalConfig)
        repo.commitSigned("Signatures are not required", by: .alice, at: "2026-01-15T10:00:00Z", key: alice)
        XCTAssertEqual(historyFindings(repo).filter { $0["rule"] as? String == "unproven-approval" }.count, 0)
    }

    /// The verdict is set between commas: "that recorded it is which is unsigned" read the describing clause as a
    /// predicate.
    func testAnUnprovenApprovalSaysWhyInASentence() {
        let repo = repository("require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", acceptedRisk(approvedBy: "carol"))
        let commit = repo.commit("Accept the flood risk", by: .bob, at: "2026-01-12T10:00:00Z")
        let findings = historyFindings(repo).filter { $0["rule"] as? String == "unproven-approval" }
        XCTAssertEqual(
            findings.first?["message"] as? String,
            "the acceptance of RISK-1 names carol as approver, but commit \(commit.prefix(10)) (Bob Example, 2026-01-12), "
                + "which is unsigned, recorded it")
    }

    func testAChangeFromABranchTheApprovalDidNotSeeInvalidatesIt() {
        let repo = repository()
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.commit("Accept the flood risk", by: .alice, at: "2026-01-12T10:00:00Z")
        repo.git("checkout", "-q", "-b", "rescore")
        repo.write("risks/risk-1.yaml", acceptedRisk(impact: 4))
        repo.commit("Raise the impact", by: .bob, at: "2026-02-01T10:00:00Z")
        repo.git("checkout", "-q", "main")
        // Re-approved on main after the branch's change was made, but without having seen it.
        repo.write("risks/risk-1.yaml", acceptedRisk(approvedOn: "2026-02-10"))
        repo.commit("Carol approves again", by: .alice, at: "2026-02-10T10:00:00Z")
        XCTAssertEqual(historyFindings(repo).count, 0)
        repo.git("merge", "-q", "--no-edit", "rescore", environment: repo.identity(.alice, "2026-02-11T10:00:00Z"))
        XCTAssertEqual(repo.folder.read("risks/risk-1.yaml"), acceptedRisk(impact: 4, approvedOn: "2026-02-10"))
        let findings = historyFindings(repo)
        XCTAssertEqual(rules(findings), ["acceptance-invalidated"])
        XCTAssertTrue((findings.first?["message"] as? String ?? "").hasPrefix("impact of RISK-1 changed in commit "), "\(findings)")
        // Approving again after the merge settles it.
        repo.write("risks/risk-1.yaml", acceptedRisk(impact: 4, approvedOn: "2026-02-12"))
        repo.commit("Carol approves the new impact", by: .alice, at: "2026-02-12T10:00:00Z")
        XCTAssertEqual(historyFindings(repo).count, 0)
    }

    func testBackdateToleranceBoundary() {
        let repo = repository()
        repo.write("risks/risk-1.yaml", acceptedRisk(approvedOn: "2026-01-29"))
        repo.commit("Accept, 14 days late", by: .alice, at: "2026-02-12T10:00:00Z")
        XCTAssertEqual(historyFindings(repo).count, 0)
        repo.write("risks/risk-1.yaml", acceptedRisk(approvedOn: "2026-01-28"))
        repo.commit("Accept, 15 days late", by: .alice, at: "2026-02-12T11:00:00Z")
        let findings = historyFindings(repo)
        XCTAssertEqual(rules(findings), ["backdated-record"])
        XCTAssertTrue(
            (findings.first?["message"] as? String ?? "").hasPrefix("acceptance.approved_on 2026-01-28 of RISK-1 is 15 days before commit ")
        )
        repo.write("isms.yaml", minimalConfig + "backdate_tolerance_days: 15\n")
        XCTAssertEqual(historyFindings(repo).count, 0, "the setting is read from the work tree's isms.yaml")
    }

    func testDecisionFieldsAndReferencePattern() {
        let repo = repository(
            "require_signed_decisions: true\nreference_pattern: 'SEC-[0-9]+'\ndecision_fields:\n  risk: [treatment]\n  control: ['*']\n")
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.write("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: planned\n")
        repo.commit("Register\n\nDecided in the risk committee, SEC-12", by: .alice, at: "2026-01-12T10:00:00Z")
        let findings = historyFindings(repo)
        // Only treatment counts for risks, every field for controls; the body's reference is found.
        XCTAssertEqual(
            findings.map { "\($0["rule"] as? String ?? "") \($0["record"] as? String ?? "")" },
            ["unsigned-decision CTRL-1", "unsigned-decision RISK-1", "unproven-approval RISK-1"])
        XCTAssertTrue((findings[0]["message"] as? String ?? "").hasPrefix("id, title, owner and status of CTRL-1 were set by commit "))
        XCTAssertTrue((findings[1]["message"] as? String ?? "").hasPrefix("treatment of RISK-1 was set by commit "))
        repo.write("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: implemented\n")
        repo.commitSigned("Backups run", by: .alice, at: "2026-01-13T10:00:00Z", key: alice)
        XCTAssertEqual(
            Set(rules(historyFindings(repo).filter { $0["record"] as? String == "CTRL-1" })),
            ["decision-without-reference", "unsigned-decision"])
    }

    func testABadSignatureIsReportedOnTheRecordsItChangedEvenDeletedOnes() {
        let repo = repository()
        repo.write("risks/risk-1.yaml", acceptedRisk())
        repo.write("risks/risk-2.yaml", "id: RISK-2\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")
        let signed = repo.commitSigned("Register two risks", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.rewriteCommit(signed, as: "main") { $0.replacingOccurrences(of: "Register two risks", with: "Register 2 risks") }
        repo.git("reset", "-q", "--hard")
        repo.remove("risks/risk-2.yaml")
        repo.commit("Drop RISK-2", by: .bob, at: "2026-01-13T10:00:00Z")
        let findings = historyFindings(repo)
        XCTAssertEqual(findings.map { $0["record"] as? String }, ["RISK-1", "RISK-2"])
        XCTAssertEqual(findings.first { $0["record"] as? String == "RISK-2" }?["path"] as? String, "risks/risk-2.yaml")
        XCTAssertTrue(findings.first { $0["record"] as? String == "RISK-2" }?["line"] is NSNull)
        XCTAssertTrue(
            (findings.first?["message"] as? String ?? "").contains(
                "carries a signature that does not verify (the signature does not match the commit)"))
    }

    /// example-isms is checked with this repository's own history: it must pass as it is (docs/signatures.md
    /// says why backdated-record is off there).
    func testExampleISMSPassesWithThisRepositorysHistory() {
        let result = isms(["check", "--root", "example-isms", "--as-of", "2026-12-01", "--no-cache"], in: repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix("261 records checked: 0 errors, 0 warnings, 0 notes\n"), result.stdout)
    }
}
