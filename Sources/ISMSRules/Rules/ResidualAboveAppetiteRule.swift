import GitKit
import ISMSModel

/// A risk above the appetite that is neither accepted nor planned to come down.
public struct ResidualAboveAppetiteRule: Rule {
    public init() {}

    package static func risk(_ extra: String) -> (String, String) {
        exampleRisk(
            "likelihood: 4\nimpact: 4\ntreatment: reduce\ncontrols: [CTRL-1, CTRL-2]\nresidual: {likelihood: 3, impact: 4}\n" + extra)
    }
    package static let files = [
        ("isms.yaml", riskMethodExampleConfig),
        ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Flood sensors\nowner: alice\nstatus: operating\nevery: yearly\n"),
        ("evidence/ev-1.yaml", "id: EV-1\ntitle: Sensor test\ncontrol: CTRL-1\ncollected_on: 2026-06-01\nresult: pass\n"),
        ("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Raised floor\nowner: alice\nstatus: planned\ndue: 2027-03-01\n"),
    ]

    public static let definition = RuleDescription(
        id: "residual-above-appetite",
        severity: .warning,
        summary: "A risk whose current level is above risk_method.appetite, neither accepted nor with a target at or below it.",
        rationale: """
            The appetite is the level of risk the organisation is prepared to carry (6.1.2 a). A risk above it needs a \
            decision: accept it (by someone with the authority for its level), or plan controls that bring it down, \
            written as its target score. A risk above the appetite with neither stands unmanaged. The current level is \
            the residual score, else the inherent one. Without an appetite the rule says nothing.
            """,
        fix: "Accept the risk, or plan controls and write the target score they bring it to.",
        failing: RuleExample(files + [risk("")]),
        passing: RuleExample(files + [risk("target: {likelihood: 2, impact: 4}\n")])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let method = context.method
        guard let appetite = method.appetite else { return [] }
        return context.records(.risk).compactMap { risk in
            guard let level = method.currentLevel(of: risk), level > appetite else { return nil }
            if risk.string("treatment") == "accept" && risk.isWritten("acceptance.approved_by") { return nil }
            if let l = risk.integer("target.likelihood"), let i = risk.integer("target.impact"),
                let target = method.level(likelihood: l, impact: i), target <= appetite
            {
                return nil
            }
            let field = risk.isWritten("residual") ? "residual" : "likelihood"
            return finding(
                "risk \(risk.id) stands at \(method.levelName(level)), above the appetite (\(method.levelName(appetite))), "
                    + "and is neither accepted nor has a target at or below it", in: risk, field: field)
        }
    }
}
