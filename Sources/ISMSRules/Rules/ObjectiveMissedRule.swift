import GitKit
import ISMSModel

/// An objective past its due date whose newest measurement misses the target.
public struct ObjectiveMissedRule: Rule {
    public init() {}
    package static let objective =
        "id: OBJ-1\ntitle: Fewer phishing clicks\nowner: alice\nmeasure: Click rate of the quarterly phishing simulation\ntarget: {value: 5, comparison: at-most, unit: '%'}\ndue: 2026-09-30\nevery: quarterly\n"
    public static let definition = RuleDescription(
        id: "objective-missed",
        severity: .warning,
        summary: "An objective whose due date has passed and whose newest measured value misses the target.",
        rationale: """
            ISO 27001 6.2 and 9.3.2 d) 4 ask management to know whether the objectives were fulfilled. A missed \
            objective is not a nonconformity by itself, but it must be evaluated: met late, re-planned with a new due \
            date, or turned into a corrective action. The newest measurement on or before the as-of day counts; \
            target.comparison says whether the value must be at least or at most target.value.
            """,
        fix:
            "Evaluate the objective in the management review: set a new due date or target, or raise a nonconformity with corrective actions.",
        failing: RuleExample([
            ("objectives/obj-1.yaml", objective),
            (
                "evidence/ev-obj-1-q3.yaml",
                "id: EV-OBJ-1-Q3\ntitle: Phishing simulation Q3\nobjective: OBJ-1\nvalue: 7.5\ncollected_on: 2026-09-30\n"
            ),
        ]),
        passing: RuleExample([
            ("objectives/obj-1.yaml", objective),
            (
                "evidence/ev-obj-1-q3.yaml",
                "id: EV-OBJ-1-Q3\ntitle: Phishing simulation Q3\nobjective: OBJ-1\nvalue: 4.2\ncollected_on: 2026-09-30\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let measurements = context.measurementsByObjective()
        return context.records(.objective).compactMap { objective in
            guard let due = objective.date("due"), due < context.asOf, let target = ObjectiveTarget(objective),
                let newest = newestEvidence(measurements[objective.id] ?? []),
                let text = newest.record.string("value"), let value = DecimalNumber.parse(text), !target.isMet(by: value)
            else { return nil }
            return finding(
                "objective \(objective.id) (\(objective.title)) was due on \(due) with a target of \(target.text); "
                    + "its newest value, \(text) (\(newest.record.id), \(newest.collected)), misses it", in: objective,
                field: "target.value")
        }
    }
}
