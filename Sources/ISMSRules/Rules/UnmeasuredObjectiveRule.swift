import GitKit
import ISMSModel

/// An objective with no measurement within its cadence.
public struct UnmeasuredObjectiveRule: Rule {
    public init() {}
    package static let objective =
        "id: OBJ-1\ntitle: Fewer phishing clicks\nowner: alice\nmeasure: Click rate of the quarterly phishing simulation\ntarget: {value: 5, comparison: at-most, unit: '%'}\nset_on: 2026-01-15\ndue: 2027-12-31\nevery: quarterly\n"
    public static let definition = RuleDescription(
        id: "unmeasured-objective",
        severity: .warning,
        summary: "An objective with no measurement (evidence naming it, with a value) within its cadence (every).",
        rationale: """
            ISO 27001 6.2 b) asks that objectives be measurable and d) monitored; 9.1 that results be retained. An \
            objective nobody measures is a wish. A measurement is an evidence record that names the objective and \
            carries value; the next is due one cadence after the newest (quarterly: 92 days), or, before the first, \
            one cadence after set_on. An objective with no set_on and no measurement is reported at once; one with no \
            cadence is not judged.
            """,
        fix: "Measure the objective and record an evidence record with objective: and value:.",
        failing: RuleExample([
            ("objectives/obj-1.yaml", objective),
            (
                "evidence/ev-obj-1-q1.yaml",
                "id: EV-OBJ-1-Q1\ntitle: Phishing simulation Q1\nobjective: OBJ-1\nvalue: 9.5\ncollected_on: 2026-03-31\n"
            ),
        ]),
        passing: RuleExample([
            ("objectives/obj-1.yaml", objective),
            (
                "evidence/ev-obj-1-q3.yaml",
                "id: EV-OBJ-1-Q3\ntitle: Phishing simulation Q3\nobjective: OBJ-1\nvalue: 6.1\ncollected_on: 2026-09-30\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let measurements = context.measurementsByObjective()
        return context.records(.objective).compactMap { objective in
            guard let cadence = objective.cadence("every"), cadence != .onEvent else { return nil }
            if let newest = newestEvidence(measurements[objective.id] ?? []) {
                guard let due = cadence.next(after: newest.collected, continuousDays: context.config.continuousDays) else { return nil }
                guard due < context.asOf else { return nil }
                return finding(
                    "objective \(objective.id) (\(objective.title)) was last measured on \(newest.collected) (\(newest.record.id)); "
                        + "measured \(cadence), the next was due by \(due), \(daysAgo(due, asOf: context.asOf))", in: objective,
                    field: "every")
            }
            guard let set = objective.date("set_on") else {
                return finding("objective \(objective.id) (\(objective.title)) has never been measured", in: objective, field: "every")
            }
            guard let due = cadence.next(after: set, continuousDays: context.config.continuousDays) else { return nil }
            guard due < context.asOf else { return nil }
            return finding(
                "objective \(objective.id) (\(objective.title)) has never been measured; set on \(set) and measured \(cadence), "
                    + "the first was due by \(due), \(daysAgo(due, asOf: context.asOf))", in: objective, field: "every")
        }
    }
}
