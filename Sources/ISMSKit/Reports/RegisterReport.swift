/// The risk register: every risk with its inherent and residual score (likelihood × impact), its treatment,
/// and 5 × 5 heat maps of both scores.
public enum RegisterReport {
    public static let kind = "register"
    public static let title = "Risk register"

    public static func level(_ score: Int) -> String {
        switch Tone.heat(score: score) {
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        default: return "critical"
        }
    }

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let risks = isms.records(of: .risk).sorted { naturalOrder($0.id, $1.id) }
        var rows = [[Cell]]()
        var inherentGrid = [[[String]]](repeating: [[String]](repeating: [], count: 5), count: 5)
        var residualGrid = inherentGrid
        var unscored = 0
        func scoreCells(_ l: Int?, _ i: Int?) -> [Cell] {
            guard let l, let i else { return [.integer(l), .integer(i), .empty, .empty] }
            let score = l * i
            return [.integer(l), .integer(i), .integer(score, tone: Tone.heat(score: score)), .text(level(score), tone: Tone.heat(score: score))]
        }
        for risk in risks {
            let l = risk.integer("likelihood"), i = risk.integer("impact")
            let rl = risk.integer("residual.likelihood"), ri = risk.integer("residual.impact")
            if let l, let i { inherentGrid[5 - i][l - 1].append(risk.id) } else { unscored += 1 }
            if let rl, let ri { residualGrid[5 - ri][rl - 1].append(risk.id) }
            let treatment = risk.string("treatment")
            var treatmentText = treatment ?? "untreated"
            switch treatment {
            case "accept":
                if let expires = risk.date("acceptance.expires") {
                    treatmentText += expires < asOf ? " (acceptance expired \(expires))" : " (until \(expires))"
                }
            case "transfer":
                if let to = risk.string("transfer.to") { treatmentText += " to \(to)" }
            default: break
            }
            let expired = treatment == "accept" && (risk.date("acceptance.expires").map { $0 < asOf } ?? false)
            let treatmentTone: Tone = treatment == nil || expired ? .bad : .plain
            var reviewDue: Cell = .empty
            if let last = risk.date("review.last"), let due = risk.cadence("review.every")?.next(after: last, continuousDays: isms.config.continuousDays) {
                reviewDue = .text(due.description, tone: due < asOf ? .bad : .plain)
            }
            rows.append([.text(risk.id), .text(risk.title), .text(risk.owner)] + scoreCells(l, i)
                        + [.text(treatmentText, tone: treatmentTone), .list(risk.list("controls").map(\.value))]
                        + scoreCells(rl, ri) + [reviewDue])
        }
        func grid(_ cells: [[[String]]], id: String, title: String, note: String) -> ReportTable {
            ReportTable(
                id: id, title: title,
                columns: [ReportColumn("impact", "Impact \\ likelihood")] + (1...5).map { ReportColumn("likelihood_\($0)", "\($0) \(likelihoodNames[$0 - 1])") },
                rows: (0..<5).map { row in
                    let impact = 5 - row
                    return [Cell(.text("\(impact) \(impactNames[impact - 1])"))] + (0..<5).map { column in
                        Cell(cells[row][column].isEmpty ? .empty : .list(cells[row][column]), tone: Tone.heat(score: impact * (column + 1)))
                    }
                },
                note: note, isGrid: true)
        }
        let scored = risks.filter { $0.integer("likelihood") != nil && $0.integer("impact") != nil }
        let highOrWorse = scored.filter { $0.integer("likelihood")! * $0.integer("impact")! >= 10 }.count
        let residualHigh = risks.filter { r in
            guard let l = r.integer("residual.likelihood"), let i = r.integer("residual.impact") else { return false }
            return l * i >= 10
        }.count
        func count(_ treatment: String?) -> Int { risks.filter { $0.string("treatment") == treatment }.count }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                Scores are likelihood × impact, each 1–5: 1–4 low, 5–9 medium, 10–15 high, 16–25 critical. Inherent is \
                the risk before treatment, residual after it (as recorded under residual).
                """,
            summary: [
                SummaryItem("risks", "Risks", .integer(risks.count)),
                SummaryItem("inherent_high_or_critical", "Inherent high or critical", .integer(highOrWorse)),
                SummaryItem("residual_high_or_critical", "Residual high or critical", .integer(residualHigh)),
                SummaryItem("unscored", "Without likelihood and impact", .integer(unscored)),
                SummaryItem("reduce", "Treatment reduce", .integer(count("reduce"))),
                SummaryItem("accept", "Treatment accept", .integer(count("accept"))),
                SummaryItem("transfer", "Treatment transfer", .integer(count("transfer"))),
                SummaryItem("avoid", "Treatment avoid", .integer(count("avoid"))),
                SummaryItem("untreated", "Untreated", .integer(count(nil))),
            ],
            tables: [
                ReportTable(
                    id: "risks", title: "Risks",
                    columns: [
                        ReportColumn("risk", "Risk"), ReportColumn("title", "Title"), ReportColumn("owner", "Owner"),
                        ReportColumn("likelihood", "L"), ReportColumn("impact", "I"), ReportColumn("score", "Inherent"),
                        ReportColumn("level", "Level"), ReportColumn("treatment", "Treatment"), ReportColumn("controls", "Controls"),
                        ReportColumn("residual_likelihood", "Residual L"), ReportColumn("residual_impact", "Residual I"),
                        ReportColumn("residual_score", "Residual"), ReportColumn("residual_level", "Residual level"),
                        ReportColumn("review_due", "Review due"),
                    ],
                    rows: rows),
                grid(inherentGrid, id: "heatmap_inherent", title: "Heat map: inherent risk",
                     note: "Rows are impact (5 at the top), columns likelihood; each cell lists the risks with that score."),
                grid(residualGrid, id: "heatmap_residual", title: "Heat map: residual risk",
                     note: "The same grid after treatment, for the risks that record a residual score."),
            ]
        )
    }

    static let likelihoodNames = ["rare", "unlikely", "possible", "likely", "almost certain"]
    static let impactNames = ["negligible", "minor", "moderate", "major", "critical"]
}
