import ArgumentParser
import ISMSKit

struct Blame: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every current field of a record with the commit that set its current value.",
        discussion: "A value a merge took from a branch is credited to the branch commit that made it. Exit status: 0, or 2 when the record is not at the revision."
    )

    @Argument(help: "The record's id, such as RISK-1.")
    var id: String

    @OptionGroup var source: HistorySourceOptions

    func run() throws {
        let history = try source.load()
        guard let lines = history.blame(id) else {
            throw ToolError.unknownRecord(id, revision: source.rev, suggestion: closest(to: id, in: history.currentIDs()))
        }
        Terminal.write(source.format == "json" ? HistoryJSON.blame(record: id, lines: lines) : HistoryText.blame(lines))
    }
}
