import Foundation

/// The three forms of `isms diff`: text for a terminal, markdown for a pull-request comment, JSON as a contract.
public enum DiffFormat: String, CaseIterable, Sendable {
    case text, markdown, json

    /// With `signatures`, each commit carries its signature (JSON) or a mark after its author (text, markdown).
    public func render(_ report: DiffReport, signatures: CommitSignatures? = nil) -> String {
        switch self {
        case .text: return DiffText.render(report, signatures)
        case .markdown: return DiffMarkdown.render(report, signatures)
        case .json: return DiffJSON.render(report, signatures)
        }
    }
}

/// The documented JSON contract of `isms diff` (docs/ci.md).
enum DiffJSON {
    struct Document: Encodable {
        let version = 1
        let base: String, head: String
        let records: [Record]
        let findings: Findings
    }
    struct Commit: Encodable {
        let commit: String
        let author: HistoryJSON.Person
        let summary: String
        let signature: SignatureVerdict?
        init(_ info: CommitInfo, _ signatures: CommitSignatures?) {
            commit = info.id.hex
            author = HistoryJSON.Person(info.author)
            summary = info.summary
            signature = signatures?[info.id]
        }
        enum CodingKeys: String, CodingKey { case commit, author, summary, signature }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(commit, forKey: .commit)
            try c.encode(author, forKey: .author)
            try c.encode(summary, forKey: .summary)
            try c.encodeIfPresent(signature, forKey: .signature)
        }
    }
    struct Change: Encodable {
        let delta: SemanticDiff.FieldDelta
        let commits: [Commit]
        enum CodingKeys: String, CodingKey { case field, old, new, added, removed, commits }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(delta.field, forKey: .field)
            try c.encode(delta.old.map(HistoryJSON.JSONValue.init), forKey: .old)
            try c.encode(delta.new.map(HistoryJSON.JSONValue.init), forKey: .new)
            if delta.isList {
                try c.encode(delta.added.map(HistoryJSON.JSONValue.init), forKey: .added)
                try c.encode(delta.removed.map(HistoryJSON.JSONValue.init), forKey: .removed)
            }
            try c.encode(commits, forKey: .commits)
        }
    }
    struct Record: Encodable {
        let id: String, kind: String, event: String, path: String
        let changes: [Change]
    }
    struct Findings: Encodable {
        let introduced: [JSONReporter.Item]
        let resolved: [JSONReporter.Item]
    }

    static func render(_ report: DiffReport, _ signatures: CommitSignatures?) -> String {
        let records = report.diff.records.map { delta in
            Record(id: delta.id, kind: delta.kind.rawValue, event: delta.event.rawValue, path: delta.path,
                   changes: delta.fields.map { Change(delta: $0, commits: report.commits(record: delta.id, field: $0.field).map { Commit($0, signatures) }) })
        }
        return JSONOutput.encode(Document(base: report.base, head: report.head, records: records,
                                          findings: Findings(introduced: report.diff.introduced.map(JSONReporter.Item.init),
                                                             resolved: report.diff.resolved.map(JSONReporter.Item.init)))) + "\n"
    }
}

/// Shared wording of the text and markdown forms.
enum DiffWords {
    static func value(_ value: FieldValue?) -> String {
        guard let value else { return "(none)" }
        let text = value.text
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

    static func change(_ delta: SemanticDiff.FieldDelta) -> String {
        if delta.isList {
            var parts = [String]()
            if !delta.added.isEmpty { parts.append("+" + delta.added.map(\.text).joined(separator: ", +")) }
            if !delta.removed.isEmpty { parts.append("−" + delta.removed.map(\.text).joined(separator: ", −")) }
            return parts.isEmpty ? "reordered" : parts.joined(separator: "  ")
        }
        return "\(value(delta.old)) → \(value(delta.new))"
    }

    static func who(_ commits: [CommitInfo], _ signatures: CommitSignatures?) -> String {
        commits.map { "\($0.id.short) \(author($0, signatures)) \($0.author.day)" }.joined(separator: "; ")
    }

    /// The author's name with the commit's signature mark (`✓alice`, `unsigned`, …) when signatures were verified.
    /// A bare `-` (history's mark for unsigned) read as a stray dash in a table cell or a list item, so it is spelt out.
    static func author(_ commit: CommitInfo, _ signatures: CommitSignatures?) -> String {
        guard let mark = signatures?.mark(commit.id) else { return commit.author.name }
        return "\(commit.author.name) \(mark == "-" ? "unsigned" : mark)"
    }

    /// What the marks mean, under the markdown table of field changes.
    static let markLegend = "\nSignatures: ✓ signed with a trusted key (by whom), ✗ bad or expired, ? unknown key or not verified, unsigned: no signature (docs/signatures.md).\n"

    static func event(_ delta: SemanticDiff.RecordDelta) -> String {
        switch delta.event {
        case .moved: return "moved from \(delta.oldPath ?? "?")"
        case .idChanged: return "id changed from \(delta.oldID ?? "?")"
        default: return delta.event.rawValue
        }
    }

    static func counts(_ diff: SemanticDiff) -> [(String, Int)] {
        func n(_ event: SemanticDiff.Event) -> Int { diff.records.filter { $0.event == event }.count }
        return [("records added", n(.added)), ("records removed", n(.removed)), ("records modified", n(.modified)),
                ("records moved", n(.moved)), ("ids changed", n(.idChanged)),
                ("links added", diff.links.filter(\.added).count), ("links removed", diff.links.filter { !$0.added }.count),
                ("findings introduced", diff.introduced.count), ("findings resolved", diff.resolved.count)]
    }
}

enum DiffText {
    static func render(_ report: DiffReport, _ signatures: CommitSignatures?) -> String {
        let diff = report.diff
        var out = "isms diff \(report.base)..\(report.head) (merge base \(report.mergeBase.short))\n"
        if diff.isEmpty { return out + "no decision changed\n" }
        for delta in diff.records {
            out += "\n\(delta.id) (\(delta.kind.rawValue)) \(DiffWords.event(delta))  \(delta.path)\n"
            if let commits = report.recordCommits[delta.id], delta.event != .modified {
                out += "    by \(DiffWords.who(commits, signatures))\n"
            }
            for field in delta.fields {
                out += "    \(field.field): \(DiffWords.change(field))"
                let commits = report.commits(record: delta.id, field: field.field)
                if !commits.isEmpty { out += "   [\(DiffWords.who(commits, signatures))]" }
                out += "\n"
            }
        }
        if !diff.links.isEmpty {
            out += "\nlinks\n"
            for link in diff.links { out += "    \(link.added ? "+" : "−") \(link.from) \(link.field) → \(link.to)\n" }
        }
        for (title, findings) in [("findings introduced", diff.introduced), ("findings resolved", diff.resolved)] where !findings.isEmpty {
            out += "\n\(title)\n"
            for f in findings { out += "    \(f.path ?? "isms.yaml"):\(f.line ?? 1): \(f.severity.rawValue): \(f.message) [\(f.rule)]\n" }
        }
        out += "\n" + DiffWords.counts(diff).filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ") + "\n"
        return out
    }
}

/// Made to be posted as a pull-request comment: a summary table first, details folded, under 65,000 characters.
enum DiffMarkdown {
    static let limit = 65_000

    static func render(_ report: DiffReport, _ signatures: CommitSignatures?) -> String {
        let diff = report.diff
        var out = "### isms: decision changes in `\(report.base)..\(report.head)`\n\n"
        if diff.isEmpty { return out + "No record, link or finding changed.\n" }
        out += "| | count |\n| --- | ---: |\n"
        for (title, count) in DiffWords.counts(diff) where count > 0 { out += "| \(title) | \(count) |\n" }
        let errors = diff.introduced.filter { $0.severity == .error }.count
        if errors > 0 { out += "\n**\(errors) new error\(errors == 1 ? "" : "s")** — see below.\n" }

        var sections = [String]()
        let changed = diff.records.flatMap { delta in delta.fields.map { (delta, $0) } }
        if !changed.isEmpty {
            var table = "\n| record | field | change | by |\n| --- | --- | --- | --- |\n"
            for (delta, field) in changed {
                let commits = report.commits(record: delta.id, field: field.field)
                table += "| \(cell(delta.id)) | `\(field.field)` | \(cell(DiffWords.change(field))) | \(cell(commits.map { "\(DiffWords.author($0, signatures)) (\($0.id.short))" }.joined(separator: ", "))) |\n"
            }
            sections.append(table + (signatures == nil ? "" : DiffWords.markLegend))
        }
        for delta in diff.records {
            var block = "\n<details><summary><b>\(escape(delta.id))</b> \(escape(delta.kind.rawValue)) — \(escape(DiffWords.event(delta))): \(escape(delta.title))</summary>\n\n"
            block += "Path: `\(delta.path)`\n\n"
            if let commits = report.recordCommits[delta.id], delta.event != .modified {
                block += commits.map { "- \($0.id.short) \(escape(DiffWords.author($0, signatures))) \($0.author.isoDate): \(escape($0.summary))\n" }.joined()
            }
            for field in delta.fields {
                block += "- `\(field.field)`: \(escape(DiffWords.change(field)))\n"
                for commit in report.commits(record: delta.id, field: field.field) {
                    block += "  - \(commit.id.short) \(escape(DiffWords.author(commit, signatures))) <\(escape(commit.author.email))> \(commit.author.isoDate): \(escape(commit.summary))\n"
                }
            }
            sections.append(block + "\n</details>\n")
        }
        if !diff.links.isEmpty {
            sections.append("\n<details><summary>Links (\(diff.links.count))</summary>\n\n"
                + diff.links.map { "- \($0.added ? "added" : "removed"): \($0.from) `\($0.field)` → \($0.to)\n" }.joined() + "\n</details>\n")
        }
        for (title, findings, open) in [("Findings introduced", diff.introduced, true), ("Findings resolved", diff.resolved, false)] where !findings.isEmpty {
            sections.append("\n<details\(open ? " open" : "")><summary>\(title) (\(findings.count))</summary>\n\n"
                + findings.map { "- **\($0.severity.rawValue)** `\($0.path ?? "isms.yaml"):\($0.line ?? 1)` \(escape($0.message)) (`\($0.rule)`)\n" }.joined()
                + "\n</details>\n")
        }
        // Keep within a pull-request comment's size: stop adding sections, and say so.
        for (index, section) in sections.enumerated() {
            if out.count + section.count > limit - 300 {
                out += "\n> Truncated: \(sections.count - index) more section\(sections.count - index == 1 ? "" : "s") not shown. "
                    + "Run `isms diff \(report.base)..\(report.head)` for everything.\n"
                break
            }
            out += section
        }
        return out
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func cell(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
