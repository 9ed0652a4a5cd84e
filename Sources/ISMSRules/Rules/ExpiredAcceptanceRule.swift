import GitKit
import ISMSModel

/// A risk acceptance past its expiry date.
public struct ExpiredAcceptanceRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "expired-acceptance",
        severity: .error,
        summary: "A risk acceptance whose expires date has passed.",
        rationale: """
            An acceptance is granted for a period because the risk and the business change. Once it expires \
            nobody has accepted the risk any more: the register claims a decision that no longer holds, and an \
            auditor will ask for the renewal. The acceptance is still valid on its expiry day.
            """,
        fix: "Review the risk: renew the acceptance with a new approved_on and expires, or choose another treatment.",
        failing: RuleExample([
            (
                "risks/risk-1.yaml",
                """
                id: RISK-1
                title: Office flood
                owner: alice
                review: {last: 2026-06-01, every: yearly}
                treatment: accept
                acceptance:
                  approved_by: carol
                  approved_on: 2025-06-30
                  expires: 2026-06-30
                  rationale: Third floor, no servers on site.

                """
            )
        ]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                """
                id: RISK-1
                title: Office flood
                owner: alice
                review: {last: 2026-06-01, every: yearly}
                treatment: accept
                acceptance:
                  approved_by: carol
                  approved_on: 2026-06-30
                  expires: 2027-06-30
                  rationale: Third floor, no servers on site.

                """
            )
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.risk).compactMap { risk in
            guard risk.string("treatment") == "accept", let expires = risk.date("acceptance.expires"), expires < context.asOf else {
                return nil
            }
            return finding(
                "the acceptance of risk \(risk.id) (\(risk.title)) expired on \(expires), \(daysAgo(expires, asOf: context.asOf))",
                in: risk, field: "acceptance.expires")
        }
    }
}
