import ISMSHistory

/// The items of `History.forEachLogItem` cut into pieces of consecutive places of the newest-first order, each
/// listed on its own (`isms log` renders the pieces on several threads and writes them in order): the pieces'
/// items, one piece after the other, are `forEachLogItem`'s. A setting change goes in the piece of its commit's
/// place (a commit outside the order: the last piece), after the record changes of that place and before those of
/// the next, where `forEachLogItem` puts it. So two pieces never meet on one commit: a commit's items are adjacent
/// and in one piece, and its signature is asked for once, as when the log is written in one go.
package struct LogPieces: Sendable {
    private let history: History
    private let filter: HistoryFilter
    /// The setting changes the filter keeps, newest first, and the place of each one's commit (`Int32.max` when it is
    /// not in the order).
    private let changes: [SettingEntry]
    private let changePlaces: [Int32]
    /// Piece k covers the places `starts[k]..<starts[k + 1]` and the setting changes `firstChanges[k]..<firstChanges[k + 1]`.
    private let starts: [Int]
    private let firstChanges: [Int]

    /// Nil when the setting changes' places do not ascend (`forEachLogItem` then puts a change after the record changes
    /// of a later place than its own, which only the whole log in one go reproduces).
    package init?(_ history: History, filter: HistoryFilter, decisionsOf settings: SettingsLog, commitsPerPiece: Int) {
        let changes = settings.entries.compactMap { $0.decisions.flatMap(filter.apply) }
        let places = changes.map { history.place(of: $0.commit.id) ?? .max }
        guard zip(places, places.dropFirst()).allSatisfy({ $0 <= $1 }) else { return nil }
        let count = history.order.count, step = max(1, commitsPerPiece)
        var starts = Array(stride(from: 0, to: count, by: step))
        if starts.isEmpty { starts = [0] }
        starts.append(count)
        // The first change of each piece: the first whose place is not before the piece's start (changes of commits
        // outside the order fall past every start, into the last piece).
        var firstChanges = [Int](), next = 0
        for start in starts.dropLast() {
            while next < places.count, Int(places[next]) < start { next += 1 }
            firstChanges.append(next)
        }
        firstChanges.append(places.count)
        self.history = history
        self.filter = filter
        self.changes = changes
        changePlaces = places
        self.starts = starts
        self.firstChanges = firstChanges
    }

    /// How many pieces (at least one).
    package var count: Int { starts.count - 1 }

    /// The items of piece `piece`, in `forEachLogItem`'s order.
    package func forEachItem(inPiece piece: Int, _ body: (LogItem) throws -> Void) rethrows {
        var next = firstChanges[piece]
        let end = firstChanges[piece + 1]
        try history.forEachLogEntry(filter, places: starts[piece]..<starts[piece + 1]) { entry, place in
            while next < end, changePlaces[next] < place {
                try body(.settingChange(changes[next]))
                next += 1
            }
            try body(.recordChange(entry))
        }
        for change in changes[next..<end] { try body(.settingChange(change)) }
    }
}
