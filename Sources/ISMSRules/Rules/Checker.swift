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

    public func count(_ severity: Severity) -> Int {
        // Counted in place: filtering copied up to thousands of findings for a number.
        var count = 0
        for index in findings.indices where findings[index].severity == severity { count += 1 }
        return count
    }
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
        start(loaded, asOf: asOf, artifacts: artifacts).finish(governance: governance)
    }

    /// Starts the rules that do not read the history (`HistoryUse.notRead`) on another thread, so that the caller
    /// can read the history meanwhile; `RuleRun.finish` runs the history rules and assembles the report.
    package static func start(_ loaded: LoadedISMS, asOf: Day, artifacts: any ArtifactReader) -> RuleRun {
        RuleRun(loaded, asOf: asOf, artifacts: artifacts)
    }

    /// Findings of the rules at `indices` of `RuleRegistry.all`, one list per rule, with each rule's time.
    fileprivate static func run(_ indices: [Int], _ context: RuleContext, timed: Bool) -> [(findings: [Finding], seconds: Double)] {
        indices.map { index in
            let started = timed ? PhaseTimings.now() : 0
            let findings = RuleRegistry.all[index].check(context)
            return (findings, timed ? PhaseTimings.now() - started : 0)
        }
    }

    fileprivate static func assemble(
        _ loaded: LoadedISMS, context: RuleContext, perRule: [(findings: [Finding], seconds: Double)], timed: Bool
    ) -> CheckReport {
        var findings = loaded.findings
        var timings = timed ? PhaseTimings() : nil
        var reproducible = true
        // In the registry's order, whichever thread judged each rule: the findings are then sorted exactly as before.
        for (rule, result) in zip(RuleRegistry.all, perRule) {
            findings += result.findings
            timings?.add(type(of: rule).id, seconds: result.seconds)
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

/// One check's rules under way: those that do not read the history run on another thread from the start (they
/// are given no history, which they never read: `RuleRunTests`), the history rules on the caller's thread in
/// `finish`, once the caller has read the history. Every rule sees the same immutable ISMS; the history rules share
/// the `GovernanceContext`, which stays on one thread.
package final class RuleRun: Sendable {
    private let loaded: LoadedISMS
    private let asOf: Day
    private let artifacts: any ArtifactReader
    private let timed: Bool
    private let historyFree: [Int]
    private let historyRules: [Int]
    private let historyFreeFindings: Background<[(findings: [Finding], seconds: Double)]>

    fileprivate init(_ loaded: LoadedISMS, asOf: Day, artifacts: any ArtifactReader) {
        self.loaded = loaded
        self.asOf = asOf
        self.artifacts = artifacts
        let timed = PhaseTimings.requested
        self.timed = timed
        let indices = Array(RuleRegistry.all.indices)
        let historyFree = indices.filter { type(of: RuleRegistry.all[$0]).history == .notRead }
        self.historyFree = historyFree
        historyRules = indices.filter { type(of: RuleRegistry.all[$0]).history != .notRead }
        let context = RuleContext(isms: loaded.isms, asOf: asOf, artifacts: artifacts, governance: nil)
        historyFreeFindings = Background { Checker.run(historyFree, context, timed: timed) }
    }

    /// Waits for the rules started, when the check stops before `finish` (it throws): nothing it started outlives it.
    package func abandonIfUnfinished() {
        _ = historyFreeFindings.wait()
    }

    /// Runs the history rules with `governance` (nil: none to judge), waits for the others, and returns the report.
    package func finish(governance: GovernanceContext?) -> CheckReport {
        let context = RuleContext(isms: loaded.isms, asOf: asOf, artifacts: artifacts, governance: governance)
        let judged = Checker.run(historyRules, context, timed: timed)
        let free = historyFreeFindings.wait()
        var perRule = [(findings: [Finding], seconds: Double)](repeating: ([], 0), count: RuleRegistry.all.count)
        for (index, result) in zip(historyFree, free) { perRule[index] = result }
        for (index, result) in zip(historyRules, judged) { perRule[index] = result }
        return Checker.assemble(loaded, context: context, perRule: perRule, timed: timed)
    }
}

public struct RecordSummary: Sendable, Hashable {
    public let id: String
    public let kind: RecordKind
    public let path: String
}
