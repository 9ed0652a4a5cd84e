import ArgumentParser
import GitKit
import ISMSKit
import ISMSModel
import ISMSOutput
import ISMSRules

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the records and the chain from risk to treatment, control, evidence and obligation.",
        discussion:
            "Exit status: 0 when no finding is an error (with --strict, no warning either), 1 when one is, 2 when the check cannot run."
    )

    enum FailOn: String, ExpressibleByArgument, CaseIterable { case new, all }

    @OptionGroup var rootOptions: RootOptions

    @Option(help: "Check the ISMS as it is at this git revision, read from git objects, instead of the work tree.")
    var rev: String?

    @Flag(help: "Check exactly what the index holds: the commit about to be made.")
    var staged = false

    @Option(help: "Report only findings that are new since the merge base of this revision and the one checked (--rev, else HEAD).")
    var base: String?

    @Option(name: .customLong("fail-on"), help: "With --base: fail on new errors only (new) or on every error (all).")
    var failOn: FailOn = .new

    @Option(name: .customLong("as-of"), help: "Judge dates against this day (YYYY-MM-DD). Default: today, UTC.")
    var asOf: Day?

    @Option(help: "Output format.")
    var format: CheckFormat = .text

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @Option(
        name: .customLong("trust-ref"),
        help:
            "Judge with the policy (rules, limits, roster, allowed signers and OpenPGP keys) of this revision (default: --base; without either, the revision checked)."
    )
    var trustRef: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the history and signature caches under the git folder.")
    var noCache = false

    func run() throws {
        let reporter = format.reporter
        if staged && rev != nil { throw ToolError.invalidArgument("--staged and --rev cannot be combined") }
        let workspace = try rootOptions.workspace()
        let day = asOf ?? Day.today()
        // The history rules judge the history of the revision checked (HEAD for the work tree and the index),
        // with the policy and keys of --trust-ref, else BASE; without either, that revision's own.
        let history = workspace.repository == nil ? nil : (rev ?? "HEAD")
        var options = GovernanceOptions(revision: history, trustRef: trustRef ?? base, useCache: !noCache)
        // The merge base is judged beside the head: it starts once the head's history read has, and its own history
        // (which reuses the head's) is read once the head's is, so its history rules run beside the head's.
        let baseline = base.map {
            BaselineRun(workspace: workspace, base: $0, head: rev ?? "HEAD", asOf: day, trustRef: trustRef ?? $0, useCache: !noCache)
        }
        defer { baseline?.waitIfStarted() }
        if let baseline {
            options.historyStarted = { baseline.headHistoryStarted() }
            options.historyRead = { baseline.headHistoryRead($0) }
            options.sharesWithOtherChecks = true
        }
        var notes = [String]()
        let full: CheckReport
        if staged {
            if try workspace.nothingStaged() {
                Terminal.note("nothing staged under the ISMS root")
                // A tool reading a machine format gets its document (no findings, no records), never an empty output
                // it cannot parse; people get the note alone.
                if !format.isForPeople {
                    let context = ReportContext(repositoryPrefix: workspace.repositoryPrefix ?? "", strict: strict)
                    Terminal.write(
                        reporter.render(CheckReport(findings: [], records: []), context: context),
                        workflowCommands: format.writesWorkflowCommands)
                }
                return
            }
            full = try workspace.check(workspace.stagedSource(), asOf: day, options: options, notes: &notes)
        } else if let rev {
            full = try workspace.check(workspace.source(at: rev), asOf: day, options: options, notes: &notes)
        } else if options.trustRef != nil, workspace.repository != nil {
            // Judged against a trust revision (a pull request), the ISMS is what HEAD commits, read from git objects:
            // the checked-out files can differ from it (attributes such as `ident` rewrite them on checkout), and a
            // value that differs from its commit is one no commit can be judged for.
            full = try workspace.check(workspace.sourceBesideHistory(at: "HEAD"), asOf: day, options: options, notes: &notes)
        } else {
            full = try workspace.check(workspace.workTreeSource, asOf: day, options: options, notes: &notes)
        }
        for note in notes { Terminal.note(note) }
        var shown = full
        if let base, let baseline {
            let comparison = try baseline.comparison(with: full)
            for note in comparison.timingNotes { Terminal.note(note) }
            shown = full.with(findings: comparison.introduced)
            let old = full.findings.count - comparison.introduced.count
            Terminal.note(
                "\(comparison.introduced.count) new since \(base) (merge base \(comparison.baseCommit.short)); "
                    + "\(old) already there not shown; \(comparison.resolved.count) resolved")
        }
        let context = ReportContext(
            displayPrefix: workspace.displayPrefix(), repositoryPrefix: workspace.repositoryPrefix ?? "",
            useColour: Terminal.stdoutIsTTY && format.isForPeople, strict: strict)
        Terminal.write(reporter.render(shown, context: context), workflowCommands: format.writesWorkflowCommands)
        let judged = base != nil && failOn == .all ? full : shown
        if judged.count(.error) > 0 || (strict && judged.count(.warning) > 0) { throw ExitCode(1) }
    }
}

/// `isms check --format`: the formats of `CheckReporters.all`, so that a new reporter completes in shells and is
/// validated by the parser without a line here.
struct CheckFormat: RawRepresentable, ExpressibleByArgument, CaseIterable, Equatable {
    let rawValue: String
    let reporter: any CheckReporter

    init?(rawValue: String) {
        guard let reporter = CheckReporters.reporter(for: rawValue) else { return nil }
        self.rawValue = rawValue
        self.reporter = reporter
    }

    static var allCases: [CheckFormat] { CheckReporters.formats.compactMap(CheckFormat.init(rawValue:)) }
    static var text: CheckFormat { CheckFormat(rawValue: TextReporter.format)! }
    static func == (a: CheckFormat, b: CheckFormat) -> Bool { a.rawValue == b.rawValue }

    var isForPeople: Bool { type(of: reporter).isForPeople }
    var writesWorkflowCommands: Bool { type(of: reporter).writesWorkflowCommands }
}
