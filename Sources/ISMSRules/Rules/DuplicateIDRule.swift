import ISMSModel

/// Two records claim one id.
public struct DuplicateIDRule: LoadStageRule {
    public init() {}
    public static let definition = RuleDescription(
        id: LoadStage.duplicateID.id,
        severity: LoadStage.duplicateID.severity,
        summary: "Two records use the same id.",
        rationale: "Links and history follow records by id; with two records behind one id, every link to it is ambiguous.",
        fix: "Give one of the records a new, unused id.",
        failing: RuleExample([
            ("assets/a.yaml", "id: ASSET-1\ntitle: Laptops\nowner: alice\n"),
            ("assets/b.yaml", "id: ASSET-1\ntitle: Phones\nowner: alice\n"),
        ]),
        passing: RuleExample([
            ("assets/a.yaml", "id: ASSET-1\ntitle: Laptops\nowner: alice\n"),
            ("assets/b.yaml", "id: ASSET-2\ntitle: Phones\nowner: alice\n"),
        ])
    )
}
