/// A report as JSON (docs/reports.md): `version` 1, the report's kind, its summary figures by key and its
/// tables, each row an object keyed by column key. Absent values are null, never left out.
public enum JSONReportRenderer: ReportRenderer {
    struct Document: Encodable {
        let version = 1
        let report: String
        let title: String
        @NullEncoded var isms: String?
        let asOf: String
        let introduction: String
        let summary: [String: CellValue]
        let tables: [Table]

        enum CodingKeys: String, CodingKey { case version, report, title, isms, asOf = "as_of", introduction, summary, tables }
    }
    struct Table: Encodable {
        let id: String
        let title: String
        let columns: [Column]
        let rows: [[String: CellValue]]
    }
    struct Column: Encodable {
        let key: String
        let header: String
    }

    public static func render(_ document: ReportDocument) -> String {
        JSONOutput.encode(encodable(document)) + "\n"
    }

    static func encodable(_ document: ReportDocument) -> Document {
        Document(
            report: document.kind, title: document.title, isms: document.ismsName, asOf: document.asOf.description,
            introduction: document.introduction,
            summary: Dictionary(uniqueKeysWithValues: document.summary.map { ($0.key, $0.value) }),
            tables: document.tables.map { table in
                Table(id: table.id, title: table.title, columns: table.columns.map { Column(key: $0.key, header: $0.header) },
                      rows: table.rows.map { row in
                          Dictionary(uniqueKeysWithValues: zip(table.columns, row).map { ($0.key, $1.value) })
                      })
            })
    }
}
