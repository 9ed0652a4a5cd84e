/// An exception: a time-limited departure from a control or a risk decision, and what compensates.
package enum ExceptionKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 4
    package static let folder = "exceptions"
    package static let idPattern = "^EXC-[0-9]+$"
    package static let exampleID = "EXCEPTIONS-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = [["control", "risk"]]
    package static let decisionFields: [String] = ["*"]
    package static let materialFields: [String] = []
    package static let template = "records/exception.yaml"
    package static let graphStyle = GraphStyle(fill: "#fff3d6", stroke: "#7a5300")

    package static let fields: [FieldSpec] = [
        FieldSpec("control", .reference([.control]), .optional, "The control excepted."),
        FieldSpec("risk", .reference([.risk]), .optional, "The risk excepted."),
        FieldSpec("reason", .text, .optional, "Why the exception is needed."),
        FieldSpec("requested_by", .text, .optional, "Who asked for it; never its approver."),
        FieldSpec("approved_by", .text, .optional, "Who approved it."),
        FieldSpec("approved_on", .date, .optional, "When it was approved."),
        FieldSpec("expires", .date, .required, "When it lapses."),
        FieldSpec("compensating", .list(.reference([.control])), .optional, "Controls that compensate meanwhile."),
    ]
}
