import ArgumentParser
import Foundation
import GitKit
import ISMSKit
import ISMSLoading
import ISMSModel
import ISMSOutput

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract:
            "Write a starter ISMS: commented isms.yaml, one example record per kind, editor schemas, a pre-commit hook and a CI workflow.",
        discussion: "Refuses (exit 2) a folder that already holds an isms.yaml, and never overwrites a file."
    )

    @Argument(help: "The folder to write it in; created when missing. Default: the current folder.")
    var folder = "."

    @Option(help: "The ISMS or organisation name. Default: the folder's name.")
    var name: String?

    func run() throws {
        let absolute = URL(fileURLWithPath: folder, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
        let ismsName = name ?? (absolute as NSString).lastPathComponent
        let written = try Scaffold.initialise(absolute, name: ismsName, today: Day.today())
        let shown = folder == "." ? "the current folder" : folder
        Terminal.write("Created an ISMS in \(shown) (\(written.count) files):\n")
        for path in written { Terminal.write("  \(path)\n") }
        Terminal.write(
            """
            Next: edit isms.yaml (scope, people), replace the example records with your own (isms new KIND --title ...),
            and run isms check. .pre-commit-config.yaml and .github/workflows/isms.yml belong at the repository top.
            Editors with yaml-language-server complete and check records with .isms/schemas (docs/editors.md).

            """)
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new record from its kind's template, with the next free id, and print its path.",
        discussion: """
            Numbered ids (RISK-<n>, or an id_patterns entry with one number group) take the highest number in use plus one. \
            Obligation and evidence ids have no number: give one with --id. Never overwrites a file.
            """
    )

    @Argument(help: "The kind of record: \(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")).", completion: recordKindCompletion)
    var kind: String

    @Option(help: "The record's title.")
    var title: String

    @Option(help: "The accountable person (a key of people in isms.yaml when the roster is set).")
    var owner: String?

    @Option(help: "The id to use instead of the next free one; required for obligation and evidence.")
    var id: String?

    @OptionGroup var rootOptions: RootOptions

    func run() throws {
        guard let recordKind = RecordKind(rawValue: kind) ?? RecordKind(folder: kind) else {
            var message = "unknown kind '\(kind)'"
            if let close = closest(to: kind, in: RecordKind.allCases.map(\.rawValue)) { message += "; did you mean '\(close)'?" }
            throw ToolError.invalidArgument(message + " (kinds: \(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw ToolError.invalidArgument("--title must not be empty") }
        let workspace = try rootOptions.workspace()
        let isms = try Loader.load(from: workspace.workTreeSource).isms
        let people = isms.config.people
        if let owner, !people.isEmpty, people[owner] == nil {
            throw unknownPerson(owner, people: Array(people.keys))
        }
        let newID: String
        if let id {
            guard isms.config.idPattern(recordKind).matches(id) else {
                throw ToolError.invalidArgument(
                    "'\(id)' does not match the \(recordKind.rawValue) id pattern \(isms.config.idPattern(recordKind).source)")
            }
            if let existing = isms.record(id) {
                throw ToolError.invalidArgument("\(id) is already used by \(existing.path)")
            }
            newID = id
        } else {
            newID = try Scaffold.nextID(recordKind, in: isms)
        }
        let relative = Scaffold.path(for: newID, kind: recordKind)
        let full = workspace.root + "/" + relative
        if FileManager.default.fileExists(atPath: full) || (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil {
            throw ToolError.invalidArgument("\(relative) already exists; refusing to overwrite it")
        }
        let text = Scaffold.record(recordKind, id: newID, title: title, owner: owner, today: Day.today())
        // The kind folder comes from the repository, which may hold a link there (risks -> /elsewhere).
        try ContainedWrite.write(Data(text.utf8), to: relative, below: workspace.root, mode: .create)
        let prefix = workspace.displayPrefix()
        Terminal.write((prefix.isEmpty ? relative : (prefix.hasSuffix("/") ? prefix : prefix + "/") + relative) + "\n")
        if owner == nil && recordKind != .evidence {
            Terminal.warning("no --owner given: fill in owner in \(relative)")
        }
    }
}
