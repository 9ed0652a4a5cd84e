import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSModel

/// What the history rules ask of git: who set each current field (blame), what each commit changed, whether a
/// commit's signature is good, the full message of a commit, and whether one commit is an ancestor of another.
/// Built once per check from the history of the checked revision; answers are remembered. Rules run one after
/// another, but `memory` keeps the context safe to share (unchecked only because `verifier` and `trustAt`, which
/// are not Sendable, are used only while `memory` is held).
public final class GovernanceContext: @unchecked Sendable {
    /// The revision whose history is judged (`HEAD`, a `--rev`, a merge base).
    public let revision: String
    package let history: History
    package let repository: Repository
    package let verifier: SignatureVerifier
    /// The ISMS root relative to the repository's top.
    package let prefix: String
    /// The answers remembered, and what could not be read. `verifier`, the verifiers and the path-blob caches are
    /// used only while it is held.
    private let memory = Locked(Memory())

    private struct Memory {
        var blames: [String: [String: FieldSetter]?] = [:]
        /// The tip's record state when the history cache's snapshot is the tip's (nil: not looked up yet; .some(nil):
        /// not the tip's, so `History.blame` replays it), and each commit's facts decoded once for all fields.
        var tipState: HistoryState??
        var infos: [Int32: CommitInfo] = [:]
        var histories: [String: [HistoryEntry]] = [:]
        var messages: [ObjectID: String] = [:]
        var ancestry: [Pair: Bool] = [:]
        var logEntries: [HistoryEntry]?
        var recordedTimes: [ObjectID: (when: GitIdentity, parent: ObjectID?)] = [:]
        var failures: [String] = []
        var pathBlobs: [String: PathBlobCache] = [:]
        var settings: Result<[SettingsChange], Error>?
        var settingsLog: SettingsLog?
        var committedDecisions: [String: String]?
        var verifiers: [String: SignatureVerifier] = [:]
        var reassessment: ReassessmentCache?
        var removedFields: [String: Set<String>]??

        mutating func failed(_ what: String, _ error: Error) {
            failures.append("\(what): \(error)")
        }
    }

    private struct Pair: Hashable { let a: ObjectID, b: ObjectID }

    /// A current field's value and the commit that set it (a line of `isms blame`).
    public struct FieldSetter: Sendable {
        public let value: FieldValue
        public let commit: CommitInfo
    }
    /// The trust revision and the commits it judges (`TRUST..revision`); nil without one.
    public let trusted: TrustedRange?
    /// `<git dir>/isms` when caches are read and written; nil with `--no-cache`.
    private let cacheFolder: String?
    /// The trust as some commit's own tree has it: what was trusted before a change to the allowed signers.
    private let trustAt: (ObjectID) -> SignatureTrust?
    /// What this context's rules offer the other checks of this run, and take from them (`removalGroups`); nil: none.
    private let shared: SharedAnswers?

    package init(
        revision: String, history: History, repository: Repository, verifier: SignatureVerifier, prefix: String,
        trusted: TrustedRange? = nil, cacheFolder: String? = nil, shared: SharedAnswers? = nil,
        trustAt: @escaping (ObjectID) -> SignatureTrust?
    ) {
        self.shared = shared
        self.cacheFolder = cacheFolder
        self.revision = revision
        self.trusted = trusted
        self.history = history
        self.repository = repository
        self.verifier = verifier
        self.prefix = prefix
        self.trustAt = trustAt
    }

    /// What the rules could not read from git (a damaged or missing object): with a trust revision the check
    /// fails closed on the first one rather than judge without it.
    public var readFailures: [String] { memory.withLock { $0.failures } }

    /// The setting changes of each commit in `TRUST..revision`, oldest first; empty without a trust revision.
    /// A failure to read them is remembered in `readFailures` and gives none.
    public func settingsChanges() -> [SettingsChange] {
        memory.withLock { m in
            guard let trusted else { return [] }
            if m.settings == nil {
                m.settings = Result { try SettingsHistory(repository: repository, prefix: prefix).changes(in: trusted.commits) }
                if case .failure(let error) = m.settings {
                    m.failed("reading the settings of \(trusted.revision.name)..\(revision)", error)
                }
            }
            return (try? m.settings?.get()) ?? []
        }
    }

    /// The history of isms.yaml over the whole history of the revision: who decided each ISMS-level decision.
    /// A failure to read it is remembered in `readFailures` and gives an empty log.
    public func settingsLog() -> SettingsLog {
        if let known = memory.withLock({ $0.settingsLog }) { return known }
        let range = history.range(excludingAncestorsOf: nil)
        let log: SettingsLog
        do {
            // `blobID` takes the lock itself, so the log is read outside it.
            log = try SettingsLog.read(range: range, repository: repository) { commit in self.blobID(at: "isms.yaml", in: commit) }
        } catch {
            memory.withLock { $0.failed("reading the history of isms.yaml", error) }
            log = SettingsLog(entries: [], decisions: [:])
        }
        memory.withLock { $0.settingsLog = log }
        return log
    }

    /// The ISMS-level decisions (`Config.decisionValues`) of isms.yaml as the revision commits it, read from git and
    /// not from the work tree or the index: what an uncommitted or staged change of them is compared with. A
    /// failure to read it is remembered in `readFailures` and gives none.
    package func committedDecisionValues() -> [String: String] {
        if let known = memory.withLock({ $0.committedDecisions }) { return known }
        var values = [String: String]()
        let tip = history.graph.nodes[Int(history.tip)].id
        // `blobID` takes the lock itself, so the file is read outside it.
        if let blob = blobID(at: SettingEntry.path, in: tip) {
            do {
                // An isms.yaml over the limit or not YAML has no decisions the checked one could equal.
                if try repository.objectSize(blob) <= Limits.configBytes {
                    let data = try repository.readObject(blob)
                    if let (config, _) = try? ConfigReader.read(data, path: SettingEntry.path) { values = config.decisionValues }
                }
            } catch {
                memory.withLock { $0.failed("reading isms.yaml at \(revision)", error) }
            }
        }
        memory.withLock { $0.committedDecisions = values }
        return values
    }

    /// The allowed-signers path of the trust revision's configuration, relative to the ISMS root.
    public var allowedSignersPath: String { verifier.trust.allowedSignersPath }

    /// The day of the first commit that changed a record of the ISMS.
    public var firstRecordDay: Day? { history.firstRecordDay }

    /// The commit that set each current field of record `id` at the revision, by dotted field path.
    /// The same answers as `History.blame`, without its sorting of the fields (the answer is keyed) and with each
    /// commit's facts decoded once rather than once per field: blame of every linked record was a tenth of a check.
    public func blame(_ id: String) -> [String: FieldSetter]? {
        memory.withLock { m in
            if let known = m.blames[id] { return known }
            if m.tipState == nil { m.tipState = .some(history.knownTipState) }
            let lines: [String: FieldSetter]?
            if case .some(.some(let state)) = m.tipState {
                lines = state.record(id: id).map { _, record in
                    var lines = [String: FieldSetter](minimumCapacity: record.fields.count)
                    for (field, attributed) in record.fields where attributed.commit >= 0 {
                        let commit = m.infos[attributed.commit] ?? history.graph.info(attributed.commit)
                        m.infos[attributed.commit] = commit
                        lines[field] = FieldSetter(value: attributed.value, commit: commit)
                    }
                    return lines
                }
            } else {
                lines = history.blame(id).map { lines in
                    Dictionary(lines.map { ($0.field, FieldSetter(value: $0.value, commit: $0.commit)) }, uniquingKeysWith: { a, _ in a })
                }
            }
            m.blames[id] = lines
            return lines
        }
    }

    /// The commit that set `field` of `record`, when the record's value (as checked, possibly the work tree) is
    /// the committed one; nil for an uncommitted value, which no commit can be judged for yet. The same answer as
    /// `blame(record.id)?[field]`, decoding only this field's commit: `backdated-record` asks it of every evidence
    /// and risk, and decoding the commits of all their fields was most of its time.
    public func setter(of field: String, in record: Record) -> CommitInfo? {
        guard let current = record.fields[field]?.value,
            let attributed = history.trackedRecord(id: record.id)?.fields[field], attributed.commit >= 0, attributed.value == current
        else { return nil }
        return memory.withLock { m in
            if let known = m.infos[attributed.commit] { return known }
            let info = history.graph.info(attributed.commit)
            m.infos[attributed.commit] = info
            return info
        }
    }

    /// The fields of `record` whose value (as checked) differs from the revision's: changed, added or removed, as
    /// against `blame(record.id)` (a field no commit set counts as absent); nil when the revision has no record with
    /// its id. The reassessment rules ask it of every linked record and risk, and need no commit for it.
    package func uncommittedFields(of record: Record) -> Set<String>? {
        guard let committed = history.trackedRecord(id: record.id)?.fields else { return nil }
        var changed = Set<String>()
        for (field, attributed) in committed where attributed.commit >= 0 && record.fields[field]?.value != attributed.value {
            changed.insert(field)
        }
        for field in record.fields.keys {
            if let attributed = committed[field], attributed.commit >= 0 { continue }
            changed.insert(field)
        }
        return changed
    }

    /// The changes to record `id`, newest first.
    public func entries(_ id: String) -> [HistoryEntry] {
        memory.withLock { m in
            if let known = m.histories[id] { return known }
            let entries = history.entries(of: id) ?? []
            m.histories[id] = entries
            return entries
        }
    }

    /// The entries of `entries(id)` one at a time, newest first, until `body` returns false: the record's history is
    /// decoded only that far (and not remembered, unless `entries(id)` was asked for before).
    package func forEachEntry(_ id: String, _ body: (HistoryEntry) -> Bool) {
        if let known = memory.withLock({ $0.histories[id] }) {
            for entry in known where !body(entry) { return }
            return
        }
        history.forEachEntry(of: id) { entry, _ in body(entry) }
    }

    /// The newest of `entries(id)` that `predicate` accepts, decoding the record's history only as far as that entry.
    package func newestEntry(_ id: String, where predicate: (HistoryEntry) -> Bool) -> HistoryEntry? {
        if let known = memory.withLock({ $0.histories[id] }) { return known.first(where: predicate) }
        var found: HistoryEntry?
        history.forEachEntry(of: id) { entry, _ in
            if predicate(entry) { found = entry; return false }
            return true
        }
        return found
    }

    /// Whether one of `entries(id)` made in `commit` or a commit descending from it satisfies `predicate`. The
    /// entries placed after `commit` in the newest-first order cannot descend from it and are not decoded.
    package func anyEntry(_ id: String, seeing commit: ObjectID, where predicate: (HistoryEntry) -> Bool) -> Bool {
        if let known = memory.withLock({ $0.histories[id] }) {
            return known.contains { isAncestor(commit, of: $0.commit.id) && predicate($0) }
        }
        let limit = history.place(of: commit)
        var found = false
        history.forEachEntry(of: id) { entry, place in
            if let limit, place > limit { return false }
            if isAncestor(commit, of: entry.commit.id) && predicate(entry) { found = true; return false }
            return true
        }
        return found
    }

    /// Per record id, the fields an operation of a reachable commit naming the id removes (had, then not), or names
    /// (ids joined by id changes, however many) remove: a record's entries follow its id changes back
    /// (`History.forEachEntry`), so a field removed under any id it is joined to may be a removal of it. A removal of a
    /// decision still standing needs such an operation, so `GovernanceRules.removals` decodes the entries of those
    /// records only: decoding every record's whole history cost the cold gate a tenth of its time, once per side. (Ids
    /// joined by an id change were left out of that until the ninth round: one id change anywhere in the history made
    /// every record's history decoded, as on the benchmark.) Nil when an id change does not name both ids.
    package func fieldsRemoved() -> [String: Set<String>]? {
        memory.withLock { m in
            if let known = m.removedFields { return known }
            var removed: [String: Set<String>]? = [:]
            var joined = IDComponents()
            scan: for index in history.order {
                for op in history.graph.ops(index) {
                    if op.event == .idChanged {
                        guard let old = op.oldID, let new = op.newID else {
                            removed = nil
                            break scan
                        }
                        joined.join(old, new)
                    }
                    for field in op.fields where field.new == nil && field.old != nil {
                        if let id = op.oldID { removed?[id, default: []].insert(field.field) }
                        if let id = op.newID { removed?[id, default: []].insert(field.field) }
                    }
                }
            }
            if let found = removed { removed = joined.spread(found) }
            m.removedFields = .some(removed)
            return removed
        }
    }

    /// Record ids joined by id changes (a union-find over the ids both sides of an id change name).
    private struct IDComponents {
        private var parent: [String: String] = [:]

        private mutating func root(_ id: String) -> String {
            var top = id
            while let up = parent[top], up != top { top = up }
            var walk = id
            while let up = parent[walk], up != top {
                parent[walk] = top
                walk = up
            }
            return top
        }

        mutating func join(_ a: String, _ b: String) {
            let (ra, rb) = (root(a), root(b))
            parent[ra] = ra
            parent[rb] = ra
        }

        /// `sets` with every id joined to another given the union of its component's sets.
        mutating func spread(_ sets: [String: Set<String>]) -> [String: Set<String>] {
            guard !parent.isEmpty else { return sets }
            var byRoot: [String: Set<String>] = [:]
            for id in Array(parent.keys) { byRoot[root(id), default: []].formUnion(sets[id] ?? []) }
            var spread = sets
            for id in Array(parent.keys) { spread[id] = byRoot[root(id)] }
            return spread
        }
    }

    /// The removals of decision fields of `record` still standing, by commit (`GovernanceRules.removals`): `decode`
    /// works them out from the record's history, and gives the ids whose commits it read (the record's, and those it
    /// had before an id change). Another check of this run (the head's or the merge base's of `check --base`) that
    /// worked them out for a record with the same fields, kind and decision fields, from a history holding the same
    /// commits naming those ids, gives the same answer, which is taken instead: the merge base decoded again the
    /// histories of the records the pull request did not touch, a tenth of the gate.
    package func removalGroups(
        of record: Record, config: Config, decode: () -> (groups: [RemovalGroup], ids: Set<String>)
    ) -> [RemovalGroup] {
        if let shared {
            for case let answer as RemovalAnswer in shared.values(for: record.id)
            where answer.record.kind == record.kind && answer.record.fields.count == record.fields.count
                && record.fields.keys.allSatisfy({ answer.record.fields[$0] != nil })
                && answer.decisionFields == config.decisionFields && holdsTheSameCommits(naming: answer.ids, as: answer.history)
            {
                return answer.groups
            }
        }
        let (groups, ids) = decode()
        shared?.add(
            RemovalAnswer(history: history, ids: ids, record: record, decisionFields: config.decisionFields, groups: groups),
            for: record.id)
        return groups
    }

    /// Removals of one record's decision fields by one commit.
    package struct RemovalGroup: Sendable {
        package let commit: CommitInfo
        package var fields: [String]

        package init(commit: CommitInfo, fields: [String]) {
            self.commit = commit
            self.fields = fields
        }
    }

    /// `removalGroups` as worked out in one check, with what it depends on.
    private struct RemovalAnswer: Sendable {
        let history: History
        let ids: Set<String>
        /// The record asked about: its kind and field names are what the answer depends on.
        let record: Record
        let decisionFields: [RecordKind: [String]]
        let groups: [RemovalGroup]
    }

    /// The ids some commit of `history` and not of `older` names (before or after it), as `recordsTouched` gives them.
    private struct TouchedAnswer: Sendable {
        let ids: Set<String>?
    }

    /// Whether this history and `other` hold the same commits naming any of `ids`, in the same order: they share one
    /// graph (one reused the other's: `HistoryOptions.reusing`, which shares the messages read), the tip of one is an
    /// ancestor of the other's, and no commit between them names one of `ids` or changes an id. The newest-first
    /// order of an ancestor's commits is theirs in a descendant's (a commit outside the ancestor is never one's parent).
    private func holdsTheSameCommits(naming ids: Set<String>, as other: History) -> Bool {
        guard other.messages === history.messages else { return false }
        let graph = history.graph
        let tip = graph.nodes[Int(history.tip)].id, otherTip = graph.nodes[Int(other.tip)].id
        if tip == otherTip { return other.tip == history.tip }
        let newer: History, older: ObjectID
        if history.isAncestor(otherTip, of: tip) == true {
            (newer, older) = (history, otherTip)
        } else if history.isAncestor(tip, of: otherTip) == true {
            (newer, older) = (other, tip)
        } else {
            return false
        }
        let newerTip = graph.nodes[Int(newer.tip)].id
        // Answers are told apart by their type, whatever a record id might spell.
        let key = "touched \(newerTip.hex) since \(older.hex)"
        let touched: Set<String>?
        if let known = shared?.values(for: key).lazy.compactMap({ $0 as? TouchedAnswer }).first {
            touched = known.ids
        } else {
            touched = Self.recordsTouched(in: newer, since: older)
            shared?.add(TouchedAnswer(ids: touched), for: key)
        }
        guard let touched else { return false }
        return touched.isDisjoint(with: ids)
    }

    /// Every record id the history of the revision knows, present or gone.
    public func knownIDs() -> [String] { history.knownIDs() }

    /// Every record change in the history, newest first.
    public func log() -> [HistoryEntry] {
        memory.withLock { m in
            if let logEntries = m.logEntries { return logEntries }
            let entries = history.log()
            m.logEntries = entries
            return entries
        }
    }

    /// Whether a signature of this run could not be verified here (gpg missing, an unsupported algorithm): findings
    /// drawn from such a verdict depend on the machine and are not cached (`BaseFindingsCache`).
    package var reachedNotVerified: Bool {
        memory.withLock { m in verifier.reachedNotVerified || m.verifiers.values.contains { $0.reachedNotVerified } }
    }

    public func signature(_ commit: ObjectID) -> SignatureVerdict {
        // A commit this run's walk read unsigned (no signature header) is not read again: its verdict is `unsigned`.
        let carries = history.graph.index[commit].flatMap { history.graph.carriesSignature($0) }
        return memory.withLock { _ in verifier.verdict(for: commit, carriesSignature: carries) }
    }

    /// Whether a commit with an entry in `log()` may carry a bad signature. False when every such commit's verdict
    /// is already known and not bad: then `bad-signature` finds nothing, and neither the 40,000 entries of a
    /// 20,000-commit log nor a verdict per entry need to be made. Only commits whose verdict is not known (or is
    /// bad) are decoded to see whether they have an entry; asking `signature` of those is left to the caller, so
    /// exactly the commits of the log are verified, as before.
    package func mayHaveBadSignature() -> Bool {
        memory.withLock { _ in
            // Only a commit whose operations name a record can have an entry: the 40% of a monorepo's commits that
            // touch no record need no verdict looked up.
            let graph = history.graph
            var namesARecord = [Bool](repeating: false, count: graph.count)
            for commits in graph.mentions.values { for commit in commits { namesARecord[Int(commit)] = true } }
            for index in history.order where namesARecord[Int(index)] {
                let id = graph.nodes[Int(index)].id
                if let known = verifier.knownVerdict(for: id), known.status != .bad { continue }
                if graph.carriesSignature(index) == false {
                    // Read unsigned by this run's walk: not bad. Its verdict is still made (no read), so the signature
                    // cache holds the log's commits as when each was verified.
                    if history.hasEntries(at: index) { _ = verifier.verdict(for: id, carriesSignature: false) }
                    continue
                }
                if history.hasEntries(at: index) { return true }
            }
            return false
        }
    }

    /// The earliest a commit can have been made. Its author date is whatever its author set (GIT_AUTHOR_DATE), but
    /// a commit names its parents, so it cannot be older than the newest of them: when a parent's committer date is
    /// later than the author date, that committer signature is the bound, with the parent's id. Only the parents
    /// are read, not every ancestor: one clock set far ahead then misleads about its own children, not about the
    /// rest of the history. A parent that cannot be read (beyond a shallow clone's boundary) bounds nothing.
    public func recordedAt(_ commit: CommitInfo) -> (when: GitIdentity, parent: ObjectID?) {
        memory.withLock { m in
            if let known = m.recordedTimes[commit.id] { return known }
            var answer: (when: GitIdentity, parent: ObjectID?) = (commit.author, nil)
            // The history's graph holds the commit's parents and their committers, as git has them (its walk follows
            // every parent); a shallow boundary's, which it leaves out, are asked of git.
            let graph = history.graph
            if let index = graph.index[commit.id], !graph.nodes[Int(index)].isShallowBoundary {
                for parent in graph.nodes[Int(index)].parents {
                    let committer = graph.info(parent).committer
                    guard committer.time > answer.when.time else { continue }
                    answer = (committer, graph.nodes[Int(parent)].id)
                }
                m.recordedTimes[commit.id] = answer
                return answer
            }
            for parent in (try? repository.commit(commit.id).parents) ?? [] {
                guard let committer = try? repository.commit(parent).committer, committer.time > answer.when.time else { continue }
                answer = (committer, parent)
            }
            m.recordedTimes[commit.id] = answer
            return answer
        }
    }

    /// The whole message of a commit (the history keeps only its first line).
    public func message(_ commit: ObjectID) -> String {
        // Messages read whole are shared with the merge base's judgement (`History.messages`); a failure to read is
        // this context's own (`readFailures`).
        if let known = history.messages.withLock({ $0[commit] }) { return known }
        return memory.withLock { m in
            if let known = m.messages[commit] { return known }
            var text = ""
            do {
                let read = try repository.commit(commit)
                text = Repository.text(read.message, encoding: read.encoding)
                history.messages.withLock { $0[commit] = text }
            } catch {
                m.failed("reading commit \(commit.short)", error)
            }
            m.messages[commit] = text
            return text
        }
    }

    /// Whether the whole message of `commit` matches `pattern` (`reference_pattern`). A pattern given up (over its time
    /// budget) matches nothing, as `Pattern.matches` says; an answer is otherwise kept for the history (and the merge
    /// base's judgement that reuses it): a commit sets decisions of several records, and both sides ask of the same
    /// commits.
    package func message(of commit: ObjectID, matches pattern: Pattern) -> Bool {
        if pattern.gaveUp != nil { return false }
        if let known = history.referenceMatches.withLock({ $0[pattern.source]?[commit] }) { return known }
        guard let answer = pattern.match(message(commit)) else { return false }
        history.referenceMatches.withLock { $0[pattern.source, default: [:]][commit] = answer }
        return answer
    }

    /// Whether `ancestor` is `commit` or one of its ancestors: a change the author of `commit` could see.
    public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) -> Bool {
        if ancestor == commit { return true }
        // The history's graph answers for the commits it holds; others (outside the judged history) ask git.
        if let known = history.isAncestor(ancestor, of: commit) { return known }
        return memory.withLock { m in
            let key = Pair(a: ancestor, b: commit)
            if let known = m.ancestry[key] { return known }
            let answer = (try? repository.mergeBase(ancestor, commit)) == .some(ancestor)
            m.ancestry[key] = answer
            return answer
        }
    }

    /// The roster key of whoever made a commit: the author's e-mail matched against `people`.
    public static func person(_ signature: GitIdentity, in people: [String: Person]) -> String? {
        let email = signature.email.lowercased()
        return people.values.filter { $0.email?.lowercased() == email }.map(\.key).sorted().first
    }

    /// The blob id of the file at `path` (below the ISMS root) in `commit`'s tree; nil when absent.
    package func blobID(at path: String, in commit: ObjectID) -> ObjectID? {
        memory.withLock { m in
            let cache = m.pathBlobs[path] ?? PathBlobCache(path: (prefix.isEmpty ? "" : prefix + "/") + path, folder: cacheFolder)
            m.pathBlobs[path] = cache
            struct Unreadable: Error {}
            // The commits this run's walk compared that left the path's first folder (or the file) as their first
            // parent had it hold their first parent's blob: the tree is read only where that changed.
            var inherited = [ObjectID]()
            var at = commit
            if let facts = history.topLevelChanges, let first = Self.firstComponent(of: path) {
                let graph = history.graph
                while cache.known(in: at) == nil, let index = graph.index[at], facts.leftUnchanged(first, at: index) {
                    let node = graph.nodes[Int(index)]
                    guard !node.isShallowBoundary, let parent = node.parents.first else { break }
                    inherited.append(at)
                    at = graph.nodes[Int(parent)].id
                }
            }
            // A failure to read is not remembered: the next run tries again (and `readFailures` has it now).
            guard
                let blob = try? cache.blob(
                    in: at,
                    read: {
                        let before = m.failures.count
                        let entry = entry(at: path, in: at, &m)
                        if m.failures.count > before { throw Unreadable() }
                        return entry?.id
                    })
            else {
                // nil: no file there (remembered), or a failure to read (not remembered, nor for the commits above).
                if case .some(.none) = cache.known(in: at) { for commit in inherited { cache.remember(nil, in: commit) } }
                return nil
            }
            for commit in inherited { cache.remember(blob, in: commit) }
            return blob
        }
    }

    /// The first component of a path below the ISMS root, when the walk notes changes to it (`TopLevelChanges`): not a
    /// record folder (whose changes it does not note) and a plain name (not empty, `.` or `..`, which a tree never
    /// holds, so a lookup through them is left to git).
    private static func firstComponent(of path: String) -> String? {
        let components = path.pathComponents(omittingEmpty: false)
        guard let first = components.first, !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
            RecordKind(folder: first) == nil
        else { return nil }
        return first
    }

    /// Writes what the caches of this context learnt; problems come back as sentences for stderr.
    public func saveCaches() -> [String] {
        memory.withLock { m in
            m.reassessment?.save()
            return m.pathBlobs.values.compactMap { $0.save() }
        }
    }

    /// The reassessment answers of this tip under `config` (made on first use; one config per check).
    private func reassessmentCache(_ m: inout Memory, _ config: Config) -> ReassessmentCache {
        if let known = m.reassessment { return known }
        let tip = history.graph.nodes[Int(history.tip)].id
        let cache = ReassessmentCache(
            tip: tip, prefix: prefix, repository: repository, trusted: trusted != nil, trustedConfigBlob: trusted?.revision.configBlob,
            config: config,
            folder: cacheFolder, touchedSince: { [history] older in Self.recordsTouched(in: history, since: older) })
        m.reassessment = cache
        return cache
    }

    /// The records the commits of `history` that `older` does not have touch (their ids before and after); nil when
    /// `older` is not an ancestor of the tip, or one of those commits changes an id or is cut by a shallow boundary.
    private static func recordsTouched(in history: History, since older: ObjectID) -> Set<String>? {
        // Answers for another branch's tip speak of commits this history does not hold.
        guard history.isAncestor(older, of: history.graph.nodes[Int(history.tip)].id) == true else { return nil }
        var touched = Set<String>()
        for commit in history.range(excludingAncestorsOf: older) {
            guard !commit.isShallowBoundary, let index = history.graph.index[commit.info.id] else { return nil }
            for op in history.graph.ops(index) {
                if op.event == .idChanged { return nil }
                if let id = op.oldID { touched.insert(id) }
                if let id = op.newID { touched.insert(id) }
            }
        }
        return touched
    }

    /// The newest committed change of record `id` (a `kind`) that has material fields under `config`, with those
    /// fields (`material` gives them for an entry): remembered across runs for this tip (`ReassessmentCache`).
    package func newestMaterialChange(of id: String, kind: RecordKind, config: Config, material: (HistoryEntry) -> [String]) -> (
        fields: [String], commit: CommitInfo
    )? {
        let known = memory.withLock { m in reassessmentCache(&m, config).newestMaterialChange(of: id, kind: kind) }
        if let known {
            guard let change = known else { return nil }
            // An answer naming a commit this history does not hold is asked again.
            if let index = history.graph.index[change.commit] { return (change.fields, history.graph.info(index)) }
        }
        let change = newestEntry(id, where: { !material($0).isEmpty }).map { (fields: material($0), commit: $0.commit) }
        memory.withLock { m in
            reassessmentCache(&m, config).remember(newest: change.map { ($0.fields, $0.commit.id) }, of: id, kind: kind)
        }
        return change
    }

    /// Whether a commit that can see `commit` reassessed `risk` (`reassessedBy` judges an entry of the risk):
    /// remembered across runs for this tip, the change's day and `config`'s decision fields (`ReassessmentCache`).
    package func reassessedInHistory(
        _ risk: String, after commit: ObjectID, day: Day, config: Config, reassessedBy: (HistoryEntry) -> Bool
    ) -> Bool {
        if let known = memory.withLock({ m in reassessmentCache(&m, config).reassessed(risk, after: commit, day: day) }) {
            return known
        }
        let answer = anyEntry(risk, seeing: commit, where: reassessedBy)
        memory.withLock { m in reassessmentCache(&m, config).remember(reassessed: answer, risk, after: commit, day: day) }
        return answer
    }

    /// A failure to read is recorded in `memory`, which the caller holds.
    private func entry(at path: String, in commit: ObjectID, _ memory: inout Memory) -> TreeEntry? {
        let full = (prefix.isEmpty ? "" : prefix + "/") + path
        let components = full.pathComponents()
        guard let name = components.last else { return nil }
        do {
            let tree = try repository.treeOfCommit(commit)
            guard let folder = try repository.subtree(of: tree, at: components.dropLast().joined(separator: "/")) else { return nil }
            // Byte for byte (`Repository.file(at:below:)`).
            return try repository.entry(named: String(name), in: folder)
        } catch {
            memory.failed("reading \(path) at commit \(commit.short)", error)
            return nil
        }
    }

    /// Whether the allowed-signers file at `path` in `commit`'s tree trusts any key: false when it is absent, not a
    /// regular file (the trust never follows a link) or lists no key (empty, comments only); true when it lists one,
    /// and when it cannot be read or is too large to (then it is not known to trust nothing).
    package func trustsAKey(allowedSignersAt path: String, in commit: ObjectID) -> Bool {
        memory.withLock { m in
            guard let entry = entry(at: path, in: commit, &m), entry.mode == .file || entry.mode == .executable else { return false }
            guard let size = try? repository.objectSize(entry.id), size <= Limits.configBytes,
                let data = try? repository.readObject(entry.id)
            else { return true }
            return !AllowedSigners(text: String(decoding: data, as: UTF8.self), path: path).entries.isEmpty
        }
    }

    /// Every commit reachable from the revision, oldest first; a shallow clone's boundary commits are left out
    /// (their parents are not there to compare with). Metadata is decoded only when `info(_:)` is asked for.
    package func commits() -> [GraphCommit] {
        // The history already holds the graph: walking the commits again cost a run 0.1 s per 20,000 commits, and
        // decoding every commit's author and message 20 ms more.
        let nodes = history.graph.nodes
        return history.order.reversed().compactMap { index in
            let node = nodes[Int(index)]
            guard !node.isShallowBoundary else { return nil }
            return GraphCommit(id: node.id, parents: node.parents.map { nodes[Int($0)].id }, index: index)
        }
    }

    /// The commits of `commits()` in which the file at `path` (below the ISMS root) differs from the file in every
    /// parent (in a root commit: exists), oldest first. Which commits change a file is a question about each commit
    /// and its parents alone, so the answer is kept per tip under the git folder (`path-changes-v1.cache`, a
    /// `KeyedCacheFile` keyed by the tip, the path, the shallow boundary and grafts, and the build), and a newer tip
    /// adds the answers for the commits an older one lacks: `allowed-signers-changed` looked the file up in all
    /// 20,000 commits of the benchmark on every run. Not stored when a tree could not be read.
    package func commitsChanging(_ path: String) -> [GraphCommit] {
        let nodes = history.graph.nodes
        let tip = nodes[Int(history.tip)].id
        let settings =
            (["path \((prefix.isEmpty ? "" : prefix + "/") + path)"] + CacheKey.historyShape(repository) + ["build \(CacheKey.build)"])
            .map { $0.replacingOccurrences(of: "\n", with: "\\n") }.joined(separator: "\n")
        let key = "tip \(tip.hex)\n" + settings
        let file = cacheFolder.map { KeyedCacheFile(path: $0 + "/path-changes-v1.cache", header: "isms path-changes v1", maxEntries: 8) }
        func decode(_ payload: ArraySlice<UInt8>) -> Set<ObjectID>? {
            guard payload.count % 20 == 0 else { return nil }
            var ids = Set<ObjectID>()
            var offset = payload.startIndex
            while offset < payload.endIndex {
                ids.insert(payload[offset..<offset + 20].withUnsafeBytes { ObjectID(bytes: $0) })
                offset += 20
            }
            return ids
        }
        var changed: Set<ObjectID>?
        var toJudge: [GraphCommit] = []
        let entries = file?.entries() ?? []
        if let entry = entries.first(where: { $0.key.elementsEqual(Array(key.utf8)) && $0.isWhole }) {
            changed = decode(entry.payload)
        }
        if changed == nil {
            for entry in entries {
                let text = String(decoding: entry.key, as: UTF8.self)
                guard entry.isWhole, text.hasPrefix("tip "), text.drop(while: { $0 != "\n" }).dropFirst() == settings,
                    let older = ObjectID(hex: String(text.dropFirst(4).prefix { $0 != "\n" }))
                else { continue }
                // A newer tip's answer holds this one's (the merge base of `check --base`, after the head): which
                // commits change the path is a question about each commit and its parents, so it is the commits of
                // that answer this tip reaches.
                if older != tip, history.isAncestor(tip, of: older) == true, let known = decode(entry.payload) {
                    changed = known.filter { id in history.place(of: id) != nil }
                    break
                }
                guard history.isAncestor(older, of: tip) == true, let known = decode(entry.payload) else { continue }
                // The commits the older tip's history lacks, as `commits()` lists them.
                toJudge = history.range(excludingAncestorsOf: older).compactMap { commit in
                    guard !commit.isShallowBoundary, let index = history.graph.index[commit.info.id] else { return nil }
                    return GraphCommit(id: commit.info.id, parents: commit.parents, index: index)
                }
                changed = known
                break
            }
        }
        if changed == nil { toJudge = commits() }
        var found = changed ?? []
        let failuresBefore = readFailures.count
        var blobs = [ObjectID: ObjectID?]()
        func blob(_ commit: ObjectID) -> ObjectID? {
            if let known = blobs[commit] { return known }
            let id = blobID(at: path, in: commit)
            blobs[commit] = id
            return id
        }
        for commit in toJudge {
            let mine = blob(commit.id)
            let before = commit.parents.map(blob)
            // A merge that took the file from one parent did not change it: the branch commit that did is judged.
            if before.isEmpty ? mine != nil : before.allSatisfy({ $0 != mine }) { found.insert(commit.id) }
        }
        if let file, !toJudge.isEmpty || changed == nil, readFailures.count == failuresBefore {
            var out = [UInt8]()
            for id in found.sorted(by: { $0.hex < $1.hex }) { id.withBytes { out.append(contentsOf: $0) } }
            file.store(out, for: key)
        }
        return found.compactMap { id -> GraphCommit? in
            guard let index = history.graph.index[id] else { return nil }
            let node = nodes[Int(index)]
            return GraphCommit(id: id, parents: node.parents.map { nodes[Int($0)].id }, index: index)
        }.sorted { (history.place(of: $0.id) ?? 0) > (history.place(of: $1.id) ?? 0) }
    }

    /// The author, committer and message of one of `commits()`.
    package func info(_ commit: GraphCommit) -> CommitInfo { history.graph.info(commit.index) }

    /// `commit`'s signature judged against what `trusted`'s tree trusts (for a change to the allowed signers:
    /// its parent's). Nil when that trust cannot be read.
    package func signature(_ commit: ObjectID, trustingTreeOf trusted: ObjectID) -> SignatureVerdict? {
        memory.withLock { m in
            guard let trust = trustAt(trusted) else { return nil }
            let verifier = m.verifiers[trust.fingerprint] ?? SignatureVerifier(trust: trust, repository: repository)
            m.verifiers[trust.fingerprint] = verifier
            return verifier.verdict(for: commit)
        }
    }
}

/// A commit of the judged history; its metadata is decoded on demand (`GovernanceContext.info`).
package struct GraphCommit {
    package let id: ObjectID
    package let parents: [ObjectID]
    fileprivate let index: Int32
}

/// The trust revision of a check and the commits it judges.
public struct TrustedRange: Sendable {
    public let revision: TrustedRevision
    /// Where the judged revision branched from the trusted one.
    public let mergeBase: ObjectID
    /// `mergeBase..revision`, oldest first.
    package let commits: [(info: CommitInfo, parents: [ObjectID], isShallowBoundary: Bool)]
}

extension CommitInfo {
    /// How a finding names a commit: `1a2b3c4d5e (Bob Example, 2026-02-01)`.
    public var reference: String { "\(id.short) (\(author.name), \(author.day))" }
}
