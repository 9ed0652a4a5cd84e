import GitKit
import ISMSModel

/// The nonconformity and corrective-action register (clause 10.2): each nonconformity with its source, cause,
/// status and effectiveness check, and each corrective action with its owner, due date and whether it is done.
public enum NonconformitiesReport {
    public static let kind = "nonconformities"
    public static let title = "Nonconformities and corrective actions"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let ncs = isms.records(of: .nonconformity).sorted { naturalOrder($0.id, $1.id) }
        var actionRows = [[Cell]]()
        var overdue = 0, openActions = 0, unchecked = 0
        let rows: [[Cell]] = ncs.map { nc in
            var open = 0, late = 0
            for action in nc.actions {
                let status: (String, Tone)
                if let done = action.doneOn {
                    status = ("done \(done)", .good)
                } else if let due = action.due, due < asOf {
                    status = ("overdue", .bad); late += 1; open += 1
                } else {
                    status = ("open", .warning); open += 1
                }
                actionRows.append([
                    .text(nc.id), .text(action.name), .text(action.text), .person(action.owner, in: isms.config),
                    .text(action.due?.description), .text(action.doneOn?.description), .text(status.0, tone: status.1),
                ])
            }
            overdue += late
            openActions += open
            let closed = nc.isClosed
            let result = nc.string("effectiveness.result")
            let needsCheck = closed && ["major", "minor"].contains(nc.string("type") ?? "") && result != "effective"
            if needsCheck { unchecked += 1 }
            return [
                .text(nc.id), .text(nc.title), .text(nc.string("type")), .text(nc.string("source.type")), .text(nc.string("source.record")),
                .text(nc.string("requirement")), .text(nc.date("raised_on")?.description), .person(nc.owner, in: isms.config),
                .text(
                    nc.string("root_cause") == nil ? (nc.actions.isEmpty ? nil : "missing") : "recorded",
                    tone: nc.string("root_cause") == nil && !nc.actions.isEmpty ? .warning : .plain),
                .integer(nc.actions.count), .integer(open, tone: late > 0 ? .bad : .plain),
                .text(closed ? "closed" : "open", tone: closed ? .good : .warning), .text(nc.date("closed_on")?.description),
                .text(result ?? (needsCheck ? "not checked" : nil), tone: needsCheck ? .bad : result == "effective" ? .good : .plain),
            ]
        }
        let open = ncs.filter { !$0.isClosed }.count
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                ISO/IEC 27001 10.2: every nonconformity with where it was found, its cause, the corrective actions and \
                the check that they worked. An action is overdue after its due day without done_on; a closed major or \
                minor nonconformity needs an effective check (closed-without-effectiveness).
                """,
            summary: [
                SummaryItem("nonconformities", "Nonconformities", .integer(ncs.count)),
                SummaryItem("open", "Open", .integer(open)),
                SummaryItem("major", "Major", .integer(ncs.filter { $0.string("type") == "major" }.count)),
                SummaryItem("minor", "Minor", .integer(ncs.filter { $0.string("type") == "minor" }.count)),
                SummaryItem("actions", "Corrective actions", .integer(actionRows.count)),
                SummaryItem("open_actions", "Open actions", .integer(openActions)),
                SummaryItem("overdue_actions", "Overdue actions", .integer(overdue)),
                SummaryItem("closed_unchecked", "Closed without an effective check", .integer(unchecked)),
            ],
            tables: [
                ReportTable(
                    id: "nonconformities", title: "Nonconformities",
                    columns: [
                        ReportColumn("nonconformity", "Nonconformity"), ReportColumn("title", "Title"), ReportColumn("type", "Type"),
                        ReportColumn("source", "Source"), ReportColumn("source_record", "Raised by"),
                        ReportColumn("requirement", "Requirement"),
                        ReportColumn("raised_on", "Raised"), ReportColumn("owner", "Owner"), ReportColumn("root_cause", "Root cause"),
                        ReportColumn("actions", "Actions"), ReportColumn("open_actions", "Open actions"), ReportColumn("status", "Status"),
                        ReportColumn("closed_on", "Closed"), ReportColumn("effectiveness", "Effectiveness"),
                    ], rows: rows),
                ReportTable(
                    id: "actions", title: "Corrective actions",
                    columns: [
                        ReportColumn("nonconformity", "Nonconformity"), ReportColumn("action_id", "Action"), ReportColumn("action", "What"),
                        ReportColumn("owner", "Owner"), ReportColumn("due", "Due"), ReportColumn("done_on", "Done"),
                        ReportColumn("status", "Status"),
                    ], rows: actionRows),
            ])
    }
}
