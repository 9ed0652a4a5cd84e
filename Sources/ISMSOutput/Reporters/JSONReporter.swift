import Foundation
import ISMSCore
import ISMSModel
import ISMSRules

/// The documented JSON contract of `isms check --format json` (docs/cli.md). Keys and their meaning are stable.
public struct JSONReporter: CheckReporter {
    public static let format = "json"
    public init() {}

    package struct Document: Encodable {
        package let version = 1
        package let findings: [Item]
        package let summary: Summary
    }
    /// Absent values are written as null, never left out: consumers rely on every key being there.
    package struct Item: Encodable {
        package let rule: String, severity: String, message: String
        @NullEncoded package var path: String?
        @NullEncoded package var line: Int?
        @NullEncoded package var column: Int?
        @NullEncoded package var record: String?

        package init(rule: String, severity: String, message: String, path: String?, line: Int?, column: Int?, record: String?) {
            (self.rule, self.severity, self.message) = (rule, severity, message)
            self.path = path
            self.line = line
            self.column = column
            self.record = record
        }

        /// The check JSON entry of a finding; `isms diff` lists findings in the same shape.
        package init(_ f: Finding) {
            self.init(
                rule: f.rule, severity: f.severity.rawValue, message: f.message, path: f.path ?? "isms.yaml",
                line: f.line, column: f.column, record: f.record)
        }
    }
    package struct Summary: Encodable {
        package let records: Int, errors: Int, warnings: Int, notes: Int
    }

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        let document = Document(
            findings: report.findings.map(Item.init),
            summary: Summary(
                records: report.recordCount, errors: report.count(.error),
                warnings: report.count(.warning), notes: report.count(.note)))
        return JSONOutput.encode(document) + "\n"
    }
}
