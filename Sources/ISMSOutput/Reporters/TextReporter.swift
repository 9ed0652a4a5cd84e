import GitKit
import ISMSCore
import ISMSModel
import ISMSRules

/// `path:line:col: severity: message [rule]`, one line a finding, then a summary.
public struct TextReporter: CheckReporter {
    public static let format = "text"
    public static let isForPeople = true
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var out = ""
        let folded = Self.foldedRules(report.findings)
        var foldedShown = Set<String>()
        for var finding in report.findings {
            if finding.severity == .note, let count = folded[finding.rule] {
                guard foldedShown.insert(finding.rule).inserted else { continue }
                finding.message =
                    "\(count) \(finding.rule) notes, the first: \(finding.message); "
                    + "`isms check --format json` lists them all"
            }
            // The path and the message carry file names and record values: escaped, so a finding stays one line.
            var location = SafeText.text(ReportContext.join(context.displayPrefix, finding.path ?? "isms.yaml"))
            if let line = finding.line { location += ":\(line):\(finding.column ?? 1)" }
            let severity = context.useColour ? Self.colour(finding.severity) : finding.severity.rawValue
            out += "\(location): \(severity): \(SafeText.text(finding.message)) [\(finding.rule)]\n"
        }
        out += Self.summary(report) + "\n"
        return out
    }

    /// More notes of one rule than this print as one line in text: a starter ISMS has 91 soa-gap notes, which
    /// would push its first real error off the screen. Machine formats still list every finding.
    public static let foldAbove = 10

    /// The rules whose notes are folded, with how many notes each has.
    package static func foldedRules(_ findings: [Finding]) -> [String: Int] {
        var counts = [String: Int]()
        for finding in findings where finding.severity == .note { counts[finding.rule, default: 0] += 1 }
        return counts.filter { $0.value > foldAbove }
    }

    package static func summary(_ report: CheckReport) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(plural(report.recordCount, "record")) checked: \(plural(report.count(.error), "error")), "
            + "\(plural(report.count(.warning), "warning")), \(plural(report.count(.note), "note"))"
    }

    package static func colour(_ severity: Severity) -> String {
        switch severity {
        case .error: return "\u{1B}[1;31merror\u{1B}[0m"
        case .warning: return "\u{1B}[1;33mwarning\u{1B}[0m"
        case .note: return "\u{1B}[1;36mnote\u{1B}[0m"
        }
    }
}
