import GitKit
import ISMSHistory
import ISMSLoading
import ISMSModel

/// The outcome of `isms check`.
public struct CheckReport: Sendable {
    public let findings: [Finding]
    /// The records read, in path order: what formats with one entry per record (JUnit) list.
    public let records: [RecordSummary]
    public var recordCount: Int { records.count }
    /// With ISMS_TIMING=1: how long each rule took.
    public var timings: PhaseTimings?
    /// False when the findings depend on the machine or the moment rather than on the ISMS, its history and the
    /// day (a pattern given up after its time budget, a signature gpg could not verify): such a report is not cached.
    package var reproducible = true

    public init(findings: [Finding], records: [RecordSummary]) {
        self.findings = findings
        self.records = records
    }

    /// The same records with other findings (those new since a base, say).
    public func with(findings: [Finding]) -> CheckReport {
        CheckReport(findings: findings, records: records)
    }

    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }
}

public enum Checker {
    /// Loads the ISMS from `source`, runs every rule and applies the severities set in isms.yaml.
    public static func check(_ source: some RecordSource, asOf: Day) throws(ToolError) -> CheckReport {
        let loaded = try Loader.load(from: source)
        return check(loaded, asOf: asOf, artifacts: source)
    }

    public static func check(
        _ loaded: LoadedISMS, asOf: Day, artifacts: any ArtifactReader,
        governance: GovernanceContext? = nil
    ) -> CheckReport {
        let context = RuleContext(isms: loaded.isms, asOf: asOf, artifacts: artifacts, governance: governance)
        var findings = loaded.findings
        var timings = PhaseTimings.requested ? PhaseTimings() : nil
        var reproducible = true
        for rule in RuleRegistry.all {
            findings += rule.check(context)
            timings?.lap(type(of: rule).id)
        }
        // reference_pattern has the same time budget: once given up, every later message "does not match", so which
        // decisions `decision-without-reference` reports depends on the machine's speed.
        if context.config.referencePattern?.gaveUp != nil { reproducible = false }
        for kind in RecordKind.allCases {
            let pattern = loaded.isms.config.idPattern(kind)
            guard let input = pattern.gaveUp else { continue }
            reproducible = false
            // Which ids were checked before the pattern was given up depends on timing: report none of them.
            findings.removeAll {
                $0.rule == IDPatternRule.id && $0.path.map { RecordKind(folder: String($0.prefix { $0 != "/" })) } == kind
            }
            let shown = input.count > 40 ? String(input.prefix(40)) + "…" : input
            findings.append(
                InvalidValueRule.finding(
                    "id_patterns.\(kind.rawValue) took over \(Int(Pattern.matchBudget * 1000)) ms to match '\(shown)' (a pattern that "
                        + "backtracks catastrophically, such as nested repetition); \(kind.rawValue) ids were not checked against it: simplify it",
                    path: "isms.yaml", at: pattern.location, field: "id_patterns.\(kind.rawValue)"))
        }
        let overrides = loaded.isms.config.ruleSeverities
        findings = findings.compactMap { finding in
            guard let override = overrides[finding.rule] else { return finding }
            guard let severity = override else { return nil }
            var changed = finding
            changed.severity = severity
            return changed
        }
        let records = loaded.isms.records.map { RecordSummary(id: $0.id, kind: $0.kind, path: $0.path) }
        var report = CheckReport(findings: findings.sorted(by: Finding.ordered), records: records)
        report.timings = timings
        report.reproducible = reproducible
        return report
    }
}

public struct RecordSummary: Sendable, Hashable {
    public let id: String
    public let kind: RecordKind
    public let path: String
}
