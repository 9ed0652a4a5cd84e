/// An exception: a time-limited departure from a control or a risk decision, and what compensates.
enum ExceptionKind: RecordKindDeclaration {
    static let storageCode: UInt8 = 4
    static let folder = "exceptions"
    static let idPattern = "^EXC-[0-9]+$"
    static let exampleID = "EXCEPTIONS-1"
    static let fileFormat = RecordFileFormat.yaml
    static let ownerRequired = true
    static let oneOf: [[String]] = [["control", "risk"]]
    static let decisionFields: [String] = ["*"]
    static let materialFields: [String] = []
    static let template = "records/exception.yaml"
    static let graphStyle = GraphStyle(fill: "#fff3d6", stroke: "#7a5300")

    static let fields: [FieldSpec] = [
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
