/// Every report `isms report` can build, in the order the audit pack shows them.
public enum Reports {
    public struct Entry: Sendable {
        public let kind: String
        public let title: String
        public let build: @Sendable (ISMS, Day) -> ReportDocument
    }

    public static let all: [Entry] = [
        Entry(kind: SOAReport.kind, title: SOAReport.title, build: SOAReport.build),
        Entry(kind: RegisterReport.kind, title: RegisterReport.title, build: RegisterReport.build),
        Entry(kind: TraceReport.kind, title: TraceReport.title, build: TraceReport.build),
        Entry(kind: EvidenceReport.kind, title: EvidenceReport.title, build: EvidenceReport.build),
        Entry(kind: CoverageReport.kind, title: CoverageReport.title, build: CoverageReport.build),
        Entry(kind: NonconformitiesReport.kind, title: NonconformitiesReport.title, build: NonconformitiesReport.build),
        Entry(kind: AuditsReport.kind, title: AuditsReport.title, build: AuditsReport.build),
        Entry(kind: ObjectivesReport.kind, title: ObjectivesReport.title, build: ObjectivesReport.build),
        Entry(kind: IncidentsReport.kind, title: IncidentsReport.title, build: IncidentsReport.build),
        Entry(kind: RegistersReport.kind, title: RegistersReport.title, build: RegistersReport.build),
    ]

    public static var kinds: [String] { all.map(\.kind) }

    public static func entry(_ kind: String) -> Entry? { all.first { $0.kind == kind } }
}

/// The output formats of `isms report`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case md, csv, json, html

    public func render(_ document: ReportDocument) -> String {
        switch self {
        case .md: return MarkdownReportRenderer.render(document)
        case .csv: return CSVReportRenderer.render(document)
        case .json: return JSONReportRenderer.render(document)
        case .html: return HTMLReportRenderer.page(document)
        }
    }
}
