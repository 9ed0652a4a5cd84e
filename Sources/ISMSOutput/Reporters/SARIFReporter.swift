import ISMSCore
import ISMSModel
import ISMSRules

/// SARIF 2.1.0 for code scanning (GitHub and others): one reportingDescriptor per rule, a result per
/// finding, paths relative to the repository root, fingerprints that survive line moves.
public struct SARIFReporter: CheckReporter {
    public static let format = "sarif"
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        let rules = RuleRegistry.all.map { $0.definition }
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let descriptors: [JSONValue] = rules.map { d in
            .object([
                "id": .string(d.id),
                "name": .string(Self.camelCase(d.id)),
                "shortDescription": .object(["text": .string(d.summary)]),
                "fullDescription": .object(["text": .string(d.rationale)]),
                "help": .object(["text": .string(d.fix)]),
                "helpUri": .string(RuleDocs.url(for: d.id)),
                "defaultConfiguration": .object(["level": .string(Self.level(d.severity))]),
            ])
        }
        let results: [JSONValue] = report.findings.map { finding in
            var result: [String: JSONValue] = [
                "ruleId": .string(finding.rule),
                "level": .string(Self.level(finding.severity)),
                "message": .object(["text": .string(finding.message)]),
                "partialFingerprints": .object(["ismsFinding/v1": .string(Self.fingerprint(finding))]),
            ]
            if let index = ruleIndex[finding.rule] { result["ruleIndex"] = .number(index) }
            var region: [String: JSONValue] = [:]
            if let line = finding.line { region["startLine"] = .number(line) }
            if let column = finding.column { region["startColumn"] = .number(column) }
            var physical: [String: JSONValue] = [
                "artifactLocation": .object([
                    // A URI reference, not a path: `risk 90 (copy).yaml` and `risk#91.yaml` must be percent-encoded
                    // to name their file (SARIF §3.4.3, RFC 3986).
                    "uri": .string(SafeText.uriPath(ReportContext.join(context.repositoryPrefix, finding.path ?? "isms.yaml"))),
                    "uriBaseId": .string("%SRCROOT%"),
                ])
            ]
            if !region.isEmpty { physical["region"] = .object(region) }
            result["locations"] = .array([.object(["physicalLocation": .object(physical)])])
            if let record = finding.record {
                result["properties"] = .object(["record": .string(record)])
            }
            return .object(result)
        }
        let document: JSONValue = .object([
            "$schema": .string("https://json.schemastore.org/sarif-2.1.0.json"),
            "version": .string("2.1.0"),
            "runs": .array([
                .object([
                    "tool": .object([
                        "driver": .object([
                            "name": .string("isms"),
                            "semanticVersion": .string(ISMSVersion.current),
                            "informationUri": .string(RuleDocs.projectURL),
                            "rules": .array(descriptors),
                        ])
                    ]),
                    "results": .array(results),
                    "columnKind": .string("unicodeCodePoints"),
                ])
            ]),
        ])
        return document.rendered() + "\n"
    }

    package static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    package static func camelCase(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// What the finding is about, never where: rule, record (or file), field and message.
    package static func fingerprint(_ finding: Finding) -> String {
        let hash = fnv1a(
            "\(finding.rule)\u{1}\(finding.record ?? finding.path ?? "")\u{1}\(finding.field ?? "")\u{1}\(finding.message)".utf8)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
