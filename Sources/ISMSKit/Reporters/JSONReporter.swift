import Foundation

/// The documented JSON contract of `isms check --format json` (docs/cli.md). Keys and their meaning are stable.
public struct JSONReporter: CheckReporter {
    public static let format = "json"
    public init() {}

    struct Document: Encodable {
        let version = 1
        let findings: [Item]
        let summary: Summary
    }
    struct Item: Encodable {
        let rule: String, severity: String, message: String
        let path: String?, line: Int?, column: Int?, record: String?

        init(rule: String, severity: String, message: String, path: String?, line: Int?, column: Int?, record: String?) {
            (self.rule, self.severity, self.message) = (rule, severity, message)
            (self.path, self.line, self.column, self.record) = (path, line, column, record)
        }

        /// The check JSON entry of a finding; `isms diff` lists findings in the same shape.
        init(_ f: Finding) {
            self.init(rule: f.rule, severity: f.severity.rawValue, message: f.message, path: f.path ?? "isms.yaml",
                      line: f.line, column: f.column, record: f.record)
        }

        // Absent values are written as null, never left out: consumers rely on every key being there.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encode(severity, forKey: .severity)
            try c.encode(message, forKey: .message)
            try c.encode(path, forKey: .path)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encode(record, forKey: .record)
        }
        enum CodingKeys: String, CodingKey { case rule, severity, message, path, line, column, record }
    }
    struct Summary: Encodable {
        let records: Int, errors: Int, warnings: Int, notes: Int
    }

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        let document = Document(
            findings: report.findings.map(Item.init),
            summary: Summary(records: report.recordCount, errors: report.count(.error),
                             warnings: report.count(.warning), notes: report.count(.note)))
        return JSONOutput.encode(document) + "\n"
    }
}

/// One JSON style for every command: sorted keys, no escaped slashes, pretty-printed.
public enum JSONOutput {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
