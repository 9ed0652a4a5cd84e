import ISMSModel
import ISMSRules

/// The audit programme (clause 9.2.2): every audit, and a matrix of the clauses 4–10 and Annex A themes
/// against the audits that cover them, with whether the programme covers each within its cycle.
public enum AuditsReport {
    public static let kind = "audits"
    public static let title = "Audit programme"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let audits = isms.records(of: .audit).sorted {
            let a = $0.date("performed_on") ?? $0.date("planned_on") ?? asOf, b = $1.date("performed_on") ?? $1.date("planned_on") ?? asOf
            return a != b ? a < b : naturalOrder($0.id, $1.id)
        }
        func status(_ audit: Record) -> (String, Tone) {
            if audit.isPerformedAudit { return ("performed", .good) }
            if audit.string("status") == "cancelled" { return ("cancelled", .muted) }
            if let planned = audit.date("planned_on"), planned < asOf { return ("overdue", .bad) }
            return ("planned", .warning)
        }
        let rows: [[Cell]] = audits.map { audit in
            let (text, tone) = status(audit)
            return [
                .text(audit.id), .text(audit.title), .text(audit.string("type")), .text(text, tone: tone),
                .text(audit.date("planned_on")?.description), .text(audit.date("performed_on")?.description),
                .person(audit.string("auditor"), in: isms.config),
                .list(audit.list("scope.clauses").map(\.value) + audit.list("scope.annex_a").map(\.value)),
                .list(audit.list("nonconformities").map(\.value)), .text(audit.string("report")),
            ]
        }
        // The matrix: what the programme must cover against each audit that is not cancelled.
        let cycle = isms.config.auditCycle
        let from = cycle.previous(before: asOf) ?? asOf.adding(days: -1096), until = cycle.next(after: asOf) ?? asOf.adding(days: 1096)
        let counted = audits.filter { $0.string("status") != "cancelled" }
        let applicable = Set(AuditCoverage.applicableThemes(isms))
        let subjects =
            AuditCoverage.clauses.map { ("clause \($0)", $0) } + AnnexA.themes.map { ("A.\($0.clause) \($0.name)", "A.\($0.clause)") }
        var gaps = 0
        let matrix: [[Cell]] = subjects.map { label, key in
            var inCycle = false
            let cells: [Cell] = counted.map { audit in
                guard AuditCoverage.covered(by: audit, in: isms).contains(key) else { return .empty }
                let performed = audit.isPerformedAudit
                let day = performed ? (audit.date("performed_on") ?? audit.date("planned_on")) : audit.date("planned_on")
                if let day, performed ? (day >= from && day <= asOf) : (day >= asOf && day <= until) { inCycle = true }
                return .text(performed ? "performed" : "planned", tone: performed ? .good : .warning)
            }
            let needed = key.hasPrefix("A.") ? applicable.contains(key) : true
            if needed && !inCycle { gaps += 1 }
            let coverage: Cell =
                !needed ? .text("not applicable", tone: .muted) : inCycle ? .text("covered", tone: .good) : .text("gap", tone: .bad)
            return [.text(label)] + cells + [coverage]
        }
        let performed = audits.filter(\.isPerformedAudit).count
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                The internal and external audits, and the programme as a matrix: each clause 4–10 and Annex A theme \
                against the audits whose scope names it (the clause, the theme, one of its controls, or a control \
                implementing one). Covered means an audit performed within the last audit_programme.cycle \
                (\(isms.config.auditCycle)) or planned within the next; a gap is what audit-programme-gap reports.
                """,
            summary: [
                SummaryItem("audits", "Audits", .integer(audits.count)),
                SummaryItem("performed", "Performed", .integer(performed)),
                SummaryItem("planned", "Planned", .integer(audits.filter { status($0).0 == "planned" }.count)),
                SummaryItem("overdue", "Overdue", .integer(audits.filter { status($0).0 == "overdue" }.count)),
                SummaryItem("gaps", "Clauses and themes not covered in the cycle", .integer(gaps)),
            ],
            tables: [
                ReportTable(
                    id: "audits", title: "Audits",
                    columns: [
                        ReportColumn("audit", "Audit"), ReportColumn("title", "Title"), ReportColumn("type", "Type"),
                        ReportColumn("status", "Status"),
                        ReportColumn("planned_on", "Planned"), ReportColumn("performed_on", "Performed"),
                        ReportColumn("auditor", "Auditor"),
                        ReportColumn("scope", "Scope"), ReportColumn("nonconformities", "Nonconformities"),
                        ReportColumn("report", "Report"),
                    ], rows: rows),
                ReportTable(
                    id: "programme", title: "Programme: clauses and themes by audit",
                    columns: [ReportColumn("subject", "Clause or theme")] + counted.map { ReportColumn($0.id, $0.id) }
                        + [ReportColumn("coverage", "In the cycle")],
                    rows: matrix, isGrid: true),
            ])
    }
}
