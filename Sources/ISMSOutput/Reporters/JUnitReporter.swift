import GitKit
import ISMSModel
import ISMSRules

/// JUnit XML for CI systems that show test results: a test case per record, a failure per error finding (and per
/// warning under `--strict`, which fails the job on warnings: the report must show why).
public struct JUnitReporter: CheckReporter {
    public static let format = "junit"
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var byRecord = [String: [Finding]]()
        var byFile = [String: [Finding]]()
        for finding in report.findings {
            if let record = finding.record {
                byRecord[record, default: []].append(finding)
            } else {
                byFile[finding.path ?? "isms.yaml", default: []].append(finding)
            }
        }
        var cases = [(classname: String, name: String, file: String, findings: [Finding])]()
        var seen = Set<String>()
        for record in report.records where seen.insert(record.id).inserted {
            cases.append((record.kind.rawValue, record.id, record.path, byRecord[record.id] ?? []))
        }
        // Findings on records that were not read (a duplicate id's second file, say) still get a case.
        for (id, findings) in byRecord.sorted(by: { $0.key < $1.key }) where !seen.contains(id) {
            cases.append(("record", id, findings.first?.path ?? "", findings))
        }
        for (path, findings) in byFile.sorted(by: { $0.key < $1.key }) {
            cases.append(("file", path, path, findings))
        }
        let fails: (Finding) -> Bool = { $0.severity == .error || (context.strict && $0.severity == .warning) }
        let failures = cases.filter { $0.findings.contains(where: fails) }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"isms\" tests=\"\(cases.count)\" failures=\"\(failures)\">\n"
        out += "  <testsuite name=\"isms check\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        for testCase in cases {
            let file = ReportContext.join(context.repositoryPrefix, testCase.file)
            out +=
                "    <testcase classname=\"\(Self.escape(testCase.classname))\" name=\"\(Self.escape(testCase.name))\" file=\"\(Self.escape(file))\""
            let errors = testCase.findings.filter(fails)
            let others = testCase.findings.filter { !fails($0) }
            if errors.isEmpty && others.isEmpty {
                out += "/>\n"
                continue
            }
            out += ">\n"
            for finding in errors {
                out += "      <failure type=\"\(Self.escape(finding.rule))\" message=\"\(Self.escape(finding.message))\">"
                out += Self.escape(
                    "\(file):\(finding.line ?? 1):\(finding.column ?? 1): \(finding.severity.rawValue): \(finding.message) [\(finding.rule)]"
                )
                out += "</failure>\n"
            }
            if !others.isEmpty {
                // The line breaks between findings are ours; those inside a message are escaped as `&#10;`.
                let text = others.map { Self.escape("\($0.severity.rawValue): \(file):\($0.line ?? 1): \($0.message) [\($0.rule)]") }
                out += "      <system-out>\(text.joined(separator: "\n"))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    package static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Exact, and no raw line break: a record's line break cannot start a line of the XML (which a CI log
            // showing the file would read), and a parser gives it back as it was.
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            // XML 1.0 cannot carry most control characters at all, not even escaped.
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
