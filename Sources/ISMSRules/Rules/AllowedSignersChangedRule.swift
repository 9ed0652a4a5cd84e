import GitKit
import ISMSHistory
import ISMSModel

/// The allowed-signers file changed without a good signature from a key trusted before the change.
public struct AllowedSignersChangedRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits

    package static let risk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"

    public static let definition = RuleDescription(
        id: "allowed-signers-changed",
        severity: .error,
        summary: "The allowed-signers file changed in a commit without a good signature from a key trusted before the change.",
        rationale: """
            The allowed-signers file decides whose signatures count. A change to it must itself be signed by someone \
            already trusted, judged against the file as it was before the change (the commit's parent); otherwise \
            anyone who can push can add their own key and then sign as a decision maker. While the file trusts no key \
            (absent, empty or comments only, as isms init writes it) there is nothing to protect: a change that leaves \
            it trusting none is not reported, so a new repository passes from its first, unsigned commit. The commit \
            that first lists keys is judged against the file it makes: it must be signed by a key it lists.
            """,
        fix: """
            Have a person whose key was already trusted make the change in a signed commit (or sign the existing change \
            again with git commit --amend -S before it is merged).
            """,
        failing: RuleExample(commits: [
            ExampleCommit(
                "alice", "2026-01-12", "Trust Alice", signed: true,
                [(".isms/allowed_signers", "{{key alice}}\n"), ("risks/risk-1.yaml", risk)]),
            ExampleCommit("bob", "2026-02-01", "Trust Bob too", [(".isms/allowed_signers", "{{key alice}}\n{{key bob}}\n")]),
        ]),
        passing: RuleExample(commits: [
            ExampleCommit(
                "alice", "2026-01-12", "Trust Alice", signed: true,
                [(".isms/allowed_signers", "{{key alice}}\n"), ("risks/risk-1.yaml", risk)]),
            ExampleCommit(
                "alice", "2026-02-01", "Trust Bob too", signed: true, [(".isms/allowed_signers", "{{key alice}}\n{{key bob}}\n")]),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        guard let governance = context.governance else { return [] }
        let path = context.config.allowedSigners
        var blobs = [ObjectID: ObjectID?]()
        func blob(_ commit: ObjectID) -> ObjectID? {
            if let known = blobs[commit] { return known }
            let id = governance.blobID(at: path, in: commit)
            blobs[commit] = id
            return id
        }
        var findings = [Finding]()
        // Only the commits that changed the file are judged; which those are is kept per tip (`commitsChanging`).
        for commit in governance.commitsChanging(path) {
            let mine = blob(commit.id)
            let before = commit.parents.map(blob)
            // A merge that took the file from one parent did not change it: the branch commit that did is judged.
            let changed = before.isEmpty ? mine != nil : before.allSatisfy { $0 != mine }
            guard changed else { continue }
            let trustedBefore = commit.parents.map { governance.trustsAKey(allowedSignersAt: path, in: $0) }
            // A file that trusted no key and still trusts none protected nothing: no signature can be asked for yet.
            guard trustedBefore.contains(true) || governance.trustsAKey(allowedSignersAt: path, in: commit.id) else { continue }
            // Judged against the first parent whose file trusted a key. When none did, the commit's own tree: the first
            // keys must be signed by one of them.
            let trusted = zip(commit.parents, trustedBefore).first { $0.1 }?.0 ?? commit.id
            let verdict =
                governance.signature(commit.id, trustingTreeOf: trusted)
                ?? SignatureVerdict(status: .notVerified, reason: "the trust before the change cannot be read")
            guard !verdict.isGood else { continue }
            let what = mine == nil ? "was deleted" : (before.first.flatMap { $0 } == nil ? "was created" : "changed")
            findings.append(
                Self.finding(
                    "\(path) \(what) in commit \(governance.info(commit).reference) without a good signature from a key trusted before the change "
                        + "(\(verdict.status.rawValue))", path: path, at: SourceLocation(line: 1, column: 1)))
        }
        return findings
    }
}
