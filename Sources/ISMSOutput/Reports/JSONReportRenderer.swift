import ISMSCore

/// A report as JSON (docs/reports.md): `version` 1, the report's kind, its summary figures by key and its
/// tables, each row an object keyed by column key. Absent values are null, never left out.
public enum JSONReportRenderer: ReportRenderer {
    package struct Document: Encodable {
        package let version = 1
        package let report: String
        package let title: String
        @NullEncoded package var isms: String?
        package let asOf: String
        package let introduction: String
        package let summary: [String: CellValue]
        package let tables: [Table]

        package enum CodingKeys: String, CodingKey { case version, report, title, isms, asOf = "as_of", introduction, summary, tables }
    }
    package struct Table: Encodable {
        package let id: String
        package let title: String
        package let columns: [Column]
        package let rows: [[String: CellValue]]
    }
    package struct Column: Encodable {
        package let key: String
        package let header: String
    }

    public static func render(_ document: ReportDocument) -> String {
        JSONOutput.encode(encodable(document)) + "\n"
    }

    package static func encodable(_ document: ReportDocument) -> Document {
        Document(
            report: document.kind, title: document.title, isms: document.ismsName, asOf: document.asOf.description,
            introduction: document.introduction,
            summary: Dictionary(uniqueKeysWithValues: document.summary.map { ($0.key, $0.value) }),
            tables: document.tables.map { table in
                Table(
                    id: table.id, title: table.title, columns: table.columns.map { Column(key: $0.key, header: $0.header) },
                    rows: table.rows.map { row in
                        Dictionary(uniqueKeysWithValues: zip(table.columns, row).map { ($0.key, $1.value) })
                    })
            })
    }
}
