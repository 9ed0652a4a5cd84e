import GitKit
import ISMSHistory
import ISMSModel

/// A risk whose scoring or scope changed after its acceptance was approved, without a new approval.
public struct AcceptanceInvalidatedRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits
    /// What an acceptance was judged on: a change to any of these needs a new approval.
    package static let watched = ["likelihood", "impact", "description", "assets"]

    package static func risk(likelihood: Int, approvedOn: String) -> String {
        """
        id: RISK-1
        title: Office flood
        owner: alice
        review: {last: 2026-06-01, every: yearly}
        likelihood: \(likelihood)
        impact: 2
        treatment: accept
        acceptance:
          approved_by: carol
          approved_on: \(approvedOn)
          expires: 2027-01-10
          rationale: Third floor, no servers on site.

        """
    }

    public static let definition = RuleDescription(
        id: "acceptance-invalidated",
        severity: .error,
        summary:
            "A risk's likelihood, impact, description or assets changed after its acceptance was approved, and approved_on was not updated.",
        rationale: """
            An acceptance is a decision about the risk as it was described and scored when it was approved. Raising \
            the likelihood, the impact or the assets concerned afterwards leaves an approval that covers a different, \
            possibly larger risk. The history shows whether the approval (acceptance.approved_on) was renewed after \
            the change: a change the approval commit could not see (made after it, or on a branch merged later) \
            counts.
            """,
        fix: """
            Have the approver look at the changed risk again and record the new approval: update acceptance.approved_on \
            (and approved_by, if someone else approves). If the change lowered the risk, re-approving is still how the \
            register shows the acceptance was reviewed.
            """,
        failing: RuleExample(commits: [
            ExampleCommit(
                "alice", "2026-01-12", "Accept the office flood risk",
                [("risks/risk-1.yaml", risk(likelihood: 2, approvedOn: "2026-01-10"))]),
            ExampleCommit(
                "bob", "2026-03-01", "Flooding is more likely since the river works",
                [("risks/risk-1.yaml", risk(likelihood: 4, approvedOn: "2026-01-10"))]),
        ]),
        passing: RuleExample(commits: [
            ExampleCommit(
                "alice", "2026-01-12", "Accept the office flood risk",
                [("risks/risk-1.yaml", risk(likelihood: 2, approvedOn: "2026-01-10"))]),
            ExampleCommit(
                "bob", "2026-03-01", "Flooding is more likely; Carol accepts it again",
                [("risks/risk-1.yaml", risk(likelihood: 4, approvedOn: "2026-03-01"))]),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        guard let governance = context.governance else { return [] }
        var findings = [Finding]()
        for risk in context.records(.risk) {
            guard let approval = governance.setter(of: "acceptance.approved_on", in: risk) else { continue }
            // Newest first: the most recent change the approval did not see is the one reported.
            var changed = [String]()
            var by: CommitInfo?
            for field in Self.watched {
                if risk.fields[field] != nil {
                    if let setter = governance.setter(of: field, in: risk), !governance.isAncestor(setter.id, of: approval.id) {
                        changed.append(field)
                        if by == nil || setter.committer.time > by!.committer.time { by = setter }
                    }
                } else if let removal = governance.entries(risk.id).first(where: { entry in
                    entry.changes.contains { $0.field == field && $0.new == nil }
                        && !governance.isAncestor(entry.commit.id, of: approval.id)
                }) {
                    changed.append(field)
                    if by == nil || removal.commit.committer.time > by!.committer.time { by = removal.commit }
                }
            }
            guard let by, !changed.isEmpty else { continue }
            let day = risk.date("acceptance.approved_on").map { " of \($0)" } ?? ""
            findings.append(
                finding(
                    "\(listed(changed)) of \(risk.id) changed in commit \(by.reference) after its acceptance was approved "
                        + "(approved_on\(day), commit \(approval.reference)); have it approved again and update acceptance.approved_on",
                    in: risk, field: "acceptance.approved_on"))
        }
        return findings
    }
}
