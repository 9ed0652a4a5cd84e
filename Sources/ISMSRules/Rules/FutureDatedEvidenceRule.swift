import GitKit
import ISMSModel

/// Evidence dated after the day judged.
public struct FutureDatedEvidenceRule: Rule {
    public init() {}

    package static func evidence(_ day: String) -> (String, String) {
        ("evidence/ev-1.yaml", "id: EV-1\ntitle: Backup restore test\ncontrol: CTRL-1\ncollected_on: \(day)\nresult: pass\n")
    }
    package static let control = ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: operating\nevery: yearly\n")
    package static let risk = exampleRisk("treatment: reduce\ncontrols: [CTRL-1]\n")

    public static let definition = RuleDescription(
        id: "future-dated-evidence",
        severity: .error,
        summary: "Evidence whose collected_on lies after the day judged (--as-of).",
        rationale: """
            Evidence proves that something happened; it cannot have been collected tomorrow. A date in the future is a \
            typing error or evidence written before the work was done. Such evidence is already left out of freshness; \
            this rule says so instead of ignoring it silently.
            """,
        fix: "Correct collected_on to the day the evidence was produced.",
        failing: RuleExample([evidence("2027-06-01"), control, risk]),
        passing: RuleExample([evidence("2026-06-01"), control, risk])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.evidence).compactMap { evidence in
            guard let day = evidence.date("collected_on"), day > context.asOf else { return nil }
            return finding(
                "evidence \(evidence.id) is dated \(day), after the day judged (\(context.asOf))", in: evidence, field: "collected_on")
        }
    }
}
