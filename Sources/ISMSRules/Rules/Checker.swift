import GitKit
import ISMSCore
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

    /// The report from each rule's findings (`perRule`, in the registry's order). `presorted`: the findings of the
    /// loader and of the rules that do not read the history, and those of the history rules, each with the severities
    /// applied and sorted, on the thread that made them; they are merged when nothing below changes the list.
    fileprivate static func assemble(
        _ loaded: LoadedISMS, context: RuleContext, perRule: [(findings: [Finding], seconds: Double)], timed: Bool,
        presorted: (historyFree: [Finding], history: [Finding])? = nil
    ) -> CheckReport {
        var timings = timed ? PhaseTimings() : nil
        var reproducible = true
        for (rule, result) in zip(RuleRegistry.all, perRule) { timings?.add(type(of: rule).id, seconds: result.seconds) }
        // reference_pattern has the same time budget: once given up, every later message "does not match", so which
        // decisions `decision-without-reference` reports depends on the machine's speed.
        if context.config.referencePattern?.gaveUp != nil { reproducible = false }
        let overrides = loaded.isms.config.ruleSeverities
        let idPatternGaveUp = RecordKind.allCases.contains { loaded.isms.config.idPattern($0).gaveUp != nil }
        let records = loaded.isms.records.map { RecordSummary(id: $0.id, kind: $0.kind, path: $0.path) }
        if !idPatternGaveUp, let presorted, let merged = merge(presorted.historyFree, presorted.history) {
            var report = CheckReport(findings: merged, records: records)
            report.timings = timings
            report.reproducible = reproducible
            return report
        }
        var findings = loaded.findings
        // In the registry's order, whichever thread judged each rule: the findings are then sorted exactly as before.
        for result in perRule { findings += result.findings }
        for kind in RecordKind.allCases {
            let pattern = loaded.isms.config.idPattern(kind)
            guard let input = pattern.gaveUp else { continue }
            reproducible = false
            // Which ids were checked before the pattern was given up depends on timing: report none of them.
            findings.removeAll {
                $0.rule == IDPatternRule.id && $0.path.map { RecordKind(folder: $0.firstPathComponent ?? $0) } == kind
            }
            let shown = input.count > 40 ? String(input.prefix(40)) + "…" : input
            findings.append(
                InvalidValueRule.finding(
                    "id_patterns.\(kind.rawValue) took over \(Int(Pattern.matchBudget * 1000)) ms to match '\(shown)' (a pattern that "
                        + "backtracks catastrophically, such as nested repetition); \(kind.rawValue) ids were not checked against it: simplify it",
                    path: "isms.yaml", at: pattern.location, field: "id_patterns.\(kind.rawValue)"))
        }
        var report = CheckReport(findings: sortedWithSeverities(findings, overrides), records: records)
        report.timings = timings
        report.reproducible = reproducible
        return report
    }

    /// `findings` with the severities set in isms.yaml (a rule turned off reports nothing), sorted: stably, so that
    /// findings tied in `Finding.ordered` keep the order of the list.
    fileprivate static func sortedWithSeverities(_ findings: [Finding], _ overrides: [String: Severity?]) -> [Finding] {
        var findings = findings
        if !overrides.isEmpty {
            findings = findings.compactMap { finding in
                guard let override = overrides[finding.rule] else { return finding }
                guard let severity = override else { return nil }
                var changed = finding
                changed.severity = severity
                return changed
            }
        }
        findings.sort(by: Finding.ordered)
        return findings
    }

    /// The merge of two lists sorted by `Finding.ordered` (stably, each from its part of the registry's order), which
    /// is the stable sort of the two one after the other when no finding of one is tied with one of the other; nil
    /// when one is (same path, place, rule and message), and the order between them would depend on the list. Tied
    /// findings of the two lists always meet as the heads compared, so every tie is seen.
    package static func merge(_ a: [Finding], _ b: [Finding]) -> [Finding]? {
        var merged = [Finding]()
        merged.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if Finding.ordered(b[j], a[i]) {
                merged.append(b[j])
                j += 1
            } else if Finding.ordered(a[i], b[j]) {
                merged.append(a[i])
                i += 1
            } else {
                return nil
            }
        }
        merged += a[i...]
        merged += b[j...]
        return merged
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
    private let historyFreeFindings: Background<(perRule: [(findings: [Finding], seconds: Double)], sorted: [Finding])>

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
        historyFreeFindings = Background {
            let perRule = Checker.run(historyFree, context, timed: timed)
            // Sorted here, beside the history rules, with the loader's findings (which come first, as in the report).
            let sorted = Checker.sortedWithSeverities(
                loaded.findings + perRule.flatMap(\.findings), loaded.isms.config.ruleSeverities)
            return (perRule, sorted)
        }
    }

    /// Waits for the rules started, when the check stops before `finish` (it throws): nothing it started outlives it.
    package func abandonIfUnfinished() {
        _ = historyFreeFindings.wait()
    }

    /// Runs the history rules with `governance` (nil: none to judge), waits for the others, and returns the report.
    /// `lastFirst`: the history rules run in the reverse of the registry's order (the report is the same).
    package func finish(governance: GovernanceContext?, lastFirst: Bool = false) -> CheckReport {
        let context = RuleContext(isms: loaded.isms, asOf: asOf, artifacts: artifacts, governance: governance)
        let judged =
            lastFirst
            ? Array(Checker.run(historyRules.reversed(), context, timed: timed).reversed())
            : Checker.run(historyRules, context, timed: timed)
        let sorted = Checker.sortedWithSeverities(judged.flatMap(\.findings), loaded.isms.config.ruleSeverities)
        let free = historyFreeFindings.wait()
        var perRule = [(findings: [Finding], seconds: Double)](repeating: ([], 0), count: RuleRegistry.all.count)
        for (index, result) in zip(historyFree, free.perRule) { perRule[index] = result }
        for (index, result) in zip(historyRules, judged) { perRule[index] = result }
        return Checker.assemble(
            loaded, context: context, perRule: perRule, timed: timed, presorted: (free.sorted, sorted))
    }
}

public struct RecordSummary: Sendable, Hashable {
    public let id: String
    public let kind: RecordKind
    public let path: String
}
