/// A report's main table (its first) as RFC 4180 CSV with a header of column keys and `\n` line ends.
/// Summary figures and further tables (heat maps, per-obligation detail) are in the other formats.
public enum CSVReportRenderer {
    public static func render(_ document: ReportDocument) -> String {
        guard let table = document.tables.first else { return "" }
        var out = table.columns.map { field($0.key) }.joined(separator: ",") + "\n"
        for row in table.rows {
            out += row.map { field($0.value.text) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
