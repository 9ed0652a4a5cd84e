/// An audit: planned or performed, what it covers and the nonconformities it raised (clause 9.2).
package enum AuditKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 7
    package static let folder = "audits"
    package static let idPattern = "^AUD-[0-9]+$"
    package static let exampleID = "AUDITS-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    package static let decisionFields: [String] = []
    package static let materialFields: [String] = []
    package static let template = "records/audit.yaml"
    package static let graphStyle = GraphStyle(fill: "#e0f2f1", stroke: "#00695c")

    package static let fields: [FieldSpec] = [
        FieldSpec("type", .choice(["internal", "external", "certification", "supplier"]), .required, "What sort of audit."),
        FieldSpec("status", .choice(["planned", "performed", "cancelled"]), .optional, "Where the audit stands (default planned)."),
        FieldSpec(
            "scope",
            .object([
                FieldSpec("clauses", .list(.text), .optional, "ISO/IEC 27001 clauses audited (4 to 10, or 9.2)."),
                FieldSpec("annex_a", .list(.text), .optional, "Annex A controls (A.5.15) or themes (A.5, A.6, A.7, A.8) audited."),
                FieldSpec("processes", .list(.text), .optional, "Processes audited."),
                FieldSpec("controls", .list(.reference([.control])), .optional, "Controls audited."),
            ]), .optional, "What the audit covers."),
        FieldSpec("planned_on", .date, .required, "When the audit is planned."),
        FieldSpec(
            "performed_on", .date, .requiredWhen(field: "status", equals: "performed"), "When it was performed (required once performed)."),
        FieldSpec("auditor", .text, .optional, "Who audits: a roster key, or an external auditor's name."),
        FieldSpec("report", .text, .optional, "The audit report: a URL or a path relative to the ISMS root."),
        FieldSpec("nonconformities", .list(.reference([.nonconformity])), .optional, "The nonconformities it raised."),
    ]
}
