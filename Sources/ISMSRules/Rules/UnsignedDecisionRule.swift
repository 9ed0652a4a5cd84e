import GitKit
import ISMSModel

/// A decision whose current value was set, or whose removal was made, by a commit without a good signature, when
/// decisions must be signed.
public struct UnsignedDecisionRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits
    public static func isActive(in config: Config) -> Bool { config.requireSignedDecisions }

    package static let risk = """
        id: RISK-1
        title: Office flood
        owner: alice
        review: {last: 2026-06-01, every: yearly}
        treatment: accept
        acceptance:
          approved_by: alice
          approved_on: 2026-01-10
          expires: 2027-01-10
          rationale: Third floor, no servers on site.

        """
    package static let config = RuleExample.defaultConfig + "require_signed_decisions: true\n"

    public static let definition = RuleDescription(
        id: "unsigned-decision",
        severity: .error,
        summary:
            "A decision field whose current value was set, or whose removal was made, by a commit without a good signature (with require_signed_decisions: true).",
        rationale: """
            A treatment, an acceptance or a control's status is a management decision an auditor traces to a person. \
            The commit's author is whatever the committer typed; a good signature, by a key the allowed-signers file of \
            the trusted revision lists, proves who made the change. Which fields are decisions is set by decision_fields \
            in isms.yaml. Removing a decision is a decision too: a record deleted (or moved out of its kind's folder, or \
            renamed to a name not read as a record) and a decision field removed from a record are judged by the commit \
            that removed them, as long as the removal stands. A merge is judged by what it produced: a value no parent's \
            side explains (an edit during the merge, a conflict resolved either way, a branch's change dropped) was set by \
            the merge commit (docs/history.md). The ISMS-level decisions in isms.yaml are judged the same way: the scope \
            and each soa_exclusions entry with its justification, by the commit that set its current value or removed \
            an exclusion that is still absent. The rule runs only when isms.yaml sets require_signed_decisions: true.
            """,
        fix: """
            Have the decision made again in a signed commit (git commit -S with gpg.format=ssh and the person's key in \
            .isms/allowed_signers at the trusted revision), or add the signer's key if the signature is unknown-key.
            """,
        failing: RuleExample(commits: [
            ExampleCommit("alice", "2026-01-12", "Accept the office flood risk", [("isms.yaml", config), ("risks/risk-1.yaml", risk)])
        ]),
        passing: RuleExample(commits: [
            ExampleCommit(
                "alice", "2026-01-12", "Accept the office flood risk", signed: true, [("isms.yaml", config), ("risks/risk-1.yaml", risk)])
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        guard context.config.requireSignedDecisions, let governance = context.governance else { return [] }
        var findings = [Finding]()
        for record in context.isms.records {
            for (commit, fields) in GovernanceRules.decisionsByCommit(record, config: context.config, governance: governance) {
                let verdict = governance.signature(commit.id)
                guard !verdict.isGood else { continue }
                let names = listed(fields)
                findings.append(
                    finding(
                        "\(names) of \(record.id) \(fields.count == 1 ? "was" : "were") set by commit \(commit.reference), "
                            + GovernanceRules.describe(verdict), in: record, field: fields[0]))
            }
        }
        // A removal is a decision too: deleting a risk or its acceptance must be signed like setting it.
        for removal in GovernanceRules.removals(in: context.isms, config: context.config, governance: governance) {
            let verdict = governance.signature(removal.commit.id)
            guard !verdict.isGood else { continue }
            let how = "by commit \(removal.commit.reference), " + GovernanceRules.describe(verdict)
            if let record = removal.record {
                let names = GovernanceRules.removedNames(removal.fields, of: record)
                findings.append(
                    finding(
                        "\(listed(names)) of \(record.id) \(names.count == 1 ? "was" : "were") removed \(how)",
                        in: record, field: removal.fields[0]))
            } else {
                findings.append(
                    Self.finding(
                        "\(removal.id) was deleted \(how)", path: removal.path, at: .start, record: removal.id,
                        field: removal.fields[0]))
            }
        }
        return findings + settingFindings(context, governance: governance)
    }

    /// The ISMS-level decisions of isms.yaml (scope, each SoA exclusion): the commit that set the checked value, or
    /// removed an exclusion that is still absent, must be signed like any decision.
    private func settingFindings(_ context: RuleContext, governance: GovernanceContext) -> [Finding] {
        let config = context.config
        let current = config.decisionValues
        var findings = [Finding]()
        for (field, decided) in governance.settingsLog().decisions.sorted(by: { $0.key < $1.key }) {
            // A value that differs from the committed one (an uncommitted edit) has no commit to judge yet.
            guard current[field] == decided.value else { continue }
            let verdict = governance.signature(decided.commit.id)
            guard !verdict.isGood else { continue }
            let how = "by commit \(decided.commit.reference), " + GovernanceRules.describe(verdict)
            let location =
                field == "scope"
                ? config.scopeLocation
                : config.soaExclusions.first { "soa_exclusions." + SettingsSnapshot.segment($0.annexA) == field }?.location
                    ?? config.soaExclusionsLocation
            findings.append(
                Self.finding(
                    "\(field) in isms.yaml was \(decided.value == nil ? "removed" : "set") \(how)",
                    path: SettingEntry.path, at: location ?? .start, field: field))
        }
        return findings
    }
}
