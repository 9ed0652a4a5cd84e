import Foundation

/// `isms check` with the history rules: the ISMS is loaded from a source, and when it lives in a git repository
/// the history of `revision` and the signatures trusted at the trust revision are judged too.
public struct GovernanceOptions: Sendable {
    /// Whose history is judged: `HEAD` for the work tree and the index, the revision for `--rev`; nil: none.
    public var revision: String?
    /// Where trusted keys come from; nil: `revision`.
    public var trustRef: String?
    public var useCache: Bool

    public init(revision: String? = "HEAD", trustRef: String? = nil, useCache: Bool = true) {
        self.revision = revision
        self.trustRef = trustRef
        self.useCache = useCache
    }
}

extension Workspace {
    /// The history rules' view of `revision`; nil outside a repository, before the first commit, or when no
    /// history rule is on in `config`. Notes (shallow clone, unverified signatures) go to `notes`.
    public func governance(at revision: String, trustRef: String?, config: Config, useCache: Bool,
                           notes: inout [String]) throws(ToolError) -> GovernanceContext? {
        guard let repository, let prefix = repositoryPrefix else { return nil }
        guard GovernanceRules.anyActive(in: config) else { return nil }
        // An unborn HEAD (a repository without commits) has no history to judge.
        if revision == "HEAD", (try? repository.resolveCommit("HEAD")) == nil { return nil }
        let history = try historyEngine().load(HistoryOptions(revision: revision, useCache: useCache))
        for notice in history.notices {
            switch notice {
            case .note(let message), .warning(let message): notes.append(message)
            }
        }
        let verifier = try signatureVerifier(trustRef: trustRef ?? revision, useCache: useCache)
        return GovernanceContext(revision: revision, history: history, repository: repository, verifier: verifier, prefix: prefix,
                                 trustAt: { [weak self] commit in try? self?.signatureTrust(at: commit.hex) })
    }

    /// Checks `source` with every rule, the history rules judging `options.revision`. Notes for stderr are
    /// appended to `notes`.
    public func check(_ source: some RecordSource, asOf: Day, options: GovernanceOptions,
                      notes: inout [String]) throws(ToolError) -> CheckReport {
        var timings = PhaseTimings()
        let loaded = try Loader.load(from: source)
        timings.lap("load")
        var governance: GovernanceContext?
        if let revision = options.revision {
            // The records are checked whatever the history holds: a partial clone, a damaged object or a history
            // that cannot be walked costs the history rules only, and says so.
            do {
                governance = try self.governance(at: revision, trustRef: options.trustRef, config: loaded.isms.config,
                                                 useCache: options.useCache, notes: &notes)
            } catch let error where error.isLimit {
                // A limit is a refusal, not damage: a pull request must not turn the history rules off by
                // adding a history too long, too deep or too large to read.
                throw error
            } catch {
                notes.append("warning: the history rules were not run: \(error)")
            }
        }
        timings.lap("history")
        let report = Checker.check(loaded, asOf: asOf, artifacts: source, governance: governance)
        if let rules = report.timings {
            notes.append("timing: " + timings.summary + ", " + rules.phases.filter { $0.seconds >= 0.001 }
                .map { "\($0.name) \(String(format: "%.3f", $0.seconds)) s" }.joined(separator: ", "))
        }
        if let governance {
            notes += governance.verifier.notes
            if options.useCache, let problem = governance.verifier.saveCache() { notes.append(problem) }
        }
        return report
    }
}
