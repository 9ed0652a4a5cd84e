/// An obligation: a legal, contractual or internal requirement, and whether it applies (clause 4.2).
enum ObligationKind: RecordKindDeclaration {
    static let storageCode: UInt8 = 2
    static let folder = "obligations"
    static let idPattern = "^OBL-[A-Za-z0-9][A-Za-z0-9._-]*$"
    static let exampleID = "OBL-GDPR-32-1-b"
    static let fileFormat = RecordFileFormat.yaml
    static let ownerRequired = true
    static let oneOf: [[String]] = []
    static let decisionFields: [String] = ["applies", "justification"]
    static let materialFields: [String] = ["applies"]
    static let template = "records/obligation.yaml"
    static let graphStyle = GraphStyle(fill: "#efe4fb", stroke: "#5b2a9c")

    static let fields: [FieldSpec] = [
        FieldSpec("source", .text, .optional, "GDPR, NIS2, DORA, ISO27001, contract, internal, …"),
        FieldSpec("ref", .text, .optional, "The clause, such as Art. 32(1)(b)."),
        FieldSpec("applies", .boolean, .optional, "Whether the obligation applies (default true)."),
        FieldSpec("justification", .text, .requiredWhen(field: "applies", equals: "false"), "Why it does not apply (required when applies is false)."),
    ]
}
