import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSLoading
import ISMSModel

/// `isms check` with the history rules: the ISMS is loaded from a source, and when it lives in a git repository
/// the history of `revision` and the signatures trusted at the trust revision are judged too.
public struct GovernanceOptions: Sendable {
    /// Whose history is judged: `HEAD` for the work tree and the index, the revision for `--rev`; nil: none.
    public var revision: String?
    /// Where trusted keys come from; nil: `revision`.
    public var trustRef: String?
    public var useCache: Bool
    /// Called once the history read has started on its own thread (the records are not read yet): `check --base` then
    /// starts judging the merge base on another thread, whose records and history-free rules need no history, and
    /// whose own history read waits for this one (`awaitHistory`).
    package var historyStarted: (@Sendable () -> Void)?
    /// Called exactly once when `check` returns or throws: true once the history is read and judged readable, before
    /// the history rules run (the merge base's check then reads its history, which reuses this one); false when the
    /// check stops before (it throws), so that a merge base waiting for this history stops too.
    package var historyRead: (@Sendable (_ read: Bool) -> Void)?
    /// The merge base's check of `check --base`, started beside the head's history read: its own history read waits for
    /// the head's (`historyRead`), as it did when it started after it, and reuses it. False: the head's check stopped,
    /// and this one throws without reading anything (never shown: the head's error is).
    package var awaitHistory: (@Sendable () -> Bool)?
    /// Runs the history rules last first: the merge base's check of `check --base`, beside the head's, then answers
    /// first what the head's rules ask after their longest (reference matches, verdicts, the trust file's changes),
    /// and the head finds them made rather than make them at the same time. Only the time spent depends on it.
    package var historyRulesLastFirst = false
    /// The head's and the merge base's checks of `check --base`: their history rules share verdicts and per-record
    /// answers (`Workspace.sharedVerdicts`, `Workspace.sharedAnswers`). A check alone has no one to share with, and
    /// offering every answer cost the warm gate's head 4% of its time.
    package var sharesWithOtherChecks = false

    public init(revision: String? = "HEAD", trustRef: String? = nil, useCache: Bool = true) {
        self.revision = revision
        self.trustRef = trustRef
        self.useCache = useCache
    }
}

extension Workspace {
    /// One line for a history that could not be read while judging against a trust revision.
    package static func failClosed(_ error: ToolError) -> String {
        if case .historyIncomplete(let message) = error { return message }
        return "the history needed to judge the change cannot be read: \(error)"
    }

    /// The history rules' view of `revision`; nil outside a repository, before the first commit, or when no
    /// history rule is on in `config`. Notes (shallow clone, unverified signatures) go to `notes`. With a
    /// `trusted` revision, the history from there to `revision` must be read whole, or this throws.
    public func governance(
        at revision: String, trusted: TrustedRevision? = nil, trustRef: String?, config: Config, useCache: Bool,
        notes: inout [String], always: Bool = false, sharing: Bool = false
    ) throws(ToolError) -> GovernanceContext? {
        guard let repository, let prefix = repositoryPrefix else { return nil }
        // `always`: a command that reads the history itself (`isms trail`), whatever rules are on.
        guard always || GovernanceRules.anyActive(in: config) else { return nil }
        // An unborn HEAD (a repository without commits) has no history to judge.
        if revision == "HEAD", (try? repository.resolveCommit("HEAD")) == nil { return nil }
        var options = HistoryOptions(revision: revision, useCache: useCache, trusted: trusted)
        // The gate judges the merge base next, from the same history: its state is kept, and this history is offered
        // to that run (`HistoryOptions.reusing`, which takes it only where the cache would give the same).
        var knownMergeBase: ObjectID?
        if let trusted, let tip = try? repository.resolveCommit(revision), let common = try? repository.mergeBase(trusted.commit, tip) {
            knownMergeBase = common
            options.keeping = [common]
        }
        options.reusing = lastHistory.withLock { $0 }
        let history = try historyEngine().load(options)
        lastHistory.withLock { $0 = history }
        for notice in history.notices {
            switch notice {
            case .note(let message), .warning(let message): notes.append(message)
            }
        }
        var trustedRange: TrustedRange?
        if let trusted {
            let tip: ObjectID
            do { tip = try repository.resolveCommit(revision) } catch { throw .revision(revision, error, in: repository) }
            let common: ObjectID?
            do { common = try knownMergeBase ?? repository.mergeBase(trusted.commit, tip) } catch {
                throw .historyIncomplete("cannot find where \(revision) branched from the trusted revision \(trusted.name): \(error)")
            }
            guard let common else {
                throw .historyIncomplete(
                    "\(revision) shares no history with the trusted revision \(trusted.name), so its changes cannot be "
                        + "judged; fetch the whole history (`git fetch --unshallow`; in GitHub Actions `fetch-depth: 0`)")
            }
            let range = history.range(excludingAncestorsOf: common)
            if let cut = range.first(where: \.isShallowBoundary) {
                throw .historyIncomplete(
                    "the history from \(trusted.name) to \(revision) is cut by this shallow clone at commit "
                        + "\(cut.info.id.short), so its changes cannot be judged; fetch it (`git fetch --deepen=N` or "
                        + "`git fetch --unshallow`; in GitHub Actions `fetch-depth: 0` on actions/checkout)")
            }
            trustedRange = TrustedRange(revision: trusted, mergeBase: common, commits: range)
        }
        let verifierTrust = trusted?.commit.hex ?? trustRef ?? revision
        let verifier =
            try sharing
            ? sharingSignatureVerifier(trustRef: verifierTrust, useCache: useCache)
            : signatureVerifier(trustRef: verifierTrust, useCache: useCache)
        return GovernanceContext(
            revision: revision, history: history, repository: repository, verifier: verifier, prefix: prefix,
            trusted: trustedRange, cacheFolder: useCache ? repository.commonDirectory + "/isms" : nil,
            shared: sharing ? sharedAnswers : nil,
            trustAt: { [weak self] commit in try? self?.signatureTrust(at: commit.hex) })
    }

    /// Checks `source` with every rule, the history rules judging `options.revision`. Notes for stderr are
    /// appended to `notes`.
    public func check(
        _ source: some RecordSource, asOf: Day, options: GovernanceOptions,
        notes: inout [String]
    ) throws(ToolError) -> CheckReport {
        var timings = PhaseTimings()
        // With a trust revision, its policy judges: the change under review cannot turn off what judges it.
        let trusted = try options.trustRef.flatMap { ref throws(ToolError) in repository == nil ? nil : try trustedRevision(ref) }
        // The history is read on another thread while the records are read and parsed: it needs only the settings.
        // `stopped`: the merge base's check, whose head stopped first (`GovernanceOptions.awaitHistory`); nothing was read.
        typealias HistoryRead = (context: Result<GovernanceContext?, ToolError>, notes: [String], stopped: Bool)
        let readHistory: @Sendable (String, Config) -> HistoryRead = { [self] revision, config in
            // The merge base's check: its history is the head's, read once the head's check has read it.
            if let awaitHistory = options.awaitHistory, !awaitHistory() {
                return (.failure(.historyIncomplete("the merge base was not judged: the head's check stopped first")), [], true)
            }
            var notes = [String]()
            let context = Result { () throws(ToolError) in
                try self.governance(
                    at: revision, trusted: trusted, trustRef: options.trustRef, config: config,
                    useCache: options.useCache, notes: &notes, sharing: options.sharesWithOtherChecks)
            }
            return (context, notes, false)
        }
        var historyRead: Background<HistoryRead>?
        defer { _ = historyRead?.wait() }
        // Whoever waits for this history is told on every path, a throw included (run first of the defers: a merge base
        // waiting for it stops while this check waits for its own read).
        var announced = false
        defer { if !announced { options.historyRead?(false) } }
        let loaded = try Loader.load(from: source, policy: trusted?.config) { config in
            guard let revision = options.revision else { return }
            historyRead = Background {
                let read = readHistory(revision, config)
                // The rules that read records at the tip (blame, the reassessment rules' field comparisons) decode
                // the cache's snapshot of it on first use: decoded here, off the rules' path. It is decoded once
                // whoever asks, and the same.
                if case .success(let governance?) = read.context { _ = governance.history.knownTipState }
                return read
            }
            options.historyStarted?()
        }
        timings.lap("load")
        // The rules that do not read the history run on another core while this thread judges the history.
        let rules = Checker.start(loaded, asOf: asOf, artifacts: source)
        defer { rules.abandonIfUnfinished() }
        var governance: GovernanceContext?
        if let revision = options.revision {
            // `Loader.load` always calls back before it returns; else this is the same read, on this thread.
            let read = historyRead?.wait() ?? readHistory(revision, loaded.isms.config)
            notes += read.notes
            // A merge base whose head stopped judges nothing: never the history rules left out with a warning.
            if read.stopped, case .failure(let error) = read.context { throw error }
            // Without a trust revision the records are checked whatever the history holds: a partial clone, a
            // damaged object or a history that cannot be walked costs the history rules only, and says so. With
            // one, a pull request is being judged, and a history that cannot be read fails closed.
            do {
                governance = try read.context.get()
            } catch let error where error.isLimit {
                // A limit is a refusal, not damage: a pull request must not turn the history rules off by
                // adding a history too long, too deep or too large to read.
                throw error
            } catch {
                if trusted != nil { throw .historyIncomplete(Self.failClosed(error)) }
                notes.append("warning: the history rules were not run: \(error)")
            }
        }
        timings.lap("history")
        announced = true
        options.historyRead?(true)
        var report = rules.finish(governance: governance, lastFirst: options.historyRulesLastFirst)
        if governance?.reachedNotVerified == true { report.reproducible = false }
        if trusted != nil, let failure = governance?.readFailures.first {
            throw .historyIncomplete(
                "the history rules could not read what they need (\(failure)), so the change cannot be judged; "
                    + "if the clone is shallow or damaged, run in a full, undamaged one (`git fsck`; `fetch-depth: 0`)")
        }
        if let rules = report.timings {
            notes.append(
                "timing: " + timings.summary + ", "
                    + rules.phases.filter { $0.seconds >= 0.001 }
                    .map { "\($0.name) \(String(format: "%.3f", $0.seconds)) s" }.joined(separator: ", "))
        }
        if let governance {
            notes += governance.verifier.notes
            if options.useCache, let problem = governance.verifier.saveCache() { notes.append(problem) }
            if options.useCache { notes += governance.saveCaches() }
            Self.keepUntilExit(governance.history)
        }
        return report
    }

    /// The histories of the last two checks (the head's and the base's of `check --base`), kept rather than freed
    /// when a check returns: freeing a 20,000-commit history (its decoded commits, operations and states) took 6% of
    /// a pre-commit check, and the process ends right after. Only the history is kept: the context, its repository
    /// and its verifiers (gpg's temporary folder) are released as before. An older history is freed when a newer
    /// one comes, so a long-running caller (the tests) holds at most two.
    private static let keptUntilExit = Locked<[History]>([])

    private static func keepUntilExit(_ history: History) {
        let dropped: [History] = keptUntilExit.withLock { kept in
            kept.append(history)
            guard kept.count > 2 else { return [] }
            let old = Array(kept.prefix(kept.count - 2))
            kept.removeFirst(kept.count - 2)
            return old
        }
        _ = dropped  // freed here, outside the lock
    }
}
