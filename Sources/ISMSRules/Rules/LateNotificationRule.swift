import GitKit
import ISMSModel

/// An incident notification sent after its deadline, or not sent once the deadline has passed.
public struct LateNotificationRule: Rule {
    public init() {}
    package static let incident =
        "id: INC-1\ntitle: Customer database exposed\nowner: alice\ndetected_at: 2026-11-02T16:30:00+01:00\nseverity: high\npersonal_data_breach: true\n"
    public static let definition = RuleDescription(
        id: "late-notification",
        severity: .error,
        summary:
            "An incident notification (NIS2 early warning, notification, final report; GDPR to the supervisory authority) sent after its deadline, or not sent once it has passed.",
        rationale: """
            NIS2 Art. 23(4) requires, for a significant incident, an early warning within 24 hours of becoming aware \
            of it, an incident notification within 72 hours and a final report within one month of the notification; \
            GDPR Art. 33(1) a notification of a personal-data breach to the supervisory authority within 72 hours. \
            Deadlines run from detected_at (the final report's from the notification's sent_at, or its deadline while \
            it is not sent); the as-of day counts as ending at 23:59:59 UTC. A late notification is a breach of law \
            the ISMS must show it knows about.
            """,
        fix:
            "Send the notification and record notifications.<name>.sent_at; when it was sent late, record why (description) and raise a nonconformity.",
        failing: RuleExample([
            (
                "incidents/inc-1.yaml",
                incident + "notifications:\n  gdpr_authority: {sent_at: '2026-11-06T09:00:00+01:00', to: Supervisory authority}\n"
            )
        ]),
        passing: RuleExample([
            (
                "incidents/inc-1.yaml",
                incident + "notifications:\n  gdpr_authority: {sent_at: '2026-11-04T11:00:00+01:00', to: Supervisory authority}\n"
            )
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let now = Timestamp.endOf(context.asOf)
        return context.records(.incident).flatMap { incident in
            NotificationDeadlines.owed(by: incident).compactMap { due -> Finding? in
                if let sent = due.sentAt {
                    guard sent > due.deadline else { return nil }
                    return finding(
                        "incident \(incident.id): the \(due.label) was sent at \(sent), after its deadline of \(due.deadline) (\(due.basis))",
                        in: incident, field: "notifications.\(due.name).sent_at")
                }
                guard now > due.deadline, !incident.rejected.contains("notifications.\(due.name).sent_at") else { return nil }
                return finding(
                    "incident \(incident.id): the \(due.label) was due by \(due.deadline) (\(due.basis)) and is not recorded as sent",
                    in: incident, field: incident.isWritten("notifications.\(due.name)") ? "notifications.\(due.name)" : "detected_at")
            }
        }
    }
}
