import ArgumentParser
import Foundation
import ISMSKit
import ISMSLoading
import ISMSModel
import ISMSOutput
import ISMSRules

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import records from other tools' formats.",
        subcommands: [CISOAssistant.self]
    )

    struct CISOAssistant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ciso-assistant",
            abstract: "Write one obligation per assessable requirement of a CISO Assistant framework library.",
            discussion: """
                Requirements already present as obligations (same source and ref) are skipped, so running it again \
                changes nothing. One whose title or description differs from the library is listed and never \
                overwritten. With --catalog it writes the framework as a catalogue of the ISMS's own instead \
                (catalogs/<id>.yaml: its requirements, which obligations then cite by source and ref, and which \
                coverage counts). docs/import.md describes the format.
                """
        )

        @Argument(help: "The library file (YAML), such as one of backend/library/libraries/ in CISO Assistant.")
        var file: String

        @Option(help: "The urn of the framework to import when the library holds several.")
        var framework: String?

        @Option(help: "The owner of the new obligations (a key of people). Default: the first person of the roster.")
        var owner: String?

        @Flag(help: "Write the framework as a catalogue of catalogs/ (docs/format.md, \"Catalogues\") instead of obligations.")
        var catalog = false

        @Option(help: "The id of the catalogue --catalog writes (what obligations give as source). Default: the framework's ref_id.")
        var catalogId: String?

        @Flag(help: "Print what would be written, and write nothing.")
        var dryRun = false

        @OptionGroup var rootOptions: RootOptions

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ToolError.invalidArgument("cannot read \(file)")
            }
            let library = try FrameworkLibrary.read(data, path: file)
            let chosen: LibraryFramework
            if let framework {
                guard let match = library.frameworks.first(where: { $0.urn == framework }) else {
                    throw ToolError.invalidArgument(
                        "\(file) holds no framework \(framework) (it holds \(library.frameworks.map(\.urn).joined(separator: ", ")))")
                }
                chosen = match
            } else {
                guard library.frameworks.count == 1 else {
                    throw ToolError.invalidArgument(
                        "\(file) holds \(library.frameworks.count) frameworks; pick one with --framework: \(library.frameworks.map(\.urn).joined(separator: ", "))"
                    )
                }
                chosen = library.frameworks[0]
            }
            let workspace = try rootOptions.workspace()
            if catalog || catalogId != nil {
                return try writeCatalog(chosen, workspace: workspace)
            }
            let isms = try Loader.load(from: workspace.workTreeSource).isms
            let people = isms.config.people
            let ownerKey: String
            if let owner {
                if !people.isEmpty, people[owner] == nil {
                    throw unknownPerson(owner, people: Array(people.keys))
                }
                ownerKey = owner
            } else {
                guard let first = isms.config.peopleOrder.first else {
                    throw ToolError.invalidArgument("isms.yaml has no people: give the owner of the new obligations with --owner")
                }
                ownerKey = first
            }
            let plan = try FrameworkImport.plan(chosen, into: isms, owner: ownerKey, root: workspace.root)
            let source = FrameworkImport.convention(for: chosen)  // NIS2, not the library's NIS2-directive
            let name = chosen.name.map { "\(source) (\($0))" } ?? source
            let prefix = workspace.displayPrefix()
            func shown(_ path: String) -> String { prefix.isEmpty ? path : (prefix.hasSuffix("/") ? prefix : prefix + "/") + path }
            if plan.assessable == 0 {
                Terminal.write("\(name) has no assessable requirement: nothing to import\n")
            } else if plan.new.isEmpty {
                Terminal.write("nothing to import: all \(plan.assessable) assessable requirements of \(name) are already obligations\n")
            } else {
                if !dryRun {
                    // The obligations folder comes from the repository, which may hold a link there; all are
                    // checked before the first is written.
                    for dryRun in [true, false] {
                        for obligation in plan.new {
                            try ContainedWrite.write(
                                Data(obligation.text.utf8), to: obligation.path, below: workspace.root, mode: .create,
                                dryRun: dryRun)
                        }
                    }
                }
                let already = plan.present > 0 ? "; \(plan.present) already there" : ""
                Terminal.write(
                    "\(dryRun ? "would write" : "wrote") \(plan.new.count) obligation\(plan.new.count == 1 ? "" : "s") of \(name), owner \(ownerKey)\(already):\n"
                )
                for obligation in plan.new { Terminal.write("  \(shown(obligation.path))  \(obligation.id)\n") }
            }
            if !plan.differences.isEmpty {
                Terminal.write(
                    "\(plan.differences.count) obligation\(plan.differences.count == 1 ? " differs" : "s differ") from the library (changed there or edited here; not overwritten):\n"
                )
                for difference in plan.differences {
                    Terminal.write("  \(difference.id)  \(shown(difference.path))  \(difference.fields.joined(separator: ", "))\n")
                }
                Terminal.warning(
                    "\(plan.differences.count) obligation\(plan.differences.count == 1 ? "" : "s") not updated: compare them with the library"
                )
            }
        }

        /// `--catalog`: one new file, never over an existing one; running it again with the library unchanged is a no-op.
        private func writeCatalog(_ framework: LibraryFramework, workspace: Workspace) throws {
            let plan = try CatalogImport.plan(framework, id: catalogId)
            let prefix = workspace.displayPrefix()
            let shown = prefix.isEmpty ? plan.path : (prefix.hasSuffix("/") ? prefix : prefix + "/") + plan.path
            if let existing = FileManager.default.contents(atPath: workspace.root + "/" + plan.path) {
                guard existing != Data(plan.text.utf8) else {
                    Terminal.write("nothing to import: \(shown) already holds catalogue \(plan.id) as the library has it\n")
                    return
                }
                throw ToolError.invalidArgument(
                    "\(shown) exists and differs from the library's \(plan.id); it is not overwritten "
                        + "(remove it to import again, or give another id with --catalog-id)")
            }
            if !dryRun {
                try ContainedWrite.write(Data(plan.text.utf8), to: plan.path, below: workspace.root, mode: .create, shown: shown)
            }
            Terminal.write(
                "\(dryRun ? "would write" : "wrote") catalogue \(plan.id) with \(plan.requirements) requirement\(plan.requirements == 1 ? "" : "s"): \(shown)\n"
            )
            Terminal.write(
                "obligations cite it as source: \(plan.id) with one of its ids as ref; isms check and isms report coverage read it\n")
        }
    }
}
