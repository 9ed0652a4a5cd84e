import GitKit
import ISMSModel

/// A residual or target score above the inherent one.
public struct ResidualAboveInherentRule: Rule {
    public init() {}

    package static func risk(residual: String) -> (String, String) {
        exampleRisk("likelihood: 3\nimpact: 4\ntreatment: reduce\ncontrols: [CTRL-1]\nresidual: \(residual)\n")
    }
    package static let control = (
        "controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Flood sensors\nowner: alice\nstatus: operating\nevery: yearly\n"
    )
    package static let evidence = (
        "evidence/ev-1.yaml", "id: EV-1\ntitle: Sensor test\ncontrol: CTRL-1\ncollected_on: 2026-06-01\nresult: pass\n"
    )

    public static let definition = RuleDescription(
        id: "residual-above-inherent",
        severity: .error,
        summary: "A risk whose residual or target likelihood or impact is above its inherent likelihood or impact.",
        rationale: """
            The inherent score is the risk before any control, the residual the risk with the controls that operate, the \
            target the risk once the planned ones do. Controls lower a risk; they never raise it. A residual above the \
            inherent score means one of the two is wrong, and every decision taken on them (acceptance, appetite) with it.
            """,
        fix: "Correct the inherent or the residual (target) score.",
        failing: RuleExample([risk(residual: "{likelihood: 5, impact: 4}"), control, evidence]),
        passing: RuleExample([risk(residual: "{likelihood: 1, impact: 4}"), control, evidence])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        var findings = [Finding]()
        for risk in context.records(.risk) {
            for part in ["residual", "target"] {
                let above = ["likelihood", "impact"].filter { axis in
                    guard let inherent = risk.integer(axis), let after = risk.integer("\(part).\(axis)") else { return false }
                    return after > inherent
                }
                guard let first = above.first else { continue }
                let detail = above.map { "\($0) \(risk.integer("\(part).\($0)") ?? 0) > \(risk.integer($0) ?? 0)" }
                findings.append(
                    finding(
                        "the \(part) score of risk \(risk.id) is above its inherent score (\(detail.joined(separator: ", ")))",
                        in: risk, field: "\(part).\(first)"))
            }
        }
        return findings
    }
}
