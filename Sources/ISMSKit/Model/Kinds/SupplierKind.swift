/// A supplier: what it provides, how critical it is and the assurance it gives (A.5.19–A.5.22).
enum SupplierKind: RecordKindDeclaration {
    static let storageCode: UInt8 = 5
    static let folder = "suppliers"
    static let idPattern = "^SUP-[0-9]+$"
    static let exampleID = "SUPPLIERS-1"
    static let fileFormat = RecordFileFormat.yaml
    static let ownerRequired = true
    static let oneOf: [[String]] = []
    static let decisionFields: [String] = []
    static let materialFields: [String] = ["criticality", "services", "data", "hosting", "subprocessors"]
    static let template = "records/supplier.yaml"
    static let graphStyle = GraphStyle(fill: "#eceff3", stroke: "#4a5263")

    static let fields: [FieldSpec] = [
        FieldSpec("criticality", .choice(["high", "medium", "low"]), .optional, "How much depends on the supplier."),
        FieldSpec("services", .list(.text), .optional, "What it provides."),
        FieldSpec("assurance", .list(.reference([.evidence])), .optional, "Evidence of the supplier's assurance (reports, certificates)."),
        FieldSpec("data", .list(.text), .optional, "The categories of data it handles."),
        FieldSpec("hosting", .text, .optional, "Where it runs what it provides: hosting provider and region."),
        FieldSpec("subprocessors", .list(.text), .optional, "The subprocessors it relies on."),
        Schema.review,
    ]
}
