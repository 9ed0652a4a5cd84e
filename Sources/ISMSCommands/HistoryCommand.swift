import ArgumentParser
import ISMSHistory
import ISMSKit
import ISMSModel
import ISMSRules

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every change to one record, newest first: who changed which field, when, in which commit.",
        discussion:
            "Reads git objects only. Follows the record through moves and id changes (by its id). Exit status: 0, or 2 when the history cannot be read or the id is unknown."
    )

    @Argument(help: "The record's id, such as RISK-1, or isms.yaml for the changes to the settings.")
    var id: String

    @Option(help: "Show only changes to this field (a dotted path such as acceptance.approved_by; a mapping name matches its fields).")
    var field: String?

    @Option(help: "Show only changes authored on or after this day (YYYY-MM-DD).")
    var since: Day?

    @OptionGroup var source: HistorySourceOptions

    func run() throws {
        let workspace = try source.rootOptions.workspace()
        // Only this record's entries are read (the settings' log reads every commit).
        let history = try source.load(workspace, onlyRecord: id == SettingEntry.path ? nil : id)
        try source.finish(history) {
            if id == SettingEntry.path {
                let filter = HistoryFilter(since: since, field: field)
                let shown = try workspace.settingsLog(history).entries.compactMap(filter.apply)
                let signatures = try source.signatures(of: shown.map(\.commit), in: workspace)
                return source.format.renderer.settingsHistory(shown, signatures: signatures)
            }
            guard let entries = history.entries(of: id) else {
                throw ToolError.unknownRecord(id, revision: source.rev, suggestion: closest(to: id, in: history.knownIDs()))
            }
            let shown = HistoryFilter(since: since, field: field).apply(entries)
            let signatures = try source.signatures(of: shown.map(\.commit), in: workspace)
            return source.format.renderer.history(record: id, entries: shown, signatures: signatures)
        }
    }
}
