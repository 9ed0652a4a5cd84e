import GitKit
import ISMSModel

/// A risk without a treatment decision, or to be reduced by no control.
public struct UntreatedRiskRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "untreated-risk",
        severity: .error,
        summary: "A risk with no treatment, or to be reduced without any control.",
        rationale: """
            ISO 27001 (6.1.3) requires a treatment decision for every assessed risk. `reduce` promises controls: \
            a risk to be reduced that lists none is a decision with nothing behind it, and the chain from risk to \
            control to evidence starts nowhere. A risk with no treatment at all has not been decided.
            """,
        fix: "Set treatment (reduce, accept, transfer or avoid); for reduce, list the controls that reduce the risk.",
        failing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\ncontrols: []\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Disk encryption\nowner: alice\nstatus: planned\ndue: 2027-03-01\n"),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.risk).compactMap { risk in
            switch risk.string("treatment") {
            case nil where !risk.isWritten("treatment"):
                return finding(
                    "risk \(risk.id) (\(risk.title)) has no treatment decision (reduce, accept, transfer or avoid)",
                    in: risk, field: "treatment")
            case "reduce" where risk.list("controls").isEmpty:
                // Point at an empty list when there is one, else at the decision that promised controls.
                return finding(
                    "risk \(risk.id) (\(risk.title)) is to be reduced but lists no controls", in: risk, field: "controls",
                    at: risk.fields["controls"] == nil ? risk.location(of: "treatment") : nil)
            default:
                return nil
            }
        }
    }
}
