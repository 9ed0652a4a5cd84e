import ArgumentParser
import Foundation
import GitKit
import ISMSKit
import ISMSOutput

struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Install or remove the git pre-commit hook that runs `isms check --staged`.",
        subcommands: [Install.self, Uninstall.self]
    )

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install", abstract: "Write .git/hooks/pre-commit (or core.hooksPath) to check each commit.")
        @OptionGroup var rootOptions: RootOptions
        @Flag(help: "Replace a pre-commit hook that isms did not write (it is saved as pre-commit.isms-saved).")
        var force = false

        func run() throws {
            let hook = try PreCommitHook(workspace: rootOptions.workspace())
            if let saved = try hook.install(executable: Self.currentExecutable(), force: force) {
                Terminal.note("saved the previous hook as \(saved)")
            }
            Terminal.write("installed \(hook.path)\n")
        }

        static func currentExecutable() -> String {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove the pre-commit hook isms wrote.")
        @OptionGroup var rootOptions: RootOptions

        func run() throws {
            let hook = try PreCommitHook(workspace: rootOptions.workspace())
            switch try hook.uninstall() {
            case .absent: Terminal.write("no pre-commit hook at \(hook.path)\n")
            default: Terminal.write("removed \(hook.path)\n")
            }
        }
    }
}
