import GitKit
import ISMSModel

/// A risk acceptance that runs longer than the risk method allows for its level.
public struct AcceptanceTooLongRule: Rule {
    public init() {}

    package static func risk(expires: String) -> (String, String) {
        exampleRisk(
            """
            likelihood: 2
            impact: 2
            treatment: accept
            acceptance:
              approved_by: carol
              approved_on: 2026-01-10
              expires: \(expires)
              rationale: Third floor, no servers on site.

            """)
    }

    public static let definition = RuleDescription(
        id: "acceptance-too-long",
        severity: .error,
        summary:
            "A risk acceptance whose expires lies further after approved_on than risk_method.max_acceptance_days allows (default 730).",
        rationale: """
            An acceptance is a decision about the risk as it was: threats, assets and the business change. The risk method \
            sets how long a decision may stand before it is taken again (6.1.2, 8.2); an acceptance for ten years is no \
            decision at all. The limit is per level of the risk (its residual score, else its inherent one), by default two \
            years for every level.
            """,
        fix: "Shorten expires to within the limit, and re-accept the risk when it lapses.",
        failing: RuleExample([risk(expires: "2036-01-10")]),
        passing: RuleExample([risk(expires: "2027-01-10")])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let method = context.method
        return context.records(.risk).compactMap { risk in
            guard let approved = risk.date("acceptance.approved_on"), let expires = risk.date("acceptance.expires") else { return nil }
            let level = method.currentLevel(of: risk)
            let limit = method.maxAcceptance(level: level)
            let days = approved.days(until: expires)
            guard days > limit else { return nil }
            let at = level.map { " at level \(method.levelName($0))" } ?? ""
            return finding(
                "the acceptance of risk \(risk.id) runs \(days) days, from \(approved) to \(expires); the risk method allows "
                    + "\(limit)\(at)", in: risk, field: "acceptance.expires")
        }
    }
}
