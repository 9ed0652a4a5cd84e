/// A decision whose current value was set by a commit without a good signature, when decisions must be signed.
public struct UnsignedDecisionRule: Rule {
    public init() {}

    static let risk = """
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
    static let config = RuleExample.defaultConfig + "require_signed_decisions: true\n"

    public static let definition = RuleDescription(
        id: "unsigned-decision",
        severity: .error,
        summary: "A decision field whose current value was set by a commit without a good signature (with require_signed_decisions: true).",
        rationale: """
            A treatment, an acceptance or a control's status is a management decision an auditor traces to a person. \
            The commit's author is whatever the committer typed; a good signature, by a key the allowed-signers file of \
            the trusted revision lists, proves who made the change. Which fields are decisions is set by decision_fields \
            in isms.yaml. The rule runs only when isms.yaml sets require_signed_decisions: true.
            """,
        fix: """
            Have the decision made again in a signed commit (git commit -S with gpg.format=ssh and the person's key in \
            .isms/allowed_signers at the trusted revision), or add the signer's key if the signature is unknown-key.
            """,
        failing: RuleExample(commits: [
            ExampleCommit("alice", "2026-01-12", "Accept the office flood risk", [("isms.yaml", config), ("risks/risk-1.yaml", risk)]),
        ]),
        passing: RuleExample(commits: [
            ExampleCommit("alice", "2026-01-12", "Accept the office flood risk", signed: true, [("isms.yaml", config), ("risks/risk-1.yaml", risk)]),
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
                findings.append(finding("\(names) of \(record.id) \(fields.count == 1 ? "was" : "were") set by commit \(commit.reference), "
                                        + GovernanceRules.describe(verdict), in: record, field: fields[0]))
            }
        }
        return findings
    }
}
