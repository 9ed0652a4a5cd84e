import ArgumentParser
import Foundation
import ISMSHistory
import ISMSKit
import ISMSModel
import ISMSOutput

/// Options shared by `history`, `blame` and `log`: which ISMS, which revision, and how to read the history.
struct HistorySourceOptions: ParsableArguments {
    @OptionGroup var rootOptions: RootOptions

    @Option(help: "Read the history reachable from this revision.")
    var rev = "HEAD"

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the history cache under the git folder.")
    var noCache = false

    @Flag(name: .customLong("first-parent"), help: "Follow only the first parent of merges; a merge is credited with all it brought in.")
    var firstParent = false

    @Option(help: "Output format.")
    var format: HistoryFormat = .text

    @Option(name: .customLong("trust-ref"), help: "Trust the allowed signers and OpenPGP keys of this revision (default: --rev).")
    var trustRef: String?

    /// Verifies the signatures of `commits` against the keys trusted at --trust-ref (default --rev), prints the
    /// verifier's notes on stderr and keeps the verdicts in the cache unless --no-cache.
    func signatures(of commits: [CommitInfo], in workspace: Workspace) throws -> CommitSignatures {
        let verifier = try workspace.signatureVerifier(trustRef: trustRef ?? rev, useCache: !noCache)
        // The roster that names signers comes from the trusted revision too, so a change to it cannot relabel commits.
        let signatures = verifier.signatures(of: commits, people: workspace.people(at: trustRef ?? rev))
        for note in verifier.notes { Terminal.note(note) }
        if let problem = verifier.saveCache() { Terminal.warning(problem) }
        return signatures
    }

    /// Writes `text` to stdout, then the time per phase on stderr when `ISMS_TIMING=1`.
    func finish(_ history: History, query: () throws -> String) throws {
        var timings = history.timings
        let text = try query()
        timings.lap("query and render")
        Terminal.write(text)
        timings.lap("write")
        if PhaseTimings.requested { Terminal.note("timing: " + timings.summary) }
        // Freeing a large history object by object costs more than the rest of a warm run, and the command ends
        // with this output: the history is handed to the process, whose exit reclaims it at once.
        handToProcess(history)
    }

    /// Reads the history, with a progress bar when stderr is a terminal, and prints its notes on stderr.
    func load() throws -> History {
        try load(rootOptions.workspace())
    }

    /// `onlyRecord`: the one record the command asks about (`HistoryOptions.onlyRecord`).
    func load(_ workspace: Workspace, onlyRecord: String? = nil) throws -> History {
        let engine = try workspace.historyEngine()
        let bar = Terminal.stderrIsTTY ? ProgressBar() : nil
        let history: History
        do {
            var options = HistoryOptions(revision: rev, firstParent: firstParent, useCache: !noCache)
            options.onlyRecord = onlyRecord
            history = try engine.load(options, progress: bar.map { bar in { bar.update($0) } })
        } catch {
            bar?.finish()
            throw error
        }
        bar?.finish()
        for notice in history.notices {
            switch notice {
            case .note(let message): Terminal.note(message)
            case .warning(let message): Terminal.warning(message)
            }
        }
        return history
    }
}

/// Gives `history` to the process: one retain that nothing releases, so it is never freed object by object. Only
/// for the last thing a command reads; a process that goes on running (a test calling commands in-process) keeps it.
private func handToProcess(_ history: History) {
    final class Owner {
        let history: History
        init(_ history: History) { self.history = history }
    }
    _ = Unmanaged.passRetained(Owner(history))
}

/// A one-line progress bar on stderr, shown only once a run has taken a moment, redrawn at most ten times a second.
final class ProgressBar {
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    func update(_ progress: HistoryProgress) {
        let now = Date()
        guard now.timeIntervalSince(started) > 0.3, now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        var line = "isms: \(progress.phase) \(progress.done)"
        if progress.total > 0 {
            let width = 30
            let filled = min(width, progress.done * width / progress.total)
            line += "/\(progress.total) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        }
        Terminal.writeStandardError("\r\u{1B}[K" + line)
        drawn = true
    }

    func finish() {
        if drawn { Terminal.writeStandardError("\r\u{1B}[K") }
        drawn = false
    }
}

extension RecordKind {
    /// A kind from `--kind`: its name (`risk`) or its folder (`risks`).
    static func parse(_ text: String) throws -> RecordKind {
        if let kind = RecordKind(rawValue: text) ?? RecordKind(folder: text) { return kind }
        var message = "unknown record kind '\(text)'"
        if let close = closest(to: text, in: RecordKind.allCases.map(\.rawValue)) { message += "; did you mean '\(close)'?" }
        throw ToolError.invalidArgument(message + " (one of \(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
}

/// `--format` of history, blame and log: an enum, so shells complete it and the parser refuses anything else.
extension HistoryFormat: ExpressibleByArgument {}

/// The completion of options and arguments that name a record kind (`risk`, …).
let recordKindCompletion = CompletionKind.list(RecordKind.allCases.map(\.rawValue))
