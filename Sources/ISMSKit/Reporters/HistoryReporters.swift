import Foundation

/// The documented JSON contracts of `isms history`, `isms log` and `isms blame` (docs/history.md).
public enum HistoryJSON {
    /// With `signatures`, every entry and blamed field carries its commit's `signature` object (docs/signatures.md).
    public static func history(record: String, entries: [HistoryEntry], signatures: CommitSignatures? = nil) -> String {
        JSONOutput.encode(HistoryDocument(record: record, entries: entries.map { Entry($0, withRecord: false, signatures: signatures) })) + "\n"
    }

    public static func log(_ entries: [HistoryEntry], signatures: CommitSignatures? = nil) -> String {
        JSONOutput.encode(LogDocument(entries: entries.map { Entry($0, withRecord: true, signatures: signatures) })) + "\n"
    }

    public static func blame(record: String, lines: [BlameLine], signatures: CommitSignatures? = nil) -> String {
        JSONOutput.encode(BlameDocument(record: record, fields: lines.map { BlameField($0, signatures: signatures) })) + "\n"
    }

    struct HistoryDocument: Encodable {
        let version = 1
        let record: String
        let entries: [Entry]
    }
    struct LogDocument: Encodable {
        let version = 1
        let entries: [Entry]
    }
    struct BlameDocument: Encodable {
        let version = 1
        let record: String
        let fields: [BlameField]
    }

    struct Person: Encodable {
        let name, email, date: String
        init(_ s: Signature) { name = s.name; email = s.email; date = s.isoDate }
    }

    struct Entry: Encodable {
        let commit: String
        let author: Person, committer: Person
        let summary, path, event: String
        let changes: [Change]
        let record: String?
        let signature: SignatureVerdict?

        init(_ entry: HistoryEntry, withRecord: Bool, signatures: CommitSignatures?) {
            commit = entry.commit.id.hex
            author = Person(entry.commit.author)
            committer = Person(entry.commit.committer)
            summary = entry.commit.summary
            path = entry.path
            event = entry.event.rawValue
            changes = entry.changes.map(Change.init)
            record = withRecord ? entry.record : nil
            signature = signatures?[entry.commit.id]
        }
        enum CodingKeys: String, CodingKey { case commit, author, committer, summary, signature, path, event, changes, record }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(commit, forKey: .commit)
            try c.encode(author, forKey: .author)
            try c.encode(committer, forKey: .committer)
            try c.encode(summary, forKey: .summary)
            try c.encodeIfPresent(signature, forKey: .signature)
            try c.encode(path, forKey: .path)
            try c.encode(event, forKey: .event)
            try c.encode(changes, forKey: .changes)
            try c.encodeIfPresent(record, forKey: .record)
        }
    }

    /// `old`/`new` are always present (null when absent); `added`/`removed` only for list fields.
    struct Change: Encodable {
        let change: FieldChange
        enum CodingKeys: String, CodingKey { case field, old, new, added, removed }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(change.field, forKey: .field)
            try c.encode(change.old.map(JSONValue.init), forKey: .old)
            try c.encode(change.new.map(JSONValue.init), forKey: .new)
            if change.isList {
                try c.encode(change.added.map(JSONValue.init), forKey: .added)
                try c.encode(change.removed.map(JSONValue.init), forKey: .removed)
            }
        }
    }

    struct BlameField: Encodable {
        let field: String
        let value: JSONValue
        let commit: String
        let author: Person
        let date: String
        let summary: String
        let signature: SignatureVerdict?
        init(_ line: BlameLine, signatures: CommitSignatures?) {
            field = line.field
            value = JSONValue(line.value)
            commit = line.commit.id.hex
            author = Person(line.commit.author)
            date = line.commit.author.isoDate
            summary = line.commit.summary
            signature = signatures?[line.commit.id]
        }
        enum CodingKeys: String, CodingKey { case field, value, commit, author, date, summary, signature }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(field, forKey: .field)
            try c.encode(value, forKey: .value)
            try c.encode(commit, forKey: .commit)
            try c.encode(author, forKey: .author)
            try c.encode(date, forKey: .date)
            try c.encode(summary, forKey: .summary)
            try c.encodeIfPresent(signature, forKey: .signature)
        }
    }

    /// A field value typed by the schema: integers as numbers, booleans, dates as `YYYY-MM-DD`, lists as arrays.
    struct JSONValue: Encodable {
        let value: FieldValue
        init(_ value: FieldValue) { self.value = value }
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch value {
            case .string(let s): try c.encode(s)
            case .integer(let i): try c.encode(i)
            case .boolean(let b): try c.encode(b)
            case .date(let d): try c.encode(d.description)
            case .list(let items): try c.encode(items.map(JSONValue.init))
            }
        }
    }
}

/// Text for a compliance lead: one line per entry (`a1b2c3d4e5 2026-03-02 Alice Example  modified  treatment:
/// reduce → accept`), further changes on the lines below.
public enum HistoryText {
    /// With `signatures`, each line names the commit's signature after its author: `✓alice`, `✗bad`, `?unknown`, `-`.
    public static func history(_ entries: [HistoryEntry], signatures: CommitSignatures? = nil) -> String {
        render(entries, withRecord: false, signatures: signatures)
    }

    public static func log(_ entries: [HistoryEntry], signatures: CommitSignatures? = nil) -> String {
        render(entries, withRecord: true, signatures: signatures)
    }

    public static func blame(_ lines: [BlameLine], signatures: CommitSignatures? = nil) -> String {
        let fieldWidth = lines.map(\.field.count).max() ?? 0
        let values = lines.map { short(text($0.value), limit: 40) }
        let valueWidth = values.map(\.count).max() ?? 0
        var out = ""
        for (line, value) in zip(lines, values) {
            out += pad(line.field, fieldWidth) + "  " + pad(value, valueWidth) + "  " + line.commit.id.short + " "
                + line.commit.author.day.description + " " + line.commit.author.name + (signatures?.mark(line.commit.id).map { " " + $0 } ?? "")
                + "  " + line.commit.summary + "\n"
        }
        return out
    }

    static func render(_ entries: [HistoryEntry], withRecord: Bool, signatures: CommitSignatures?) -> String {
        var out = ""
        out.reserveCapacity(entries.count * 80)
        for entry in entries {
            var head = entry.commit.id.short + " " + entry.commit.author.day.description + " " + entry.commit.author.name
                + (signatures?.mark(entry.commit.id).map { " " + $0 } ?? "") + "  "
            if withRecord { head += entry.record + "  " }
            head += entry.event.rawValue + "  "
            var details = [String]()
            var changes = entry.changes
            switch entry.event {
            case .created, .restored, .boundary, .deleted:
                details.append(entry.path)
                changes = []
            case .moved:
                details.append((entry.oldPath ?? "?") + " → " + entry.path)
            case .idChanged:
                details.append((entry.oldID ?? "?") + " → " + entry.record)
                changes.removeAll { $0.field == "id" }
            case .modified:
                break
            }
            details += changes.map(describe)
            let indent = String(repeating: " ", count: head.count)
            for (i, detail) in details.enumerated() {
                out += (i == 0 ? head : indent) + detail + "\n"
            }
            if details.isEmpty { out += head.trimmingTrailingSpaces + "\n" }
        }
        return out
    }

    static func describe(_ change: FieldChange) -> String {
        if change.isList, change.old != nil, change.new != nil {
            let parts = change.added.map { "+" + text($0) } + change.removed.map { "-" + text($0) }
            return change.field + ": " + (parts.isEmpty ? "reordered" : parts.joined(separator: " "))
        }
        return change.field + ": " + (change.old.map { short(text($0), limit: 60) } ?? "(none)") + " → "
            + (change.new.map { short(text($0), limit: 60) } ?? "(none)")
    }

    static func text(_ value: FieldValue) -> String {
        if case .list(let items) = value { return "[" + items.map(text).joined(separator: ", ") + "]" }
        return value.text
    }

    static func short(_ text: String, limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
