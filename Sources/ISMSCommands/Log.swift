import ArgumentParser
import GitKit
import ISMSCore
import ISMSHistory
import ISMSKit
import ISMSLoading
import ISMSModel
import ISMSOutput

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
        let filter = HistoryFilter(since: since, until: until, kind: kind, field: field)
        try source.finish(history) {
            // The ISMS-level decisions of isms.yaml (scope, SoA exclusions) are changes of the ISMS too.
            let settings = try workspace.settingsLog(history)
            if source.format == .text {
                try streamText(history, filter: filter, settings: settings, workspace: workspace)
                return ""
            }
            let entries = history.log(filter, decisionsOf: settings)
            let signatures = try source.signatures(of: entries.map(\.commit), in: workspace)
            return source.format.renderer.log(entries, signatures: signatures)
        }
        // The repository outlives the command: freeing it frees libgit2's caches of the commits and delta bases read
        // (tens of MB after a cold read), 30 ms of a cold `log` of 20,000 commits spent once the output is written,
        // on memory the process's exit hands back at once. The last one only: a process running commands one after
        // another (the tests) frees each when the next command keeps its own.
        Self.keptRepository.withLock { $0 = workspace.repository }
    }

    private static let keptRepository = Locked<Repository?>(nil)

    /// How many commits' entries one piece of the text log holds (`LogPieces`): about 100 KB of text on the
    /// benchmark, few enough in flight to leave memory alone, many enough that handing pieces over costs nothing.
    static let commitsPerPiece = 512

    /// The text log written as it is rendered, commit by commit, each commit's signature verified when its first
    /// entry is: the same bytes as `HistoryText.log` of every entry, without holding every entry, its text and every
    /// verdict of the history at once (on a million commits, more than a gigabyte).
    private func streamText(_ history: History, filter: HistoryFilter, settings: SettingsLog, workspace: Workspace) throws {
        let trustRef = source.trustRef ?? source.rev
        let verifier = try workspace.signatureVerifier(trustRef: trustRef, useCache: !source.noCache)
        verifier.remembersVerdicts = false
        let people = workspace.people(at: trustRef)
        if let pieces = LogPieces(history, filter: filter, decisionsOf: settings, commitsPerPiece: Self.commitsPerPiece) {
            // Rendered on every core a piece at a time, written in order; each commit's mark asked for once, as below.
            HistoryText.streamLog(pieces, threads: parallelThreads) { commit in
                SafeText.text(verifier.verdict(for: commit.id, carriesSignature: commit.carriesSignature).mark(people: people))
            } write: {
                Terminal.write(guarded: $0)
            }
            for note in verifier.notes { Terminal.note(note) }
            if let problem = verifier.saveCache() { Terminal.warning(problem) }
            return
        }
        var last: (id: ObjectID, mark: String)?
        var writer = HistoryText.Writer(withRecord: true, capacity: 1 << 17) { commit in
            if let last, last.id == commit.id { return last.mark }
            let mark = SafeText.text(verifier.verdict(for: commit.id, carriesSignature: commit.carriesSignature).mark(people: people))
            last = (commit.id, mark)
            return mark
        }
        history.forEachLogItem(filter, decisionsOf: settings) { item in
            writer.append(item)
            // Whole lines only: the guard against workflow commands reads the output line by line.
            if writer.out.count >= 1 << 16 {
                Terminal.write(writer.out.string)
                writer.out.removeAll()
            }
        }
        Terminal.write(writer.out.string)
        for note in verifier.notes { Terminal.note(note) }
        if let problem = verifier.saveCache() { Terminal.warning(problem) }
    }
}
