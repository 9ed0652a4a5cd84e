import Foundation
import ISMSModel

/// Turns the bytes of one record file into a `Record`, exactly as `isms check` does: the YAML tree from
/// `YAMLReader` (with the configured limits), then the kind's schema. The checker and the history both
/// read records through here, so a value means the same in both.
public enum RecordParser {
    /// `content` is the file's bytes, or why they could not be read (such as over the size limit).
    /// The record is nil when the file is not YAML (or, for a Markdown kind, has no front matter) or has no id;
    /// the findings say why.
    public static func parse(
        _ content: Result<Data, YAMLProblem>, kind: RecordKind, path: String,
        config: Config
    ) -> (record: Record?, findings: [Finding]) {
        let (read, body) = readNode(content, kind: kind, config: config)
        let node: YAMLNode
        switch read {
        case .success(let n): node = n
        case .failure(let problem):
            return (
                nil,
                [
                    Finding(
                        rule: LoadStage.parseError.id, severity: LoadStage.parseError.severity, message: problem.message,
                        path: path, location: problem.location, record: nil)
                ]
            )
        }
        var validator = RecordValidator(kind: kind, path: path, config: config)
        guard var record = validator.validate(node) else { return (nil, validator.findings) }
        guard let body else { return (record, validator.findings) }
        // The text is the file's, never a front-matter field of the same name.
        let field = RecordFileFormat.bodyField
        var findings = validator.findings.filter { $0.field != field }
        if let written = node.pairs?.first(where: { $0.key == field }) {
            findings.append(
                LoadStage.unknownField.finding(
                    "'\(field)' is the text after the front matter, not a front-matter field; "
                        + "move it below the closing '---'", path: path, at: written.keyLocation,
                    record: record.id, field: field))
        }
        record.rejected.remove(field)
        record.fields[field] = Field(
            value: .string(body.body), location: body.bodyLocation, keyLocation: body.closingLocation,
            itemLocations: [])
        return (record, findings)
    }

    /// The file's YAML (a Markdown file's front matter) as a node, and a Markdown file's parts: what `parse` and
    /// `values` both start from.
    private static func readNode(
        _ content: Result<Data, YAMLProblem>, kind: RecordKind, config: Config
    ) -> (node: Result<YAMLNode, YAMLProblem>, body: MarkdownFile?) {
        let reader = YAMLReader(maxBytes: config.maxFileBytes, maxDepth: config.maxDepth)
        switch kind.fileFormat {
        case .yaml:
            return (content.flatMap { reader.read($0) }, nil)
        case .markdown:
            var body: MarkdownFile?
            let node = content.flatMap { data in
                MarkdownFile.split(data, maxBytes: config.maxFileBytes).flatMap { file in
                    body = file
                    return reader.read(file.frontMatter)
                }
            }
            return (node, body)
        }
    }

    public static func parse(_ data: Data, kind: RecordKind, path: String, config: Config) -> (record: Record?, findings: [Finding]) {
        parse(.success(data), kind: kind, path: path, config: config)
    }

    /// What the history keeps of a record version: exactly `parse(…).record` as its id and its fields' values
    /// (`fields.mapValues(\.value)`), without the findings, the locations or the record. `matchedIDs` is shared by
    /// the run's parses: an id pattern runs once per distinct id (see `RecordValidator.values`).
    package static func values(
        _ content: Result<Data, YAMLProblem>, kind: RecordKind, path: String, config: Config, matchedIDs: MatchedIDs
    ) -> (id: String, fields: [String: FieldValue])? {
        let (read, body) = readNode(content, kind: kind, config: config)
        guard case .success(let node) = read else { return nil }
        var validator = RecordValidator(valuesOf: kind, path: path, config: config, matchedIDs: matchedIDs)
        guard var values = validator.values(node) else { return nil }
        // The text is the file's, never a front-matter field of the same name (as in `parse`).
        if let body { values.fields[RecordFileFormat.bodyField] = .string(body.body) }
        return values
    }
}

/// A Markdown record file cut in two: `---`, the YAML front matter, `---`, then the text.
package struct MarkdownFile: Sendable, Equatable {
    /// The bytes from the file's start up to the closing `---` line, opening line included: YAML reads that line
    /// as the start of its document, so every location in the front matter is a line of the whole file.
    package let frontMatter: Data
    /// The text after the closing line, as written.
    package let body: String
    /// Where the closing `---` stands, and the first line of the text.
    package let closingLocation: SourceLocation
    package let bodyLocation: SourceLocation

    /// A line of `---`, trailing blanks and a carriage return allowed.
    private static func isDelimiter(_ line: ArraySlice<UInt8>) -> Bool {
        var line = line
        while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line = line.dropLast() }
        return line.elementsEqual("---".utf8)
    }

    package static func split(_ data: Data, maxBytes: Int) -> Result<MarkdownFile, YAMLProblem> {
        let text: String
        switch YAMLReader.text(of: data, maxBytes: maxBytes) {
        case .success(let t): text = t
        case .failure(let problem): return .failure(problem)
        }
        // By bytes: in a String, "\r\n" is one character, never equal to "\n".
        let bytes = Array(text.utf8)
        var lines = [Range<Int>]()
        var lineStart = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            lines.append(lineStart..<index)
            lineStart = index + 1
        }
        lines.append(lineStart..<bytes.count)
        guard isDelimiter(bytes[lines[0]]) else {
            return .failure(
                .init(
                    message: "a document starts with its front matter: a line '---', the fields in YAML, then a line '---' "
                        + "before the text", location: .start, kind: .syntax))
        }
        guard let closing = lines.indices.dropFirst().first(where: { isDelimiter(bytes[lines[$0]]) }) else {
            return .failure(
                .init(
                    message: "the front matter opened on line 1 is not closed: end it with a line '---' before the text",
                    location: SourceLocation(line: lines.count, column: 1), kind: .syntax))
        }
        let bodyStart = min(bytes.count, lines[closing].upperBound + 1)
        return .success(
            MarkdownFile(
                frontMatter: Data(bytes[..<lines[closing].lowerBound]),
                body: String(decoding: bytes[bodyStart...], as: UTF8.self),
                closingLocation: SourceLocation(line: closing + 1, column: 1),
                bodyLocation: SourceLocation(line: closing + 2, column: 1)))
    }
}
