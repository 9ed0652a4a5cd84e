import ArgumentParser
import ISMSKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a report: soa, trace, coverage, register or evidence.",
        discussion: "Formats are documented in docs/reports.md. Reports describe the records as they are; run isms check for the defects."
    )

    @Argument(help: "The report: \(Reports.kinds.joined(separator: ", ")).")
    var kind: String

    @Option(help: "Output format: md, csv, json or html.")
    var format = "md"

    @Option(name: .customLong("as-of"), help: "Judge dates against this day (YYYY-MM-DD). Default: today, UTC.")
    var asOf: Day?

    @OptionGroup var rootOptions: RootOptions

    func run() throws {
        guard let entry = Reports.entry(kind) else {
            var message = "unknown report '\(kind)'"
            if let close = closest(to: kind, in: Reports.kinds) { message += "; did you mean '\(close)'?" }
            throw ToolError.invalidArgument(message + " (reports: \(Reports.kinds.joined(separator: ", ")))")
        }
        guard let format = ReportFormat(rawValue: format) else {
            throw ToolError.invalidArgument("unknown format '\(format)'; use one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let isms = try rootOptions.loadForReport()
        Terminal.write(format.render(entry.build(isms, asOf ?? Day.today())))
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the audit pack: every report in one self-contained HTML file.",
        discussion: "The file has no script and no external asset: it works offline, can be mailed, and prints one report per page."
    )

    @Option(help: "Where to write the HTML file.")
    var html: String

    @Option(name: .customLong("as-of"), help: "Judge dates against this day (YYYY-MM-DD). Default: today, UTC.")
    var asOf: Day?

    @OptionGroup var rootOptions: RootOptions

    func run() throws {
        let isms = try rootOptions.loadForReport()
        let pack = AuditPack(isms, asOf: asOf ?? Day.today(), generator: "isms \(ISMS.version)")
        let text = HTMLReportRenderer.pack(pack)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
        } catch {
            throw ToolError.invalidArgument("cannot write \(html): \(error.localizedDescription)")
        }
        Terminal.write("wrote \(html): \(pack.documents.map(\.title).joined(separator: ", "))\n")
    }
}

extension RootOptions {
    /// Loads the work tree for a report. Reports show what could be read; when some of it could not, one
    /// warning on standard error says so.
    func loadForReport() throws -> ISMSKit.ISMS {
        let workspace = try workspace()
        let loaded = try Loader.load(from: workspace.workTreeSource)
        let unreadable = loaded.findings.filter { $0.severity == .error }.count
        if unreadable > 0 {
            Terminal.warning("\(unreadable) error\(unreadable == 1 ? "" : "s") while reading the ISMS; the report shows what could be read (isms check lists them)")
        }
        return loaded.isms
    }
}

import Foundation
