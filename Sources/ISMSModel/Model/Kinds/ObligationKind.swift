/// An obligation: a legal, contractual or internal requirement, and whether it applies (clause 4.2).
package enum ObligationKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 2
    package static let folder = "obligations"
    package static let idPattern = "^OBL-[A-Za-z0-9][A-Za-z0-9._-]*$"
    package static let exampleID = "OBL-GDPR-32-1-b"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    package static let decisionFields: [String] = ["applies", "justification"]
    package static let materialFields: [String] = ["applies"]
    package static let template = "records/obligation.yaml"
    package static let graphStyle = GraphStyle(fill: "#efe4fb", stroke: "#5b2a9c")

    package static let fields: [FieldSpec] = [
        FieldSpec("source", .text, .optional, "GDPR, NIS2, DORA, ISO27001, contract, internal, …"),
        FieldSpec("ref", .text, .optional, "The clause, such as Art. 32(1)(b)."),
        FieldSpec("applies", .boolean, .optional, "Whether the obligation applies (default true)."),
        FieldSpec(
            "justification", .text, .requiredWhen(field: "applies", equals: "false"),
            "Why it does not apply (required when applies is false)."),
    ]
}
