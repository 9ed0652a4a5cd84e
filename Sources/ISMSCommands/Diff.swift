import ArgumentParser
import GitKit
import ISMSKit
import ISMSModel
import ISMSOutput

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract:
            "What changed in decisions between two revisions: records, fields, links and findings, with the commits that made each change.",
        discussion: "BASE is compared at the merge base of BASE and HEAD, as a pull request is. Exit status: 0, or 2 when it cannot run."
    )

    @Argument(help: "The range BASE..HEAD (BASE alone means BASE..HEAD).")
    var range: String

    @OptionGroup var rootOptions: RootOptions

    @Option(help: "Output format: text, markdown (for a pull-request comment) or json.")
    var format: DiffFormat = .text

    @Option(name: .customLong("as-of"), help: "Judge the findings' dates against this day (YYYY-MM-DD). Default: today, UTC.")
    var asOf: Day?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the history and signature caches under the git folder.")
    var noCache = false

    @Option(
        name: .customLong("trust-ref"),
        help: "Judge with the policy (rules, limits, roster, allowed signers and OpenPGP keys) of this revision (default: BASE).")
    var trustRef: String?

    func run() throws {
        let output = format
        let workspace = try rootOptions.workspace()
        let report = try workspace.diff(range, asOf: asOf ?? Day.today(), trustRef: trustRef, useCache: !noCache)
        // Trust and the roster come from BASE (or --trust-ref), never from the change under review.
        let verifier = try workspace.signatureVerifier(trustRef: report.trustRef, useCache: !noCache)
        var commits: [ObjectID] = report.fieldCommits.values.flatMap { $0.values.flatMap { $0.map(\.id) } }
        commits += report.recordCommits.values.flatMap { $0.map(\.id) }
        commits += report.settings.flatMap { $0.commits.map(\.id) }
        let signatures = verifier.signatures(of: commits, people: workspace.people(at: report.trustRef))
        for note in verifier.notes { Terminal.note(note) }
        if let problem = verifier.saveCache() { Terminal.warning(problem) }
        for notice in report.notices {
            switch notice {
            case .note(let message): Terminal.note(message)
            case .warning(let message): Terminal.warning(message)
            }
        }
        Terminal.write(output.render(report, signatures: signatures))
    }
}

extension DiffFormat: ExpressibleByArgument {}
