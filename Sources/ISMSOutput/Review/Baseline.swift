import GitKit
import ISMSCore
import ISMSHistory
import ISMSLoading
import ISMSModel
import ISMSRules

/// `check --base`: what a change introduces compared with where it branched off.
public struct BaselineComparison: Sendable {
    /// The commit the base was taken at (the merge base of BASE and HEAD).
    public let baseCommit: ObjectID
    public let introduced: [Finding]
    public let resolved: [Finding]
}

extension Workspace {
    /// The merge base of `base` and HEAD, as a pull request compares: changes made on BASE after the branch
    /// point are not the change's own.
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
            let source = try GitObjectSource(repository: repository, commit: commit, label: label, prefix: prefix)
            var notes = [String]()
            let report = try check(
                source, asOf: asOf, options: GovernanceOptions(revision: commit.hex, trustRef: trustRef, useCache: useCache),
                notes: &notes)
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
        let commit = try mergeBase(of: base)
        let baseFindings = try findings(atCommit: commit, label: base, asOf: asOf, trustRef: trustRef ?? base, useCache: useCache)
        let (introduced, resolved) = FindingMatcher.compare(base: baseFindings, head: head.findings)
        return BaselineComparison(baseCommit: commit, introduced: introduced, resolved: resolved)
    }

    /// True when the index holds the same ISMS files as HEAD: nothing under the root is about to be committed.
    /// The index is the one `stagedSource()` reads (GIT_INDEX_FILE when set), so the two never disagree.
    public func nothingStaged() throws(ToolError) -> Bool {
        let (repository, prefix) = try requireRepository()
        do {
            let lead = prefix.isEmpty ? "" : prefix + "/"
            let staged = try repository.indexEntries(file: indexFile).filter { $0.path.hasPrefix(lead) }
            var committed = [ExactString: TreeEntry]()
            if let head = try? repository.resolveCommit("HEAD"),
                let root = try repository.subtree(of: try repository.treeOfCommit(head), at: prefix)
            {
                committed = try repository.flattenTree(root)
            }
            guard staged.count == committed.count else { return false }
            return staged.allSatisfy { entry in
                entry.stage == 0 && committed[ExactString(String(entry.path.dropFirst(lead.count)))]?.id == entry.id
            }
        } catch let error as TreeTooDeep {
            throw .treeTooDeep(error, in: "HEAD")
        } catch {
            throw .git("comparing the index with HEAD: \(error)", cause: error as? GitError)
        }
    }
}
