import ISMSModel
import ISMSRules

/// Incidents with their NIS2 and GDPR notifications against the deadlines, and the lessons they changed.
public enum IncidentsReport {
    public static let kind = "incidents"
    public static let title = "Incidents and notifications"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let incidents = isms.records(of: .incident).sorted { naturalOrder($0.id, $1.id) }
        let now = Timestamp.endOf(asOf)
        var notificationRows = [[Cell]]()
        var late = 0
        let rows: [[Cell]] = incidents.map { incident in
            for due in NotificationDeadlines.owed(by: incident) {
                let status: (String, Tone)
                if let sent = due.sentAt {
                    status = sent > due.deadline ? ("late", .bad) : ("on time", .good)
                } else {
                    status = now > due.deadline ? ("not sent", .bad) : ("due", .warning)
                }
                if status.1 == .bad { late += 1 }
                notificationRows.append([
                    .text(incident.id), .text(due.label), .text(due.deadline.description), .text(due.sentAt?.description),
                    .text(incident.string("notifications.\(due.name).to")), .text(status.0, tone: status.1),
                ])
            }
            let lessons = ["nonconformities", "risks", "controls"].flatMap { incident.list("lessons.\($0)").map(\.value) }
            return [
                .text(incident.id), .text(incident.title), .text(incident.string("detected_at").flatMap(Timestamp.init)?.description),
                .text(incident.string("severity")), .text(incident.boolean("nis2_significant") == true ? "yes" : "no"),
                .text(incident.boolean("personal_data_breach") == true ? "yes" : "no"),
                .text(incident.isClosed ? "closed" : "open", tone: incident.isClosed ? .good : .warning), .list(lessons),
            ]
        }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                Each incident with the notifications it owes: for a NIS2 significant incident an early warning within 24 \
                hours of detection, a notification within 72 hours and a final report one month after the notification \
                (Art. 23(4)); for a personal-data breach the supervisory authority within 72 hours (GDPR Art. 33). Times \
                are in UTC; the as-of day counts as ending at 23:59:59 UTC.
                """,
            summary: [
                SummaryItem("incidents", "Incidents", .integer(incidents.count)),
                SummaryItem("open", "Open", .integer(incidents.filter { !$0.isClosed }.count)),
                SummaryItem("significant", "NIS2 significant", .integer(incidents.filter { $0.boolean("nis2_significant") == true }.count)),
                SummaryItem(
                    "breaches", "Personal-data breaches", .integer(incidents.filter { $0.boolean("personal_data_breach") == true }.count)),
                SummaryItem("notifications", "Notifications owed", .integer(notificationRows.count)),
                SummaryItem("late", "Late or not sent", .integer(late)),
            ],
            tables: [
                ReportTable(
                    id: "incidents", title: "Incidents",
                    columns: [
                        ReportColumn("incident", "Incident"), ReportColumn("title", "Title"), ReportColumn("detected_at", "Detected (UTC)"),
                        ReportColumn("severity", "Severity"), ReportColumn("nis2_significant", "NIS2 significant"),
                        ReportColumn("personal_data_breach", "Personal-data breach"), ReportColumn("status", "Status"),
                        ReportColumn("lessons", "Lessons"),
                    ], rows: rows),
                ReportTable(
                    id: "notifications", title: "Notifications",
                    columns: [
                        ReportColumn("incident", "Incident"), ReportColumn("notification", "Notification"),
                        ReportColumn("deadline", "Deadline (UTC)"),
                        ReportColumn("sent_at", "Sent (UTC)"), ReportColumn("to", "To"), ReportColumn("status", "Status"),
                    ], rows: notificationRows),
            ])
    }
}
