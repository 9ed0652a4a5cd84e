import ArgumentParser
import ISMSKit
import ISMSModel

struct Blame: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blame",
        abstract: "Show every current field of a record with the commit that set its current value.",
        discussion:
            "A value a merge took from a branch is credited to the branch commit that made it. Exit status: 0, or 2 when the record is not at the revision."
    )

    @Argument(help: "The record's id, such as RISK-1.")
    var id: String

    @OptionGroup var source: HistorySourceOptions

    func run() throws {
        let workspace = try source.rootOptions.workspace()
        let history = try source.load(workspace)
        try source.finish(history) {
            guard let lines = history.blame(id) else {
                throw ToolError.unknownRecord(id, revision: source.rev, suggestion: closest(to: id, in: history.currentIDs()))
            }
            let signatures = try source.signatures(of: lines.map(\.commit), in: workspace)
            return source.format.renderer.blame(record: id, lines: lines, signatures: signatures)
        }
    }
}
