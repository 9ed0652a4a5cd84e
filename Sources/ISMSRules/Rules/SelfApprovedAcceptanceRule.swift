import GitKit
import ISMSModel

/// An exception approved by the person who asked for it.
public struct SelfApprovedAcceptanceRule: Rule {
    public init() {}

    package static func exception(requestedBy: String) -> (String, String) {
        (
            "exceptions/exc-1.yaml",
            """
            id: EXC-1
            title: Legacy VPN without MFA
            owner: alice
            risk: RISK-1
            reason: The vendor ships MFA support in the next release.
            requested_by: \(requestedBy)
            approved_by: carol
            approved_on: 2026-10-01
            expires: 2027-03-31

            """
        )
    }
    package static let risk = exampleRisk("likelihood: 2\nimpact: 2\ntreatment: avoid\n")

    public static let definition = RuleDescription(
        id: "self-approved-acceptance",
        severity: .error,
        summary: "An exception whose requested_by is its approved_by.",
        rationale: """
            An exception needs two people: the one who asks to deviate and the one who approves it (four eyes). When \
            they are the same person nobody approved. People are matched through the roster (key or e-mail). Risks are \
            not judged here: their owners may accept risk within their authority (ISO/IEC 27001 6.1.3 f), which \
            acceptance-beyond-authority judges, and unproven-approval proves that the approver approved.
            """,
        fix: "Have the exception approved by someone other than the person who asked for it.",
        failing: RuleExample([exception(requestedBy: "carol"), risk]),
        passing: RuleExample([exception(requestedBy: "bob"), risk])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let people = context.config.people
        return context.records(.exception).compactMap { exception in
            guard let requester = exception.string("requested_by"), let approver = exception.string("approved_by"),
                !Self.identities(requester, people: people).isDisjoint(with: Self.identities(approver, people: people))
            else { return nil }
            return finding("exception \(exception.id) is approved by \(approver), who asked for it", in: exception, field: "approved_by")
        }
    }

    /// Every name a person goes by: the text itself, and through the roster their key and e-mail (lower case).
    package static func identities(_ text: String, people: [String: Person]) -> Set<String> {
        let lowered = text.lowercased()
        var ids: Set<String> = [lowered]
        for person in people.values where person.key.lowercased() == lowered || person.email?.lowercased() == lowered {
            ids.insert(person.key.lowercased())
            if let email = person.email { ids.insert(email.lowercased()) }
        }
        return ids
    }
}
