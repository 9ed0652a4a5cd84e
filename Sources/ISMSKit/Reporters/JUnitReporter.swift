/// JUnit XML for CI systems that show test results: a test case per record, a failure per error finding.
public struct JUnitReporter: CheckReporter {
    public static let format = "junit"
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var byRecord = [String: [Finding]]()
        var byFile = [String: [Finding]]()
        for finding in report.findings {
            if let record = finding.record { byRecord[record, default: []].append(finding) }
            else { byFile[finding.path ?? "isms.yaml", default: []].append(finding) }
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
        let failures = cases.filter { $0.findings.contains { $0.severity == .error } }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"isms\" tests=\"\(cases.count)\" failures=\"\(failures)\">\n"
        out += "  <testsuite name=\"isms check\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        for testCase in cases {
            let file = ReportContext.join(context.repositoryPrefix, testCase.file)
            out += "    <testcase classname=\"\(Self.escape(testCase.classname))\" name=\"\(Self.escape(testCase.name))\" file=\"\(Self.escape(file))\""
            let errors = testCase.findings.filter { $0.severity == .error }
            let others = testCase.findings.filter { $0.severity != .error }
            if errors.isEmpty && others.isEmpty {
                out += "/>\n"
                continue
            }
            out += ">\n"
            for finding in errors {
                out += "      <failure type=\"\(Self.escape(finding.rule))\" message=\"\(Self.escape(finding.message))\">"
                out += Self.escape("\(file):\(finding.line ?? 1):\(finding.column ?? 1): \(finding.message) [\(finding.rule)]")
                out += "</failure>\n"
            }
            if !others.isEmpty {
                let text = others.map { "\($0.severity.rawValue): \(file):\($0.line ?? 1): \($0.message) [\($0.rule)]" }.joined(separator: "\n")
                out += "      <system-out>\(Self.escape(text))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 cannot carry most control characters at all, not even escaped.
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
