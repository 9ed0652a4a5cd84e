/// An asset: its classification and whether it is in scope (clause 4.3, A.5.9).
package enum AssetKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 6
    package static let folder = "assets"
    package static let idPattern = "^ASSET-[0-9]+$"
    package static let exampleID = "ASSETS-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    package static let decisionFields: [String] = []
    package static let materialFields: [String] = ["classification", "in_scope", "owner", "suppliers"]
    package static let template = "records/asset.yaml"
    package static let graphStyle = GraphStyle(fill: "#f4f1e8", stroke: "#6b5b2e")

    package static let fields: [FieldSpec] = [
        FieldSpec("classification", .text, .optional, "The information classification, such as confidential."),
        FieldSpec("in_scope", .boolean, .optional, "Whether the asset is in the ISMS scope."),
        FieldSpec(
            "exclusion_reason", .text, .requiredWhen(field: "in_scope", equals: "false"),
            "Why it is out of scope (required when not in scope)."),
        FieldSpec("suppliers", .list(.reference([.supplier])), .optional, "Suppliers that host or provide the asset."),
    ]
}
