import GitKit

/// A nonconformity: where it was found, its root cause, corrective actions and their effectiveness (clause 10.2).
package enum NonconformityKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 8
    package static let folder = "nonconformities"
    package static let idPattern = "^NC-[0-9]+$"
    package static let exampleID = "NONCONFORMITIES-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    package static let decisionFields: [String] = []
    package static let materialFields: [String] = []
    package static let template = "records/nonconformity.yaml"
    package static let graphStyle = GraphStyle(fill: "#fce4ec", stroke: "#880e4f")

    package static let fields: [FieldSpec] = [
        FieldSpec(
            "source",
            .object([
                FieldSpec(
                    "type", .choice(["audit", "management-review", "incident", "monitoring", "complaint"]), .required, "Where it was found."
                ),
                FieldSpec(
                    "record", .reference([.audit, .managementReview, .incident]), .optional, "The audit, review or incident that raised it."
                ),
            ]), .required, "Where the nonconformity comes from."),
        FieldSpec(
            "type", .choice(["major", "minor", "observation", "opportunity"]), .required,
            "A major or minor nonconformity, an observation, or an opportunity for improvement."),
        FieldSpec("requirement", .text, .optional, "The requirement it is against (Clause 9.2, A.5.15, a policy)."),
        FieldSpec("raised_on", .date, .optional, "When it was raised."),
        FieldSpec("root_cause", .text, .optional, "Why it happened (clause 10.2 b)."),
        FieldSpec("correction", .text, .optional, "What was done to contain it at once."),
        FieldSpec("actions", .keyed(Schema.action), .optional, "Corrective actions by name: {action, owner, due, done_on}."),
        FieldSpec("status", .choice(["open", "closed"]), .optional, "Whether it is open (default) or closed."),
        FieldSpec("closed_on", .date, .optional, "When it was closed."),
        FieldSpec(
            "effectiveness",
            .object([
                FieldSpec("checked_by", .text, .optional, "Who checked that the actions worked."),
                FieldSpec("checked_on", .date, .optional, "When."),
                FieldSpec("result", .choice(["effective", "not-effective"]), .optional, "What the check found."),
                FieldSpec("evidence", .list(.reference([.evidence])), .optional, "Evidence of the check."),
            ]), .optional, "The check that the corrective actions were effective (clause 10.2 d)."),
    ]
}
