import ISMSModel

/// A required field is absent.
public struct MissingFieldRule: LoadStageRule {
    public init() {}
    public static let definition = RuleDescription(
        id: LoadStage.missingField.id,
        severity: LoadStage.missingField.severity,
        summary: "A required field is absent or empty.",
        rationale: """
            Every record needs an id and a title, and every record but evidence needs an owner: a control nobody \
            owns is a control nobody runs. Some fields are required by another: evidence needs its control and date, \
            an exception its expiry, an obligation that does not apply its justification, an out-of-scope asset its \
            exclusion reason.
            """,
        fix: "Add the field named in the message.",
        failing: RuleExample([("assets/asset-1.yaml", "id: ASSET-1\ntitle: Customer database\n")]),
        passing: RuleExample([("assets/asset-1.yaml", "id: ASSET-1\ntitle: Customer database\nowner: alice\n")])
    )
}
