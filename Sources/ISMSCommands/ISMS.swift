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
        subcommands: [Check.self, HistoryCommand.self, Blame.self, Log.self, Rules.self, Explain.self, Hook.self, Init.self, New.self,
                      Report.self, Export.self, Graph.self]
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
                print(fullMessage(for: error))
                return 0
            }
            // Bad arguments mean the check could not run: exit 2 like every other such failure.
            Terminal.error(fullMessage(for: error))
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

enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("isms: error: \(message)\n".utf8))
    }
    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("isms: warning: \(message)\n".utf8))
    }
    /// Information for people, on standard error so that standard output stays machine-readable.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("isms: note: \(message)\n".utf8))
    }
    static var stdoutIsTTY: Bool { isatty(1) == 1 }
    static var stderrIsTTY: Bool { isatty(2) == 1 }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
