import GitKit
import ISMSHistory
import ISMSModel
import ISMSRules

/// Every change of a decision field in a period, from the history: record, field, old → new, who, when, and
/// whether the commit's signature proves who. Decision fields are those of `decision_fields` in isms.yaml.
public enum DecisionsReport {
    public static let kind = "decisions"
    public static let title = "Decision log"

    public static func build(
        entries: [HistoryEntry], config: Config, signatures: CommitSignatures?,
        since: Day?, until: Day?, asOf: Day
    ) -> ReportDocument {
        build(items: entries.map(LogItem.recordChange), config: config, signatures: signatures, since: since, until: until, asOf: asOf)
    }

    /// With the ISMS-level decisions of isms.yaml (`History.log(_:decisionsOf:)`): record `isms.yaml`, kind `isms`.
    public static func build(
        items: [LogItem], config: Config, signatures: CommitSignatures?,
        since: Day?, until: Day?, asOf: Day
    ) -> ReportDocument {
        var rows = [[Cell]]()
        var records = Set<String>(), people = Set<String>()
        var signed = 0
        for entry in items {
            let day = entry.commit.author.day
            if let since, day < since { continue }
            if let until, day > until { continue }
            let kind: String
            let isDecision: (String) -> Bool
            switch entry {
            case .recordChange(let change):
                kind = change.kind.rawValue
                isDecision = { config.isDecision($0, of: change.kind) }
            case .settingChange:
                kind = "isms"
                isDecision = Config.isDecisionSetting
            }
            for change in entry.changes where isDecision(change.field) {
                let verdict = signatures?[entry.commit.id]
                if verdict?.status == .good { signed += 1 }
                records.insert(entry.record)
                people.insert(entry.commit.author.email)
                let signer = verdict.flatMap { $0.principal }
                rows.append([
                    .text(entry.commit.author.isoDate), .text(entry.record), .text(kind), .text(change.field),
                    .text(change.old?.text), .text(change.new?.text), .text(entry.commit.author.name),
                    .text(entry.commit.author.email), .text(entry.commit.id.short), .text(entry.commit.summary),
                    .text(verdict?.status.rawValue ?? "not-verified", tone: verdict?.status == .good ? .good : .warning),
                    .text(signer),
                ])
            }
        }
        let period = "\(since?.description ?? "the first commit") to \(until?.description ?? "the last commit")"
        return ReportDocument(
            kind: kind, title: title, ismsName: config.name, asOf: asOf,
            introduction: """
                Every change of a decision field (decision_fields in isms.yaml: by default a risk's treatment, scores, \
                controls, acceptance and residual risk; a control's status and satisfies; an obligation's applies and \
                justification; every field of an exception), and of the ISMS itself in isms.yaml (its scope and each \
                Annex A exclusion with its justification, shown as record isms.yaml) from \(period), newest first, read from the git history. \
                A signature marked good was verified against the keys trusted at the revision read (docs/signatures.md); \
                an author without one is a claim, not a proof.
                """,
            summary: [
                SummaryItem("changes", "Decision changes", .integer(rows.count)),
                SummaryItem("records", "Records", .integer(records.count)),
                SummaryItem("authors", "Authors", .integer(people.count)),
                SummaryItem("signed", "Changes with a good signature", .integer(signed)),
            ],
            tables: [
                ReportTable(
                    id: "decisions", title: "Decision changes",
                    columns: [
                        ReportColumn("date", "When"), ReportColumn("record", "Record"), ReportColumn("kind", "Kind"),
                        ReportColumn("field", "Field"), ReportColumn("old", "Old"), ReportColumn("new", "New"),
                        ReportColumn("author", "Who"), ReportColumn("email", "E-mail"), ReportColumn("commit", "Commit"),
                        ReportColumn("summary", "Commit message"), ReportColumn("signature", "Signature"),
                        ReportColumn("signer", "Signed by"),
                    ],
                    rows: rows)
            ])
    }
}
