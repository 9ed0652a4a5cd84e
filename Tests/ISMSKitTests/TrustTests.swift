import Foundation
import XCTest

@testable import ISMSKit

/// A pull request can never change the rules, keys, roster or limits that judge it: each attack below is made
/// on a branch by an untrusted contributor (mallory, whose key no one trusts) against a main whose first
/// commit alice signed, and judged as the Action does (`check --base main --fail-on all`).
final class TrustTests: XCTestCase {
    let alice = TestKeys.ed25519, bob = TestKeys.p256, carol = TestKeys.p384, mallory = TestKeys.stranger
    static let mallory = GitRepository.Person(name: "Mallory Example", email: "mallory@example.com")
    let strict = minimalConfig + "require_signed_decisions: true\n"

    func risk(treatment: String = "reduce", likelihood: Int = 3) -> String {
        """
        id: RISK-1
        title: Ransomware on file shares
        owner: alice
        likelihood: \(likelihood)
        impact: 4
        treatment: \(treatment)
        controls: [CTRL-1]

        """
    }
    let control = """
        id: CTRL-1
        title: Offline backups
        owner: bob
        status: planned
        due: 2027-03-01
        annex_a: [A.8.13]

        """

    /// main: alice's signed commit trusting alice, bob and carol, with `settings` and a risk; then a branch
    /// `pr` checked out, ready for the attacker's commits.
    func repository(_ settings: String = "require_signed_decisions: true\n", signers: Bool = true) -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + settings)
        if signers {
            repo.write(
                ".isms/allowed_signers",
                [
                    alice.allowedSigner("alice@example.com"), bob.allowedSigner("bob@example.com"),
                    carol.allowedSigner("carol@example.com"),
                ].joined(separator: "\n") + "\n")
        }
        repo.write("risks/risk-1.yaml", risk())
        repo.write("controls/ctrl-1.yaml", control)
        if signers {
            repo.commitSigned("Start the ISMS", by: .alice, at: "2026-01-05T10:00:00Z", key: alice)
        } else {
            repo.commit("Start the ISMS", by: .alice, at: "2026-01-05T10:00:00Z")
        }
        repo.git("checkout", "-q", "-b", "pr")
        return repo
    }

    /// The gate as the Action runs it: exit status and the findings' rules.
    func gate(_ repo: GitRepository, _ extra: [String] = []) -> (status: Int32, rules: [String], stderr: String) {
        let result = isms(
            ["check", "--base", "main", "--fail-on", "all", "--format", "json", "--as-of", "2026-12-01"] + extra, in: repo.path)
        let document = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        let rules = (document["findings"] as? [[String: Any]] ?? []).map { $0["rule"] as? String ?? "?" }
        return (result.status, rules.sorted(), result.stderr)
    }

    func attackerCommit(_ repo: GitRepository, _ message: String, signed: Bool = false) {
        if signed {
            repo.commitSigned(message, by: Self.mallory, at: "2026-02-01T10:00:00Z", key: mallory)
        } else {
            repo.commit(message, by: Self.mallory, at: "2026-02-01T10:00:00Z")
        }
    }

    // MARK: The scenarios of the issue

    func testTurningTheRuleOffInThePullRequestDoesNotTurnItOff() {
        let repo = repository()
        repo.write("isms.yaml", strict + "rules:\n  unsigned-decision: 'off'\n")
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Lower the likelihood")
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.rules.contains("unsigned-decision"), "\(result.rules)")
        XCTAssertTrue(result.rules.contains("policy-changed"), "\(result.rules)")
        // Without a trust revision (a plain check on the branch), the branch's own policy applies, as before.
        XCTAssertFalse(rules(isms(["check", "--format", "json", "--as-of", "2026-12-01"], in: repo.path)).contains("unsigned-decision"))
    }

    func testSwitchingSignedDecisionsOffInThePullRequestDoesNotSwitchThemOff() {
        let repo = repository()
        repo.write("isms.yaml", minimalConfig + "require_signed_decisions: false\n")
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Lower the likelihood")
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.rules, ["policy-changed", "unsigned-decision"])
    }

    func testAddingOwnKeyWhileTheRuleIsOffIsReported() {
        let repo = repository()
        repo.write("isms.yaml", strict + "rules:\n  allowed-signers-changed: 'off'\n")
        let signers = repo.folder.read(".isms/allowed_signers")!
        repo.write(".isms/allowed_signers", signers + mallory.allowedSigner("mallory@example.com") + "\n")
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Trust me", signed: true)
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.rules.contains("policy-changed"), "\(result.rules)")
        XCTAssertTrue(result.rules.contains("allowed-signers-changed"), "the head cannot turn it off: \(result.rules)")
        XCTAssertTrue(result.rules.contains("unsigned-decision"), "mallory's key is not trusted at the base: \(result.rules)")
    }

    func testPointingAllowedSignersAtANewFileIsReported() {
        let repo = repository()
        repo.write("isms.yaml", strict + "allowed_signers: .isms/mine\n")
        repo.write(".isms/mine", mallory.allowedSigner("mallory@example.com") + "\n")
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Use my own trust file", signed: true)
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.rules.contains("policy-changed"), "\(result.rules)")
        XCTAssertTrue(result.rules.contains("unsigned-decision"), "\(result.rules)")
    }

    func testDroppingAnOpenPGPKeyIntoTheKeyFolderIsReported() throws {
        try XCTSkipUnless(OpenPGPKey.available, "gpg is not installed")
        let repo = repository()
        let key = OpenPGPKey("Mallory Example <mallory@example.com>")
        repo.write(".isms/openpgp/mallory.asc", key.armoredPublicKey)
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        repo.commitSigned("Add my key", by: Self.mallory, at: "2026-02-01T10:00:00Z", openPGP: key)
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.rules.contains("policy-changed"), "\(result.rules)")
        XCTAssertTrue(result.rules.contains("unsigned-decision"), "\(result.rules)")
    }

    func testEditingARosterEmailDoesNotRelabelCommits() {
        let repo = repository()
        // Mallory makes her commits map to carol in the roster, then lowers the risk.
        repo.write("isms.yaml", strict.replacingOccurrences(of: "carol@example.com", with: "mallory@example.com"))
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Lower the likelihood")
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.rules, ["policy-changed", "unsigned-decision"])
        // The comment names roster people from the base: mallory's commit is not shown as carol's.
        let diff = isms(["diff", "main..HEAD", "--format", "json", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertFalse(diff.stdout.contains("\"carol\""), diff.stdout)
        let settings = (try? JSONSerialization.jsonObject(with: Data(diff.stdout.utf8))) as? [String: Any]
        let fields = (settings?["settings"] as? [[String: Any]] ?? []).map { "\($0["field"]!) \($0["policy"]!)" }
        XCTAssertEqual(fields, ["people.carol.email 1"])
    }

    func testLoweringTheLimitsDoesNotSkipTheHistoryRules() {
        let repo = repository()
        repo.write("isms.yaml", strict + "limits:\n  commits: 1\n")
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Lower the likelihood")
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.rules, ["policy-changed", "unsigned-decision"])
        XCTAssertFalse(result.stderr.contains("history rules were not run"), result.stderr)
    }

    func testLoweringTheFileSizeLimitDoesNotHideASignedVersion() {
        let repo = repository()
        // A signed decision on main, then the branch shrinks file_bytes so that the risk "cannot be read".
        repo.write("isms.yaml", strict + "limits:\n  file_bytes: 64\n")
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Lower the likelihood")
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.rules.contains("unsigned-decision"), "\(result.rules)")
        XCTAssertFalse(result.rules.contains("parse-error"), "the base's limit reads the records: \(result.rules)")
    }

    func testASecondUnsignedChangeIsNewThoughAnOldFindingExists() {
        let repo = repository()
        repo.git("checkout", "-q", "main")
        repo.write("risks/risk-1.yaml", risk(likelihood: 2))
        repo.commit("An old unsigned change", by: .bob, at: "2026-01-10T10:00:00Z")
        repo.git("checkout", "-q", "-B", "pr")
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Lower the likelihood again")
        let new = isms(["check", "--base", "main", "--format", "json", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(new.status, 1, "the new unsigned change must be new: " + new.stdout + new.stderr)
        XCTAssertTrue(rules(new).contains("unsigned-decision"))
    }

    func testAFirstTrustFileMadeByThePullRequestIsNotTrusted() {
        // main signs nothing and trusts no key; the pull request adds a trust file listing only its own key.
        let repo = repository("", signers: false)
        repo.write(".isms/allowed_signers", mallory.allowedSigner("mallory@example.com") + "\n")
        attackerCommit(repo, "Start signing with my key", signed: true)
        let result = gate(repo)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.rules, ["policy-changed"])
        // Other policy changes are not reported while no key is trusted: nothing could sign them.
        let quiet = repository("", signers: false)
        quiet.write("isms.yaml", minimalConfig + "evidence_grace_days: 3\n")
        attackerCommit(quiet, "More grace")
        XCTAssertEqual(gate(quiet).rules, [])
    }

    func testAPolicyChangeSignedByATrustedKeyPasses() {
        let repo = repository()
        repo.write("isms.yaml", strict + "evidence_grace_days: 7\n")
        repo.commitSigned("More grace", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        let result = gate(repo)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.rules, [])
    }

    func testAMergeThatProducesAPolicyValueIsItsAuthor() {
        let repo = repository("require_signed_decisions: true\nevidence_grace_days: 1\n")
        // A side branch bob signs changes the grace; the attacker's unsigned merge writes a value neither side had.
        repo.git("checkout", "-q", "-b", "side")
        repo.write("isms.yaml", strict + "evidence_grace_days: 2\n")
        repo.commitSigned("Grace 2", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.git("checkout", "-q", "pr")
        repo.write("controls/ctrl-1.yaml", control + "# touched\n")
        repo.commitSigned("Touch", by: .bob, at: "2026-02-02T10:00:00Z", key: bob)
        repo.git("merge", "-q", "--no-ff", "--no-commit", "side")
        repo.write("isms.yaml", strict + "evidence_grace_days: 30\n")
        repo.commit("Merge side", by: Self.mallory, at: "2026-02-03T10:00:00Z")
        let result = gate(repo)
        XCTAssertEqual(result.rules, ["policy-changed"], result.stderr)
        // A clean merge of the signed change is not the merge's own.
        let clean = repository("require_signed_decisions: true\nevidence_grace_days: 1\n")
        clean.git("checkout", "-q", "-b", "side")
        clean.write("isms.yaml", strict + "evidence_grace_days: 2\n")
        clean.commitSigned("Grace 2", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        clean.git("checkout", "-q", "pr")
        clean.write("controls/ctrl-1.yaml", control + "# touched\n")
        clean.commitSigned("Touch", by: .bob, at: "2026-02-02T10:00:00Z", key: bob)
        clean.git(
            "merge", "-q", "--no-ff", "-m", "Merge side", "side",
            environment: clean.identity(Self.mallory, "2026-02-03T10:00:00Z"))
        XCTAssertEqual(gate(clean).rules, [])
    }

    func testDiffListsPolicyChangesFirstInEveryFormat() throws {
        let repo = repository()
        repo.write(
            "isms.yaml",
            strict.replacingOccurrences(of: "name: Test ISMS", with: "name: Test ISMS\nscope: The SaaS platform")
                + "rules:\n  unsigned-decision: 'off'\n")
        for n in 2...40 { repo.write("assets/asset-\(n).yaml", "id: ASSET-\(n)\ntitle: Laptop \(n)\nowner: alice\n") }
        attackerCommit(repo, "Relax the rules and add laptops")
        let json = isms(["diff", "main..HEAD", "--format", "json", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let settings = try XCTUnwrap(document["settings"] as? [[String: Any]])
        XCTAssertEqual(settings.map { $0["field"] as? String }, ["rules.unsigned-decision", "scope"])
        XCTAssertEqual(settings.map { $0["policy"] as? Bool }, [true, false])
        XCTAssertTrue(settings[0]["old"] is NSNull)
        XCTAssertEqual(settings[0]["new"] as? String, "off")
        let commits = try XCTUnwrap(settings[0]["commits"] as? [[String: Any]])
        XCTAssertEqual((commits.first?["author"] as? [String: Any])?["email"] as? String, "mallory@example.com")
        XCTAssertEqual((commits.first?["signature"] as? [String: Any])?["status"] as? String, "unsigned")

        let text = isms(["diff", "main..HEAD", "--as-of", "2026-12-01"], in: repo.path).stdout
        let policyAt = try XCTUnwrap(text.range(of: "rules.unsigned-decision")).lowerBound
        XCTAssertLessThan(policyAt, try XCTUnwrap(text.range(of: "ASSET-2")).lowerBound, text)
        let markdown = isms(["diff", "main..HEAD", "--format", "markdown", "--as-of", "2026-12-01"], in: repo.path).stdout
        XCTAssertTrue(markdown.contains("Policy changes"), markdown)
        XCTAssertLessThan(
            try XCTUnwrap(markdown.range(of: "rules.unsigned-decision")).lowerBound,
            try XCTUnwrap(markdown.range(of: "ASSET-2")).lowerBound)
    }

    // MARK: Found by a red-team pass (each passed the gate before its fix)

    func testAnOctopusMergeThatRevivesAnOldPolicyIsItsAuthor() {
        let repo = repository()
        let old = repo.git("rev-parse", "HEAD")
        repo.git("checkout", "-q", "main")
        repo.write("isms.yaml", strict + "evidence_grace_days: 1\n")
        repo.commitSigned("Tighten", by: .alice, at: "2026-01-06T10:00:00Z", key: alice)
        let tip = repo.git("rev-parse", "HEAD")
        repo.git("checkout", "-q", "-B", "pr")
        repo.write("controls/ctrl-1.yaml", control + "# touched\n")
        repo.commit("Touch", by: Self.mallory, at: "2026-02-01T10:00:00Z")
        let touched = repo.git("rev-parse", "HEAD")
        // The octopus takes the old isms.yaml back from its oldest parent, undoing main's signed change.
        repo.write("isms.yaml", strict)
        repo.git("add", "-A")
        let tree = repo.git("write-tree")
        let merge = repo.git(
            "commit-tree", tree, "-p", touched, "-p", tip, "-p", old, "-m", "Merge",
            environment: repo.identity(Self.mallory, "2026-02-02T10:00:00Z"))
        repo.git("reset", "-q", "--hard", merge)
        XCTAssertTrue(gate(repo).rules.contains("policy-changed"), "\(gate(repo))")
    }

    func testTwoListsThatReadAlikeAreStillDifferentSettings() {
        let repo = repository("require_signed_decisions: true\ndecision_fields:\n  risk: [treatment, likelihood]\n")
        repo.write("isms.yaml", strict + "decision_fields:\n  risk: ['treatment, likelihood']\n")
        attackerCommit(repo, "Reformat a list")
        XCTAssertTrue(gate(repo).rules.contains("policy-changed"), "\(gate(repo))")
    }

    func testADottedKeyCannotPassForTheSettingItSpells() {
        let repo = repository("require_signed_decisions: true\nrules:\n  unknown-field: 'off'\n  unsigned-decision: error\n")
        repo.write("isms.yaml", strict + "rules:\n  unknown-field: 'off'\n  unsigned-decision: 'off'\n'rules.unsigned-decision': error\n")
        repo.write("risks/risk-1.yaml", risk(likelihood: 1))
        attackerCommit(repo, "Shuffle keys")
        let result = gate(repo)
        XCTAssertTrue(result.rules.contains("policy-changed"), "\(result)")
        XCTAssertTrue(result.rules.contains("unsigned-decision"), "\(result)")
    }

    func testARootReachedThroughALinkCannotBeJudgedAgainstABase() throws {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", strict)
        repo.write("isms/.isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        repo.write("isms/risks/risk-1.yaml", risk())
        repo.write("isms/controls/ctrl-1.yaml", control)
        repo.commitSigned("Start", by: .alice, at: "2026-01-05T10:00:00Z", key: alice)
        repo.git("checkout", "-q", "-b", "pr")
        repo.git("mv", "isms", "isms2")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/isms", withDestinationPath: "isms2")
        repo.write("isms2/isms.yaml", minimalConfig)
        repo.remove("isms2/.isms")
        attackerCommit(repo, "Tidy the layout")
        let result = isms(["check", "--root", "isms", "--base", "main", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(result.status, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("symbolic link"), result.stderr)
    }

    func testTheGateJudgesWhatIsCommittedNotWhatCheckoutWrote() {
        let repo = repository("require_signed_decisions: true\ndecision_fields:\n  risk: [title, treatment]\n")
        // `ident` makes checkout rewrite `$Id$` in the work tree, so the title on disk differs from its commit and
        // was skipped as "not committed yet".
        repo.write(".gitattributes", "*.yaml ident\n")
        repo.write("risks/risk-1.yaml", risk().replacingOccurrences(of: "title: Ransomware on file shares", with: "title: Ransomware $Id$"))
        attackerCommit(repo, "Retitle")
        repo.remove("risks/risk-1.yaml")
        repo.git("checkout", "--", "risks/risk-1.yaml")
        XCTAssertTrue(repo.folder.read("risks/risk-1.yaml")!.contains("$Id: "), "checkout applied the attribute")
        XCTAssertTrue(gate(repo).rules.contains("unsigned-decision"), "\(gate(repo))")
    }

    // MARK: Failing closed

    func testAHistoryOverTheTrustedLimitFailsClosed() {
        let repo = repository("require_signed_decisions: true\nlimits:\n  commits: 2\n")
        for day in 1...3 {
            repo.write("controls/ctrl-1.yaml", control + "# \(day)\n")
            repo.commitSigned("Touch \(day)", by: .bob, at: "2026-02-0\(day)T10:00:00Z", key: bob)
        }
        let result = isms(["check", "--base", "main", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertEqual(result.status, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("limits.commits"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        // A limit is a refusal with or without a trust revision.
        XCTAssertEqual(isms(["check", "--as-of", "2026-12-01"], in: repo.path).status, 2)
    }

    func testAShallowBoundaryInsideTheRangeFailsClosed() {
        let repo = repository()
        for day in 1...3 {
            repo.write("controls/ctrl-1.yaml", control + "# \(day)\n")
            repo.commitSigned("Touch \(day)", by: .bob, at: "2026-02-0\(day)T10:00:00Z", key: bob)
        }
        let clone = TemporaryFolder("isms-shallow")
        let cloned = runProcess(
            GitRepository.git, ["clone", "-q", "--depth", "2", "--no-single-branch", "file://" + repo.path, clone.path + "/c"])
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        let result = isms(["check", "--base", "origin/main", "--as-of", "2026-12-01"], in: clone.path + "/c")
        XCTAssertEqual(result.status, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("fetch"), result.stderr)
    }

    // MARK: The path-blob cache

    func testTheTrustFileHistoryIsRememberedAndADamagedCacheIsIgnored() throws {
        let repo = repository()
        repo.write(".isms/allowed_signers", mallory.allowedSigner("mallory@example.com") + "\n")
        attackerCommit(repo, "Trust me instead")
        func findings(_ extra: [String] = []) -> [String] {
            let result = isms(["check", "--format", "json", "--as-of", "2026-12-01"] + extra, in: repo.path)
            return rules(result).filter { $0 == "allowed-signers-changed" }
        }
        let uncached = findings(["--no-cache"])
        XCTAssertEqual(uncached, ["allowed-signers-changed"])
        XCTAssertEqual(findings(), uncached)
        let folder = repo.path + "/.git/isms"
        let file = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasPrefix("path-blobs-v1-") })
        XCTAssertEqual(findings(), uncached, "read back from the cache")
        // Cut short, or not ours: ignored and written anew, with the same answer.
        let data = try XCTUnwrap(FileManager.default.contents(atPath: folder + "/" + file))
        try data.prefix(data.count - 7).write(to: URL(fileURLWithPath: folder + "/" + file))
        XCTAssertEqual(findings(), uncached)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: folder + "/" + file))
        XCTAssertEqual(findings(), uncached)
        XCTAssertEqual(FileManager.default.contents(atPath: folder + "/" + file)?.count, data.count)
    }

    // MARK: Classification

    func testEverySettingIsClassified() {
        // Role and transfer are part of each declaration (Settings.swift); what can still go wrong is which
        // settings are decisions, a policy setting that transfers nothing, and a setting without a description.
        let names = Set(Config.settings.map(\.name))
        XCTAssertEqual(Set(Config.settingRoles.keys), names)
        let policy = Set(Config.settingRoles.filter { $0.value == .policy }.keys)
        XCTAssertEqual(Set(Config.policyTransferNames), policy, "every policy setting must be taken from the trusted revision")
        XCTAssertEqual(Set(Config.settingRoles.filter { $0.value == .decision }.keys), ["name", "scope", "soa_exclusions", "context"])
        XCTAssertTrue(Config.decisionSettings.allSatisfy { Config.settingRoles[$0] == .decision })
        func described(_ settings: [Setting], _ prefix: String) {
            for setting in settings {
                XCTAssertFalse((setting.summary ?? "").isEmpty, "describe \(prefix)\(setting.name)")
                if case .object(let children, _) = setting.type { described(children, prefix + setting.name + ".") }
            }
        }
        described(Config.settings, "")
        // The reader dispatches on the declarations: every declared key is read, any other is unknown.
        for name in names {
            let findings = (try? ConfigReader.read(Data("\(name): ~\n".utf8), path: "isms.yaml").1) ?? []
            XCTAssertFalse(findings.contains { $0.rule == "unknown-field" && $0.field == name }, name)
        }
        let unknown = try? ConfigReader.read(Data("scopes: x\n".utf8), path: "isms.yaml").1
        XCTAssertEqual(unknown?.map(\.message), ["unknown field 'scopes' in isms.yaml; did you mean 'scope'?"])
    }

    func testLoadStageNamesExactlyTheLoadStageRules() {
        // The model and the loader name these rules through LoadStage, as they sit below the rules layer.
        let loadStageRules = RuleRegistry.all.filter { $0 is any LoadStageRule }.map { type(of: $0).definition }
        XCTAssertEqual(Set(loadStageRules.map(\.id)), Set(LoadStage.allCases.map(\.id)))
        for rule in loadStageRules { XCTAssertEqual(rule.severity, LoadStage(rawValue: rule.id)?.severity, rule.id) }
        XCTAssertEqual(ConfigReader.ruleIDs, RuleRegistry.all.map { type(of: $0).id })
    }

    func testEveryLimitComesFromTheTrustedRevision() throws {
        let (trusted, _) = try configFrom(
            minimalConfig + "limits: {file_bytes: 5000, depth: 20, records: 300, commits: 400, tree_depth: 500, history_bytes: 60000}\n")
        let (head, _) = try configFrom(
            minimalConfig + "limits: {file_bytes: 1024, depth: 2, records: 1, commits: 1, tree_depth: 1, history_bytes: 1024}\n")
        let judged = head.applyingPolicy(of: trusted)
        XCTAssertEqual(
            [judged.maxFileBytes, judged.maxDepth, judged.maxRecords, judged.maxCommits, judged.maxTreeDepth, judged.maxHistoryBytes],
            [5000, 20, 300, 400, 500, 60000])
        // A limit added later must be listed here; InputLimit.all declares how it is read and transferred.
        guard case .object(let limits, _) = try XCTUnwrap(Config.settings.first { $0.name == "limits" }).type else { return XCTFail() }
        XCTAssertEqual(Set(limits.map(\.name)), ["file_bytes", "depth", "records", "commits", "tree_depth", "history_bytes"])
    }

    func testTheTrustedRosterKeepsIdentitiesAndRolesButAcceptsNewKeys() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        let (trusted, _) = try configFrom(minimalConfig)
        let (head, _) = try configFrom(
            minimalConfig.replacingOccurrences(of: "carol@example.com", with: "mallory@example.com")
                + "  dave: {name: Dave, email: dave@example.com, role: CEO}\n")
        let judged = head.applyingPolicy(of: trusted)
        XCTAssertEqual(judged.people["carol"]?.email, "carol@example.com")
        XCTAssertEqual(judged.people["dave"]?.name, "Dave")
        XCTAssertNil(judged.people["dave"]?.email, "a new person maps no commits until the base has them")
        XCTAssertNil(judged.people["dave"]?.role)
    }

    func rules(_ result: ProcessResult) -> [String] {
        let document = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (document["findings"] as? [[String: Any]] ?? []).map { $0["rule"] as? String ?? "?" }
    }

    func configFrom(_ text: String) throws -> (Config, Int) {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", text)
        let loaded = try Loader.load(from: WorkTreeSource(root: folder.path))
        return (loaded.isms.config, loaded.findings.count)
    }
}
