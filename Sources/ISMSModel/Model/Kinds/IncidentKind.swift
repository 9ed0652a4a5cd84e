/// An incident: when it was detected, its notifications and its lessons (A.5.24–A.5.28, NIS2, GDPR).
package enum IncidentKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 11
    package static let folder = "incidents"
    package static let idPattern = "^INC-[0-9]+$"
    package static let exampleID = "INCIDENTS-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    /// The severity and the day of detection decide which evidence the on-event controls owe (`evidence-gap`): an
    /// edit that moves an incident out of a control's severities or out of the audit period is a decision.
    package static let decisionFields: [String] = ["severity", "detected_at"]
    package static let materialFields: [String] = []
    package static let template = "records/incident.yaml"
    package static let graphStyle = GraphStyle(fill: "#fbe9e7", stroke: "#bf360c")
    private static let notification: [FieldSpec] = [
        FieldSpec("sent_at", .timestamp, .optional, "When it was sent."),
        FieldSpec("to", .text, .optional, "To whom (the CSIRT, the supervisory authority)."),
        FieldSpec("reference", .text, .optional, "The recipient's case number."),
    ]

    package static let severities = ["low", "medium", "high", "critical"]

    package static let fields: [FieldSpec] = [
        FieldSpec("detected_at", .timestamp, .required, "When it was detected, with the zone: deadlines run from here."),
        FieldSpec("severity", .choice(severities), .optional, "How severe."),
        FieldSpec("nis2_significant", .boolean, .optional, "A significant incident under NIS2 Art. 23."),
        FieldSpec("personal_data_breach", .boolean, .optional, "A personal-data breach under GDPR Art. 33."),
        FieldSpec(
            "notifications",
            .object([
                FieldSpec("nis2_early_warning", .object(notification), .optional, "NIS2 early warning (24 hours)."),
                FieldSpec("nis2_notification", .object(notification), .optional, "NIS2 incident notification (72 hours)."),
                FieldSpec("nis2_final_report", .object(notification), .optional, "NIS2 final report (one month after the notification)."),
                FieldSpec("gdpr_authority", .object(notification), .optional, "GDPR notification to the supervisory authority (72 hours)."),
            ]), .optional, "The notifications sent."),
        FieldSpec("status", .choice(["open", "closed"]), .optional, "Whether it is open (default) or closed."),
        FieldSpec("closed_on", .date, .optional, "When it was closed."),
        FieldSpec(
            "lessons",
            .object([
                FieldSpec("summary", .text, .optional, "What was learnt."),
                FieldSpec("nonconformities", .list(.reference([.nonconformity])), .optional, "Nonconformities raised."),
                FieldSpec("risks", .list(.reference([.risk])), .optional, "Risks changed."),
                FieldSpec("controls", .list(.reference([.control])), .optional, "Controls changed."),
            ]), .optional, "The lessons learnt and what they changed."),
    ]
}
