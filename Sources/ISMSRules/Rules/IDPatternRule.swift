import ISMSModel

/// An id that does not have its kind's shape.
public struct IDPatternRule: LoadStageRule {
    public init() {}
    public static let definition = RuleDescription(
        id: LoadStage.idPattern.id,
        severity: LoadStage.idPattern.severity,
        summary: "An id does not match its kind's id pattern (often a record in the wrong folder).",
        rationale: """
            Ids tell the kind of a record at a glance and keep references unambiguous. The patterns are the \
            defaults (RISK-<n>, CTRL-<n>, OBL-…, EV-…, EXC-<n>, SUP-<n>, ASSET-<n>) or those set in id_patterns.
            """,
        fix: "Rename the id to the pattern, move the file to the folder of its kind, or change id_patterns.",
        failing: RuleExample([("risks/risk-1.yaml", "id: R1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ])
    )
}
