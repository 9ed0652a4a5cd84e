import Foundation
import ISMSModel
import ISMSRules

/// The Code Climate JSON array GitLab reads as a Code Quality report (`artifacts:reports:codequality`): the merge
/// request widget then lists the findings a branch adds and those it resolves, and the diff marks their lines.
public struct CodeQualityReporter: CheckReporter {
    public static let format = "codequality"
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        // GitLab matches a finding between the base and the head pipeline by its fingerprint alone, so it must not
        // move with lines or change with wording: rule, record (or file) and field. Findings that share those
        // (soa-gap names one Annex A control per finding, all on soa_exclusions) add their message to stay apart.
        var shared = [String: Int]()
        for finding in report.findings { shared[Self.key(finding), default: 0] += 1 }
        let issues: [JSONValue] = report.findings.map { finding in
            var key = Self.key(finding)
            if shared[key, default: 0] > 1 { key += "\u{1}" + finding.message }
            return .object([
                "type": .string("issue"),
                "check_name": .string(finding.rule),
                "description": .string(finding.message),
                "categories": .array([.string("Security")]),
                "fingerprint": .string(SHA256.hex(Data(key.utf8))),
                "severity": .string(Self.severity(finding.severity)),
                "location": .object([
                    "path": .string(ReportContext.join(context.repositoryPrefix, finding.path ?? "isms.yaml")),
                    "lines": .object(["begin": .number(finding.line ?? 1)]),
                ]),
            ])
        }
        return JSONValue.array(issues).rendered() + "\n"
    }

    package static func key(_ finding: Finding) -> String {
        "\(finding.rule)\u{1}\(finding.record ?? finding.path ?? "isms.yaml")\u{1}\(finding.field ?? "")"
    }

    /// Code Climate's scale is info, minor, major, critical, blocker: an error fails the check, so it is critical.
    package static func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: return "critical"
        case .warning: return "major"
        case .note: return "info"
        }
    }
}
