import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSRules

/// The output formats of `isms history`, `isms log` and `isms blame`. Adding a format: a type conforming to
/// `HistoryRenderer` in its own file, and its case here (the switch is exhaustive).
public enum HistoryFormat: String, CaseIterable, Sendable {
    case text, json

    public var renderer: any HistoryRenderer.Type {
        switch self {
        case .text: return HistoryText.self
        case .json: return HistoryJSON.self
        }
    }
}

/// One output format of the history commands: every subject they show, each with the commits' signatures when
/// they were verified.
public protocol HistoryRenderer {
    /// `isms history ID`: a record's changes, newest first.
    static func history(record: String, entries: [HistoryEntry], signatures: CommitSignatures?) -> String
    /// `isms history isms.yaml`: every change to a setting, newest first.
    static func settingsHistory(_ entries: [SettingEntry], signatures: CommitSignatures?) -> String
    /// `isms log`: the records' changes with those to isms.yaml.
    static func log(_ items: [LogItem], signatures: CommitSignatures?) -> String
    /// `isms blame ID`: each current field with the commit that set it.
    static func blame(record: String, lines: [BlameLine], signatures: CommitSignatures?) -> String
}

/// The documented JSON contracts of `isms history`, `isms log` and `isms blame` (docs/history.md).
public enum HistoryJSON: HistoryRenderer {
    /// With `signatures`, every entry and blamed field carries its commit's `signature` object (docs/signatures.md).
    public static func history(record: String, entries: [HistoryEntry], signatures: CommitSignatures? = nil) -> String {
        JSONOutput.encode(HistoryDocument(record: record, entries: entries.map { Entry($0, withRecord: false, signatures: signatures) }))
            + "\n"
    }

    public static func log(_ entries: [HistoryEntry], signatures: CommitSignatures? = nil) -> String {
        JSONOutput.encode(LogDocument(entries: entries.map { Entry($0, withRecord: true, signatures: signatures) })) + "\n"
    }

    /// The log with the changes to isms.yaml among the records' (`record` and `path` are `isms.yaml`).
    public static func log(_ items: [LogItem], signatures: CommitSignatures? = nil) -> String {
        JSONOutput.encode(LogDocument(entries: items.map { Entry($0, withRecord: true, signatures: signatures) })) + "\n"
    }

    /// `isms history isms.yaml`: every change to a setting, newest first.
    public static func settingsHistory(_ entries: [SettingEntry], signatures: CommitSignatures? = nil) -> String {
        JSONOutput.encode(
            HistoryDocument(record: SettingEntry.path, entries: entries.map { Entry($0, withRecord: false, signatures: signatures) }))
            + "\n"
    }

    public static func blame(record: String, lines: [BlameLine], signatures: CommitSignatures? = nil) -> String {
        JSONOutput.encode(BlameDocument(record: record, fields: lines.map { BlameField($0, signatures: signatures) })) + "\n"
    }

    package struct HistoryDocument: Encodable {
        package let version = 1
        package let record: String
        package let entries: [Entry]
    }
    package struct LogDocument: Encodable {
        package let version = 1
        package let entries: [Entry]
    }
    package struct BlameDocument: Encodable {
        package let version = 1
        package let record: String
        package let fields: [BlameField]
    }

    /// A commit's author or committer.
    package struct Identity: Encodable {
        package let name, email, date: String
        package init(_ s: GitIdentity) { name = s.name; email = s.email; date = s.isoDate }
    }

    /// `record` in the log only; `signature` only when signatures were verified (both left out otherwise).
    package struct Entry: Encodable {
        package let commit: String
        package let author: Identity, committer: Identity
        package let summary, path, event: String
        package let changes: [Change]
        package let record: String?
        package let signature: SignatureVerdict?

        package init(_ entry: some HistoryItem, withRecord: Bool, signatures: CommitSignatures?) {
            commit = entry.commit.id.hex
            author = Identity(entry.commit.author)
            committer = Identity(entry.commit.committer)
            summary = entry.commit.summary
            path = entry.path
            event = entry.event.rawValue
            changes = entry.changes.map(Change.init)
            record = withRecord ? entry.record : nil
            signature = signatures?[entry.commit.id]
        }
    }

    /// A field's change in every contract that lists one (history, log, trail, diff): `old`/`new` are always
    /// present (null when absent); `added`/`removed` only for list fields; `commits` only in `isms diff`.
    package struct Change: Encodable {
        package let field: String
        @NullEncoded package var old: JSONValue?
        @NullEncoded package var new: JSONValue?
        package let added: [JSONValue]?
        package let removed: [JSONValue]?
        package let commits: [DiffJSON.Commit]?

        package init(_ change: FieldChange) { self.init(change, commits: nil) }

        package init(_ change: FieldChange, commits: [DiffJSON.Commit]?) {
            field = change.field
            old = change.old.map(JSONValue.init)
            new = change.new.map(JSONValue.init)
            added = change.isList ? change.added.map(JSONValue.init) : nil
            removed = change.isList ? change.removed.map(JSONValue.init) : nil
            self.commits = commits
        }
    }

    /// `signature` only when signatures were verified.
    package struct BlameField: Encodable {
        package let field: String
        package let value: JSONValue
        package let commit: String
        package let author: Identity
        package let date: String
        package let summary: String
        package let signature: SignatureVerdict?
        package init(_ line: BlameLine, signatures: CommitSignatures?) {
            field = line.field
            value = JSONValue(line.value)
            commit = line.commit.id.hex
            author = Identity(line.commit.author)
            date = line.commit.author.isoDate
            summary = line.commit.summary
            signature = signatures?[line.commit.id]
        }
    }
}

/// Text for a compliance lead: one line per entry (`a1b2c3d4e5 2026-03-02 Alice Example  modified  treatment:
/// reduce → accept`), further changes on the lines below. Author names, commit summaries, ids, paths, field names
/// and values are whatever a committer chose: each goes through `SafeText`, so none can end a line, move the
/// cursor, or pass for another author and a signature mark.
public enum HistoryText: HistoryRenderer {
    /// With `signatures`, each line names the commit's signature after its author: `✓alice`, `✗bad`, `?unknown`, `-`.
    public static func history(_ entries: [HistoryEntry], signatures: CommitSignatures? = nil) -> String {
        render(entries, withRecord: false, signatures: signatures)
    }

    /// The text names the record on the command line only, so `record` is not repeated.
    public static func history(record: String, entries: [HistoryEntry], signatures: CommitSignatures?) -> String {
        history(entries, signatures: signatures)
    }

    public static func blame(record: String, lines: [BlameLine], signatures: CommitSignatures?) -> String {
        blame(lines, signatures: signatures)
    }

    public static func log(_ entries: [HistoryEntry], signatures: CommitSignatures? = nil) -> String {
        render(entries, withRecord: true, signatures: signatures)
    }

    /// The log with the changes to isms.yaml among the records' (named `isms.yaml`).
    public static func log(_ items: [LogItem], signatures: CommitSignatures? = nil) -> String {
        render(items, withRecord: true, signatures: signatures)
    }

    /// `isms history isms.yaml`: every change to a setting, newest first.
    public static func settingsHistory(_ entries: [SettingEntry], signatures: CommitSignatures? = nil) -> String {
        render(entries, withRecord: false, signatures: signatures)
    }

    public static func blame(_ lines: [BlameLine], signatures: CommitSignatures? = nil) -> String {
        let fields = lines.map { SafeText.text($0.field) }
        let fieldWidth = fields.map(\.count).max() ?? 0
        let values = lines.map { SafeText.text(short($0.value.text, limit: 40)) }
        let valueWidth = values.map(\.count).max() ?? 0
        var out = ""
        for ((line, field), value) in zip(zip(lines, fields), values) {
            out +=
                pad(field, fieldWidth) + "  " + pad(value, valueWidth) + "  " + line.commit.id.short + " "
                + line.commit.author.day.description + " " + SafeText.text(line.commit.author.name)
                + (signatures?.mark(line.commit.id).map { " " + $0 } ?? "") + "  " + SafeText.text(line.commit.summary) + "\n"
        }
        return out
    }

    package static func render<Item: HistoryItem>(_ entries: [Item], withRecord: Bool, signatures: CommitSignatures?) -> String {
        var writer = Writer(withRecord: withRecord, capacity: entries.count * 96) { signatures?.mark($0.id) }
        for entry in entries { writer.append(entry) }
        return writer.out.string
    }

    /// `render`, entry by entry: `isms log` writes the text out as it goes rather than hold the whole of it.
    package struct Writer {
        package var out: TextBuffer
        private let withRecord: Bool
        /// A commit's signature mark (nil when not verified), asked once per run of the commit's entries.
        private let mark: (CommitInfo) -> String?
        // Entries of one commit are adjacent: its part of the line is built once (compared by id: a commit read in this
        // run gets a new `CommitInfo` per entry).
        private var commit: ObjectID?
        private var prefix = "", prefixWidth = 0
        private var indents = [Int: String]()

        package init(withRecord: Bool, capacity: Int, mark: @escaping (CommitInfo) -> String?) {
            out = TextBuffer(capacity: capacity)
            self.withRecord = withRecord
            self.mark = mark
        }

        /// A log item as the entry it holds: `LogItem`'s properties box that entry as `any HistoryItem` on every read,
        /// several reads per line of a log of the whole history.
        package mutating func append(_ item: LogItem) {
            switch item {
            case .recordChange(let entry): append(entry)
            case .settingChange(let entry): append(entry)
            }
        }

        package mutating func append(_ entry: some HistoryItem) {
            if entry.commit.id != commit {
                commit = entry.commit.id
                prefix =
                    entry.commit.id.short + " " + entry.commit.author.day.description + " " + SafeText.text(entry.commit.author.name)
                    + (mark(entry.commit).map { " " + $0 } ?? "") + "  "
                prefixWidth = prefix.count
            }
            out.append(prefix)
            let record = SafeText.text(entry.record)
            if withRecord { out.append(record); out.append("  ") }
            out.append(entry.event.rawValue)
            var changes = entry.changes
            switch entry.event {
            case .created, .restored, .boundary, .deleted:
                out.append("  ")
                out.append(SafeText.text(entry.path))
                changes = []
            case .moved:
                out.append("  ")
                out.append(SafeText.text(entry.oldPath ?? "?"))
                out.append(" → ")
                out.append(SafeText.text(entry.path))
            case .idChanged:
                out.append("  ")
                out.append(SafeText.text(entry.oldID ?? "?"))
                out.append(" → ")
                out.append(record)
                changes.removeAll { $0.field == "id" }
            case .modified:
                guard !changes.isEmpty else { break }
                out.append("  ")
                describe(changes.removeFirst(), into: &out)
            }
            out.append("\n")
            guard !changes.isEmpty else { return }
            // Further changes line up under the first detail (the head's width in characters).
            let width = prefixWidth + (withRecord ? record.count + 2 : 0) + entry.event.rawValue.count + 2
            let indent = indents[width] ?? String(repeating: " ", count: width)
            indents[width] = indent
            for change in changes {
                out.append(indent)
                describe(change, into: &out)
                out.append("\n")
            }
        }
    }

    package static func describe(_ change: FieldChange) -> String {
        var out = TextBuffer(capacity: 64)
        describe(change, into: &out)
        return out.string
    }

    /// `field: old → new`, or for a list `field: +added -removed`.
    package static func describe(_ change: FieldChange, into out: inout TextBuffer) {
        out.append(SafeText.text(change.field))
        out.append(": ")
        if change.isList, change.old != nil, change.new != nil {
            let added = change.added, removed = change.removed
            if added.isEmpty && removed.isEmpty { out.append("reordered"); return }
            var first = true
            for (sign, items) in [("+", added), ("-", removed)] {
                for item in items {
                    if !first { out.append(" ") }
                    first = false
                    out.append(sign)
                    out.append(SafeText.text(item.text))
                }
            }
            return
        }
        out.append(change.old.map { SafeText.text(short($0.text, limit: 60)) } ?? "(none)")
        out.append(" → ")
        out.append(change.new.map { SafeText.text(short($0.text, limit: 60)) } ?? "(none)")
    }

    /// One line of at most `limit` characters (Unicode scalars): runs of white space, line breaks too, become
    /// one space, and a longer text is cut with "…". Works on UTF-8 bytes: it runs for every value shown.
    package static func short(_ text: String, limit: Int) -> String {
        let utf8 = text.utf8
        if utf8.count <= limit, !utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 9 }), utf8.first != 32, utf8.last != 32 {
            return text
        }
        var out = [UInt8]()
        out.reserveCapacity(min(utf8.count, limit * 4))
        var scalars = 0, cut = 0, space = false
        for byte in utf8 {
            if byte == 32 || byte == 9 || byte == 10 || byte == 13 {
                space = !out.isEmpty
                continue
            }
            if byte & 0xC0 != 0x80 {  // a scalar starts (or, with a pending space, two do)
                for _ in 0..<(space ? 2 : 1) {
                    if scalars == limit - 1 { cut = out.count }
                    if scalars == limit { return String(decoding: out[..<cut], as: UTF8.self) + "…" }
                    scalars += 1
                }
                if space { out.append(32); space = false }
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    package static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

/// Text built as UTF-8 bytes: appending copies bytes, with no intermediate strings.
package struct TextBuffer {
    private var bytes = [UInt8]()

    package init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// How many bytes it holds.
    package var count: Int { bytes.count }

    /// Empties it, keeping its capacity.
    package mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    package mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    package var string: String { String(decoding: bytes, as: UTF8.self) }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
