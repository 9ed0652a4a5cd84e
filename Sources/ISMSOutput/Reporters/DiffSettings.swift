import GitKit
import ISMSCore
import ISMSHistory
import ISMSModel

/// The settings part of `isms diff` in each form. Policy changes come first and are never cut: they decide how
/// everything else in the change is judged.
package enum DiffSettings {
    /// `{"field", "old", "new", "policy", "commits"}` in the JSON contract (docs/cli.md); absent values are null.
    package struct JSONSetting: Encodable {
        package let field: String
        @NullEncoded package var old: String?
        @NullEncoded package var new: String?
        package let policy: Bool
        package let commits: [DiffJSON.Commit]
    }

    package static func json(_ report: DiffReport, _ signatures: CommitSignatures?) -> [JSONSetting] {
        report.settings.map {
            JSONSetting(
                field: $0.field, old: $0.old, new: $0.new, policy: $0.policy, commits: $0.commits.map { DiffJSON.Commit($0, signatures) })
        }
    }

    package static func value(_ text: String?) -> String {
        guard let text else { return "(unset)" }
        let line = text.replacingOccurrences(of: "\n", with: " ⏎ ")
        return line.count > 80 ? String(line.prefix(77)) + "…" : line
    }

    package static func text(_ report: DiffReport, _ signatures: CommitSignatures?) -> String {
        guard !report.settings.isEmpty else { return "" }
        var out = ""
        for (title, policy) in [("policy (judged by \(SafeText.text(report.trustRef))'s until merged)", true), ("ISMS settings", false)] {
            let settings = report.settings.filter { $0.policy == policy }
            guard !settings.isEmpty else { continue }
            out += "\n\(title)\n"
            for setting in settings {
                out += "    \(SafeText.text(setting.field)): \(SafeText.text(value(setting.old))) → \(SafeText.text(value(setting.new)))"
                if !setting.commits.isEmpty { out += "   [\(SafeText.text(DiffWords.who(setting.commits, signatures)))]" }
                out += "\n"
            }
        }
        return out
    }

    package static func markdown(_ report: DiffReport, _ signatures: CommitSignatures?) -> String {
        guard !report.settings.isEmpty else { return "" }
        var out = ""
        for (title, policy) in [
            ("Policy changes (judged by \(DiffMarkdown.code(report.trustRef))'s policy until merged)", true), ("ISMS settings", false),
        ] {
            let settings = report.settings.filter { $0.policy == policy }
            guard !settings.isEmpty else { continue }
            out += "\n**\(title)**\n\n| setting | before | after | by |\n| --- | --- | --- | --- |\n"
            for setting in settings {
                out +=
                    "| \(DiffMarkdown.code(setting.field)) | \(DiffMarkdown.md(value(setting.old))) | "
                    + "\(DiffMarkdown.md(value(setting.new))) | \(DiffMarkdown.by(setting.commits, signatures)) |\n"
            }
        }
        // A blank line ends the table, so the next one is not read as more of its rows.
        return out + "\n"
    }
}
