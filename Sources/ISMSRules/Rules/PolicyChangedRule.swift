import GitKit
import ISMSModel

/// A change to the policy — the settings and files that decide how a change is judged — in the commits under
/// review, not made by a commit with a good signature from a key the trusted revision trusts.
public struct PolicyChangedRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits

    package static let risk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
    package static let strict = RuleExample.defaultConfig + "require_signed_decisions: true\n"
    package static let relaxed = RuleExample.defaultConfig + "require_signed_decisions: true\nrules:\n  unsigned-decision: 'off'\n"

    public static let definition = RuleDescription(
        id: "policy-changed",
        severity: .error,
        summary:
            "A pull request changes the policy (rules, severities, trust files, roster, limits) without a good signature trusted at the base.",
        rationale: """
            The policy is every part of isms.yaml and of the repository that decides how a change is judged: rules and \
            their severities, require_signed_decisions, decision_fields, backdate_tolerance_days, reference_pattern, \
            evidence_grace_days, id_patterns, limits, the allowed-signers file and the OpenPGP keys (paths and content), \
            and each person's identity and role in people. With a trust revision (--trust-ref, by default BASE in \
            check --base and diff) the policy is read from there, never from the change, so a pull request cannot turn \
            off what judges it; this rule then reports each commit in TRUST..HEAD that changes the policy without a good \
            signature from a key the trust revision trusts, so the change is approved like any other decision before it \
            takes effect. A merge is judged by what it produced itself. When the trust revision trusts no key at all, \
            only changes that add keys are reported: a new key cannot vouch for itself. The rule is silent without a \
            trust revision.
            """,
        fix: """
            Have a person whose key the base trusts make the policy change in a signed commit (git commit -S), or sign \
            the existing commit again (git commit --amend -S) before it is merged. To start signing in a repository \
            that trusts no key yet, add the first keys in a commit of their own, reviewed and merged by the repository's \
            own branch protection.
            """,
        failing: RuleExample(
            commits: [
                ExampleCommit("alice", "2026-01-12", "Start the ISMS", signed: true, [("isms.yaml", strict), ("risks/risk-1.yaml", risk)]),
                ExampleCommit("bob", "2026-02-01", "Relax the signing rule", [("isms.yaml", relaxed)]),
            ], trustedCommits: 1),
        passing: RuleExample(
            commits: [
                ExampleCommit("alice", "2026-01-12", "Start the ISMS", signed: true, [("isms.yaml", strict), ("risks/risk-1.yaml", risk)]),
                ExampleCommit("alice", "2026-02-01", "Relax the signing rule", signed: true, [("isms.yaml", relaxed)]),
            ], trustedCommits: 1)
    )

    public func check(_ context: RuleContext) -> [Finding] {
        guard let governance = context.governance, let trusted = governance.trusted else { return [] }
        let trust = governance.verifier.trust
        let trustsNoKey = trust.allowedSigners.entries.isEmpty && trust.openPGPKeys.isEmpty
        var findings = [Finding]()
        for change in governance.settingsChanges() {
            let fields = change.policyFields
            guard !fields.isEmpty else { continue }
            let commit = change.commit
            let path = fields.allSatisfy({ SettingsSnapshot.isTrustFile($0) }) ? trust.allowedSignersPath : "isms.yaml"
            let what = Self.describe(fields, change)
            if trustsNoKey {
                guard change.addsKeys else { continue }
                findings.append(
                    finding(
                        "commit \(commit.reference) adds trusted keys (\(what)) while \(trusted.revision.name) trusts "
                            + "none: a new key cannot vouch for itself; have the first keys added in a commit of their "
                            + "own, reviewed and merged", path: path, field: fields[0]))
                continue
            }
            let verdict = governance.signature(commit.id)
            guard !verdict.isGood else { continue }
            findings.append(
                finding(
                    "policy changed by commit \(commit.reference), \(GovernanceRules.describe(verdict)): \(what); "
                        + "\(trusted.revision.name)'s policy applies until a key it trusts signs the change",
                    path: path, field: fields[0]))
        }
        return findings
    }

    private func finding(_ message: String, path: String, field: String) -> Finding {
        Self.finding(message, path: path, at: SourceLocation(line: 1, column: 1), field: field)
    }

    /// `rules.unsigned-decision 'error' → 'off', require_signed_decisions` — values shown only when short.
    package static func describe(_ fields: [String], _ change: SettingsChange) -> String {
        let shown = fields.prefix(6).map { field -> String in
            let old = change.old[field], new = change.new[field]
            guard (old?.count ?? 0) <= 40, (new?.count ?? 0) <= 40, !SettingsSnapshot.isTrustFile(field) else {
                return field + (old == nil ? " added" : new == nil ? " removed" : " changed")
            }
            return "\(field) \(old.map { "'\($0)'" } ?? "(unset)") → \(new.map { "'\($0)'" } ?? "(unset)")"
        }
        return shown.joined(separator: ", ") + (fields.count > 6 ? " and \(fields.count - 6) more" : "")
    }
}
