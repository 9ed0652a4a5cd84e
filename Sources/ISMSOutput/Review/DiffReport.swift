import GitKit
import ISMSHistory
import ISMSLoading
import ISMSModel
import ISMSRules

/// `isms diff BASE..HEAD`: the semantic diff between the merge base of BASE and HEAD and HEAD, with the
/// commits in the range that made each change.
public struct DiffReport: Sendable {
    public let base: String
    public let head: String
    public let mergeBase: ObjectID
    public let headCommit: ObjectID
    public let diff: SemanticDiff
    /// Commits in the range that changed a field, by record id then field, newest first.
    public let fieldCommits: [String: [String: [CommitInfo]]]
    /// Commits in the range that created, moved, renamed, deleted or restored a record, newest first.
    public let recordCommits: [String: [CommitInfo]]
    /// The settings of isms.yaml and the trust files that differ between the merge base and HEAD, policy first.
    public let settings: [SettingDelta]
    /// The revision whose policy judged the change (default BASE).
    public let trustRef: String
    public let notices: [HistoryNotice]
    /// isms.yaml at the merge base and at HEAD: what counts as a decision (`decision_fields`).
    public var configs: [Config] = []

    public func commits(record: String, field: String) -> [CommitInfo] { fieldCommits[record]?[field] ?? [] }

    /// Whether a change is a decision: a field `decision_fields` names (at BASE or at HEAD, so a change cannot
    /// make its own decisions look minor by editing isms.yaml), or a risk or exception created or removed.
    public func isDecision(_ delta: SemanticDiff.RecordDelta, field: String? = nil) -> Bool {
        if let field {
            let configs = self.configs.isEmpty ? [Config()] : self.configs
            return configs.contains { $0.isDecision(field, of: delta.kind) }
        }
        return (delta.kind == .risk || delta.kind == .exception) && (delta.event == .added || delta.event == .removed)
    }

    /// Splits `BASE..HEAD` (also `BASE...HEAD`, or `BASE` alone for `BASE..HEAD`).
    public static func parseRange(_ range: String) throws(ToolError) -> (base: String, head: String) {
        for separator in ["...", ".."] {
            if let found = range.range(of: separator) {
                let base = String(range[..<found.lowerBound]), head = String(range[found.upperBound...])
                guard !base.isEmpty else { throw .invalidArgument("'\(range)' has no base revision; write BASE..HEAD") }
                return (base, head.isEmpty ? "HEAD" : head)
            }
        }
        guard !range.isEmpty else { throw .invalidArgument("give a range BASE..HEAD") }
        return (range, "HEAD")
    }
}

/// One setting that differs between the merge base and HEAD, with the commits in the range that changed it.
public struct SettingDelta: Sendable {
    /// Dotted (`rules.unsigned-decision`), or a trust file's entry (`allowed_signers file: alex@example.com`).
    public let field: String
    public let old: String?
    public let new: String?
    /// Policy decides how changes are judged (`policy-changed`); otherwise an ISMS decision such as the scope.
    public let policy: Bool
    /// Newest first, as for record fields.
    public let commits: [CommitInfo]
}

extension Workspace {
    /// The semantic diff of `range`, judged by the policy of `trustRef` (default BASE): its limits read the
    /// history and its rules give the findings, so the change cannot hide what it does.
    public func diff(_ range: String, asOf: Day, trustRef: String? = nil, useCache: Bool = true) throws(ToolError) -> DiffReport {
        let (baseName, headName) = try DiffReport.parseRange(range)
        let (repository, prefix) = try requireRepository()
        let headCommit: ObjectID
        do { headCommit = try repository.resolveCommit(headName) } catch {
            throw .revision(headName, error, in: repository)
        }
        let trusted = try trustedRevision(trustRef ?? baseName)
        let mergeBase = try self.mergeBase(of: baseName, and: headName)

        func state(_ commit: ObjectID, _ label: String) throws(ToolError) -> (LoadedISMS, [Finding]) {
            do {
                let source = try GitObjectSource(repository: repository, commit: commit, label: label, prefix: prefix)
                let loaded = try Loader.load(from: source, policy: trusted.config)
                var findings = Checker.check(loaded, asOf: asOf, artifacts: source).findings
                // The risks a change asks to reassess, and a document's text changed without a new approval, are part
                // of what it does: the comment names them. Only these history rules are added; the others are
                // `check --base`'s.
                var notes = [String]()
                if let governance = try? governance(
                    at: commit.hex, trustRef: trusted.commit.hex, config: loaded.isms.config,
                    useCache: useCache, notes: &notes)
                {
                    findings += Checker.check(loaded, asOf: asOf, artifacts: source, governance: governance).findings
                        .filter { $0.rule.hasPrefix("reassessment-") || $0.rule == UnapprovedDocumentChangeRule.id }
                }
                return (loaded, findings)
            } catch .missingAtRevision {
                return (LoadedISMS(isms: ISMS(config: Config(), records: []), findings: []), [])
            }
        }
        let (before, beforeFindings) = try state(mergeBase, baseName)
        let (after, afterFindings) = try state(headCommit, headName)

        // The range: commits reachable from HEAD that the merge base cannot reach, as `git log BASE..HEAD`.
        let history = try historyEngine().load(HistoryOptions(revision: headCommit.hex, useCache: useCache, trusted: trusted))
        let reachableFromBase: Set<ObjectID>
        do {
            let shallow = repository.shallowBoundary().commits
            reachableFromBase = Set(
                try repository.walk(
                    from: mergeBase, firstParent: false, shallow: shallow,
                    isKnown: { _ in false }
                ).ids)
        } catch {
            throw .git("walking the history of \(baseName): \(error)", cause: error as? GitError)
        }
        let entries = history.log().filter { !reachableFromBase.contains($0.commit.id) }

        var renamed = [String: String]()
        for entry in entries.reversed() where entry.event == .idChanged {
            guard let old = entry.oldID else { continue }
            // Follow chains (A → B → C) back to the id BASE had.
            let original = renamed.first { $0.value == old }?.key ?? old
            renamed[original] = entry.record
        }
        let diff = SemanticDiff(
            base: before.isms, head: after.isms, baseFindings: beforeFindings,
            headFindings: afterFindings, renamedIDs: renamed.filter { $0.key != $0.value })

        var fieldCommits = [String: [String: [CommitInfo]]]()
        var recordCommits = [String: [CommitInfo]]()
        let currentID = { (id: String) in renamed[id] ?? id }
        for entry in entries {
            let id = currentID(entry.record)
            for change in entry.changes where !(fieldCommits[id]?[change.field]?.contains { $0.id == entry.commit.id } ?? false) {
                fieldCommits[id, default: [:]][change.field, default: []].append(entry.commit)
            }
            if entry.event != .modified, !(recordCommits[id]?.contains { $0.id == entry.commit.id } ?? false) {
                recordCommits[id, default: []].append(entry.commit)
            }
        }
        let settings: [SettingDelta]
        do {
            let reader = SettingsHistory(repository: repository, prefix: prefix)
            let before = try reader.snapshot(at: mergeBase), after = try reader.snapshot(at: headCommit)
            let changes = try reader.changes(in: history.range(excludingAncestorsOf: mergeBase))
            settings = after.changedFields(from: before).map { field in
                SettingDelta(
                    field: field, old: before.values[field], new: after.values[field],
                    policy: Config.isPolicy(SettingsSnapshot.setting(of: field)),
                    commits: changes.reversed().filter { $0.fields.contains(field) }.map(\.commit))
            }.sorted { ($0.policy ? 0 : 1, $0.field) < ($1.policy ? 0 : 1, $1.field) }
        } catch {
            throw .git("reading the settings of \(baseName)..\(headName): \(error)", cause: error as? GitError)
        }
        return DiffReport(
            base: baseName, head: headName, mergeBase: mergeBase, headCommit: headCommit, diff: diff,
            fieldCommits: fieldCommits, recordCommits: recordCommits, settings: settings, trustRef: trusted.name,
            notices: history.notices, configs: [before.isms.config, after.isms.config])
    }
}
