import GitKit
import ISMSHistory
import ISMSModel

/// A commit in the history whose signature does not verify.
public struct BadSignatureRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits

    package static let risk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"

    public static let definition = RuleDescription(
        id: "bad-signature",
        severity: .error,
        summary:
            "A commit in the checked history carries a signature that does not verify, or is malformed (a duplicated author, committer or gpgsig header); reported on each record it changed.",
        rationale: """
            A signature that does not verify means the commit is not what was signed: its message, author, date or \
            content was changed afterwards (a rewritten commit that kept its old signature), or the signature is \
            damaged or uses a refused algorithm (RSA with SHA-1). A commit object with two author, committer or gpgsig \
            headers, signed or not, is bad too: git's log shows the last author and committer where libgit2 and git's \
            own signature check read the first, so it says two things at once. Either way the record's history cannot \
            be trusted at that point. An unsigned or unknown-key commit is not bad; see unsigned-decision.
            """,
        fix: """
            Find out how the commit was changed (git log --show-signature). Restore the original commit if it still \
            exists, or make the change again in a new, properly signed commit and have the history reviewed.
            """,
        failing: RuleExample(commits: [
            ExampleCommit("alice", "2026-01-12", "Avoid laptop theft", tampered: true, [("risks/risk-1.yaml", risk)])
        ]),
        passing: RuleExample(commits: [
            ExampleCommit("alice", "2026-01-12", "Avoid laptop theft", signed: true, [("risks/risk-1.yaml", risk)])
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        // Every verdict of the log already known and none bad (the usual case with a warm signature cache): nothing to report.
        guard let governance = context.governance, governance.mayHaveBadSignature() else { return [] }
        var findings = [Finding]()
        var seen = Set<String>()
        var verdicts = [ObjectID: SignatureVerdict]()
        for entry in governance.log() {
            let verdict = verdicts[entry.commit.id] ?? governance.signature(entry.commit.id)
            verdicts[entry.commit.id] = verdict
            guard verdict.status == .bad, seen.insert(entry.commit.id.hex + "\u{1}" + entry.record).inserted else { continue }
            let message =
                "commit \(entry.commit.reference) that changed \(entry.record) "
                + (verdict.isMalformedCommit ? "is malformed" : "carries a signature that does not verify")
                + (verdict.reason.map { " (\($0))" } ?? "")
            if let record = context.record(entry.record) {
                findings.append(finding(message, in: record))
            } else {
                // The record is gone: the finding names where it was.
                findings.append(Self.finding(message, path: entry.path, at: nil, record: entry.record))
            }
        }
        return findings
    }
}
