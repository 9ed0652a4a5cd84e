/// A risk acceptance or an exception approved by the person who wrote the approval into the register.
public struct SelfApprovedAcceptanceRule: Rule {
    public init() {}

    static func risk(approvedBy: String) -> String {
        """
        id: RISK-1
        title: Office flood
        owner: alice
        treatment: accept
        acceptance:
          approved_by: \(approvedBy)
          approved_on: 2026-01-10
          expires: 2027-01-10
          rationale: Third floor, no servers on site.

        """
    }

    public static let definition = RuleDescription(
        id: "self-approved-acceptance",
        severity: .error,
        summary: "The commit that set a risk's acceptance.approved_by or an exception's approved_by was authored or signed by that same person.",
        rationale: """
            Accepting a risk or approving an exception needs two people: one who asks and one who approves (four eyes). \
            When the approver writes their own name into approved_by, the register shows no second person: the \
            acceptance is self-approved. People are matched through the roster: approved_by is a roster key, the \
            commit's author by e-mail, its signer by the allowed-signers principal.
            """,
        fix: """
            Let someone other than the approver record the approval (the risk owner, say), with the approver's consent \
            visible in the review of that change; or have another person approve.
            """,
        failing: RuleExample(commits: [
            ExampleCommit("carol", "2026-01-12", "Accept the office flood risk", [("risks/risk-1.yaml", risk(approvedBy: "carol"))]),
        ]),
        passing: RuleExample(commits: [
            ExampleCommit("alice", "2026-01-12", "Accept the office flood risk, approved by Carol", [("risks/risk-1.yaml", risk(approvedBy: "carol"))]),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        guard let governance = context.governance else { return [] }
        let people = context.config.people
        var findings = [Finding]()
        for record in context.records(.risk) + context.records(.exception) {
            let field = record.kind == .risk ? "acceptance.approved_by" : "approved_by"
            guard let approver = record.string(field), let commit = governance.setter(of: field, in: record) else { continue }
            let approverIDs = Self.identities(approver, people: people)
            let verdict = governance.signature(commit.id)
            var how = [String]()
            if !approverIDs.isDisjoint(with: Self.identities(commit.author.email, people: people)) { how.append("authored") }
            if let principal = verdict.principal, verdict.status == .good || verdict.status == .expiredKey,
               !approverIDs.isDisjoint(with: Self.identities(principal, people: people)) {
                how.append("signed")
            }
            guard !how.isEmpty else { continue }
            let what = record.kind == .risk ? "the acceptance of \(record.id)" : "exception \(record.id)"
            findings.append(finding("\(what) is approved by \(approver), and commit \(commit.reference) that recorded the approval was "
                                    + "\(how.joined(separator: " and ")) by \(approver) too", in: record, field: field))
        }
        return findings
    }

    /// Every name a person goes by: the text itself, and through the roster their key and e-mail (lower case).
    static func identities(_ text: String, people: [String: Person]) -> Set<String> {
        let lowered = text.lowercased()
        var ids: Set<String> = [lowered]
        for person in people.values where person.key.lowercased() == lowered || person.email?.lowercased() == lowered {
            ids.insert(person.key.lowercased())
            if let email = person.email { ids.insert(email.lowercased()) }
        }
        return ids
    }
}
