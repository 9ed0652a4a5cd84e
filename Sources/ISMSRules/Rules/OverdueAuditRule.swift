import GitKit
import ISMSModel

/// A planned audit whose day has passed without it being performed.
public struct OverdueAuditRule: Rule {
    public init() {}
    package static let audit =
        "id: AUD-1\ntitle: Internal audit 2026\nowner: alice\ntype: internal\nauditor: carol\nscope: {clauses: ['4', '5', '6', '7', '8', '9', '10']}\n"
    public static let definition = RuleDescription(
        id: "overdue-audit",
        severity: .error,
        summary: "A planned audit past its planned_on date and not performed.",
        rationale: """
            ISO 27001 9.2.2 requires internal audits at planned intervals, and a certification auditor samples the \
            audit programme first: an audit that was planned and silently not held is a gap in the programme and a \
            nonconformity of its own. An audit is overdue from the day after planned_on until it is performed (status \
            performed, or a performed_on date) or cancelled.
            """,
        fix:
            "Hold the audit and record status: performed and performed_on, or re-plan it with a new planned_on (the history shows the change), or set status: cancelled.",
        failing: RuleExample([("audits/aud-1.yaml", audit + "status: planned\nplanned_on: 2026-10-15\n")]),
        passing: RuleExample([("audits/aud-1.yaml", audit + "status: performed\nplanned_on: 2026-10-15\nperformed_on: 2026-10-20\n")])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.audit).compactMap { audit in
            guard !audit.isPerformedAudit, audit.string("status") != "cancelled",
                let planned = audit.date("planned_on"), planned < context.asOf
            else { return nil }
            return finding(
                "audit \(audit.id) (\(audit.title)) was planned for \(planned), \(daysAgo(planned, asOf: context.asOf)), and is not performed",
                in: audit, field: "planned_on")
        }
    }
}
