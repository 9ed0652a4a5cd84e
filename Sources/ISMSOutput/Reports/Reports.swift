import ISMSModel

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
        Entry(kind: DocumentsReport.kind, title: DocumentsReport.title, build: DocumentsReport.build),
    ]

    public static var kinds: [String] { all.map(\.kind) }

    public static func entry(_ kind: String) -> Entry? { all.first { $0.kind == kind } }
}

/// The output formats of `isms report`. Adding a format: a type conforming to `ReportRenderer` in its own file
/// (Reports/*Renderer.swift), and its case here (the switch is exhaustive).
public enum ReportFormat: String, CaseIterable, Sendable {
    case md, csv, json, html

    public var renderer: any ReportRenderer.Type {
        switch self {
        case .md: return MarkdownReportRenderer.self
        case .csv: return CSVReportRenderer.self
        case .json: return JSONReportRenderer.self
        case .html: return HTMLReportRenderer.self
        }
    }

    public func render(_ document: ReportDocument) -> String { renderer.render(document) }
}

/// One output format of `isms report`: a whole report as one document.
public protocol ReportRenderer {
    static func render(_ document: ReportDocument) -> String
}
