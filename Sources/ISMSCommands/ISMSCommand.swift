import ArgumentParser
import Foundation
import ISMSCore
import ISMSHistory
import ISMSKit
import ISMSModel

/// The `isms` command (named apart from ISMSKit's `ISMS`, the records). Each subcommand lives in its own file and
/// stays a thin shell over ISMSKit.
public struct ISMSCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "isms",
        abstract: "Keep an ISMS as plain-text records in git, and prove that it operates.",
        version: ISMSVersion.current,
        subcommands: [
            Check.self, Diff.self, HistoryCommand.self, Blame.self, Log.self, TrailCommand.self, Rules.self, Explain.self, Hook.self,
            Init.self, New.self, Report.self, Export.self, Graph.self, SchemaCommand.self, Import.self,
        ]
    )

    public init() {}

    /// Runs the command line and returns the exit code: 0 clean, 1 findings, 2 could not run.
    public static func run(_ arguments: [String]) -> Int32 {
        Terminal.claimStandardDescriptors()
        // The history commands open the repository first: libgit2 starts on the other core while the arguments are parsed.
        if ["history", "blame", "log", "diff"].contains(arguments.first ?? "") { LibGit2Initialisation.start() }
        defer { LibGit2Initialisation.finish() }
        let code = runCommand(arguments)
        // Output that did not reach its reader is a run that did not finish (a full disk, a closed descriptor): it must
        // not pass. A run that failed already said why on its one line.
        if let failure = Terminal.outputFailure, code != 2 {
            Terminal.error("cannot write the output: \(failure)")
            return 2
        }
        return code
    }

    private static func runCommand(_ arguments: [String]) -> Int32 {
        // swift-argument-parser answers `isms help nosuch` with the general help and success; a topic that does not
        // exist is a bad argument like any other.
        if let unknown = unknownHelpTopic(arguments) {
            Terminal.error(unknown)
            return 2
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let error as ToolError {
            Terminal.error(error.description)
            return 2
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Terminal.write(fullMessage(for: error) + "\n")
                return 0
            }
            // Bad arguments mean the check could not run: exit 2 like every other such failure, with the one line
            // docs/cli.md promises (the parser's own message has an "Error:" prefix and the whole usage after it).
            Terminal.error(usageError(error, arguments: arguments))
            return 2
        }
    }

    /// The parser's message for a bad argument as one line: no "Error:" prefix, a value list folded into the line,
    /// and where to read more.
    static func usageError(_ error: Error, arguments: [String]) -> String {
        var lines = message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let first = lines.first, first.hasPrefix("Error: ") { lines[0] = String(first.dropFirst("Error: ".count)) }
        var text = ""
        var values = [String]()
        for line in lines {
            if line.hasPrefix("- ") { values.append("'\(line.dropFirst(2))'") } else { text += (text.isEmpty ? "" : " ") + line }
        }
        if !values.isEmpty { text += " " + values.joined(separator: ", ") }
        if text.hasSuffix(".") || text.hasSuffix(":") { text.removeLast() }
        if let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase == true {
            text = first.lowercased() + text.dropFirst()
        }
        let path = (["isms"] + commandPath(arguments).map { $0.configuration.commandName ?? "" }).joined(separator: " ")
        return text + " (see '\(path) --help')"
    }

    /// The subcommands named at the start of `arguments`: `check` for `isms check --bogus`.
    static func commandPath(_ arguments: [String]) -> [ParsableCommand.Type] {
        var path = [ParsableCommand.Type]()
        var current: ParsableCommand.Type = ISMSCommand.self
        for word in arguments {
            guard let next = current.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else { break }
            path.append(next)
            current = next
        }
        return path
    }

    /// The error for `isms help TOPIC…` when a topic is not a command, else nil.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help" else { return nil }
        let topics = arguments.dropFirst().filter { !$0.hasPrefix("-") }
        let known = commandPath(Array(topics))
        guard known.count < topics.count else { return nil }
        let parent: ParsableCommand.Type = known.last ?? ISMSCommand.self
        let names = parent.configuration.subcommands.compactMap { $0.configuration.commandName }
        let word = topics[topics.startIndex + known.count]
        var message = "unknown command '\(word)'"
        if let close = closest(to: word, in: names) { message += "; did you mean '\(close)'?" }
        let scope = (["isms"] + known.compactMap { $0.configuration.commandName }).joined(separator: " ")
        return message + " (commands of '\(scope)': \(names.joined(separator: ", ")))"
    }
}

/// An `--owner` that the roster does not hold. The message lists the keys: the person new to an ISMS does not
/// know them yet (the starter roster's is `alex`), and a guess that happens to be close to one is not enough.
func unknownPerson(_ key: String, people keys: [String]) -> ToolError {
    var message = "'\(key)' is not a key of people in isms.yaml"
    if let close = closest(to: key, in: keys) { message += "; did you mean '\(close)'?" }
    let sorted = keys.sorted()
    let shown = sorted.prefix(20).joined(separator: ", ") + (sorted.count > 20 ? ", … (\(sorted.count - 20) more)" : "")
    return ToolError.invalidArgument(message + " (people: \(shown))")
}

/// Options every command that reads an ISMS shares.
struct RootOptions: ParsableArguments {
    @Option(name: .long, help: "The ISMS root (the folder holding isms.yaml). Default: the nearest one at or above the current folder.")
    var root: String?

    func workspace() throws(ToolError) -> Workspace {
        try Workspace(explicitRoot: root)
    }
}

/// Standard output and standard error. Messages quote record values, keys, ids and file names, so each is
/// passed through `SafeText`: one message stays one line (CI logs read a line starting `::` as a workflow
/// command) and no escape sequence reaches the terminal.
enum Terminal {
    /// Why the output could not be written (nil: it could); the run then exits 2 (`ISMSCommand.run`).
    private static let failedOutput = Locked<String?>(nil)
    static var outputFailure: String? { failedOutput.withLock { $0 } }

    /// Puts /dev/null on a standard descriptor the caller left closed: the next file isms opened (the history cache
    /// being written) would otherwise take its number, and the output would go into it. Standard output closed is
    /// output that cannot be written.
    static func claimStandardDescriptors() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
            if descriptor == 1 { failedOutput.withLock { $0 = $0 ?? "standard output is closed" } }
        }
    }

    /// Writes all of `text` to `descriptor`; the error (`strerror`) when it cannot. Not `FileHandle.write`, which traps
    /// on a failed write.
    private static func writeAll(_ text: String, to descriptor: Int32) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var written = 0
            while written < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if n > 0 {
                    written += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return n == 0 ? "short write" : String(cString: strerror(errno))
                }
            }
            return nil
        }
    }

    /// Writes to standard error; a failure there has nowhere to be told, and does not change the verdict.
    static func writeStandardError(_ text: String) { _ = writeAll(text, to: 2) }

    static func error(_ message: String, multiline: Bool = false) {
        writeError("isms: error: " + (multiline ? SafeText.multiline(message) : SafeText.text(message)))
    }
    static func warning(_ message: String) {
        writeError("isms: warning: " + SafeText.text(message))
    }
    /// Information for people, on standard error so that standard output stays machine-readable.
    static func note(_ message: String) {
        // Some notes from ISMSKit carry their own severity ("warning: the history rules were not run"): print it
        // once, as that severity, not as "isms: note: warning:".
        for severity in ["warning", "error"] where message.hasPrefix(severity + ": ") {
            writeError("isms: " + SafeText.text(message))
            return
        }
        writeError("isms: note: " + SafeText.text(message))
    }
    private static func writeError(_ line: String) {
        writeStandardError(SafeText.guardingWorkflowCommands(line + "\n"))
    }
    static var stdoutIsTTY: Bool { isatty(1) == 1 }
    static var stderrIsTTY: Bool { isatty(2) == 1 }

    /// Writes a command's output. Every renderer escapes what it quotes; the guard here is the last line of
    /// defence against a line that starts a workflow command. `workflowCommands` is for `--format github`
    /// alone, whose every line is one on purpose.
    static func write(_ text: String, workflowCommands: Bool = false) {
        write(guarded: workflowCommands ? text : SafeText.guardingWorkflowCommands(text))
    }

    /// Writes output that is already guarded (`SafeText.guardingWorkflowCommands`, done where it was rendered).
    static func write(guarded text: String) {
        guard outputFailure == nil else { return }
        if let failure = writeAll(text, to: 1) {
            failedOutput.withLock { $0 = $0 ?? failure }
        }
    }
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
