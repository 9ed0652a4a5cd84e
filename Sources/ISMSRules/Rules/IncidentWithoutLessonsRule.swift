import GitKit
import ISMSModel

/// A closed significant incident or breach that changed nothing.
public struct IncidentWithoutLessonsRule: Rule {
    public init() {}
    package static let incident =
        "id: INC-1\ntitle: Ransomware on a build server\nowner: alice\ndetected_at: 2026-10-01T08:00:00Z\nseverity: high\nnis2_significant: true\nnotifications:\n  nis2_early_warning: {sent_at: 2026-10-01T15:00:00Z}\n  nis2_notification: {sent_at: 2026-10-03T10:00:00Z}\n  nis2_final_report: {sent_at: 2026-10-30T10:00:00Z}\nstatus: closed\nclosed_on: 2026-10-30\n"
    public static let definition = RuleDescription(
        id: "incident-without-lessons",
        severity: .warning,
        summary: "A closed NIS2-significant incident or personal-data breach with no linked nonconformity, risk or control under lessons.",
        rationale: """
            Annex A 5.27 asks that knowledge gained from incidents be used to strengthen controls, and NIS2's final \
            report states the root cause and the mitigation applied. A significant incident or a breach closed \
            without a nonconformity raised or a risk or control changed suggests nothing was learnt.
            """,
        fix: "Link what the incident changed under lessons (nonconformities, risks, controls), with a summary.",
        failing: RuleExample([("incidents/inc-1.yaml", incident)]),
        passing: RuleExample([
            (
                "incidents/inc-1.yaml",
                incident + "lessons: {summary: Build servers were reachable from the office network., nonconformities: [NC-1]}\n"
            ),
            (
                "nonconformities/nc-1.yaml",
                "id: NC-1\ntitle: Build servers not segmented\nowner: bob\nsource: {type: incident, record: INC-1}\ntype: minor\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.incident).compactMap { incident in
            guard incident.isClosed, incident.boolean("nis2_significant") == true || incident.boolean("personal_data_breach") == true,
                ["nonconformities", "risks", "controls"].allSatisfy({ incident.list("lessons.\($0)").isEmpty })
            else { return nil }
            return finding(
                "incident \(incident.id) (\(incident.title)) is closed with no nonconformity, risk or control under lessons",
                in: incident, field: "status")
        }
    }
}
