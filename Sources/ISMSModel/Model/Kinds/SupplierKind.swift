/// A supplier: what it provides, how critical it is and the assurance it gives (A.5.19–A.5.22).
package enum SupplierKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 5
    package static let folder = "suppliers"
    package static let idPattern = "^SUP-[0-9]+$"
    package static let exampleID = "SUPPLIERS-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    package static let decisionFields: [String] = []
    package static let materialFields: [String] = ["criticality", "services", "data", "hosting", "subprocessors"]
    package static let template = "records/supplier.yaml"
    package static let graphStyle = GraphStyle(fill: "#eceff3", stroke: "#4a5263")

    package static let fields: [FieldSpec] = [
        FieldSpec("criticality", .choice(["high", "medium", "low"]), .optional, "How much depends on the supplier."),
        FieldSpec("services", .list(.text), .optional, "What it provides."),
        FieldSpec("assurance", .list(.reference([.evidence])), .optional, "Evidence of the supplier's assurance (reports, certificates)."),
        FieldSpec("data", .list(.text), .optional, "The categories of data it handles."),
        FieldSpec("hosting", .text, .optional, "Where it runs what it provides: hosting provider and region."),
        FieldSpec("subprocessors", .list(.text), .optional, "The subprocessors it relies on."),
        Schema.review,
    ]
}
