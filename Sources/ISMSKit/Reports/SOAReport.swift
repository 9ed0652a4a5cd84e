/// The Statement of Applicability (ISO/IEC 27001 clause 6.1.3 d): every Annex A control, applicable or
/// excluded, why, and the controls that implement it.
public enum SOAReport {
    public static let kind = "soa"
    public static let title = "Statement of Applicability"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let coverage = AnnexACoverage(isms)
        var rows = [[Cell]]()
        var applicable = 0, excluded = 0, gaps = 0, operating = 0, implementedOnly = 0, plannedOnly = 0
        for control in AnnexA.controls {
            let active = coverage.activeImplementers(control.id)
            let retired = (coverage.implementers[control.id] ?? []).filter { $0.string("status") == "retired" }
            let exclusion = coverage.exclusions[control.id]
            let applicability: Cell, justification: Cell, status: Cell
            if !active.isEmpty {
                applicable += 1
                applicability = .text("yes", tone: .good)
                let risks = Set(active.flatMap { isms.graph.links(to: $0.id, field: "controls").filter { $0.fromKind == .risk }.map(\.from) })
                    .sorted(by: naturalOrder)
                let obligations = Set(active.flatMap { $0.list("satisfies").map(\.value) }).sorted(by: naturalOrder)
                var parts = [String]()
                if !risks.isEmpty { parts.append("risks: " + risks.joined(separator: ", ")) }
                if !obligations.isEmpty { parts.append("obligations: " + obligations.joined(separator: ", ")) }
                if parts.isEmpty { parts.append("implemented, but no risk or obligation requires its controls") }
                if exclusion != nil { parts.append("also listed in soa_exclusions, which is ignored while a control implements it") }
                justification = .text(parts.joined(separator: "; "), tone: risks.isEmpty && obligations.isEmpty ? .warning : .plain)
                let best = ["operating", "implemented", "planned"].first { wanted in active.contains { $0.string("status") == wanted } }
                switch best {
                case "operating": operating += 1; status = .text("operating", tone: .good)
                case "implemented": implementedOnly += 1; status = .text("implemented", tone: .good)
                case "planned": plannedOnly += 1; status = .text("planned", tone: .warning)
                default: status = .text("status not recorded", tone: .warning)
                }
            } else if let exclusion {
                excluded += 1
                applicability = .text("no", tone: .muted)
                justification = .text(exclusion.justification.trimmingCharacters(in: .whitespacesAndNewlines))
                status = .text("excluded", tone: .muted)
            } else {
                gaps += 1
                applicability = .text("undecided", tone: .bad)
                var text = "GAP: no control implements it and soa_exclusions does not exclude it [soa-gap]"
                if !retired.isEmpty { text += "; only retired " + retired.map(\.id).joined(separator: ", ") + " named it" }
                justification = .text(text, tone: .bad)
                status = .text("gap", tone: .bad)
            }
            let implementers = (active + retired).map { "\($0.id) \($0.title) (\($0.string("status") ?? "no status"))" }
            rows.append([.text(control.id), .text(control.title), .text(control.group), applicability, justification,
                         .list(implementers), status])
        }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                Every control of ISO/IEC 27001:2022 Annex A. An Annex A control is applicable when a control that is not \
                retired names it under annex_a; the risks and obligations that require those controls justify it. It is \
                excluded when soa_exclusions in isms.yaml gives the reason. Anything else is a gap.
                """,
            summary: [
                SummaryItem("annex_a_controls", "Annex A controls", .integer(AnnexA.controls.count)),
                SummaryItem("applicable", "Applicable", .integer(applicable)),
                SummaryItem("excluded", "Excluded", .integer(excluded)),
                SummaryItem("gaps", "Gaps (soa-gap)", .integer(gaps)),
                SummaryItem("operating", "Applicable and operating", .integer(operating)),
                SummaryItem("implemented", "Applicable and implemented, not yet operating", .integer(implementedOnly)),
                SummaryItem("planned", "Applicable and only planned", .integer(plannedOnly)),
            ],
            tables: [ReportTable(
                id: "controls", title: "Annex A controls",
                columns: [
                    ReportColumn("annex_a", "Annex A"), ReportColumn("title", "Title"), ReportColumn("theme", "Theme"),
                    ReportColumn("applicable", "Applicable"), ReportColumn("justification", "Justification"),
                    ReportColumn("controls", "Implementing controls"), ReportColumn("status", "Status"),
                ],
                rows: rows)]
        )
    }
}

import Foundation
