import ArgumentParser
import ISMSKit
import ISMSModel
import ISMSOutput

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the traceability graph as Mermaid or Graphviz DOT, whole or around one record."
    )

    @Option(help: "Output format: mermaid or dot.")
    var format: GraphReport.Format = .mermaid

    @Option(help: "Show only this record, its neighbours, and the chains risk -> control -> evidence -> obligation through it.")
    var from: String?

    @OptionGroup var rootOptions: RootOptions

    func run() throws {
        let isms = try rootOptions.loadForReport()
        if let from, isms.record(from) == nil {
            var message = "no record has the id '\(from)'"
            if let close = closest(to: from, in: isms.records.map(\.id)) { message += "; did you mean \(close)?" }
            throw ToolError.invalidArgument(message)
        }
        Terminal.write(GraphReport.render(isms, GraphReport.select(isms, from: from), format: format))
    }
}

extension GraphReport.Format: ExpressibleByArgument {}
