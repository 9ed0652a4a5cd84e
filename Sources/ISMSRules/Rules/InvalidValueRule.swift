import GitKit
import ISMSModel

/// A value of the wrong type, outside its range, or not one of the allowed values.
public struct InvalidValueRule: LoadStageRule {
    public init() {}
    public static let definition = RuleDescription(
        id: LoadStage.invalidValue.id,
        severity: LoadStage.invalidValue.severity,
        summary: "A value has the wrong type, is out of range, or is not one of the allowed values.",
        rationale: """
            Scores, dates, cadences and decisions are compared and computed on. A likelihood of 7, a date of \
            2026-02-30 or a treatment of `acept` would make every later check wrong. YAML 1.1 look-alikes are not \
            converted: a boolean field takes only true or false, an integer field only digits.
            """,
        fix: "Use a value of the type the message names.",
        failing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\nlikelihood: 7\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\nlikelihood: 3\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ])
    )
}
