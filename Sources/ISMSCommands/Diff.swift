import ArgumentParser
import ISMSKit

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What changed in decisions between two revisions: records, fields, links and findings, with the commits that made each change.",
        discussion: "BASE is compared at the merge base of BASE and HEAD, as a pull request is. Exit status: 0, or 2 when it cannot run."
    )

    @Argument(help: "The range BASE..HEAD (BASE alone means BASE..HEAD).")
    var range: String

    @OptionGroup var rootOptions: RootOptions

    @Option(help: "Output format: text, markdown (for a pull-request comment) or json.")
    var format = "text"

    @Option(name: .customLong("as-of"), help: "Judge the findings' dates against this day (YYYY-MM-DD). Default: today, UTC.")
    var asOf: Day?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the history cache under the git folder.")
    var noCache = false

    func run() throws {
        guard let output = DiffFormat(rawValue: format) else {
            throw ToolError.invalidArgument("unknown format '\(format)'; use text, markdown or json")
        }
        let report = try rootOptions.workspace().diff(range, asOf: asOf ?? Day.today(), useCache: !noCache)
        for notice in report.notices {
            switch notice {
            case .note(let message): Terminal.note(message)
            case .warning(let message): Terminal.warning(message)
            }
        }
        Terminal.write(output.render(report))
    }
}
