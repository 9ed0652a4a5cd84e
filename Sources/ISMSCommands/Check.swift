import ArgumentParser
import ISMSKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the records and the chain risk → treatment → control → evidence → obligation.",
        discussion: "Exit status: 0 when no finding is an error (with --strict, no warning either), 1 when one is, 2 when the check cannot run."
    )

    @OptionGroup var rootOptions: RootOptions

    @Option(help: "Check the ISMS as it is at this git revision, read from git objects, instead of the work tree.")
    var rev: String?

    @Option(name: .customLong("as-of"), help: "Judge dates against this day (YYYY-MM-DD). Default: today, UTC.")
    var asOf: Day?

    @Option(help: "Output format: \(CheckReporters.formats.joined(separator: ", ")).")
    var format = "text"

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    func run() throws {
        guard let reporter = CheckReporters.reporter(for: format) else {
            throw ToolError.invalidArgument("unknown format '\(format)'; use one of \(CheckReporters.formats.joined(separator: ", "))")
        }
        let workspace = try rootOptions.workspace()
        let day = asOf ?? Day.today()
        let report: CheckReport
        if let rev {
            report = try Checker.check(workspace.source(at: rev), asOf: day)
        } else {
            report = try Checker.check(workspace.workTreeSource, asOf: day)
        }
        let context = ReportContext(displayPrefix: workspace.displayPrefix(), repositoryPrefix: workspace.repositoryPrefix ?? "",
                                    useColour: Terminal.stdoutIsTTY && format == "text")
        Terminal.write(reporter.render(report, context: context))
        let failing = report.count(.error) > 0 || (strict && report.count(.warning) > 0)
        if failing { throw ExitCode(1) }
    }
}
