import GitKit
import ISMSModel

/// A risk accepted by someone the risk method does not allow to accept its level.
public struct AcceptanceBeyondAuthorityRule: Rule {
    public init() {}

    package static func risk(approvedBy: String) -> (String, String) {
        exampleRisk(
            """
            likelihood: 5
            impact: 5
            treatment: accept
            acceptance:
              approved_by: \(approvedBy)
              approved_on: 2026-10-01
              expires: 2027-03-30
              rationale: The customer contract ends in November.

            """)
    }

    public static let definition = RuleDescription(
        id: "acceptance-beyond-authority",
        severity: .error,
        summary: "A risk accepted by someone whom risk_method.acceptance_authority does not allow to accept the risk's level.",
        rationale: """
            ISO/IEC 27001 6.1.3 f) has risk owners accept residual risk, within criteria the organisation set (6.1.2 a). \
            An auditor checks that the person who accepted a risk had the authority to accept that level: a critical risk \
            accepted by a team lead is not accepted. The level is the risk's current score (residual, else inherent); an \
            unscored risk counts as the highest level. A person may accept a level when acceptance_authority lists their \
            roster key or role for that level or a higher one. Without acceptance_authority anyone on the roster may accept.
            """,
        fix: "Have the acceptance approved by someone with the authority for the risk's level, or bring the risk down first.",
        failing: RuleExample([("isms.yaml", riskMethodExampleConfig), risk(approvedBy: "bob")]),
        passing: RuleExample([("isms.yaml", riskMethodExampleConfig), risk(approvedBy: "dana")])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let method = context.method
        guard method.acceptanceAuthority != nil else { return [] }
        return context.records(.risk).compactMap { risk in
            guard risk.string("treatment") == "accept", let approver = risk.string("acceptance.approved_by") else { return nil }
            let level = method.currentLevel(of: risk) ?? method.levels.count - 1
            guard !method.mayAccept(approver, level: level, people: context.config.people) else { return nil }
            let who = method.authorities(for: level)
            return finding(
                "\(approver) may not accept risk \(risk.id) at level \(method.levelName(level))"
                    + (who.isEmpty ? "" : "; acceptance_authority allows \(listed(who))"), in: risk, field: "acceptance.approved_by")
        }
    }
}
