import GitKit
import ISMSModel

/// A risk accepted without a complete record of who accepted it, when, until when and why.
public struct IncompleteAcceptanceRule: Rule {
    public init() {}
    package static let parts = ["approved_by", "approved_on", "expires", "rationale"]

    public static let definition = RuleDescription(
        id: "incomplete-acceptance",
        severity: .error,
        summary: "A risk with treatment accept whose acceptance lacks approved_by, approved_on, expires or rationale.",
        rationale: """
            Accepting a risk is a decision only the risk owner or management may take (ISO 27001 6.1.3 f). An \
            auditor asks who accepted it, when, why the risk is acceptable, and until when the decision holds. \
            Without all four, `accept` is indistinguishable from leaving the risk untreated.
            """,
        fix: "Add an acceptance mapping with approved_by, approved_on, expires and rationale.",
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
                  approved_on: 2026-01-10

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
                  approved_on: 2026-01-10
                  expires: 2027-01-10
                  rationale: Third floor, no servers on site.

                """
            )
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.risk).compactMap { risk in
            guard risk.string("treatment") == "accept" else { return nil }
            let missing = Self.parts.filter { !risk.isWritten("acceptance." + $0) }
            guard !missing.isEmpty else { return nil }
            if missing.count == Self.parts.count && risk.objects["acceptance"] == nil {
                return finding(
                    "risk \(risk.id) (\(risk.title)) is accepted but has no acceptance: add \(listed(Self.parts))",
                    in: risk, field: "acceptance", at: risk.location(of: "treatment"))
            }
            return finding("the acceptance of risk \(risk.id) lacks \(listed(missing))", in: risk, field: "acceptance")
        }
    }
}
