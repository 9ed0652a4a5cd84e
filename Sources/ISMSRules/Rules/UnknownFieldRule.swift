import ISMSModel

/// A field the schema does not know, usually a typo.
public struct UnknownFieldRule: LoadStageRule {
    public init() {}
    public static let definition = RuleDescription(
        id: LoadStage.unknownField.id,
        severity: LoadStage.unknownField.severity,
        summary: "A field that the record's kind (or isms.yaml) does not define.",
        rationale: """
            A misspelt field is silently ignored by every other reader: `treatmnet: accept` leaves the risk \
            untreated while looking decided. Unknown fields are reported with the nearest known name.
            """,
        fix: "Rename the field to the suggested one, or remove it.",
        failing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatmnet: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ])
    )

    package static func message(_ key: String, known: [String], in place: String) -> String {
        LoadStage.unknownMessage(key, known: known, in: place)
    }
}
