import Foundation
import ISMSCore
import ISMSRules

/// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's files.
public struct GitHubReporter: CheckReporter {
    public static let format = "github"
    public static let writesWorkflowCommands = true
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var out = ""
        for finding in report.findings {
            let command: String
            switch finding.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .note: command = "notice"
            }
            // The path stays exact so GitHub can place the annotation, unless it holds control or bidi characters: those
            // are escaped as in text output (the annotation is then not placed on the file, and the log stays plain).
            let path = SafeText.text(ReportContext.join(context.repositoryPrefix, finding.path ?? "isms.yaml"))
            var properties = ["file=" + Self.escapeProperty(path)]
            if let line = finding.line { properties.append("line=\(line)") }
            if let column = finding.column { properties.append("col=\(column)") }
            properties.append("title=" + Self.escapeProperty(finding.rule))
            // The message is shown to people in the pull request: control and bidi characters escaped as in text
            // output (a right-to-left override would reorder what the annotation says).
            out += "::\(command) \(properties.joined(separator: ","))::\(Self.escapeData(SafeText.text(finding.message)))\n"
        }
        return out
    }

    // The escapes GitHub's runner expects in workflow commands.
    package static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    package static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
