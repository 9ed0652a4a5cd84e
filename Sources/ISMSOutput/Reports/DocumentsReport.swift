import GitKit
import ISMSHistory
import ISMSModel
import ISMSRules

/// The register of documented information (clause 7.5): each policy or procedure with its version, approval, the
/// commit that approved it and the last change to its text (from the history, when in git), and its next review.
public enum DocumentsReport {
    public static let kind = "documents"
    public static let title = "Documents"

    /// What the history says of one document.
    public struct Provenance: Sendable {
        /// The commit that set the current approval (approved_on, or version when that stands since earlier).
        public let approval: CommitInfo?
        /// The commit that set the current text.
        public let textChange: CommitInfo?
        /// The text as approved: the current one, with the changes made after the approval undone.
        public let approvedText: String?
        /// The title and version as approved, undone the same way: the pack's heading must not pair a pull
        /// request's version with the approved text.
        public var approvedTitle: String?
        public var approvedVersion: String?
        /// Whether the text or another approved field changed after the approval.
        public let changedSinceApproval: Bool
    }

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument { build(isms, provenance: nil, asOf: asOf) }

    /// What the history of the ISMS says of each document (blame and changes, newest first).
    public static func provenance(_ isms: ISMS, history: History) -> [String: Provenance] {
        var result = [String: Provenance]()
        for document in isms.records(of: .document) {
            guard let blame = history.blame(document.id), let entries = history.entries(of: document.id) else { continue }
            let lines = Dictionary(blame.map { ($0.field, $0) }, uniquingKeysWith: { a, _ in a })
            let order = Dictionary(entries.enumerated().map { ($1.commit.id, $0) }, uniquingKeysWith: { a, _ in a })
            var approval = lines["approved_on"]?.commit
            // As unapproved-document-change has it: a later approved_on alone approves nothing new, a first one does.
            if let a = approval, let ia = order[a.id], entries[ia].changes.first(where: { $0.field == "approved_on" })?.old != nil,
                let v = lines["version"]?.commit, let iv = order[v.id], iv > ia
            {
                approval = v
            }
            // From the committed text: an edit not committed yet (the work tree) is not the text approved either.
            let body = RecordFileFormat.bodyField
            var text = lines[body]?.value.text ?? document.string(body)
            var title = lines["title"]?.value.text ?? document.title, version = lines["version"]?.value.text ?? document.string("version")
            let pending = Set(lines.keys).union(document.fields.keys).filter { field in
                UnapprovedDocumentChangeRule.isApproved(field) && document.fields[field]?.value != lines[field]?.value
            }
            if pending.contains("approved_on") && pending.contains("version") {
                // A new approval not committed yet: the text as written is the one it approves.
                result[document.id] = Provenance(
                    approval: nil, textChange: lines[body]?.commit, approvedText: document.string(body),
                    changedSinceApproval: false)
                continue
            }
            var changed = !pending.isEmpty
            if let approval, let approvalIndex = order[approval.id] {
                for entry in entries.prefix(approvalIndex) {
                    for change in entry.changes where UnapprovedDocumentChangeRule.isApproved(change.field) && change.field != "approved_on"
                    {
                        changed = true
                        // Newest first: the last assignment is the oldest change's old value, the one approved.
                        switch change.field {
                        case RecordFileFormat.bodyField: text = change.old?.text
                        case "title": title = change.old?.text ?? title
                        case "version": version = change.old?.text
                        default: break
                        }
                    }
                }
            }
            var provenance = Provenance(
                approval: approval, textChange: lines[RecordFileFormat.bodyField]?.commit,
                approvedText: approval == nil ? nil : text, changedSinceApproval: changed)
            if approval != nil { (provenance.approvedTitle, provenance.approvedVersion) = (title, version) }
            result[document.id] = provenance
        }
        return result
    }

    /// `provenance`: from the history (nil outside git, where the commit columns stay empty).
    public static func build(_ isms: ISMS, provenance: [String: Provenance]?, asOf: Day) -> ReportDocument {
        let documents = isms.records(of: .document).sorted { naturalOrder($0.id, $1.id) }
        var counts = [String: Int]()
        var texts = [ReportText]()
        let rows: [[Cell]] = documents.map { document in
            let known = provenance?[document.id]
            let approvedOn = document.date("approved_on")
            let next = document.date("review.last").flatMap { last in
                document.cadence("review.every")?.next(after: last, continuousDays: isms.config.continuousDays)
            }
            let status: (String, Tone)
            if approvedOn == nil {
                status = ("draft", .warning)
            } else if known?.changedSinceApproval == true {
                status = ("changed since approval", .bad)
            } else if let next, next < asOf {
                status = ("review overdue", .warning)
            } else {
                status = ("approved", .good)
            }
            counts[status.0, default: 0] += 1
            if approvedOn != nil {
                let text = known?.approvedText ?? document.string(RecordFileFormat.bodyField) ?? ""
                let how = known?.approval.map { "as approved in commit \($0.id.short)" } ?? "as written (no history read)"
                texts.append(
                    ReportText(
                        id: document.id,
                        title: "\(document.id) \(known?.approvedTitle ?? document.title), version "
                            + "\(known?.approvedVersion ?? document.string("version") ?? "?"), \(how)",
                        markdown: text))
            }
            return [
                .text(document.id), .text(document.title), .person(document.owner, in: isms.config), .text(document.string("version")),
                .person(document.string("approved_by"), in: isms.config), .text(approvedOn?.description), .text(known?.approval?.id.short),
                .text(known?.textChange?.id.short), .text(known?.textChange?.author.day.description),
                .text(document.date("review.last")?.description), .text(next?.description),
                .list(document.list("controls").map(\.value)), .text(status.0, tone: status.1),
            ]
        }
        var report = ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                ISO/IEC 27001 7.5: each document (policy, procedure) in documents/, its version and approval, and its \
                next review. In a git repository, the approving commit is the one that set the current approval \
                (version and approved_on) and the text's last change is the commit that set the current text; a \
                document whose text or fields changed after its approval is marked changed since approval \
                (unapproved-document-change). Drafts record no approved_on.
                """,
            summary: [SummaryItem("documents", "Documents", .integer(documents.count))]
                + ["approved", "changed since approval", "review overdue", "draft"].map {
                    SummaryItem($0.replacingOccurrences(of: " ", with: "_"), $0, .integer(counts[$0] ?? 0))
                },
            tables: [
                ReportTable(
                    id: "documents", title: "Documents",
                    columns: [
                        ReportColumn("document", "Document"), ReportColumn("title", "Title"), ReportColumn("owner", "Owner"),
                        ReportColumn("version", "Version"), ReportColumn("approved_by", "Approved by"),
                        ReportColumn("approved_on", "Approved on"),
                        ReportColumn("approving_commit", "Approving commit"), ReportColumn("text_changed_commit", "Text last changed in"),
                        ReportColumn("text_changed_on", "Text last changed on"), ReportColumn("last_review", "Last review"),
                        ReportColumn("next_review", "Next review"), ReportColumn("controls", "Controls"), ReportColumn("status", "Status"),
                    ], rows: rows)
            ])
        report.texts = texts
        return report
    }
}
