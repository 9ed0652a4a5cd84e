import GitKit
import ISMSModel

/// A risk to be reduced by controls none of which operates or is planned with a future due date.
public struct IneffectiveTreatmentRule: Rule {
    public init() {}

    package static let risk = exampleRisk("treatment: reduce\ncontrols: [CTRL-1, CTRL-2]\n")
    package static let retired = ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Flood sensors\nowner: alice\nstatus: retired\n")
    package static func planned(due: String) -> (String, String) {
        ("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Raised floor\nowner: alice\nstatus: planned\ndue: \(due)\n")
    }

    public static let definition = RuleDescription(
        id: "ineffective-treatment",
        severity: .error,
        summary: "A risk with treatment reduce none of whose controls is operating, or planned with a due date still to come.",
        rationale: """
            A risk is reduced by controls that operate (8.3), or will be by controls on their way, with a date. A risk \
            "reduced" only by retired controls, by controls implemented but not yet operating, or by plans whose date has \
            passed is not being treated, whatever its treatment says.
            """,
        fix: "Bring a control into operation, plan one with a due date, or change the treatment.",
        failing: RuleExample([risk, retired, planned(due: "2026-09-01")]),
        passing: RuleExample([risk, retired, planned(due: "2027-03-01")])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.risk).compactMap { risk in
            let ids = risk.list("controls").map(\.value)
            guard risk.string("treatment") == "reduce", !ids.isEmpty else { return nil }
            let controls = ids.compactMap { context.record($0) }.filter { $0.kind == .control }
            // A link that resolves to nothing is broken-link's finding, not this one.
            guard controls.count == ids.count else { return nil }
            let effective = controls.contains { control in
                switch control.string("status") {
                case "operating": return true
                case "planned": return (control.date("due").map { $0 >= context.asOf }) ?? false
                default: return false
                }
            }
            guard !effective else { return nil }
            let states = controls.map {
                "\($0.id) \($0.string("status") ?? "without status")\($0.date("due").map { " (due \($0))" } ?? "")"
            }
            return finding(
                "risk \(risk.id) is to be reduced, but none of its controls operates or is planned with a due date to come: "
                    + listed(states), in: risk, field: "controls")
        }
    }
}
