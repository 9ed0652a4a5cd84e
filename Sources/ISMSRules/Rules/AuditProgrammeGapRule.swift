import GitKit
import ISMSModel

/// A clause or Annex A theme the audit programme does not cover within its cycle.
public struct AuditProgrammeGapRule: Rule {
    public init() {}
    package static let audit =
        "id: AUD-1\ntitle: Internal audit 2026\nowner: alice\ntype: internal\nstatus: performed\nplanned_on: 2026-05-01\nperformed_on: 2026-05-04\nauditor: carol\n"
    public static let definition = RuleDescription(
        id: "audit-programme-gap",
        severity: .warning,
        summary: "Within audit_programme.cycle, a clause 4–10 or an applicable Annex A theme that no performed or planned audit covers.",
        rationale: """
            The audit programme (ISO 27001 9.2.2) must cover the whole ISMS: every clause 4 to 10 and every Annex A \
            theme with applicable controls, within a cycle (audit_programme.cycle in isms.yaml; default 1096d, the \
            three years of a certification cycle). A clause or theme is covered by an audit performed within the \
            last cycle, or one planned within the next (overdue-audit reports a planned one whose day passes), whose \
            scope lists the clause (`9`, `9.2`), the theme (`A.8`) or one of its controls, or a control implementing \
            one. The rule runs once the ISMS keeps audits (an audit record or audit_programme in isms.yaml).
            """,
        fix: "Add the clause or theme to the scope of a planned audit, or plan an audit that covers it.",
        failing: RuleExample([
            ("isms.yaml", RuleExample.defaultConfig + "audit_programme: {cycle: 1096d}\n"),
            ("audits/aud-1.yaml", audit + "scope: {clauses: ['4', '5', '6', '7', '8', '9.2', '9.3']}\n"),
        ]),
        passing: RuleExample([
            ("isms.yaml", RuleExample.defaultConfig + "audit_programme: {cycle: 1096d}\n"),
            ("audits/aud-1.yaml", audit + "scope: {clauses: ['4', '5', '6', '7', '8', '9.2', '9.3', '10']}\n"),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let audits = context.records(.audit)
        let cycle = context.config.auditCycle
        guard !audits.isEmpty || context.config.auditProgrammeLocation != nil, let from = cycle.previous(before: context.asOf),
            let until = cycle.next(after: context.asOf)
        else { return [] }
        var covered = Set<String>()
        for audit in audits where audit.string("status") != "cancelled" {
            let counts: Bool
            if audit.isPerformedAudit {
                counts = (audit.date("performed_on") ?? audit.date("planned_on")).map { $0 >= from && $0 <= context.asOf } ?? false
            } else {
                counts = audit.date("planned_on").map { $0 >= context.asOf && $0 <= until } ?? false
            }
            if counts { covered.formUnion(AuditCoverage.covered(by: audit, in: context.isms)) }
        }
        let required =
            AuditCoverage.clauses.map { ("clause \($0)", $0) }
            + AuditCoverage.applicableThemes(context.isms).map { ("Annex A theme \($0)", $0) }
        let missing = required.filter { !covered.contains($0.1) }.map(\.0)
        guard !missing.isEmpty else { return [] }
        let message =
            "the audit programme covers \(listed(missing)) with no audit performed in the last \(context.config.auditCycle) "
            + "or planned in the next"
        if let location = context.config.auditProgrammeLocation {
            return [Self.finding(message, path: "isms.yaml", at: location, field: "audit_programme")]
        }
        return audits.first.map { [finding(message, in: $0, field: "scope")] } ?? []
    }
}
