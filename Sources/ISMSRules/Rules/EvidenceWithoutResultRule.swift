import GitKit
import ISMSModel

/// Evidence that does not say how the operation came out.
public struct EvidenceWithoutResultRule: Rule {
    public init() {}

    package static func evidence(_ result: String) -> (String, String) {
        ("evidence/ev-1.yaml", "id: EV-1\ntitle: Backup restore test\ncontrol: CTRL-1\ncollected_on: 2026-06-01\n\(result)")
    }
    package static let control = ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backups\nowner: alice\nstatus: operating\nevery: yearly\n")
    package static let risk = exampleRisk("treatment: reduce\ncontrols: [CTRL-1]\n")

    public static let definition = RuleDescription(
        id: "evidence-without-result",
        severity: .warning,
        summary: "Evidence with no result (pass, fail or exception).",
        rationale: """
            Evidence that a control ran is not evidence that it worked: a restore test that failed is on file as much as \
            one that passed. Without a result nothing can tell which, and the reports cannot count it as passing. A             measurement of an objective (evidence that names objective and carries a value) is not judged.
            """,
        fix: "Add result: pass, fail or exception.",
        failing: RuleExample([evidence(""), control, risk]),
        passing: RuleExample([evidence("result: pass\n"), control, risk])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.evidence).compactMap { evidence in
            // A measurement of an objective carries a value, not a pass or fail: it has no result to give.
            guard !evidence.isWritten("result"), !evidence.isWritten("objective") else { return nil }
            return finding("evidence \(evidence.id) has no result", in: evidence)
        }
    }
}
