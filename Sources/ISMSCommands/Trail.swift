import ArgumentParser
import ISMSKit
import ISMSOutput

struct TrailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trail",
        abstract:
            "Show what each material change to a record led to: who changed what, the linked risks' reassessments, the records changed with it, and what is open.",
        discussion:
            "Reads the history of HEAD; signatures are verified with the keys trusted at HEAD. Exit status: 0, or 2 when the history cannot be read or the id is unknown."
    )

    @Argument(help: "The record's id, such as SUP-1; isms.yaml for the ISMS scope, to which every risk is linked.")
    var id: String

    @Option(help: "Only changes since this revision (its ancestors left out) or authored on or after this day (YYYY-MM-DD).")
    var since: String?

    @Option(help: "Output format.")
    var format: TrailFormat = .text

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the caches under the git folder.")
    var noCache = false

    @OptionGroup var rootOptions: RootOptions

    func run() throws {
        let workspace = try rootOptions.workspace()
        var notes = [String]()
        let trail = try workspace.trail(id, since: since, useCache: !noCache, notes: &notes)
        for note in notes { Terminal.note(note) }
        Terminal.write(format.render(trail))
    }
}

/// `--format` of trail: an enum, so shells complete it and the parser refuses anything else.
extension TrailFormat: ExpressibleByArgument {}
