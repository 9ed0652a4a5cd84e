import Foundation
import ISMSModel

/// The one model every report is built into and every format renders: a titled document of summary figures
/// and tables. Reports are pure functions of (ISMS, as-of day); renderers know nothing about ISMS records.
public struct ReportDocument: Sendable {
    /// The report's kind, as given to `isms report` (`soa`, `trace`, …).
    public var kind: String
    public var title: String
    /// The ISMS name from isms.yaml.
    public var ismsName: String?
    public var asOf: Day
    /// One or two sentences on what the report shows and how to read it.
    public var introduction: String
    /// Headline figures, in order.
    public var summary: [SummaryItem]
    /// The first table is the report's main table (the one CSV holds).
    public var tables: [ReportTable]
    /// Texts the HTML form shows after the tables, written in Markdown (a document's text as approved); the
    /// other formats leave them out.
    public var texts: [ReportText] = []

    package init(
        kind: String, title: String, ismsName: String? = nil, asOf: Day, introduction: String, summary: [SummaryItem], tables: [ReportTable]
    ) {
        self.kind = kind
        self.title = title
        self.ismsName = ismsName
        self.asOf = asOf
        self.introduction = introduction
        self.summary = summary
        self.tables = tables
    }
}

/// A text of a report, in Markdown: rendered safely in HTML (`MarkdownHTML`), never as raw HTML.
public struct ReportText: Sendable {
    /// A stable id, unique within the document (a record id).
    public var id: String
    public var title: String
    public var markdown: String

    public init(id: String, title: String, markdown: String) {
        self.id = id
        self.title = title
        self.markdown = markdown
    }
}

public struct SummaryItem: Sendable {
    /// A stable snake_case key for JSON.
    public var key: String
    public var label: String
    public var value: CellValue

    public init(_ key: String, _ label: String, _ value: CellValue) {
        self.key = key
        self.label = label
        self.value = value
    }
}

public struct ReportColumn: Sendable {
    /// A stable snake_case key: JSON row keys and the CSV header.
    public var key: String
    /// What people read.
    public var header: String

    public init(_ key: String, _ header: String) {
        self.key = key
        self.header = header
    }
}

public struct ReportTable: Sendable {
    /// A stable id, unique within the document (`controls`, `heatmap_inherent`).
    public var id: String
    public var title: String
    public var columns: [ReportColumn]
    public var rows: [[Cell]]
    /// Shown under the title: how to read the table.
    public var note: String?
    /// Heat maps are drawn as a grid in HTML.
    public var isGrid = false

    public init(id: String, title: String, columns: [ReportColumn], rows: [[Cell]], note: String? = nil, isGrid: Bool = false) {
        self.id = id
        self.title = title
        self.columns = columns
        self.rows = rows
        self.note = note
        self.isGrid = isGrid
    }
}

/// A value in a table. JSON keeps its type; text formats write it as `text`.
public enum CellValue: Sendable, Equatable, Encodable {
    case empty
    case text(String)
    case integer(Int)
    /// Rounded to one decimal place when built.
    case decimal(Double)
    case list([String])

    public static func percent(_ part: Int, of whole: Int) -> CellValue {
        whole == 0 ? .empty : .decimal((Double(part) * 1000 / Double(whole)).rounded() / 10)
    }

    public static func optional(_ text: String?) -> CellValue { text.map(CellValue.text) ?? .empty }

    /// How text formats (Markdown, CSV, HTML) write the value.
    public var text: String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .decimal(let d):
            return d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d)
        case .list(let items): return items.joined(separator: items.contains { $0.contains(" ") } ? "; " : ", ")
        }
    }

    // Hand-written because a cell is one JSON value of its case's type (a synthesized enum would be an object
    // keyed by case name), not to keep nulls.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .empty: try c.encodeNil()
        case .text(let s): try c.encode(s)
        case .integer(let i): try c.encode(i)
        case .decimal(let d): try c.encode(d)
        case .list(let items): try c.encode(items)
        }
    }
}

/// How a cell should look: a status colour in HTML, a marker nowhere else (the text says it all).
public enum Tone: String, Sendable {
    case plain, good, warning, bad, muted
    /// Heat map levels, by score (likelihood × impact).
    case low, medium, high, critical

    public static func heat(score: Int) -> Tone {
        switch score {
        case ..<5: return .low
        case 5..<10: return .medium
        case 10..<16: return .high
        default: return .critical
        }
    }
}

public struct Cell: Sendable {
    /// What JSON holds (a roster key as written).
    public var value: CellValue
    public var tone: Tone
    /// What people read in Markdown, CSV and HTML when it differs from `value` (a person by name); nil otherwise.
    public var shown: CellValue?

    public init(_ value: CellValue, tone: Tone = .plain, shown: CellValue? = nil) {
        self.value = value
        self.tone = tone
        self.shown = shown
    }

    /// What the formats for people write.
    public var readable: CellValue { shown ?? value }

    public static func text(_ s: String?, tone: Tone = .plain) -> Cell { Cell(.optional(s), tone: tone) }
    public static func integer(_ i: Int?, tone: Tone = .plain) -> Cell { Cell(i.map(CellValue.integer) ?? .empty, tone: tone) }
    public static func list(_ items: [String], tone: Tone = .plain) -> Cell { Cell(items.isEmpty ? .empty : .list(items), tone: tone) }
    public static let empty = Cell(.empty)

    /// A person named by a roster key (or by text that is none, as an external auditor's name): people read
    /// `Config.personLabel` ("Dana Weber (dana)"), JSON keeps the text as written.
    public static func person(_ key: String?, in config: Config) -> Cell {
        guard let key else { return .empty }
        let label = config.personLabel(key)
        return Cell(.text(key), shown: label == key ? nil : .text(label))
    }
}

extension Config {
    /// How reports name a person: "Dana Weber (dana)" for a roster key with a name; the text itself otherwise (a
    /// key the roster lacks, a person it gives no name, an external auditor's name).
    public func personLabel(_ key: String) -> String {
        people[key]?.name.map { "\($0) (\(key))" } ?? key
    }
}

/// Orders ids the way people count: RISK-2 before RISK-10.
public func naturalOrder(_ a: String, _ b: String) -> Bool {
    a.compare(b, options: [.numeric]) == .orderedAscending
}
