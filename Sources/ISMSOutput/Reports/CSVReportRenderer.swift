import Foundation
import ISMSCore

/// A report's main table (its first) as RFC 4180 CSV with a header of column keys and `\n` line ends.
/// Summary figures and further tables (heat maps, per-obligation detail) are in the other formats.
public enum CSVReportRenderer: ReportRenderer {
    public static func render(_ document: ReportDocument) -> String {
        guard let table = document.tables.first else { return "" }
        var out = table.columns.map { field($0.key) }.joined(separator: ",") + "\n"
        for row in table.rows {
            out +=
                row.map { cell in
                    switch cell.readable {
                    case .integer, .decimal: return SafeText.csv(cell.readable.text, isNumber: true)
                    default: return field(cell.readable.text)
                    }
                }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A text cell: quoted as RFC 4180 needs, and neutralised when a spreadsheet would run it as a formula
    /// (`=cmd|' /C calc'!A0` is written `"'=cmd|' /C calc'!A0"`). docs/reports.md says so.
    package static func field(_ text: String) -> String { SafeText.csv(text) }
}
