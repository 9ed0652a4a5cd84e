import Foundation

/// What the history rules ask of git: who set each current field (blame), what each commit changed, whether a
/// commit's signature is good, the full message of a commit, and whether one commit is an ancestor of another.
/// Built once per check from the history of the checked revision; answers are remembered. Rules run one after
/// another, but the lock keeps the context safe to share.
public final class GovernanceContext: @unchecked Sendable {
    /// The revision whose history is judged (`HEAD`, a `--rev`, a merge base).
    public let revision: String
    let history: History
    let repository: Repository
    let verifier: SignatureVerifier
    /// The ISMS root relative to the repository's top.
    let prefix: String
    private let lock = NSLock()
    private var blames: [String: [String: BlameLine]?] = [:]
    private var histories: [String: [HistoryEntry]] = [:]
    private var messages: [ObjectID: String] = [:]
    private var ancestry: [Pair: Bool] = [:]
    private var logEntries: [HistoryEntry]?

    private struct Pair: Hashable { let a: ObjectID, b: ObjectID }
    /// The trust as some commit's own tree has it: what was trusted before a change to the allowed signers.
    private let trustAt: (ObjectID) -> SignatureTrust?
    private var verifiers: [String: SignatureVerifier] = [:]

    init(revision: String, history: History, repository: Repository, verifier: SignatureVerifier, prefix: String,
         trustAt: @escaping (ObjectID) -> SignatureTrust?) {
        self.revision = revision
        self.history = history
        self.repository = repository
        self.verifier = verifier
        self.prefix = prefix
        self.trustAt = trustAt
    }

    /// The allowed-signers path of the trust revision's configuration, relative to the ISMS root.
    public var allowedSignersPath: String { verifier.trust.allowedSignersPath }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// The commit that set each current field of record `id` at the revision, by dotted field path.
    public func blame(_ id: String) -> [String: BlameLine]? {
        locked {
            if let known = blames[id] { return known }
            let lines = history.blame(id).map { Dictionary($0.map { ($0.field, $0) }, uniquingKeysWith: { a, _ in a }) }
            blames[id] = lines
            return lines
        }
    }

    /// The commit that set `field` of `record`, when the record's value (as checked, possibly the work tree) is
    /// the committed one; nil for an uncommitted value, which no commit can be judged for yet.
    public func setter(of field: String, in record: Record) -> CommitInfo? {
        guard let line = blame(record.id)?[field], let current = record.fields[field]?.value, current == line.value else { return nil }
        return line.commit
    }

    /// The changes to record `id`, newest first.
    public func entries(_ id: String) -> [HistoryEntry] {
        locked {
            if let known = histories[id] { return known }
            let entries = history.entries(of: id) ?? []
            histories[id] = entries
            return entries
        }
    }

    /// Every record id the history of the revision knows, present or gone.
    public func knownIDs() -> [String] { history.knownIDs() }

    /// Every record change in the history, newest first.
    public func log() -> [HistoryEntry] {
        locked {
            if let logEntries { return logEntries }
            let entries = history.log()
            logEntries = entries
            return entries
        }
    }

    public func signature(_ commit: ObjectID) -> SignatureVerdict {
        locked { verifier.verdict(for: commit) }
    }

    /// The whole message of a commit (the history keeps only its first line).
    public func message(_ commit: ObjectID) -> String {
        locked {
            if let known = messages[commit] { return known }
            let text = (try? repository.commit(commit)).map { Repository.text(message: $0.message, encoding: $0.encoding) } ?? ""
            messages[commit] = text
            return text
        }
    }

    /// Whether `ancestor` is `commit` or one of its ancestors: a change the author of `commit` could see.
    public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) -> Bool {
        if ancestor == commit { return true }
        return locked {
            let key = Pair(a: ancestor, b: commit)
            if let known = ancestry[key] { return known }
            let answer = (try? repository.mergeBase(ancestor, commit)) == .some(ancestor)
            ancestry[key] = answer
            return answer
        }
    }

    /// The roster key of whoever made a commit: the author's e-mail matched against `people`.
    public static func person(_ signature: Signature, in people: [String: Person]) -> String? {
        let email = signature.email.lowercased()
        return people.values.filter { $0.email?.lowercased() == email }.map(\.key).sorted().first
    }

    /// The blob id of the file at `path` (below the ISMS root) in `commit`'s tree; nil when absent.
    func blobID(at path: String, in commit: ObjectID) -> ObjectID? {
        locked {
            guard let tree = try? repository.treeOfCommit(commit) else { return nil }
            let full = (prefix.isEmpty ? "" : prefix + "/") + path
            let components = full.split(separator: "/")
            guard let name = components.last,
                  let folder = try? repository.subtree(of: tree, at: components.dropLast().joined(separator: "/")),
                  let entry = try? repository.treeEntries(folder).first(where: { $0.name == name }) else { return nil }
            return entry.id
        }
    }

    /// Every commit reachable from the revision, newest first; a shallow clone's boundary commits are left out
    /// (their parents are not there to compare with).
    func commits() -> [Commit] {
        locked {
            guard let tip = try? repository.resolveCommit(revision) else { return [] }
            let shallow = repository.shallowBoundary().commits
            let walked = (try? repository.walk(from: tip, firstParent: false, shallow: shallow, isKnown: { _ in false })) ?? []
            return walked.reversed().filter { !$0.isShallowBoundary }.map(\.commit)
        }
    }

    /// `commit`'s signature judged against what `trusted`'s tree trusts (for a change to the allowed signers:
    /// its parent's). Nil when that trust cannot be read.
    func signature(_ commit: ObjectID, trustingTreeOf trusted: ObjectID) -> SignatureVerdict? {
        locked {
            guard let trust = trustAt(trusted) else { return nil }
            let verifier = verifiers[trust.fingerprint] ?? SignatureVerifier(trust: trust, repository: repository)
            verifiers[trust.fingerprint] = verifier
            return verifier.verdict(for: commit)
        }
    }
}

extension CommitInfo {
    /// How a finding names a commit: `1a2b3c4d5e (Bob Example, 2026-02-01)`.
    public var reference: String { "\(id.short) (\(author.name), \(author.day))" }
}

extension Repository {
    /// A commit message's bytes as text: Latin-1 when the commit says so, else UTF-8 with invalid bytes replaced.
    static func text(message: [UInt8], encoding: String?) -> String {
        if let encoding, ["iso-8859-1", "iso8859-1", "latin1", "latin-1"].contains(encoding.lowercased()) {
            return String(String.UnicodeScalarView(message.map { Unicode.Scalar($0) }))
        }
        return String(decoding: message, as: UTF8.self)
    }
}
