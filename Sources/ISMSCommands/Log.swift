import ArgumentParser
import ISMSHistory
import ISMSKit
import ISMSModel

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List every record change in a range of the history, newest first.",
        discussion: "Exit status: 0, or 2 when the history cannot be read."
    )

    @Option(help: "Only changes authored on or after this day (YYYY-MM-DD).")
    var since: Day?

    @Option(help: "Only changes authored on or before this day (YYYY-MM-DD).")
    var until: Day?

    @Option(
        help: "Only records of this kind (risk, control, obligation, evidence, exception, supplier, asset).",
        completion: recordKindCompletion)
    var kind: String?

    @Option(help: "Only changes to this field (a dotted path; a mapping name matches its fields).")
    var field: String?

    @OptionGroup var source: HistorySourceOptions

    func run() throws {
        let kind = try self.kind.map(RecordKind.parse)
        let workspace = try source.rootOptions.workspace()
        let history = try source.load(workspace)
        try source.finish(history) {
            // The ISMS-level decisions of isms.yaml (scope, SoA exclusions) are changes of the ISMS too.
            let entries = history.log(
                HistoryFilter(since: since, until: until, kind: kind, field: field),
                decisionsOf: try workspace.settingsLog(history))
            let signatures = try source.signatures(of: entries.map(\.commit), in: workspace)
            return source.format.renderer.log(entries, signatures: signatures)
        }
    }
}
