import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSModel
import ISMSRules

/// The three forms of `isms diff`: text for a terminal, markdown for a pull-request comment, JSON as a contract.
/// Adding a form: a type conforming to `DiffRenderer` in its own file, and its case here (the switch is exhaustive).
public enum DiffFormat: String, CaseIterable, Sendable {
    case text, markdown, json

    package var renderer: any DiffRenderer.Type {
        switch self {
        case .text: return DiffText.self
        case .markdown: return DiffMarkdown.self
        case .json: return DiffJSON.self
        }
    }

    /// With `signatures`, each commit carries its signature (JSON) or a mark after its author (text, markdown).
    public func render(_ report: DiffReport, signatures: CommitSignatures? = nil) -> String {
        renderer.render(report, signatures)
    }
}

/// One form of `isms diff`.
package protocol DiffRenderer {
    static func render(_ report: DiffReport, _ signatures: CommitSignatures?) -> String
}

/// The documented JSON contract of `isms diff` (docs/ci.md).
package enum DiffJSON: DiffRenderer {
    package struct Document: Encodable {
        package let version = 1
        package let base: String, head: String
        package let settings: [DiffSettings.JSONSetting]
        package let records: [Record]
        package let findings: Findings
    }
    /// `signature` only when signatures were verified.
    package struct Commit: Encodable {
        package let commit: String
        package let author: HistoryJSON.Identity
        package let summary: String
        package let signature: SignatureVerdict?
        package init(_ info: CommitInfo, _ signatures: CommitSignatures?) {
            commit = info.id.hex
            author = HistoryJSON.Identity(info.author)
            summary = info.summary
            signature = signatures?[info.id]
        }
    }
    package struct Record: Encodable {
        package let id: String, kind: String, event: String, path: String
        package let changes: [HistoryJSON.Change]
    }
    package struct Findings: Encodable {
        package let introduced: [JSONReporter.Item]
        package let resolved: [JSONReporter.Item]
    }

    package static func render(_ report: DiffReport, _ signatures: CommitSignatures?) -> String {
        let records = report.diff.records.map { delta in
            Record(
                id: delta.id, kind: delta.kind.rawValue, event: delta.event.rawValue, path: delta.path,
                changes: delta.fields.map {
                    HistoryJSON.Change($0, commits: report.commits(record: delta.id, field: $0.field).map { Commit($0, signatures) })
                })
        }
        return JSONOutput.encode(
            Document(
                base: report.base, head: report.head, settings: DiffSettings.json(report, signatures), records: records,
                findings: Findings(
                    introduced: report.diff.introduced.map(JSONReporter.Item.init),
                    resolved: report.diff.resolved.map(JSONReporter.Item.init)))) + "\n"
    }
}

/// Shared wording of the text and markdown forms.
package enum DiffWords {
    package static func value(_ value: FieldValue?) -> String {
        guard let value else { return "(none)" }
        let text = value.text
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

    package static func change(_ delta: FieldChange) -> String {
        if delta.isList {
            var parts = [String]()
            if !delta.added.isEmpty { parts.append("+" + delta.added.map(\.text).joined(separator: ", +")) }
            if !delta.removed.isEmpty { parts.append("−" + delta.removed.map(\.text).joined(separator: ", −")) }
            return parts.isEmpty ? "reordered" : parts.joined(separator: "  ")
        }
        return "\(value(delta.old)) → \(value(delta.new))"
    }

    package static func who(_ commits: [CommitInfo], _ signatures: CommitSignatures?) -> String {
        commits.map { "\($0.id.short) \(author($0, signatures)) \($0.author.day)" }.joined(separator: "; ")
    }

    /// The author's name with the commit's signature mark (`✓alice`, `unsigned`, …) when signatures were verified.
    /// A bare `-` (history's mark for unsigned) read as a stray dash in a table cell or a list item, so it is spelt out.
    package static func author(_ commit: CommitInfo, _ signatures: CommitSignatures?) -> String {
        guard let mark = signatures?.mark(commit.id) else { return commit.author.name }
        return "\(commit.author.name) \(mark == "-" ? "unsigned" : mark)"
    }

    /// What the marks mean, under the markdown table of field changes.
    package static let markLegend =
        "\nSignatures: ✓ signed with a trusted key (by whom), ✗ bad or expired, ? unknown key or not verified, unsigned: no signature (docs/signatures.md).\n"

    package static func event(_ delta: SemanticDiff.RecordDelta) -> String {
        switch delta.event {
        case .moved: return "moved from \(delta.oldPath ?? "?")"
        case .idChanged: return "id changed from \(delta.oldID ?? "?")"
        default: return delta.event.rawValue
        }
    }

    package static func counts(_ diff: SemanticDiff) -> [(String, Int)] {
        func n(_ event: SemanticDiff.Event) -> Int { diff.records.filter { $0.event == event }.count }
        return [
            ("records added", n(.added)), ("records removed", n(.removed)), ("records modified", n(.modified)),
            ("records moved", n(.moved)), ("ids changed", n(.idChanged)),
            ("links added", diff.links.filter(\.added).count), ("links removed", diff.links.filter { !$0.added }.count),
            ("findings introduced", diff.introduced.count), ("findings resolved", diff.resolved.count),
        ]
    }
}

/// Every id, title, path, value, author and commit summary is escaped with `SafeText`: they are chosen by whoever
/// made the change under review.
package enum DiffText: DiffRenderer {
    package static func render(_ report: DiffReport, _ signatures: CommitSignatures?) -> String {
        let t = SafeText.text
        let diff = report.diff
        var out = "isms diff \(t(report.base))..\(t(report.head)) (merge base \(report.mergeBase.short))\n"
        if diff.isEmpty && report.settings.isEmpty { return out + "no decision changed\n" }
        out += DiffSettings.text(report, signatures)
        for delta in diff.records {
            out += "\n\(t(delta.id)) (\(delta.kind.rawValue)) \(t(DiffWords.event(delta)))  \(t(delta.path))\n"
            if let commits = report.recordCommits[delta.id], delta.event != .modified {
                out += "    by \(t(DiffWords.who(commits, signatures)))\n"
            }
            for field in delta.fields {
                out += "    \(t(field.field)): \(t(DiffWords.change(field)))"
                let commits = report.commits(record: delta.id, field: field.field)
                if !commits.isEmpty { out += "   [\(t(DiffWords.who(commits, signatures)))]" }
                out += "\n"
            }
        }
        if !diff.links.isEmpty {
            out += "\nlinks\n"
            for link in diff.links { out += "    \(link.added ? "+" : "−") \(t(link.from)) \(t(link.field)) → \(t(link.to))\n" }
        }
        for (title, findings) in [("findings introduced", diff.introduced), ("findings resolved", diff.resolved)] where !findings.isEmpty {
            out += "\n\(title)\n"
            for f in findings {
                out += "    \(t(f.path ?? "isms.yaml")):\(f.line ?? 1): \(f.severity.rawValue): \(t(f.message)) [\(f.rule)]\n"
            }
        }
        out += "\n" + DiffWords.counts(diff).filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ") + "\n"
        return out
    }
}

/// Made to be posted as a pull-request comment: a summary table first, details folded, under 65,000 characters.
///
/// Everything a change chose is Markdown-escaped text or a code span (`SafeText.markdown`, `markdownCode`), or
/// entity-escaped inside the one HTML element used (`<summary>`): a title cannot close the summary, add a
/// heading, an image, a link, or mention a team.
package enum DiffMarkdown: DiffRenderer {
    package static let limit = 65_000

    package static func render(_ report: DiffReport, _ signatures: CommitSignatures?) -> String {
        let diff = report.diff
        var head = "### isms: decision changes in \(SafeText.markdownCode("\(report.base)..\(report.head)"))\n\n"
        if diff.isEmpty && report.settings.isEmpty { return head + "No record, link or finding changed.\n" }
        head += DiffSettings.markdown(report, signatures)
        head += "| | count |\n| --- | ---: |\n"
        for (title, count) in DiffWords.counts(diff) where count > 0 { head += "| \(title) | \(count) |\n" }
        let errors = diff.introduced.filter { $0.severity == .error }.count
        if errors > 0 { head += "\n**\(errors) new error\(errors == 1 ? "" : "s")** — see below.\n" }
        let full = head + sections(report, signatures).joined()
        return full.utf16.count <= limit ? full : compact(report, signatures, head: head, limit: limit)
    }

    package static func md(_ text: String) -> String { SafeText.markdown(text) }
    package static func code(_ text: String) -> String { SafeText.markdownCode(text) }

    /// Everything, when it fits in a comment.
    package static func sections(_ report: DiffReport, _ signatures: CommitSignatures?) -> [String] {
        let diff = report.diff
        var sections = [String]()
        let changed = diff.records.flatMap { delta in delta.fields.map { (delta, $0) } }
        if !changed.isEmpty {
            var table = "\n| record | field | change | by |\n| --- | --- | --- | --- |\n"
            for (delta, field) in changed {
                let commits = report.commits(record: delta.id, field: field.field)
                table += "| \(md(delta.id)) | \(code(field.field)) | \(md(DiffWords.change(field))) | \(by(commits, signatures)) |\n"
            }
            sections.append(table + (signatures == nil ? "" : DiffWords.markLegend))
        }
        for delta in diff.records {
            var block =
                "\n<details><summary><b>\(SafeText.markdownHTML(delta.id))</b> \(delta.kind.rawValue) — "
                + "\(SafeText.markdownHTML(DiffWords.event(delta))): \(SafeText.markdownHTML(delta.title))</summary>\n\n"
            block += "Path: \(code(delta.path))\n\n"
            if let commits = report.recordCommits[delta.id], delta.event != .modified {
                block += commits.map {
                    "- \($0.id.short) \(md(DiffWords.author($0, signatures))) \($0.author.isoDate): \(md($0.summary))\n"
                }.joined()
            }
            for field in delta.fields {
                block += "- \(code(field.field)): \(md(DiffWords.change(field)))\n"
                for commit in report.commits(record: delta.id, field: field.field) {
                    block +=
                        "  - \(commit.id.short) \(md(DiffWords.author(commit, signatures))) \(md("<" + commit.author.email + ">")) "
                        + "\(commit.author.isoDate): \(md(commit.summary))\n"
                }
            }
            sections.append(block + "\n</details>\n")
        }
        if !diff.links.isEmpty {
            sections.append(
                "\n<details><summary>Links (\(diff.links.count))</summary>\n\n"
                    + diff.links.map { "- \($0.added ? "added" : "removed"): \(md($0.from)) \(code($0.field)) → \(md($0.to))\n" }.joined()
                    + "\n</details>\n")
        }
        for (title, findings, open) in [("Findings introduced", diff.introduced, true), ("Findings resolved", diff.resolved, false)]
        where !findings.isEmpty {
            sections.append(
                "\n<details\(open ? " open" : "")><summary>\(title) (\(findings.count))</summary>\n\n"
                    + findings.map { finding($0) + "\n" }.joined() + "\n</details>\n")
        }
        return sections
    }

    package static func by(_ commits: [CommitInfo], _ signatures: CommitSignatures?) -> String {
        md(commits.map { "\(DiffWords.author($0, signatures)) (\($0.id.short))" }.joined(separator: ", "))
    }

    package static func finding(_ f: Finding) -> String {
        "- **\(f.severity.rawValue)** \(code("\(f.path ?? "isms.yaml"):\(f.line ?? 1)")) \(md(f.message)) (\(code(f.rule)))"
    }

    /// When everything does not fit: every decision (one table row per record) and every new error are listed;
    /// the rest is listed while it fits and then counted by kind and event, with the command that shows it all.
    /// Should the decisions and errors alone not fit, the rows that do are shown and the number left out is said:
    /// nothing is dropped silently.
    package static func compact(_ report: DiffReport, _ signatures: CommitSignatures?, head: String, limit: Int) -> String {
        let diff = report.diff
        let command = "isms diff \(report.base)..\(report.head)"
        // Room kept for the closing notes, whatever the rows took.
        let budget = limit - 2_000
        var out =
            head + "\n> Too large for one comment: every decision and every new error is listed, the rest "
            + "is summarised. \(code(command)) shows everything.\n"
        func fits(_ text: String) -> Bool { out.utf16.count + text.utf16.count <= budget }
        func change(_ delta: SemanticDiff.RecordDelta, _ fields: [FieldChange]) -> String {
            var parts = delta.event == .modified ? [] : [DiffWords.event(delta)]
            parts += fields.map { "\($0.field): \(DiffWords.change($0))" }
            return md(parts.joined(separator: "; "))
        }
        func who(_ delta: SemanticDiff.RecordDelta, _ fields: [FieldChange]) -> String {
            var commits = delta.event == .modified ? [] : report.recordCommits[delta.id] ?? []
            for field in fields { commits += report.commits(record: delta.id, field: field.field) }
            var seen = Set<ObjectID>()
            return by(commits.filter { seen.insert($0.id).inserted }, signatures)
        }

        // Decisions: one row per record.
        let decisions = diff.records.compactMap { delta -> (SemanticDiff.RecordDelta, [FieldChange])? in
            let fields = delta.fields.filter { report.isDecision(delta, field: $0.field) }
            return report.isDecision(delta) || !fields.isEmpty ? (delta, fields) : nil
        }
        var decisionsLeft = 0
        if !decisions.isEmpty {
            out += "\n#### Decisions (\(decisions.count))\n\n| record | kind | change | by |\n| --- | --- | --- | --- |\n"
            for (delta, fields) in decisions {
                let row = "| \(md(delta.id)) | \(delta.kind.rawValue) | \(change(delta, fields)) | \(who(delta, fields)) |\n"
                if decisionsLeft == 0 && fits(row) { out += row } else { decisionsLeft += 1 }
            }
            if decisionsLeft > 0 {
                out +=
                    "\n> **\(decisionsLeft) more decision\(decisionsLeft == 1 ? "" : "s") not shown** (no room in one comment): "
                    + "\(code(command)) lists them all.\n"
            }
        }
        let newErrors = diff.introduced.filter { $0.severity == .error }
        var errorsLeft = 0
        if !newErrors.isEmpty {
            out += "\n#### New errors (\(newErrors.count))\n\n"
            for f in newErrors {
                let line = finding(f) + "\n"
                if errorsLeft == 0 && fits(line) { out += line } else { errorsLeft += 1 }
            }
            if errorsLeft > 0 {
                out +=
                    "\n> **\(errorsLeft) more new error\(errorsLeft == 1 ? "" : "s") not shown**: "
                    + "\(code("isms check --base \(report.base)")) lists them all.\n"
            }
        }

        // The rest: other record events and field changes while they fit, then counted.
        var left = [String: Int]()
        var order = [String]()
        func count(_ key: String) {
            if left[key] == nil { order.append(key) }
            left[key, default: 0] += 1
        }
        var other = ""
        for delta in diff.records {
            let fields = delta.fields.filter { !report.isDecision(delta, field: $0.field) }
            let eventRow = delta.event != .modified && !report.isDecision(delta)
            guard eventRow || (delta.event == .modified && !fields.isEmpty) else { continue }
            // An added or removed record is one row; its fields are what it was created or removed with.
            let row =
                "| \(md(delta.id)) | \(delta.kind.rawValue) | \(change(delta, delta.event == .modified ? fields : [])) | "
                + "\(who(delta, delta.event == .modified ? fields : [])) |\n"
            if left.isEmpty && fits(other + row + "\n#### Other changes\n\n| record | kind | change | by |\n| --- | --- | --- | --- |\n") {
                other += row
            } else {
                count("\(delta.kind.rawValue) \(noun(delta.event))")
            }
        }
        if !other.isEmpty { out += "\n#### Other changes\n\n| record | kind | change | by |\n| --- | --- | --- | --- |\n" + other }
        if !diff.links.isEmpty { count("link change"); left["link change"] = diff.links.count }
        let otherIntroduced = diff.introduced.count - newErrors.count
        if otherIntroduced > 0 { count("warning or note introduced"); left["warning or note introduced"] = otherIntroduced }
        if !diff.resolved.isEmpty { count("finding resolved"); left["finding resolved"] = diff.resolved.count }
        if !order.isEmpty {
            out += "\n#### Not shown\n\n"
            for key in order {
                let n = left[key]!
                out +=
                    "- \(n) \(key == "link change" || key.hasSuffix("resolved") || key.hasSuffix("introduced") ? "" : "more ")\(plural(key, n))\n"
            }
            out += "\nRun \(code(command)) to list them.\n"
        }
        return out
    }

    package static func noun(_ event: SemanticDiff.Event) -> String {
        switch event {
        case .added: return "addition"
        case .removed: return "removal"
        case .modified: return "change"
        case .moved: return "move"
        case .idChanged: return "id change"
        }
    }

    package static func plural(_ phrase: String, _ n: Int) -> String {
        guard n != 1 else { return phrase }
        if phrase.hasSuffix(" introduced") { return phrase.replacingOccurrences(of: "warning or note", with: "warnings or notes") }
        if phrase.hasSuffix(" resolved") { return phrase.replacingOccurrences(of: "finding", with: "findings") }
        return phrase + "s"
    }
}
