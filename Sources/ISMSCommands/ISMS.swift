import ArgumentParser
import Foundation
import ISMSKit

/// The `isms` command. Each subcommand lives in its own file and stays a thin shell over ISMSKit.
public struct ISMS: ParsableCommand {
    public static let version = ReportContext.toolVersion

    public static let configuration = CommandConfiguration(
        commandName: "isms",
        abstract: "Keep an ISMS as plain-text records in git, and prove that it operates.",
        version: version,
        subcommands: [Check.self, Diff.self, HistoryCommand.self, Blame.self, Log.self, Rules.self, Explain.self, Hook.self, Init.self, New.self, Report.self, Export.self, Graph.self, SchemaCommand.self, Import.self]
    )

    public init() {}

    /// Runs the command line and returns the exit code: 0 clean, 1 findings, 2 could not run.
    public static func run(_ arguments: [String]) -> Int32 {
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
            // Bad arguments mean the check could not run: exit 2 like every other such failure. The message
            // holds a usage text of several lines.
            Terminal.error(fullMessage(for: error), multiline: true)
            return 2
        }
    }
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
    static func error(_ message: String, multiline: Bool = false) {
        writeError("isms: error: " + (multiline ? SafeText.multiline(message) : SafeText.text(message)))
    }
    static func warning(_ message: String) {
        writeError("isms: warning: " + SafeText.text(message))
    }
    /// Information for people, on standard error so that standard output stays machine-readable.
    static func note(_ message: String) {
        writeError("isms: note: " + SafeText.text(message))
    }
    private static func writeError(_ line: String) {
        FileHandle.standardError.write(Data(SafeText.guardingWorkflowCommands(line + "\n").utf8))
    }
    static var stdoutIsTTY: Bool { isatty(1) == 1 }
    static var stderrIsTTY: Bool { isatty(2) == 1 }

    /// Writes a command's output. Every renderer escapes what it quotes; the guard here is the last line of
    /// defence against a line that starts a workflow command. `workflowCommands` is for `--format github`
    /// alone, whose every line is one on purpose.
    static func write(_ text: String, workflowCommands: Bool = false) {
        FileHandle.standardOutput.write(Data((workflowCommands ? text : SafeText.guardingWorkflowCommands(text)).utf8))
    }
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
