import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSModel

extension Config {
    /// The settings whose changes are ISMS-level decisions (clauses 4.3 and 6.1.3 d): the scope, each Annex A
    /// exclusion with its justification, and the context once it exists. `name` is content but decides nothing.
    /// A setting counts only while `settingRoles` classifies it as a decision, so policy never passes for one.
    public static let decisionSettings: Set<String> = ["scope", "soa_exclusions", "context"]

    /// Whether the flattened setting `field` (`scope`, `soa_exclusions."A.7.1"`) is an ISMS-level decision.
    public static func isDecisionSetting(_ field: String) -> Bool {
        // `soa_exclusions` alone is the empty mapping `{}` (Annex A in use, nothing excluded): each entry is the
        // decision, and the first entry replacing `{}` is no removal of anything.
        if field == "soa_exclusions" { return false }
        let setting = SettingsSnapshot.setting(of: field)
        return decisionSettings.contains(setting) && settingRoles[setting] == .decision
    }

    /// The checked configuration's ISMS decisions, flattened as `SettingsSnapshot` flattens isms.yaml.
    package var decisionValues: [String: String] {
        var values = [String: String]()
        if let scope { values["scope"] = scope }
        for exclusion in soaExclusions { values["soa_exclusions." + SettingsSnapshot.segment(exclusion.annexA)] = exclusion.justification }
        return values
    }
}

/// One commit's change to isms.yaml, as `isms history isms.yaml` and `isms log` show it. Field names are the
/// flattened setting paths (`scope`, `soa_exclusions."A.7.1"`, `rules.stale-evidence`).
public struct SettingEntry: Sendable {
    public let commit: CommitInfo
    /// Sorted by field; values are the YAML text (lists and mappings inside lists as JSON).
    public let changes: [FieldChange]
    /// True when this commit created isms.yaml (no parent had one): its values are the ISMS's first, not changes.
    package var createsFile = false

    public static let path = "isms.yaml"

    /// Only the changes to ISMS-level decisions; nil when none is left.
    public var decisions: SettingEntry? {
        let kept = changes.filter { Config.isDecisionSetting($0.field) }
        return kept.isEmpty ? nil : SettingEntry(commit: commit, changes: kept)
    }
}

/// The whole history of isms.yaml: what each commit changed, and for each ISMS decision (present, or removed and
/// still absent) the commit that decided its current state. A merge is credited only with what no parent's side
/// explains, as for records and for `policy-changed` (docs/history.md).
public struct SettingsLog: Sendable {
    /// Newest first, in the history's graph order.
    public let entries: [SettingEntry]
    /// Decision field → the tip's value (nil: removed) and the commit that set or removed it. A field whose value
    /// predates a shallow clone's boundary has no known setter and is left out.
    public let decisions: [String: (value: String?, commit: CommitInfo)]

    /// Reads isms.yaml at every commit of `range` (oldest first, as `History.range` gives it). `blob` names the
    /// isms.yaml blob of a commit (nil: absent); a commit with its first parent's blob and one parent is skipped
    /// unread, so a long history costs one lookup per commit. `children`, when given, counts a commit's children in
    /// `range` (once per time each names it a parent): a commit's state is then dropped once its last child is read,
    /// rather than one kept per commit of the history.
    package static func read(
        range: some Sequence<(info: CommitInfo, parents: [ObjectID], isShallowBoundary: Bool)>, repository: Repository,
        children: ((ObjectID) -> Int)? = nil, blob: (ObjectID) throws -> ObjectID?
    ) throws -> SettingsLog {
        var parsed = [ObjectID: [String: String]]()
        func values(of id: ObjectID?) throws -> [String: String] {
            guard let id else { return [:] }
            if let known = parsed[id] { return known }
            // An isms.yaml over the reader's limit is never read whole (a hostile 100 MB blob): it is one value,
            // its blob id, so a change to it still counts.
            guard try repository.objectSize(id) <= Limits.configBytes else {
                parsed[id] = ["isms.yaml": "oversized blob " + id.hex]
                return parsed[id] ?? [:]
            }
            let data = try repository.readObject(id)
            let read = SettingsSnapshot.read(config: data, allowedSigners: { _ in nil }, openPGPKeys: { _ in [] }).values
            parsed[id] = read
            return read
        }
        typealias State = SettingsState
        var states = [ObjectID: (state: State, waiting: Int)]()
        var entries = [SettingEntry]()
        // The commits that created isms.yaml (no ancestor had one).
        var creators = Set<ObjectID>()
        var tip: State?
        for (info, parents, boundary) in range {
            let mine = try blob(info.id)
            // A parent outside the range (beyond a shallow boundary) is read for its values; no setter is known.
            let before: [State] = (boundary ? [] : parents).map { parent in
                if let known = states[parent] {
                    if children != nil {
                        if known.waiting > 1 { states[parent]?.waiting -= 1 } else { states[parent] = nil }
                    }
                    return known.state
                }
                let id = try? blob(parent)
                return State(blob: id ?? nil, values: (try? values(of: id ?? nil)) ?? [:], setters: [:], existed: (id ?? nil) != nil)
            }
            var state: State
            if boundary {
                state = State(blob: mine, values: try values(of: mine), setters: [:], existed: mine != nil)
            } else if before.count == 1, before[0].blob == mine {
                state = before[0]
            } else {
                let current = try values(of: mine)
                let authored: [String]
                if before.count < 2 {
                    authored = SettingsLog.changed(current, from: before.first?.values ?? [:])
                } else if before.count > 2 {
                    // An octopus merge has no merge base to explain its sides by: it authors every field in which any
                    // parent differs from it. Crediting only what its first parent lacked let a first parent on a root of
                    // its own (which "creates" isms.yaml) bring a narrowed scope in unseen.
                    authored = Set(before.flatMap { SettingsLog.changed(current, from: $0.values) }).sorted()
                } else if before.allSatisfy({ $0.values == current }) {
                    // Both sides hold the merge's values: it authored none of them, whatever the merge base held
                    // (`mergeAuthored`), which is not looked for. Most merges leave isms.yaml alone, and finding each
                    // one's base was a quarter of `isms log`'s rendering phase.
                    authored = []
                } else {
                    let base = try repository.mergeBase(parents[0], parents[1]).map { try values(of: blob($0)) } ?? [:]
                    authored = SettingsLog.mergeAuthored(current, sides: before.map(\.values), base: base)
                }
                var setters = [String: CommitInfo]()
                // Inherit each decision's setter from a side that holds the same state, preferring one that changed it.
                // A side's change outranks another side's creation of isms.yaml with the same value: a root of its own
                // merged beside a narrowed scope must not pass the narrowing off as the ISMS's first scope.
                let fields = Set(current.keys).union(before.flatMap { $0.setters.keys })
                for field in fields where Config.isDecisionSetting(field) {
                    if authored.contains(field) { setters[field] = info; continue }
                    let held = before.filter { $0.values[field] == current[field] }.compactMap { $0.setters[field] }
                    let changes = held.filter { !creators.contains($0.id) }
                    let pool = changes.isEmpty ? held : changes
                    if let inherited = pool.first(where: { $0.id != before[0].setters[field]?.id }) ?? pool.first {
                        setters[field] = inherited
                    }
                }
                for field in authored where Config.isDecisionSetting(field) { setters[field] = info }
                let existedBefore = before.contains { $0.existed }
                state = State(blob: mine, values: current, setters: setters, existed: existedBefore || mine != nil)
                if !authored.isEmpty {
                    let old = before.first?.values ?? [:]
                    var entry = SettingEntry(
                        commit: info,
                        changes: authored.map {
                            FieldChange(field: $0, old: old[$0].map(FieldValue.string), new: current[$0].map(FieldValue.string))
                        })
                    entry.createsFile = !existedBefore
                    if entry.createsFile { creators.insert(info.id) }
                    entries.append(entry)
                }
            }
            let waiting = children?(info.id) ?? 1
            if waiting > 0 { states[info.id] = (state, waiting) }
            tip = state
        }
        var decisions = [String: (value: String?, commit: CommitInfo)]()
        for (field, commit) in tip?.setters ?? [:] { decisions[field] = (tip?.values[field], commit) }
        return SettingsLog(entries: entries.reversed(), decisions: decisions)
    }

    package static func changed(_ values: [String: String], from old: [String: String]) -> [String] {
        Set(values.keys).union(old.keys).filter { values[$0] != old[$0] }.sorted()
    }

    /// The fields a two-parent merge produced itself (the rule of `SettingsHistory.mergeAuthored`).
    package static func mergeAuthored(_ mine: [String: String], sides: [[String: String]], base: [String: String]) -> [String] {
        var fields = Set(mine.keys).union(base.keys)
        for side in sides { fields.formUnion(side.keys) }
        return fields.filter { field in
            let result = mine[field]
            let values = sides.map { $0[field] }
            if values.allSatisfy({ $0 == result }) { return false }
            let changed = Set(values.filter { $0 != base[field] }.map { $0 ?? "\u{0}absent" })
            if changed.isEmpty { return result != base[field] }
            return !(changed.count == 1 && changed.first == (result ?? "\u{0}absent"))
        }.sorted()
    }
}

/// isms.yaml at one commit as `SettingsLog.read` follows it. `existed`: this commit or an ancestor had isms.yaml (a
/// file deleted and written again is not created anew).
private struct SettingsState {
    var blob: ObjectID?
    var values: [String: String]
    var setters: [String: CommitInfo]
    var existed: Bool
}

extension Workspace {
    /// The history of isms.yaml over `history` (the commits it read).
    public func settingsLog(_ history: History) throws -> SettingsLog {
        guard let repository, let prefix = repositoryPrefix else { return SettingsLog(entries: [], decisions: [:]) }
        let path = (prefix.isEmpty ? "" : prefix + "/") + "isms.yaml"
        // One commit at a time, each state dropped after its last child: on a million commits, the range as an array
        // and a state per commit were hundreds of megabytes. A commit whose walk saw isms.yaml as its first parent had
        // it (`TopLevelChanges`) holds its first parent's blob: the tree is read only at the commits that changed it
        // (as `GovernanceContext.blobID`), and each commit's blob is remembered in a column by its place in the graph.
        let graph = history.graph
        let children = history.childCounts()
        var known = [ObjectID??](repeating: nil, count: graph.count)
        return try SettingsLog.read(
            range: history.lazyRange(), repository: repository,
            children: { graph.index[$0].map { Int(children[Int($0)]) } ?? 0 }
        ) { commit in
            guard let start = graph.index[commit] else { return try repository.blobID(at: path, inCommit: commit) }
            var inherited = [Int32]()
            var at = start
            if let facts = history.topLevelChanges {
                while known[Int(at)] == nil, facts.leftUnchanged(SettingEntry.path, at: at) {
                    let node = graph.nodes[Int(at)]
                    guard !node.isShallowBoundary, let parent = node.parents.first else { break }
                    inherited.append(at)
                    at = parent
                }
            }
            let blob: ObjectID?
            if let remembered = known[Int(at)] {
                blob = remembered
            } else {
                blob = try repository.blobID(at: path, inCommit: graph.nodes[Int(at)].id)
                known[Int(at)] = .some(blob)
            }
            for index in inherited { known[Int(index)] = .some(blob) }
            return blob
        }
    }
}

extension Repository {
    /// The id of the regular file at `path` (from the repository's top) in `commit`'s tree; nil when absent or not a file.
    package func blobID(at path: String, inCommit commit: ObjectID) throws -> ObjectID? {
        let components = path.pathComponents()
        guard let name = components.last else { return nil }
        guard let folder = try subtree(of: try treeOfCommit(commit), at: components.dropLast().joined(separator: "/")) else { return nil }
        // Byte for byte (`Repository.file(at:below:)`).
        guard let entry = try self.entry(named: String(name), in: folder), entry.mode == .file || entry.mode == .executable else {
            return nil
        }
        return entry.id
    }
}

extension HistoryFilter {
    /// The setting entry with only the matching changes; a kind filter leaves every setting out.
    public func apply(_ entry: SettingEntry) -> SettingEntry? {
        guard kind == nil, keeps(day: entry.commit.author.day) else { return nil }
        guard let field else { return entry }
        let changes = entry.changes.filter { $0.field == field || $0.field.hasPrefix(field + ".") }
        return changes.isEmpty ? nil : SettingEntry(commit: entry.commit, changes: changes)
    }
}

extension History {
    /// The records' log with the ISMS-level decisions of `settings` among them, newest first in the graph's order.
    public func log(_ filter: HistoryFilter, decisionsOf settings: SettingsLog) -> [LogItem] {
        var result = [LogItem]()
        forEachLogItem(filter, decisionsOf: settings) { result.append($0) }
        return result
    }

    /// The items of `log(_:decisionsOf:)` one at a time, in its order: `isms log` prints them as they come.
    package func forEachLogItem(_ filter: HistoryFilter, decisionsOf settings: SettingsLog, _ body: (LogItem) throws -> Void) rethrows {
        // Both are newest first: a setting change goes before the record changes of every commit after its own (a
        // commit's record changes come before its setting change). Settings changes are few; their places are looked
        // up once.
        let changes = settings.entries.compactMap { $0.decisions.flatMap(filter.apply) }
        let places = changes.map { place(of: $0.commit.id) ?? .max }
        var next = 0
        try forEachLogEntry(filter) { entry, place in
            while next < changes.count, places[next] < place {
                try body(.settingChange(changes[next]))
                next += 1
            }
            try body(.recordChange(entry))
        }
        for change in changes[next...] { try body(.settingChange(change)) }
    }
}
