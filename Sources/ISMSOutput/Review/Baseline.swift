import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSLoading
import ISMSModel
import ISMSRules

/// `check --base`: what a change introduces compared with where it branched off.
public struct BaselineComparison: Sendable {
    /// The commit the base was taken at (the merge base of BASE and the revision checked).
    public let baseCommit: ObjectID
    public let introduced: [Finding]
    public let resolved: [Finding]
    /// With ISMS_TIMING=1: how the merge base's check went, phase by phase (its other notes are not shown).
    public var timingNotes: [String] = []
}

/// `check --base`: the merge base judged on a thread of its own. It starts (`headHistoryStarted`) once the head's check
/// has started reading the history: its merge base, trust revision, records and history-free rules need no history, and
/// use a core the history read leaves idle (its walk runs on one thread). Its own history read waits for the head's
/// (`headHistoryRead`), then reuses it (`HistoryOptions.reusing`), so its history rules run beside the head's. Its
/// findings, and its error, are those `Workspace.findings(atCommit:…)` gives when run after the head's check; they are
/// taken with `comparison`.
public final class BaselineRun: Sendable {
    private typealias Outcome = Result<(commit: ObjectID, findings: [Finding], timingNotes: [String]), ToolError>
    private let work: @Sendable () -> Outcome
    private let started = Locked<Background<Outcome>?>(nil)
    private let headHistory: HeadHistory

    /// `head`: the revision checked (`--rev`), whose merge base with `base` is judged; HEAD for the work tree and index.
    public init(workspace: Workspace, base: String, head: String = "HEAD", asOf: Day, trustRef: String? = nil, useCache: Bool = true) {
        let headHistory = HeadHistory()
        self.headHistory = headHistory
        work = {
            Result { () throws(ToolError) in
                let began = PhaseTimings.now()
                let commit = try workspace.mergeBase(of: base, and: head)
                var timingNotes = [String]()
                let findings = try workspace.findings(
                    atCommit: commit, label: base, asOf: asOf, trustRef: trustRef ?? base, useCache: useCache,
                    timingNotes: &timingNotes, awaitHistory: { headHistory.wait() })
                if PhaseTimings.requested {
                    let ended = PhaseTimings.now()
                    let afterHead =
                        headHistory.readAt.map { String(format: ", %.3f s after the head's history was read", ended - $0) } ?? ""
                    timingNotes =
                        timingNotes.map { "base " + $0 } + [
                            "timing: merge base judged in \(String(format: "%.3f", ended - began)) s\(afterHead)"
                        ]
                }
                return (commit, findings, timingNotes)
            }
        }
    }

    /// The head's check has started reading its history: the merge base's check starts beside it. With one thread
    /// (`ISMS_THREADS=1`) work runs where it is started, and would wait there for a history not read yet: it starts
    /// once the history is read (`headHistoryRead`), as it always did.
    public func headHistoryStarted() {
        guard parallelThreads > 1 else { return }
        start()
    }

    /// The head's check has read its history (`read`), or stopped before it could (it throws): the merge base's check
    /// reads its own history now (which reuses the head's), or stops.
    public func headHistoryRead(_ read: Bool) {
        headHistory.release(read)
        if read { start() }
    }

    /// Starts judging the merge base on another thread; once only.
    public func start() {
        started.withLock { running in
            if running == nil { running = Background(work) }
        }
    }

    /// Waits for the merge base's check when it was started: nothing it started outlives the command. A head that never
    /// told whether its history was read is over by now: the merge base stops rather than wait for it.
    public func waitIfStarted() {
        headHistory.releaseIfUntold(false)
        _ = started.withLock { $0 }?.wait()
    }

    /// What `head` introduces and resolves against the merge base (judged now when not started before). The head's
    /// check is over: a caller that judged it without the hooks (`Workspace.compare`) never told, and the merge base
    /// reads its history now, as it did.
    public func comparison(with head: CheckReport) throws(ToolError) -> BaselineComparison {
        headHistory.releaseIfUntold(true)
        start()
        var outcome = started.withLock { $0 }!.wait()
        // A head that stopped before its history was read throws, and is never compared: should one ever be, the merge
        // base (which stopped with it) is judged again now, in full, rather than be taken for an error of its own.
        if headHistory.stopped {
            headHistory.release(true)
            outcome = work()
        }
        let (commit, baseFindings, timingNotes) = try outcome.get()
        let (introduced, resolved) = FindingMatcher.compare(base: baseFindings, head: head.findings)
        var comparison = BaselineComparison(baseCommit: commit, introduced: introduced, resolved: resolved)
        comparison.timingNotes = timingNotes
        return comparison
    }
}

/// Whether the head's check of `check --base` has read its history: the merge base's history read waits for it.
private final class HeadHistory: @unchecked Sendable {
    private let condition = NSCondition()
    /// nil: not yet; true: read; false: the head's check stopped first. Guarded by `condition`.
    private var read: Bool?
    private var readTime: Double?

    /// Told once by the head's check; a later call (the comparison judging again) sets it anew.
    func release(_ read: Bool) {
        condition.lock()
        self.read = read
        if read, readTime == nil { readTime = PhaseTimings.now() }
        condition.broadcast()
        condition.unlock()
    }

    /// Tells `read` unless the head's check has told already.
    func releaseIfUntold(_ read: Bool) {
        condition.lock()
        if self.read == nil {
            self.read = read
            if read { readTime = PhaseTimings.now() }
            condition.broadcast()
        }
        condition.unlock()
    }

    /// Waits until the head's check has read its history (true) or stopped (false).
    func wait() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while read == nil { condition.wait() }
        return read!
    }

    var stopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return read == false
    }

    /// When the head's history was read (`PhaseTimings.now()`), for the timing notes.
    var readAt: Double? {
        condition.lock()
        defer { condition.unlock() }
        return readTime
    }
}

extension Workspace {
    /// The merge base of `base` and `head` (the revision checked), as a pull request compares: changes made on BASE
    /// after the branch point are not the change's own.
    public func mergeBase(of base: String, and head: String = "HEAD") throws(ToolError) -> ObjectID {
        let (repository, _) = try requireRepository()
        let baseCommit: ObjectID, headCommit: ObjectID
        do { baseCommit = try repository.resolveCommit(base) } catch {
            throw .revision(base, error, in: repository)
        }
        do { headCommit = try repository.resolveCommit(head) } catch {
            throw .revision(head, error, in: repository)
        }
        do {
            guard let common = try repository.mergeBase(baseCommit, headCommit) else {
                throw ToolError.invalidArgument("\(base) and \(head) have no common history")
            }
            return common
        } catch let error as ToolError {
            throw error
        } catch {
            throw .git("\(error)", cause: error as? GitError)
        }
    }

    /// The findings of the ISMS at `commit`, its history judged with the keys trusted at `trustRef` (default:
    /// the commit itself); none when the ISMS did not exist there yet.
    public func findings(
        atCommit commit: ObjectID, label: String, asOf: Day, trustRef: String? = nil,
        useCache: Bool = true
    ) throws(ToolError) -> [Finding] {
        var timingNotes = [String]()
        return try findings(atCommit: commit, label: label, asOf: asOf, trustRef: trustRef, useCache: useCache, timingNotes: &timingNotes)
    }

    /// `timingNotes`: with ISMS_TIMING=1, the check's timing notes. `awaitHistory`: `check --base`'s merge base, started
    /// beside the head's history read, reads its history once the head's is read (`GovernanceOptions.awaitHistory`).
    package func findings(
        atCommit commit: ObjectID, label: String, asOf: Day, trustRef: String?,
        useCache: Bool, timingNotes: inout [String], awaitHistory: (@Sendable () -> Bool)? = nil
    ) throws(ToolError) -> [Finding] {
        let (repository, prefix) = try requireRepository()
        // The merge base's findings depend only on what the key names, so a gate run again on the same base (every
        // push to a pull request) reads them instead of checking the base again. Only a judged trust revision is
        // cached: it pins the policy.
        let folder = repository.commonDirectory + "/isms"
        var key: BaseFindingsCache.Key?
        var pinned: TrustedRevision?
        // A trust revision that cannot be read is not cached: the check below says why, as before.
        if useCache, let trustRef, let trusted = try? trustedRevision(trustRef) {
            pinned = trusted
            key = BaseFindingsCache.Key(
                baseCommit: commit, label: label, prefix: prefix, trustName: trustRef, trustCommit: trusted.commit,
                trustConfigBlob: trusted.configBlob, asOf: asOf, repository: repository)
            if let key, let known = BaseFindingsCache.findings(for: key, in: folder) { return known }
        }
        do {
            // Its records are read beside the head's history read, which holds the workspace's handle.
            let source = try GitObjectSource(
                repository: repository.anotherHandle() ?? repository, commit: commit, label: label, prefix: prefix)
            var options = GovernanceOptions(revision: commit.hex, trustRef: trustRef, useCache: useCache)
            options.historyRulesLastFirst = true
            options.sharesWithOtherChecks = true
            options.awaitHistory = awaitHistory
            var notes = [String]()
            let report = try check(
                source, asOf: asOf, options: options, notes: &notes)
            timingNotes = notes.filter { $0.hasPrefix("timing: ") }
            // The check resolved the trust revision again: stored only if it is still the one the key names (a ref
            // moved in between would file another policy's findings under this key).
            if let key, let pinned, report.reproducible, let trustRef, let again = try? trustedRevision(trustRef),
                again.commit == pinned.commit, again.configBlob == pinned.configBlob
            {
                BaseFindingsCache.store(report.findings, for: key, in: folder)
            }
            return report.findings
        } catch .missingAtRevision {
            return []
        }
    }

    /// Compares `head` with the ISMS at the merge base of `base` and HEAD, both histories judged with the keys
    /// trusted at `trustRef` (default: BASE).
    public func compare(
        _ head: CheckReport, withBase base: String, asOf: Day, trustRef: String? = nil,
        useCache: Bool = true
    ) throws(ToolError) -> BaselineComparison {
        try BaselineRun(workspace: self, base: base, asOf: asOf, trustRef: trustRef, useCache: useCache).comparison(with: head)
    }

    /// True when the index holds the same ISMS files as HEAD: nothing under the root is about to be committed.
    /// The index is the one `stagedSource()` reads (GIT_INDEX_FILE when set), so the two never disagree.
    public func nothingStaged() throws(ToolError) -> Bool {
        let (repository, prefix) = try requireRepository()
        do {
            let lead = prefix.isEmpty ? "" : prefix + "/"
            let staged = try repository.indexEntries(file: indexFile).compactMap { entry in
                entry.path.droppingPathPrefix(lead).map { (relative: $0, entry: entry) }
            }
            var committed = [ExactString: TreeEntry]()
            if let head = try? repository.resolveCommit("HEAD"),
                let root = try repository.subtree(of: try repository.treeOfCommit(head), at: prefix)
            {
                committed = try repository.flattenTree(root)
            }
            guard staged.count == committed.count else { return false }
            return staged.allSatisfy { relative, entry in entry.stage == 0 && committed[ExactString(relative)]?.id == entry.id }
        } catch let error as TreeTooDeep {
            throw .treeTooDeep(error, in: "HEAD")
        } catch {
            throw .git("comparing the index with HEAD: \(error)", cause: error as? GitError)
        }
    }
}
