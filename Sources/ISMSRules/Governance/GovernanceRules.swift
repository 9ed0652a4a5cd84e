import GitKit
import ISMSHistory
import ISMSModel

/// What the history rules share: which they are, when any of them runs, and how they word a commit.
package enum GovernanceRules {
    /// The rules whose findings are about commits, from what each rule declares (`Rule.history`).
    package static let ids: [String] = RuleRegistry.all.compactMap { rule in
        type(of: rule).history == .judgesCommits ? type(of: rule).id : nil
    }

    /// Whether any rule that reads the history would report something under `config`: turned off rules, and
    /// rules whose own setting is missing (`Rule.isActive`), do not count. When none does, the history is not
    /// read at all.
    package static func anyActive(in config: Config) -> Bool {
        RuleRegistry.all.contains { rule in
            let declared = type(of: rule)
            guard declared.history != .notRead else { return false }
            if case .some(.none) = config.ruleSeverities[declared.id] { return false }
            return declared.isActive(in: config)
        }
    }

    /// Why a signature is not good, as the end of a sentence: "which is unsigned".
    package static func describe(_ verdict: SignatureVerdict) -> String {
        switch verdict.status {
        case .good: return "which has a good signature"
        case .unsigned: return "which is unsigned"
        case .bad where verdict.isMalformedCommit: return "which is malformed (\(verdict.reason ?? ""))"
        case .bad: return "whose signature does not verify"
        case .unknownKey: return "signed by a key that is not trusted (\(verdict.key ?? "unknown key"))"
        case .expiredKey: return "signed by a key that was not valid then (\(verdict.principal ?? verdict.key ?? "unknown key"))"
        case .notVerified: return "whose signature could not be verified (\(verdict.reason ?? "unsupported"))"
        }
    }

    /// The decision fields a record has now, in the schema's order, grouped by the commit that set each one.
    package static func decisionsByCommit(_ record: Record, config: Config, governance: GovernanceContext) -> [(
        commit: CommitInfo, fields: [String]
    )] {
        var groups = [(commit: CommitInfo, fields: [String])]()
        let fields = Schema.sortFields(record.fields.keys.filter { config.isDecision($0, of: record.kind) }, kind: record.kind) { $0 }
        for field in fields {
            guard let commit = governance.setter(of: field, in: record) else { continue }
            if let index = groups.firstIndex(where: { $0.commit.id == commit.id }) {
                groups[index].fields.append(field)
            } else {
                groups.append((commit, [field]))
            }
        }
        return groups
    }
}

extension GovernanceRules {
    /// A removal of decision fields that still stands: the commit that made it, and where to point.
    package struct Removal {
        package let commit: CommitInfo
        package let id: String
        /// The record now, when only fields were removed; nil when the record was deleted.
        package let record: Record?
        /// Where the record was when deleted.
        package let path: String
        /// The removed decision fields, in the schema's order.
        package let fields: [String]
    }

    /// The decision fields whose removal still stands in the checked ISMS, symmetric to `decisionsByCommit`: the
    /// records it no longer has whose newest change is their deletion (a file deleted, moved out of its kind's folder,
    /// or renamed to a name not read as a record), and for the records it has, each absent decision field whose
    /// newest change since the record appeared removed it. Grouped by commit, per record.
    package static func removals(in isms: ISMS, config: Config, governance: GovernanceContext) -> [Removal] {
        var removals = [Removal]()
        let removedFields = governance.fieldsRemoved()
        for record in isms.records {
            // Only a field some operation removed can be a removal that still stands: an absent decision field.
            let candidates = removedFields.map {
                ($0[record.id] ?? []).filter { record.fields[$0] == nil && config.isDecision($0, of: record.kind) }
            }
            if let candidates, candidates.isEmpty { continue }
            let groups = governance.removalGroups(of: record, config: config) {
                var seen = Set<String>()
                var groups = [GovernanceContext.RemovalGroup]()
                var ids: Set<String> = [record.id]
                governance.forEachEntry(record.id) { entry in
                    // The commits naming the id it had before are read next.
                    if entry.event == .idChanged, let old = entry.oldID { ids.insert(old) }
                    for change in entry.changes where seen.insert(change.field).inserted {
                        guard change.new == nil, change.old != nil, record.fields[change.field] == nil,
                            config.isDecision(change.field, of: record.kind)
                        else { continue }
                        if let i = groups.firstIndex(where: { $0.commit.id == entry.commit.id }) {
                            groups[i].fields.append(change.field)
                        } else {
                            groups.append(GovernanceContext.RemovalGroup(commit: entry.commit, fields: [change.field]))
                        }
                    }
                    // Fields the record did not have when it appeared were never removed from it.
                    if [.created, .restored, .boundary].contains(entry.event) { return false }
                    // Once the newest change of every field that can be a removal is seen, older entries add none: the
                    // record's history is decoded only that far back.
                    if let candidates, candidates.isSubset(of: seen) { return false }
                    return true
                }
                return (groups, ids)
            }
            removals += groups.map {
                Removal(
                    commit: $0.commit, id: record.id, record: record, path: record.path,
                    fields: Schema.sortFields($0.fields, kind: record.kind) { $0 })
            }
        }
        let present = Set(isms.records.map(\.id))
        for id in governance.knownIDs() where !present.contains(id) {
            // The newest change is the one that stands; an id changed away is not a deletion.
            guard let entry = governance.newestEntry(id, where: { _ in true }), entry.event == .deleted, entry.record == id else {
                continue
            }
            let fields = entry.changes.filter { $0.old != nil && config.isDecision($0.field, of: entry.kind) }.map(\.field)
            guard !fields.isEmpty else { continue }
            removals.append(Removal(commit: entry.commit, id: id, record: nil, path: entry.path, fields: fields))
        }
        return removals
    }

    /// How a finding names removed fields: a mapping none of whose fields is left by its name (`acceptance`).
    package static func removedNames(_ fields: [String], of record: Record) -> [String] {
        var names = [String]()
        for field in fields {
            var name = field
            if let dot = field.firstIndex(of: "."), !record.fields.keys.contains(where: { $0.hasPrefix(field[...dot]) }) {
                name = String(field[..<dot])
            }
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}

extension Commit {
    /// How a finding names a commit: `1a2b3c4d5e (Bob Example, 2026-02-01)`.
    package var reference: String { "\(id.short) (\(author.name), \(author.day))" }
}
