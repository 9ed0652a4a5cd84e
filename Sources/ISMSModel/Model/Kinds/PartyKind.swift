/// An interested party and its requirements (clause 4.2).
package enum PartyKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 12
    package static let folder = "parties"
    package static let idPattern = "^PARTY-[0-9]+$"
    package static let exampleID = "PARTIES-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    package static let decisionFields: [String] = []
    package static let materialFields: [String] = []
    package static let template = "records/party.yaml"
    package static let graphStyle = GraphStyle(fill: "#f1f8e9", stroke: "#558b2f")

    package static let fields: [FieldSpec] = [
        FieldSpec("category", .text, .optional, "customer, regulator, employee, supplier, shareholder, …"),
        FieldSpec(
            "requirements",
            .keyed([
                FieldSpec("need", .text, .required, "What the party requires."),
                FieldSpec("obligations", .list(.reference([.obligation])), .optional, "The obligations that capture it."),
            ]), .optional, "What the party requires, by name: {need, obligations}."),
    ]
}
