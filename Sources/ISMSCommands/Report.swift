import ArgumentParser
import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSKit
import ISMSLoading
import ISMSModel
import ISMSOutput
import ISMSRules

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Print a report: soa, trace, coverage, register, evidence, registers, nonconformities, audits, objectives, incidents, documents, decisions (from the history), or management-review.",
        discussion: """
            Formats are documented in docs/reports.md. Reports describe the records as they are; run isms check for the defects. \
            management-review assembles the inputs of ISO/IEC 27001 9.3.2 from the records and, in a git repository, the \
            history since the last review record (or --since).
            """
    )

    // A list rather than an enum, so that a misspelt report still gets "did you mean".
    @Argument(help: "The report: \(Self.kinds.joined(separator: ", ")).", completion: .list(Self.kinds))
    var kind: String

    @Option(
        help:
            "decisions: only changes authored on or after this day (YYYY-MM-DD). management-review: the period starts on this day, or after this revision (default: after the last review record)."
    )
    var since: String?

    @Option(help: "decisions: only changes authored on or before this day (YYYY-MM-DD).")
    var until: Day?

    @Option(help: "Output format: \(listed(ReportFormat.allCases.map(\.rawValue))).")
    var format: ReportFormat = .md

    @Option(name: .customLong("as-of"), help: "Judge dates against this day (YYYY-MM-DD). Default: today, UTC.")
    var asOf: Day?

    @OptionGroup var rootOptions: RootOptions

    static let kinds = Reports.kinds + [DecisionsReport.kind, ManagementReviewReport.kind]

    func run() throws {
        let kinds = Self.kinds
        guard kinds.contains(kind) else {
            var message = "unknown report '\(kind)'"
            if let close = closest(to: kind, in: kinds) { message += "; did you mean '\(close)'?" }
            throw ToolError.invalidArgument(message + " (reports: \(kinds.joined(separator: ", ")))")
        }
        let day = asOf ?? Day.today()
        if kind == DecisionsReport.kind {
            let sinceDay = try since.map { text throws -> Day in
                guard let day = Day(text) else {
                    throw ToolError.invalidArgument("--since must be a date YYYY-MM-DD for decisions, not '\(text)'")
                }
                return day
            }
            Terminal.write(format.render(try rootOptions.decisions(since: sinceDay, until: until, asOf: day)))
            return
        }
        if kind == ManagementReviewReport.kind {
            Terminal.write(format.render(try managementReview(asOf: day)))
            return
        }
        guard let entry = Reports.entry(kind) else { return }
        let isms = try rootOptions.loadForReport()
        if kind == DocumentsReport.kind {
            Terminal.write(format.render(DocumentsReport.build(isms, provenance: try rootOptions.documentProvenance(isms), asOf: day)))
            return
        }
        Terminal.write(format.render(entry.build(isms, asOf ?? Day.today())))
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the audit pack (every report in one HTML file), or the ISMS as OSCAL JSON.",
        discussion: """
            --html: one self-contained file, no script and no external asset: it works offline, can be mailed, and prints \
            one report per page. --oscal: OSCAL 1.1.2 JSON, the controls as a component-definition (default) or the \
            findings of isms check as assessment-results (docs/oscal.md).
            """
    )

    @Option(help: "Write the audit pack to this HTML file.")
    var html: String?

    @Option(help: "Write OSCAL 1.1.2 JSON to this file.")
    var oscal: String?

    @Option(help: "With --oscal: component-definition (the controls) or assessment-results (the findings of isms check).")
    var model: OSCAL.Model = .componentDefinition

    @Option(name: .customLong("as-of"), help: "Judge dates against this day (YYYY-MM-DD). Default: today, UTC.")
    var asOf: Day?

    @OptionGroup var rootOptions: RootOptions

    func run() throws {
        switch (html, oscal) {
        case (let html?, nil): try writeAuditPack(html)
        case (nil, let oscal?): try writeOSCAL(oscal)
        case (nil, nil): throw ToolError.invalidArgument("give --html OUT.html or --oscal OUT.json")
        default: throw ToolError.invalidArgument("--html and --oscal cannot be combined: export one at a time")
        }
    }

    private func writeAuditPack(_ html: String) throws {
        let isms = try rootOptions.loadForReport()
        let day = asOf ?? Day.today()
        // The decision log needs a git history; a plain folder gets the other reports.
        var history = [ReportDocument]()
        let inGit = (try? rootOptions.workspace().requireRepository()) != nil
        // A history that cannot be read (a damaged clone, a record name that is not UTF-8) still leaves a pack of the
        // records, but the auditor's copy lacks what the history gives: said on standard error, never left out silently.
        var unread: Error?
        if inGit {
            do { history.append(try rootOptions.decisions(since: nil, until: nil, asOf: day)) } catch { unread = error }
        }
        var overrides = [ReportDocument]()
        if inGit {
            do {
                if let provenance = try rootOptions.documentProvenance(isms) {
                    overrides.append(DocumentsReport.build(isms, provenance: provenance, asOf: day))
                }
            } catch {
                unread = unread ?? error
            }
        }
        if let unread {
            Terminal.warning("the pack leaves out what the history gives (the decision log, approving commits): \(unread)")
        }
        let pack = AuditPack(
            isms, asOf: day, generator: "isms \(ISMSVersion.current)", history: history, inGit: inGit,
            approvingCommits: inGit ? approvingCommits(isms) : nil, overrides: overrides)
        try write(HTMLReportRenderer.pack(pack), to: html)
        Terminal.write("wrote \(html): \(pack.documents.map(\.title).joined(separator: ", "))\n")
    }

    /// The commit that set each risk acceptance's `approved_by` (`a1b2c3d (2026-01-12)`), from the history of HEAD; nil
    /// when the history cannot be read (the pack then leaves the column out rather than show nothing as proof).
    private func approvingCommits(_ isms: ISMS) -> [String: String]? {
        var notes = [String]()
        guard let workspace = try? rootOptions.workspace(),
            let governance = try? workspace.governance(
                at: "HEAD", trustRef: nil, config: isms.config, useCache: true, notes: &notes, always: true)
        else { return nil }
        for note in notes { Terminal.note(note) }
        var commits = [String: String]()
        for risk in isms.records(of: .risk) where risk.string("treatment") == "accept" {
            guard let commit = governance.setter(of: "acceptance.approved_by", in: risk) else { continue }
            commits[risk.id] = "\(commit.id.short) (\(commit.author.day))"
        }
        _ = governance.saveCaches()
        return commits
    }

    private func writeOSCAL(_ out: String) throws {
        let day = asOf ?? Day.today()
        let generator = "isms \(ISMSVersion.current)"
        let document: JSONValue
        switch model {
        case .componentDefinition:
            document = OSCAL.componentDefinition(try rootOptions.loadForReport(), asOf: day, generator: generator)
        case .assessmentResults:
            // The findings of `isms check`, the history rules' included (docs/oscal.md promises the same findings
            // as `isms check --format json`): an unproven approval must not export as satisfied.
            let workspace = try rootOptions.workspace()
            let source = workspace.workTreeSource
            var notes = [String]()
            let report = try workspace.check(
                source, asOf: day, options: GovernanceOptions(revision: workspace.repository == nil ? nil : "HEAD"),
                notes: &notes)
            for note in notes { Terminal.note(note) }
            let loaded = try Loader.load(from: source)
            document = OSCAL.assessmentResults(loaded.isms, report: report, asOf: day, generator: generator)
        }
        try write(document.rendered() + "\n", to: out)
        Terminal.write("wrote \(out): OSCAL \(OSCAL.version) \(model.rawValue)\n")
    }

    private func write(_ text: String, to path: String) throws {
        try ContainedWrite.write(Data(text.utf8), typedPath: path)
    }
}

extension OSCAL.Model: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

/// "md, csv, json or html": the formats in the help text come from the enum, so a new one needs no edit here.
private func listed(_ values: [String]) -> String {
    guard let last = values.last, values.count > 1 else { return values.joined() }
    return values.dropLast().joined(separator: ", ") + " or " + last
}

extension Report {
    /// The management review pack: from the history when the ISMS is in a git repository.
    func managementReview(asOf: Day) throws -> ReportDocument {
        let isms = try rootOptions.loadForReport()
        let workspace = try rootOptions.workspace()
        var sinceDay = ManagementReviewReport.defaultSince(isms, asOf: asOf)
        var sinceRevision: String?
        if let since {
            if let day = Day(since) { sinceDay = (day, "since \(day)") } else { sinceRevision = since; sinceDay = (nil, "since \(since)") }
        }
        guard workspace.repository != nil else {
            if sinceRevision != nil {
                throw ToolError.invalidArgument("--since \(since ?? ""): a revision needs a git repository; give a date")
            }
            return ManagementReviewReport.build(isms, history: nil, since: sinceDay.since, period: sinceDay.period, asOf: asOf)
        }
        let history = try workspace.reviewHistory(since: sinceDay.since, sinceRevision: sinceRevision, period: sinceDay.period)
        return ManagementReviewReport.build(isms, history: history, since: sinceDay.since, asOf: asOf)
    }
}

extension RootOptions {
    /// The decision log from the history of HEAD, with signatures trusted at HEAD.
    func decisions(since: Day?, until: Day?, asOf: Day) throws -> ReportDocument {
        let workspace = try workspace()
        let history = try workspace.historyEngine().load(HistoryOptions())
        for notice in history.notices {
            switch notice {
            case .note(let message): Terminal.note(message)
            case .warning(let message): Terminal.warning(message)
            }
        }
        let entries = history.log(HistoryFilter(since: since, until: until), decisionsOf: try workspace.settingsLog(history))
        let config = try Loader.load(from: workspace.source(at: "HEAD")).isms.config
        let verifier = try workspace.signatureVerifier(trustRef: "HEAD")
        let signatures = verifier.signatures(of: entries.map(\.commit.id), people: config.people)
        for note in verifier.notes { Terminal.note(note) }
        if let problem = verifier.saveCache() { Terminal.warning(problem) }
        return DecisionsReport.build(items: entries, config: config, signatures: signatures, since: since, until: until, asOf: asOf)
    }

    /// What the history of HEAD says of each document (its approving commit, its text's last change, the text as
    /// approved); nil outside a git repository.
    func documentProvenance(_ isms: ISMS) throws -> [String: DocumentsReport.Provenance]? {
        let workspace = try workspace()
        guard workspace.repository != nil, !isms.records(of: .document).isEmpty else { return nil }
        let history = try workspace.historyEngine().load(HistoryOptions())
        return DocumentsReport.provenance(isms, history: history)
    }

    /// Loads the work tree for a report. Reports show what could be read; when some of it could not, one
    /// warning on standard error says so.
    func loadForReport() throws -> ISMS {
        let workspace = try workspace()
        let loaded = try Loader.load(from: workspace.workTreeSource)
        let unreadable = loaded.findings.filter { $0.severity == .error }.count
        if unreadable > 0 {
            Terminal.warning(
                "\(unreadable) error\(unreadable == 1 ? "" : "s") while reading the ISMS; the report shows what could be read (isms check lists them)"
            )
        }
        return loaded.isms
    }
}
