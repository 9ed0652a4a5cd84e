import ISMSModel
import ISMSRules

/// The information security objectives (clause 6.2) with their targets, newest measurements and status.
public enum ObjectivesReport {
    public static let kind = "objectives"
    public static let title = "Information security objectives"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let objectives = isms.records(of: .objective).sorted { naturalOrder($0.id, $1.id) }
        let measurements = isms.measurementsByObjective(asOf: asOf)
        var counts = [String: Int]()
        let rows: [[Cell]] = objectives.map { objective in
            let target = ObjectiveTarget(objective)
            let all = measurements[objective.id] ?? []
            let newest = newestEvidence(all)
            let value = newest?.record.string("value")
            let due = objective.date("due")
            let status: (String, Tone)
            if let value, let measured = DecimalNumber.parse(value), let target {
                if target.isMet(by: measured) {
                    status = ("met", .good)
                } else if let due, due < asOf {
                    status = ("missed", .bad)
                } else {
                    status = ("not met yet", .warning)
                }
            } else {
                status = ("unmeasured", .warning)
            }
            counts[status.0, default: 0] += 1
            let next = newest.flatMap { m in
                objective.cadence("every")?.next(after: m.collected, continuousDays: isms.config.continuousDays)
            }
            return [
                .text(objective.id), .text(objective.title), .person(objective.owner, in: isms.config), .text(objective.string("measure")),
                .text(target?.text), .text(due?.description), .text(objective.string("every")), .text(value),
                .text(newest?.collected.description), .text(next?.description), .integer(all.count),
                .text(status.0, tone: status.1),
            ]
        }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                ISO/IEC 27001 6.2: each objective's target, owner and due date, and its newest measurement (an evidence \
                record naming the objective, dated on or before the as-of day). Met: the newest value meets the target; \
                missed: it does not and the due date has passed; not met yet: it does not, before the due date.
                """,
            summary: [SummaryItem("objectives", "Objectives", .integer(objectives.count))]
                + ["met", "not met yet", "missed", "unmeasured"].map {
                    SummaryItem($0.replacingOccurrences(of: " ", with: "_"), $0, .integer(counts[$0] ?? 0))
                },
            tables: [
                ReportTable(
                    id: "objectives", title: "Objectives",
                    columns: [
                        ReportColumn("objective", "Objective"), ReportColumn("title", "Title"), ReportColumn("owner", "Owner"),
                        ReportColumn("measure", "Measure"), ReportColumn("target", "Target"), ReportColumn("due", "Due"),
                        ReportColumn("cadence", "Measured"), ReportColumn("value", "Newest value"),
                        ReportColumn("measured_on", "Measured on"),
                        ReportColumn("next_due", "Next measurement due"), ReportColumn("measurements", "Measurements"),
                        ReportColumn("status", "Status"),
                    ], rows: rows)
            ])
    }
}
