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
    /// Absent values are written as null, never left out: consumers rely on every key being there.
    struct Item: Encodable {
        let rule: String, severity: String, message: String
        @NullEncoded var path: String?
        @NullEncoded var line: Int?
        @NullEncoded var column: Int?
        @NullEncoded var record: String?

        init(rule: String, severity: String, message: String, path: String?, line: Int?, column: Int?, record: String?) {
            (self.rule, self.severity, self.message) = (rule, severity, message)
            self.path = path
            self.line = line
            self.column = column
            self.record = record
        }

        /// The check JSON entry of a finding; `isms diff` lists findings in the same shape.
        init(_ f: Finding) {
            self.init(rule: f.rule, severity: f.severity.rawValue, message: f.message, path: f.path ?? "isms.yaml",
                      line: f.line, column: f.column, record: f.record)
        }
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
