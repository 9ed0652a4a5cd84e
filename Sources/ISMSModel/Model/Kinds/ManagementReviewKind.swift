/// A management review: the inputs clause 9.3.2 requires, the decisions and actions (clause 9.3).
package enum ManagementReviewKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 9
    package static let folder = "management-reviews"
    package static let idPattern = "^MR-[0-9]+$"
    package static let exampleID = "MANAGEMENT-REVIEWS-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    package static let decisionFields: [String] = []
    package static let materialFields: [String] = []
    package static let template = "records/management-review.yaml"
    package static let graphStyle = GraphStyle(fill: "#ede7f6", stroke: "#4527a0")

    package static let fields: [FieldSpec] = [
        FieldSpec("date", .date, .required, "When the review was held."),
        FieldSpec("attendees", .list(.text), .required, "Who took part."),
        FieldSpec("top_management", .list(.text), .optional, "Which attendees are top management."),
        FieldSpec(
            "inputs",
            .object([
                FieldSpec("previous_actions", .text, .optional, "9.3.2 a: the status of actions from previous reviews."),
                FieldSpec("issues", .text, .optional, "9.3.2 b: changes in external and internal issues."),
                FieldSpec("parties", .text, .optional, "9.3.2 c: changes in needs and expectations of interested parties."),
                FieldSpec("nonconformities", .text, .optional, "9.3.2 d 1: nonconformities and corrective actions."),
                FieldSpec("monitoring", .text, .optional, "9.3.2 d 2: monitoring and measurement results."),
                FieldSpec("audits", .text, .optional, "9.3.2 d 3: audit results."),
                FieldSpec("objectives", .text, .optional, "9.3.2 d 4: fulfilment of the objectives."),
                FieldSpec("feedback", .text, .optional, "9.3.2 e: feedback from interested parties."),
                FieldSpec("risks", .text, .optional, "9.3.2 f: results of risk assessment and status of the treatment plan."),
                FieldSpec("improvement", .text, .optional, "9.3.2 g: opportunities for continual improvement."),
            ]), .required, "One entry per input clause 9.3.2 requires."),
        FieldSpec("decisions", .list(.text), .optional, "The decisions taken (9.3.3)."),
        FieldSpec(
            "actions",
            .keyed(
                Schema.action + [
                    FieldSpec(
                        "link", .reference([.nonconformity, .objective, .risk, .control]), .optional,
                        "The nonconformity, objective, risk or control that carries the action.")
                ]), .optional, "Actions by name: {action, owner, due, done_on, link}."),
    ]
}
