import Foundation
import ISMSCore

/// A report as GitHub-flavoured Markdown: title, summary list, one pipe table per table. Values from records and
/// isms.yaml are escaped text (`SafeText.markdown`): no markup, link, image, HTML or mention of theirs renders.
public enum MarkdownReportRenderer: ReportRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var out = "# \(document.title)\n\n"
        out += [document.ismsName.map(SafeText.markdown), "as of \(document.asOf)"].compactMap { $0 }.joined(separator: ", ") + ".\n\n"
        out += document.introduction + "\n\n"
        for item in document.summary {
            out += "- \(item.label): **\(item.value.text.isEmpty ? "–" : escape(item.value.text))**\n"
        }
        for table in document.tables {
            out += "\n## \(table.title)\n\n"
            if let note = table.note { out += note + "\n\n" }
            out += "| " + table.columns.map { escape($0.header) }.joined(separator: " | ") + " |\n"
            out += "|" + String(repeating: " --- |", count: table.columns.count) + "\n"
            for row in table.rows {
                out += "| " + row.map { escape($0.readable.text) }.joined(separator: " | ") + " |\n"
            }
        }
        return out
    }

    /// One line (line breaks inside a value become spaces, as before), then escaped Markdown text.
    package static func escape(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return SafeText.markdown(flat)
    }
}
