/// A document: a policy or procedure, the documented information of clause 7.5. It is a Markdown file whose YAML
/// front matter holds these fields and whose text (after the front matter) is the field `body`.
package enum DocumentKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 13
    package static let folder = "documents"
    package static let idPattern = "^DOC-[0-9]+$"
    package static let exampleID = "DOCUMENTS-1"
    package static let fileFormat = RecordFileFormat.markdown
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    // Who approved which version, and the text itself: what unapproved-document-change and unsigned-decision judge.
    package static let decisionFields: [String] = ["version", "approved_by", "approved_on"]
    package static let materialFields: [String] = []
    package static let template = "records/document.md"
    package static let graphStyle = GraphStyle(fill: "#fdf6e3", stroke: "#8a6d1f")

    package static let fields: [FieldSpec] = [
        FieldSpec("version", .text, .optional, "The version approved, such as 1.2; a new approval updates it."),
        FieldSpec("approved_by", .text, .optional, "Who approved the version in force (a roster key when the roster is set)."),
        FieldSpec("approved_on", .date, .optional, "When the version in force was approved."),
        Schema.review,
        FieldSpec("controls", .list(.reference([.control])), .optional, "The controls the document governs."),
        FieldSpec("audience", .list(.text), .optional, "Who must know and follow it."),
        FieldSpec(
            RecordFileFormat.bodyField, .text, .optional,
            "The text: the Markdown after the front matter (not a front-matter field)."),
    ]
}
