/// An asset: its classification and whether it is in scope (clause 4.3, A.5.9).
enum AssetKind: RecordKindDeclaration {
    static let storageCode: UInt8 = 6
    static let folder = "assets"
    static let idPattern = "^ASSET-[0-9]+$"
    static let exampleID = "ASSETS-1"
    static let fileFormat = RecordFileFormat.yaml
    static let ownerRequired = true
    static let oneOf: [[String]] = []
    static let decisionFields: [String] = []
    static let materialFields: [String] = ["classification", "in_scope", "owner", "suppliers"]
    static let template = "records/asset.yaml"
    static let graphStyle = GraphStyle(fill: "#f4f1e8", stroke: "#6b5b2e")

    static let fields: [FieldSpec] = [
        FieldSpec("classification", .text, .optional, "The information classification, such as confidential."),
        FieldSpec("in_scope", .boolean, .optional, "Whether the asset is in the ISMS scope."),
        FieldSpec("exclusion_reason", .text, .requiredWhen(field: "in_scope", equals: "false"), "Why it is out of scope (required when not in scope)."),
        FieldSpec("suppliers", .list(.reference([.supplier])), .optional, "Suppliers that host or provide the asset."),
    ]
}
