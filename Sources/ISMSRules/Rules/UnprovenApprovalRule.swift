import GitKit
import ISMSModel

/// An approval whose commit carries no good signature by the approver.
public struct UnprovenApprovalRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits
    public static func isActive(in config: Config) -> Bool { config.requireSignedDecisions }

    package static let config = RuleExample.defaultConfig + "require_signed_decisions: true\n"
    package static let risk = """
        id: RISK-1
        title: Office flood
        owner: alice
        likelihood: 2
        impact: 2
        treatment: accept
        acceptance:
          approved_by: carol
          approved_on: 2026-01-10
          expires: 2027-01-10
          rationale: Third floor, no servers on site.
        review: {last: 2026-06-01, every: yearly}

        """

    public static let definition = RuleDescription(
        id: "unproven-approval",
        severity: .error,
        summary:
            "The commit that set a risk's acceptance.approved_by, an exception's approved_by or a document's approval (approved_on) has no good signature by that approver (with require_signed_decisions: true).",
        rationale: """
            What needs proving about an approval is that the approver approved. Anyone can type a name into approved_by; \
            the approver's own good signature on the commit that records it, by a key the trusted allowed-signers file \
            lists for them, proves it. The approver may well be the risk owner (6.1.3 f): recording one's own acceptance \
            is not a fault, approving in someone else's name is. A document is approved anew with each version: the commit \
            that set its current approved_on must carry the signature of its approved_by. People are matched through the roster: approved_by is a \
            roster key, the signer its allowed-signers principal (the person's e-mail). The rule runs only when isms.yaml \
            sets require_signed_decisions: true.
            """,
        fix: "Have the approver commit the approval signed with their own key (git commit -S), or sign a commit that sets it again.",
        failing: RuleExample(commits: [
            ExampleCommit(
                "alice", "2026-01-12", "Accept the office flood risk, approved by Carol", signed: true,
                [("isms.yaml", config), ("risks/risk-1.yaml", risk)])
        ]),
        passing: RuleExample(commits: [
            ExampleCommit(
                "carol", "2026-01-12", "Accept the office flood risk", signed: true, [("isms.yaml", config), ("risks/risk-1.yaml", risk)])
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        guard context.config.requireSignedDecisions, let governance = context.governance else { return [] }
        let people = context.config.people
        var findings = [Finding]()
        for record in context.records(.risk) + context.records(.exception) + context.records(.document) {
            let field = record.kind == .risk ? "acceptance.approved_by" : "approved_by"
            // A document is approved anew with each version, by the commit that set its approved_on (the approver
            // may be the same person as before, so the commit that set approved_by proves nothing new).
            let approving = record.kind == .document ? "approved_on" : field
            guard let approver = record.string(field), let commit = governance.setter(of: approving, in: record) else { continue }
            let verdict = governance.signature(commit.id)
            let approverIDs = SelfApprovedAcceptanceRule.identities(approver, people: people)
            if verdict.isGood, let principal = verdict.principal,
                !approverIDs.isDisjoint(with: SelfApprovedAcceptanceRule.identities(principal, people: people))
            {
                continue
            }
            let how =
                verdict.isGood ? "signed by \(verdict.principal ?? "someone else"), not by \(approver)" : GovernanceRules.describe(verdict)
            let what =
                switch record.kind {
                case .risk: "the acceptance of \(record.id)"
                case .document: "the approval of document \(record.id)"
                default: "exception \(record.id)"
                }
            findings.append(
                finding(
                    "\(what) names \(approver) as approver, but commit \(commit.reference), \(how), recorded it",
                    in: record, field: field))
        }
        return findings
    }
}
