import GitKit
import ISMSModel

/// A management review record without every input clause 9.3.2 requires.
public struct IncompleteManagementReviewRule: Rule {
    public init() {}
    package static let review =
        "id: MR-1\ntitle: Management review 2026\nowner: alice\ndate: 2026-10-20\nattendees: [alice, carol]\ntop_management: [carol]\n"
    /// The inputs of ISO/IEC 27001:2022 9.3.2 (with Amd 1:2024), as the fields under `inputs`.
    package static let inputs: [(field: String, clause: String, what: String)] = [
        ("previous_actions", "a", "the status of actions from previous reviews"),
        ("issues", "b", "changes in external and internal issues"),
        ("parties", "c", "changes in needs and expectations of interested parties"),
        ("nonconformities", "d 1", "nonconformities and corrective actions"),
        ("monitoring", "d 2", "monitoring and measurement results"),
        ("audits", "d 3", "audit results"),
        ("objectives", "d 4", "fulfilment of information security objectives"),
        ("feedback", "e", "feedback from interested parties"),
        ("risks", "f", "results of risk assessment and status of the risk treatment plan"),
        ("improvement", "g", "opportunities for continual improvement"),
    ]
    public static let definition = RuleDescription(
        id: "incomplete-management-review",
        severity: .error,
        summary: "A management review with a 9.3.2 input missing or empty, or without top management.",
        rationale: """
            ISO 27001 9.3.2 lists what the management review shall include: a) the status of actions from previous \
            reviews, b) changes in external and internal issues, c) changes in the needs and expectations of \
            interested parties, d) feedback on performance (nonconformities and corrective actions, monitoring and \
            measurement, audit results, objectives), e) feedback from interested parties, f) risk assessment and \
            treatment, g) opportunities for improvement. An auditor checks each; a review that skipped one did not \
            review the ISMS. 9.3.1 asks top management to review: the record names them under top_management.
            """,
        fix:
            "Write each input under inputs (isms report management-review drafts them from the records and the history), and name top management among the attendees.",
        failing: RuleExample([
            (
                "management-reviews/mr-1.yaml",
                review + "inputs: {previous_actions: All closed, issues: NIS2 applies, risks: Two new risks}\n"
            )
        ]),
        passing: RuleExample([
            ("management-reviews/mr-1.yaml", review + OverdueManagementReviewRule.inputs)
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.managementReview).flatMap { review -> [Finding] in
            var findings = [Finding]()
            let missing = Self.inputs.filter {
                review.string("inputs.\($0.field)")?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true
            }
            if !missing.isEmpty, review.isWritten("inputs"), !missing.allSatisfy({ review.rejected.contains("inputs.\($0.field)") }) {
                findings.append(
                    finding(
                        "management review \(review.id) lacks 9.3.2 input\(missing.count == 1 ? "" : "s") "
                            + listed(missing.map { "\($0.clause) (inputs.\($0.field): \($0.what))" }),
                        in: review, field: "inputs"))
            }
            let attendees = Set(review.list("attendees").map(\.value))
            let top = review.list("top_management").map(\.value)
            if top.isEmpty {
                findings.append(
                    finding("management review \(review.id) names no top management (top_management)", in: review, field: "attendees"))
            } else if let absent = top.first(where: { !attendees.contains($0) }) {
                findings.append(
                    finding(
                        "management review \(review.id) names \(absent) as top management, who is not among the attendees",
                        in: review, field: "top_management"))
            }
            return findings
        }
    }
}
