import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSModel

/// The answers `reassessment-due` and `reassessment-overdue` read from the history, remembered under the git folder:
/// for each record, its newest committed material change; for each risk and change, whether a commit that can see
/// the change reassessed the risk. Both are questions about the history of one tip alone, asked again on every
/// check, pre-commit and gate, and decoding the record histories to answer them was a quarter of a check's time on
/// 20,000 commits. What the checked files hold (an uncommitted change) is still compared with blame on every run.
///
/// The key: the tip commit, the ISMS root, the shallow boundary and grafts, whether a trusted revision judges and
/// its isms.yaml, the tip's own isms.yaml (the history is read with those limits: an answer read under another policy
/// or other limits is neither reused nor carried over), the material fields of every kind and the decision fields
/// of risks (what the questions ask), and the build. The file, `<git dir>/isms/reassessment-v1.cache`, is a
/// `KeyedCacheFile` of up to four tips; a payload that does not decode exactly is ignored, and an answer naming a
/// commit the history does not hold is asked again.
package final class ReassessmentCache {
    package static let fileName = "reassessment-v1.cache"
    private let file: KeyedCacheFile?
    package let key: String
    private var newest: [String: (fields: [String], commit: ObjectID)?] = [:]
    private var reassessed: [String: Bool] = [:]
    private var added = 0

    /// `folder` nil: answers are kept for this run only (`--no-cache`). Without answers for `tip`, those of an older
    /// tip stored under the same settings are carried over when `touchedSince` names the records the commits since
    /// it touched (nil when it is not an ancestor, or a commit since changed an id): every answer about one of
    /// them is dropped, the rest stand, since an answer about a record reads only the commits that touch it and
    /// their order, which commits made later do not change. So the hook after a new commit recomputes only what
    /// that commit touched.
    package init(
        tip: ObjectID, prefix: String, repository: Repository, trusted: Bool, trustedConfigBlob: ObjectID?, config: Config,
        folder: String?,
        touchedSince: (ObjectID) -> Set<String>? = { _ in nil }
    ) {
        var lines = [
            "tip \(tip.hex)", "root \(prefix)",
            // A trusted revision without isms.yaml reads the history with the default limits, no trusted revision with
            // the tip's own: the two are told apart.
            "trust-config \(trusted ? trustedConfigBlob?.hex ?? "none" : "untrusted")",
            "own-config \(Self.ownConfig(at: tip, prefix: prefix, repository: repository))",
        ]
        lines += CacheKey.historyShape(repository)
        for kind in RecordKind.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
            lines.append("material \(kind.rawValue) \((config.materialFields[kind] ?? []).joined(separator: "\u{1}"))")
        }
        lines.append("decisions risk \((config.decisionFields[.risk] ?? []).joined(separator: "\u{1}"))")
        lines.append("build \(CacheKey.build)")
        key = lines.map { $0.replacingOccurrences(of: "\n", with: "\\n") }.joined(separator: "\n")
        file = folder.map { KeyedCacheFile(path: $0 + "/" + Self.fileName, header: "isms reassessment v1", maxEntries: 4) }
        guard let file, let entries = file.entries() else { return }
        let wanted = Array(key.utf8)
        if let entry = entries.first(where: { $0.key.elementsEqual(wanted) && $0.isWhole }) {
            decode(entry.payload)
            return
        }
        let settings = key.drop { $0 != "\n" }
        for entry in entries {
            let text = String(decoding: entry.key, as: UTF8.self)
            guard entry.isWhole, text.hasPrefix("tip "), text.drop(while: { $0 != "\n" }) == settings,
                let older = ObjectID(hex: String(text.dropFirst(4).prefix { $0 != "\n" })), let touched = touchedSince(older),
                decode(entry.payload)
            else { continue }
            newest = newest.filter { !touched.contains(String($0.key.prefix { $0 != "\u{0}" })) }
            reassessed = reassessed.filter { !touched.contains(String($0.key.prefix { $0 != "\u{0}" })) }
            added += 1  // stored under this tip
            return
        }
    }

    /// The tip's own isms.yaml (blob and mode), which the history is read with where no trusted revision pins its
    /// limits: a commit changing only it touches no record, yet every older commit may read differently.
    private static func ownConfig(at tip: ObjectID, prefix: String, repository: Repository) -> String {
        do {
            guard
                let root = try repository.treeID(
                    at: prefix.pathComponents().filter { $0 != "." }, in: try repository.treeOfCommit(tip)),
                let entry = try repository.entry(named: "isms.yaml", in: root)
            else { return "none" }
            return "\(entry.id.hex) \(entry.mode)"
        } catch {
            // Unreadable: a key no other run shares, so nothing is carried over or reused.
            return "unreadable \(UUID().uuidString)"
        }
    }

    private static func newestKey(_ id: String, _ kind: RecordKind) -> String { id + "\u{0}" + kind.rawValue }
    private static func reassessedKey(_ risk: String, _ commit: ObjectID, _ day: Day) -> String {
        risk + "\u{0}" + commit.hex + "\u{0}" + String(day.ordinal)
    }

    /// The newest material change of record `id` known for this tip: `.some(nil)` for none, nil when not known.
    package func newestMaterialChange(of id: String, kind: RecordKind) -> (fields: [String], commit: ObjectID)?? {
        newest[Self.newestKey(id, kind)]
    }

    package func remember(newest change: (fields: [String], commit: ObjectID)?, of id: String, kind: RecordKind) {
        newest[Self.newestKey(id, kind)] = .some(change)
        added += 1
    }

    package func reassessed(_ risk: String, after commit: ObjectID, day: Day) -> Bool? {
        reassessed[Self.reassessedKey(risk, commit, day)]
    }

    package func remember(reassessed answer: Bool, _ risk: String, after commit: ObjectID, day: Day) {
        reassessed[Self.reassessedKey(risk, commit, day)] = answer
        added += 1
    }

    /// Writes the answers when this run learnt one.
    package func save() {
        guard let file, added > 0 else { return }
        var out = [UInt8]()
        CacheBytes.u32(UInt32(newest.count), &out)
        for (key, change) in newest.sorted(by: { $0.key < $1.key }) {
            CacheBytes.string(key, &out)
            CacheBytes.optional(change?.commit.hex, &out)
            CacheBytes.u32(UInt32(change?.fields.count ?? 0), &out)
            for field in change?.fields ?? [] { CacheBytes.string(field, &out) }
        }
        CacheBytes.u32(UInt32(reassessed.count), &out)
        for (key, answer) in reassessed.sorted(by: { $0.key < $1.key }) {
            CacheBytes.string(key, &out)
            out.append(answer ? 1 : 0)
        }
        file.store(out, for: key)
        added = 0
    }

    /// Reads a payload whole or not at all; false when it is not read.
    @discardableResult
    private func decode(_ payload: ArraySlice<UInt8>) -> Bool {
        var reader = CacheBytes.Reader(bytes: Array(payload), offset: 0)
        var newest = [String: (fields: [String], commit: ObjectID)?]()
        var reassessed = [String: Bool]()
        guard let newestCount = reader.u32(), Int(newestCount) <= payload.count else { return false }
        for _ in 0..<newestCount {
            guard let key = reader.string(), let hex = reader.optional(), let fieldCount = reader.u32(),
                Int(fieldCount) <= payload.count
            else { return false }
            var fields = [String]()
            for _ in 0..<fieldCount {
                guard let field = reader.string() else { return false }
                fields.append(field)
            }
            if let hex {
                guard let commit = ObjectID(hex: hex), !fields.isEmpty else { return false }
                newest[key] = .some((fields, commit))
            } else {
                guard fields.isEmpty else { return false }
                newest[key] = .some(nil)
            }
        }
        guard let reassessedCount = reader.u32(), Int(reassessedCount) <= payload.count else { return false }
        for _ in 0..<reassessedCount {
            guard let key = reader.string(), let flag = reader.bytes(1)?.first, flag <= 1 else { return false }
            reassessed[key] = flag == 1
        }
        guard reader.atEnd else { return false }
        self.newest = newest
        self.reassessed = reassessed
        return true
    }
}
