import GitKit
import ISMSModel

/// A record file that cannot be read as one YAML mapping.
public struct ParseErrorRule: LoadStageRule {
    public init() {}
    public static let definition = RuleDescription(
        id: LoadStage.parseError.id,
        severity: LoadStage.parseError.severity,
        summary: "A record file is not readable YAML, or holds something a record may not hold.",
        rationale: """
            A record that cannot be read is a decision nobody can check. Files must be UTF-8 YAML holding one \
            mapping, without anchors or aliases, duplicate keys, binary content or symbolic links; within the size \
            and nesting limits; and named in UTF-8, since two names that are not would read as one. The rest of the \
            ISMS is still checked.
            """,
        fix: "Correct the YAML at the reported line and column; write repeated values out instead of using anchors.",
        failing: RuleExample([("risks/risk-1.yaml", "id: RISK-1\ntitle: [unclosed\nreview: {last: 2026-06-01, every: yearly}\n")]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ])
    )
}
