import Foundation
import GitKit
import ISMSHistory
import ISMSModel

/// What one commit did to the settings (isms.yaml and the trust files): the fields whose value it is the
/// author of. For a merge, only what the merge itself produced — a value no parent's side explains.
public struct SettingsChange: Sendable {
    public let commit: CommitInfo
    /// Sorted; see `SettingsSnapshot` for how fields are named.
    public let fields: [String]
    /// Whether the commit trusts a key its parents did not.
    public let addsKeys: Bool
    /// The values before (the first parent's) and after, for the fields changed.
    public let old: [String: String]
    public let new: [String: String]

    public var policyFields: [String] { fields.filter { Config.isPolicy(SettingsSnapshot.setting(of: $0)) } }
}

/// Reads `SettingsSnapshot`s at commits and finds which commits changed which setting. Every failure to read
/// is thrown: the callers judge a pull request with it and must fail closed.
package final class SettingsHistory {
    package let repository: Repository
    /// The ISMS root relative to the repository's top.
    package let prefix: String
    private var byCommit: [ObjectID: SettingsSnapshot] = [:]
    private var configs: [ObjectID: (values: [String: String], signers: String, keys: String)] = [:]

    package init(repository: Repository, prefix: String) {
        self.repository = repository
        self.prefix = prefix
    }

    /// The settings at `commit`; empty when the ISMS root is not there.
    package func snapshot(at commit: ObjectID) throws -> SettingsSnapshot {
        if let known = byCommit[commit] { return known }
        let tree = try repository.treeOfCommit(commit)
        var snapshot = SettingsSnapshot()
        if let root = try repository.subtree(of: tree, at: prefix) {
            let config = try repository.file(at: "isms.yaml", below: root)
            var signersPath = Config.defaultAllowedSigners, keysPath = Config.defaultOpenPGPKeys
            if let config, let (parsed, _) = try? ConfigReader.read(config, path: "isms.yaml") {
                signersPath = parsed.allowedSigners
                keysPath = parsed.openPGPKeys
            }
            let signers = try repository.file(at: signersPath, below: root)
            var keys = [(name: String, data: Data)]()
            if let folder = try repository.subtree(of: root, at: keysPath) { keys = try repository.keyFiles(below: folder, at: keysPath) }
            snapshot = SettingsSnapshot.read(config: config, allowedSigners: { _ in signers }, openPGPKeys: { _ in keys })
        }
        byCommit[commit] = snapshot
        return snapshot
    }

    /// The setting changes of each commit in `range` (oldest first), in that order. A shallow clone's
    /// boundary commit has no parents to compare with: it is reported as incomplete by the caller.
    package func changes(in range: [(info: CommitInfo, parents: [ObjectID], isShallowBoundary: Bool)]) throws -> [SettingsChange] {
        var result = [SettingsChange]()
        for (info, parents, boundary) in range where !boundary {
            let mine = try snapshot(at: info.id)
            let before = try parents.map(snapshot(at:))
            let fields: [String]
            if before.count < 2 {
                fields = mine.changedFields(from: before.first ?? SettingsSnapshot())
            } else {
                fields = try mergeAuthored(mine, parents: parents, before: before)
            }
            guard !fields.isEmpty else { continue }
            let first = before.first ?? SettingsSnapshot()
            let addsKeys = !mine.keys.subtracting(before.reduce(into: Set<String>()) { $0.formUnion($1.keys) }).isEmpty
            result.append(
                SettingsChange(
                    commit: info, fields: fields, addsKeys: addsKeys,
                    old: first.values.filter { fields.contains($0.key) },
                    new: mine.values.filter { fields.contains($0.key) }))
        }
        return result
    }

    /// The fields a merge produced itself: per field, the parents that changed it since the merge base must
    /// agree on the value the merge has (a clean three-way merge); anything else — an evil merge, or a conflict
    /// resolved to a value neither side had or back to an old one — is the merge's own change.
    private func mergeAuthored(_ mine: SettingsSnapshot, parents: [ObjectID], before: [SettingsSnapshot]) throws -> [String] {
        // An octopus merge has no single merge base to explain its sides by (an old parent can look like a side
        // that changed a value): whatever it holds that its first parent did not is its own change.
        if parents.count > 2 { return mine.changedFields(from: before[0]) }
        var base = SettingsSnapshot()
        if let common = try repository.mergeBase(parents[0], parents[1]) { base = try snapshot(at: common) }
        var fields = Set(mine.values.keys).union(base.values.keys)
        for parent in before { fields.formUnion(parent.values.keys) }
        return fields.filter { field in
            let result = mine.values[field]
            let sides = before.map { $0.values[field] }
            if sides.allSatisfy({ $0 == result }) { return false }
            let changed = Set(sides.filter { $0 != base.values[field] }.map { $0 ?? "\u{0}absent" })
            if changed.isEmpty { return result != base.values[field] }
            return !(changed.count == 1 && changed.first == (result ?? "\u{0}absent"))
        }.sorted()
    }
}
