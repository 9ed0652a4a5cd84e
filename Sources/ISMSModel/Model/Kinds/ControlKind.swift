/// A control: how it operates, where it stands, what it satisfies and the evidence it should leave (clause 6.1.3, Annex A).
package enum ControlKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 1
    package static let folder = "controls"
    package static let idPattern = "^CTRL-[0-9]+$"
    package static let exampleID = "CONTROLS-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    // A planned control's due date is a commitment of the treatment plan (6.1.3 e).
    package static let decisionFields: [String] = ["status", "satisfies", "due"]
    package static let materialFields: [String] = ["status"]
    package static let template = "records/control.yaml"
    package static let graphStyle = GraphStyle(fill: "#e1ecfb", stroke: "#1f4e9c")

    package static let fields: [FieldSpec] = [
        FieldSpec("operation", .choice(["manual", "automated", "review"]), .optional, "How the control operates."),
        FieldSpec("status", .choice(["planned", "implemented", "operating", "retired"]), .optional, "Where the control stands."),
        FieldSpec("every", .cadence, .optional, "How often it operates, and so how fresh its evidence must be."),
        FieldSpec(
            "event",
            .object([
                FieldSpec(
                    "kind", .choice(ControlEvent.kindNames), .required,
                    "incident: every incident in the audit period; other: an event isms holds no records of."),
                FieldSpec(
                    "severity", .list(.choice(IncidentKind.severities)), .onlyWhen(field: "kind", equals: "incident"),
                    "For kind incident only: those of these severities (an incident without severity always counts)."),
                FieldSpec("description", .text, .requiredWhen(field: "kind", equals: "other"), "What the event is (a person leaves)."),
            ]), .optional, "For an on-event control: the event it answers, each of which needs its evidence."),
        FieldSpec("due", .date, .optional, "For a planned control: when it is to operate."),
        FieldSpec("satisfies", .list(.reference([.obligation])), .optional, "Obligations the control satisfies."),
        FieldSpec("annex_a", .list(.text), .optional, "ISO/IEC 27001:2022 Annex A references, such as A.5.15."),
        FieldSpec("documents", .list(.reference([.document])), .optional, "The documents (policies, procedures) that define the control."),
        FieldSpec(
            "evidence_expected",
            .object([
                FieldSpec("record", .text, .optional, "What record proves an operation."),
                FieldSpec("location", .text, .optional, "Where that record is kept."),
                FieldSpec("retention", .text, .optional, "How long it is kept."),
            ]), .optional, "The evidence the control should leave."),
    ]
}
