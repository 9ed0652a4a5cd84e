import ArgumentParser
import Foundation
import GitKit
import ISMSKit
import ISMSModel
import ISMSOutput

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print or write the JSON Schema (draft-07) of each record kind, of isms.yaml and of a catalogue, for editors.",
        discussion: """
            Generated from the schema isms check validates against. --kind prints one schema; --out DIR writes \
            risk.schema.json to document.schema.json, isms.schema.json and catalog.schema.json (a file of catalogs/) \
            into DIR (docs/editors.md).
            """
    )

    @Option(
        help:
            "The schema to print: \(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")), isms for isms.yaml, or catalog for a file of catalogs/.",
        completion: .list(RecordKind.allCases.map(\.rawValue) + ["isms", "catalog"]))
    var kind: String?

    @Option(help: "Write the schemas into this folder (created when missing) instead of printing one.")
    var out: String?

    /// Prints the JSON instance a schema judges for a YAML file (how isms types YAML), for checking by other tools.
    @Option(name: .customLong("yaml-to-json"), help: .hidden)
    var yamlToJSON: String?

    func run() throws {
        if let yamlToJSON {
            guard let data = FileManager.default.contents(atPath: yamlToJSON) else {
                throw ToolError.invalidArgument("cannot read \(yamlToJSON)")
            }
            switch YAMLJSON.instance(of: data) {
            case .success(let value): Terminal.write(value.rendered() + "\n")
            case .failure(let problem):
                throw ToolError.invalidArgument("\(yamlToJSON):\(problem.location.line):\(problem.location.column): \(problem.message)")
            }
            return
        }
        var schemas = JSONSchema.all
        if let kind {
            let name: String
            if kind == "isms" || kind == "isms.yaml" || kind == "config" {
                name = JSONSchema.configFileName
            } else if kind == "catalog" || kind == "catalogue" || kind == "catalogs" {
                name = JSONSchema.catalogFileName
            } else if let recordKind = RecordKind(rawValue: kind) ?? RecordKind(folder: kind) {
                name = JSONSchema.fileName(recordKind)
            } else {
                let known = RecordKind.allCases.map(\.rawValue) + ["isms", "catalog"]
                var message = "unknown kind '\(kind)'"
                if let close = closest(to: kind, in: known) { message += "; did you mean '\(close)'?" }
                throw ToolError.invalidArgument(message + " (kinds: \(known.joined(separator: ", ")))")
            }
            schemas = schemas.filter { $0.name == name }
        }
        guard let out else {
            guard kind != nil, let only = schemas.first else {
                throw ToolError.invalidArgument("give --kind KIND to print one schema, or --out DIR to write them all")
            }
            Terminal.write(only.schema.rendered() + "\n")
            return
        }
        // Often a folder of the repository (.isms/schemas), which may be a committed link: none is followed, and
        // all are checked before the first is written.
        for dryRun in [true, false] {
            for schema in schemas {
                try ContainedWrite.write(Data((schema.schema.rendered() + "\n").utf8), typedPath: out + "/" + schema.name, dryRun: dryRun)
            }
        }
        Terminal.write(
            "wrote \(schemas.count) schema\(schemas.count == 1 ? "" : "s") into \(out): \(schemas.map(\.name).joined(separator: ", "))\n")
    }
}
