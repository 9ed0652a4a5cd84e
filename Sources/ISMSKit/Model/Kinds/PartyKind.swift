/// An interested party and its requirements (clause 4.2).
enum PartyKind: RecordKindDeclaration {
    static let storageCode: UInt8 = 12
    static let folder = "parties"
    static let idPattern = "^PARTY-[0-9]+$"
    static let exampleID = "PARTIES-1"
    static let fileFormat = RecordFileFormat.yaml
    static let ownerRequired = true
    static let oneOf: [[String]] = []
    static let decisionFields: [String] = []
    static let materialFields: [String] = []
    static let template = "records/party.yaml"
    static let graphStyle = GraphStyle(fill: "#f1f8e9", stroke: "#558b2f")

    static let fields: [FieldSpec] = [
        FieldSpec("category", .text, .optional, "customer, regulator, employee, supplier, shareholder, …"),
        FieldSpec("requirements", .keyed([
            FieldSpec("need", .text, .required, "What the party requires."),
            FieldSpec("obligations", .list(.reference([.obligation])), .optional, "The obligations that capture it."),
        ]), .optional, "What the party requires, by name: {need, obligations}."),
    ]
}
