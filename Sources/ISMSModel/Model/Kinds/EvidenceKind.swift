/// Evidence: the proof that a control operated, or a measurement of an objective (clause 9.1).
package enum EvidenceKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 3
    package static let folder = "evidence"
    package static let idPattern = "^EV-[A-Za-z0-9][A-Za-z0-9._-]*$"
    package static let exampleID = "EV-2026-12-access-review"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = false
    package static let oneOf: [[String]] = [["control", "objective"]]
    package static let decisionFields: [String] = []
    package static let materialFields: [String] = []
    package static let template = "records/evidence.yaml"
    package static let graphStyle = GraphStyle(fill: "#e3f4e8", stroke: "#17643a")

    package static let fields: [FieldSpec] = [
        FieldSpec("control", .reference([.control]), .optional, "The control whose operation this proves (or objective)."),
        FieldSpec("objective", .reference([.objective]), .optional, "The objective this measures (instead of a control)."),
        FieldSpec(
            "event", .reference(ControlEvent.recordKinds.keys.sorted { $0.rawValue < $1.rawValue }), .optional,
            "For an on-event control: the event (an incident) this answers."),
        FieldSpec("value", .number, .optional, "The measured value, for an objective's measurement."),
        FieldSpec("collected_on", .date, .required, "When the evidence was produced."),
        FieldSpec("collected_by", .text, .optional, "Who collected it."),
        FieldSpec("kind", .choice(["system", "process", "verification"]), .optional, "What sort of proof it is."),
        FieldSpec("result", .choice(["pass", "fail", "exception"]), .optional, "The outcome."),
        FieldSpec("location", .text, .optional, "A URL, or a path relative to the ISMS root."),
        FieldSpec("sha256", .sha256, .optional, "The SHA-256 of the file at location, to prove it is unchanged."),
    ]
}
