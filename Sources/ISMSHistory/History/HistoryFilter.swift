import ISMSModel

/// Narrows history entries by date, kind and field (`isms log`, `isms history`).
public struct HistoryFilter: Sendable {
    /// Entries authored on or after this day (in the author's time zone).
    public var since: Day?
    /// Entries authored on or before this day.
    public var until: Day?
    public var kind: RecordKind?
    /// A dotted field path; `acceptance` also matches `acceptance.approved_by`. Entries keep only the matching
    /// changes, and an entry with none is left out.
    public var field: String?

    public init(since: Day? = nil, until: Day? = nil, kind: RecordKind? = nil, field: String? = nil) {
        self.since = since
        self.until = until
        self.kind = kind
        self.field = field
    }

    public func apply(_ entries: [HistoryEntry]) -> [HistoryEntry] {
        guard since != nil || until != nil || kind != nil || field != nil else { return entries }
        return entries.compactMap(apply)
    }

    /// The entry with only the matching changes, or nil when the filter leaves it out.
    public func apply(_ entry: HistoryEntry) -> HistoryEntry? {
        guard since != nil || until != nil || kind != nil || field != nil else { return entry }
        guard keeps(day: entry.commit.author.day) else { return nil }
        if let kind, entry.kind != kind { return nil }
        guard let field else { return entry }
        let changes = entry.changes.filter { $0.field == field || $0.field.hasPrefix(field + ".") }
        guard !changes.isEmpty else { return nil }
        return HistoryEntry(
            commit: entry.commit, record: entry.record, kind: entry.kind, path: entry.path, oldPath: entry.oldPath,
            oldID: entry.oldID, event: entry.event, changes: changes)
    }

    /// Whether a change authored on `day` is in the date range.
    public func keeps(day: Day) -> Bool {
        if let since, day < since { return false }
        if let until, day > until { return false }
        return true
    }
}
