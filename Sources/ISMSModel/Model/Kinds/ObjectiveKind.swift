/// An information security objective: what is measured and its target (clause 6.2).
package enum ObjectiveKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 10
    package static let folder = "objectives"
    package static let idPattern = "^OBJ-[0-9]+$"
    package static let exampleID = "OBJECTIVES-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    package static let decisionFields: [String] = []
    package static let materialFields: [String] = []
    package static let template = "records/objective.yaml"
    package static let graphStyle = GraphStyle(fill: "#e8f5e9", stroke: "#2e7d32")

    package static let fields: [FieldSpec] = [
        FieldSpec("measure", .text, .required, "What is measured."),
        FieldSpec(
            "target",
            .object([
                FieldSpec("value", .number, .required, "The target value."),
                FieldSpec("comparison", .choice(["at-least", "at-most"]), .required, "Whether a value meets it from above or below."),
                FieldSpec("unit", .text, .optional, "The unit, such as % or days."),
            ]), .required, "What counts as achieved."),
        FieldSpec("set_on", .date, .optional, "When the objective was set: the first measurement is due one cadence later."),
        FieldSpec("due", .date, .optional, "When the target is to be met."),
        FieldSpec("every", .cadence, .optional, "How often it is measured."),
        FieldSpec("risks", .list(.reference([.risk])), .optional, "Risks the objective addresses."),
        FieldSpec("controls", .list(.reference([.control])), .optional, "Controls it measures."),
    ]
}
