import GitKit
import ISMSModel

/// A declared date much earlier than the commit that recorded it.
public struct BackdatedRecordRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits
    /// The dates people declare, by kind.
    package static let fields: [RecordKind: [String]] = [
        .evidence: ["collected_on"],
        .risk: ["acceptance.approved_on", "review.last"],
        .supplier: ["review.last"],
    ]

    package static func files(collectedOn: String) -> [(String, String?)] {
        [
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Access review\nowner: alice\nstatus: operating\nevery: quarterly\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Unauthorised access\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-11-20, every: yearly}\n"
            ),
            (
                "evidence/access-review.yaml",
                "id: EV-access-review\ntitle: Access review\ncontrol: CTRL-1\ncollected_on: \(collectedOn)\nresult: pass\n"
            ),
        ]
    }

    public static let definition = RuleDescription(
        id: "backdated-record",
        severity: .warning,
        summary:
            "A declared date (evidence collected_on, acceptance approved_on, review last) is earlier than the commit that recorded it by more than backdate_tolerance_days.",
        rationale: """
            Evidence collected in September but first written down in November may be real, or may have been produced \
            for the audit and dated back. The commit that first recorded a date is the earliest proof that it was \
            claimed; a date well before it is a claim nobody can check. backdate_tolerance_days (default 14) allows for \
            the usual delay between doing and recording. The commit's author date is used, which a rebase keeps, but \
            never earlier than the newest committer date of its parents: anyone can set an author date back, yet no \
            commit can be made before the commits it is made on. (A rebased commit is therefore recorded no earlier \
            than the commit it was placed on.)
            """,
        fix: """
            Record evidence, approvals and reviews when they happen. When an old date is right, keep the proof of it \
            (the artifact's own timestamp, a ticket) with the record; when a whole register is imported at once, raise \
            backdate_tolerance_days or set this rule's severity in isms.yaml, and say why there.
            """,
        failing: RuleExample(commits: [
            ExampleCommit("alice", "2026-11-25", "Record the access review", files(collectedOn: "2026-09-01"))
        ]),
        passing: RuleExample(commits: [
            ExampleCommit("alice", "2026-11-25", "Record the access review", files(collectedOn: "2026-11-20"))
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        guard let governance = context.governance else { return [] }
        let tolerance = context.config.backdateToleranceDays
        var findings = [Finding]()
        for (kind, fields) in Self.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for record in context.records(kind) {
                for field in fields {
                    guard let declared = record.date(field), let commit = governance.setter(of: field, in: record) else { continue }
                    let (recorded, parent) = governance.recordedAt(commit)
                    let days = declared.days(until: recorded.day)
                    guard days > tolerance else { continue }
                    // The reference shows the author date; when a parent is the bound, the message says why it is later.
                    let bound = parent.map { ", which cannot be older than its parent \($0.short), committed \(recorded.day)" } ?? ""
                    findings.append(
                        finding(
                            "\(field) \(declared) of \(record.id) is \(days) days before commit \(commit.reference) that recorded it"
                                + bound + " (tolerance \(tolerance) days)", in: record, field: field))
                }
            }
        }
        return findings
    }
}
