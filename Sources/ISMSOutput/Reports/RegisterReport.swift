import ISMSModel

/// The risk register: every risk with its inherent, residual and target score (likelihood × impact), its treatment,
/// and heat maps of both scores, on the scales and levels of the risk method (`risk_method`; default 5 × 5).
public enum RegisterReport {
    public static let kind = "register"
    public static let title = "Risk register"

    /// The heat-map colour of a level: the method's levels spread over low, medium, high and critical.
    package static func tone(_ level: Int?, of method: RiskMethod) -> Tone {
        guard let level else { return .plain }
        let tones: [Tone] = [.low, .medium, .high, .critical]
        let top = max(1, method.levels.count - 1)
        return tones[min(3, max(0, (level * 3 + top / 2) / top))]
    }

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let method = isms.config.riskMethod
        let nl = method.likelihood.count, ni = method.impact.count
        let risks = isms.records(of: .risk).sorted { naturalOrder($0.id, $1.id) }
        var rows = [[Cell]]()
        var inherentGrid = [[[String]]](repeating: [[String]](repeating: [], count: nl), count: ni)
        var residualGrid = inherentGrid
        var unscored = 0
        func scoreCells(_ l: Int?, _ i: Int?) -> [Cell] {
            guard let l, let i, let level = method.level(likelihood: l, impact: i) else {
                return [.integer(l), .integer(i), .empty, .empty]
            }
            let tone = Self.tone(level, of: method)
            return [.integer(l), .integer(i), .integer(l * i, tone: tone), .text(method.levelName(level), tone: tone)]
        }
        // The validator holds scores to the scales; the guards keep a hand-built ISMS from indexing outside the grid.
        func place(_ l: Int?, _ i: Int?, _ id: String, in grid: inout [[[String]]]) -> Bool {
            guard let l, let i, (1...nl).contains(l), (1...ni).contains(i) else { return false }
            grid[ni - i][l - 1].append(id)
            return true
        }
        for risk in risks {
            let l = risk.integer("likelihood"), i = risk.integer("impact")
            let rl = risk.integer("residual.likelihood"), ri = risk.integer("residual.impact")
            let tl = risk.integer("target.likelihood"), ti = risk.integer("target.impact")
            if !place(l, i, risk.id, in: &inherentGrid) { unscored += 1 }
            _ = place(rl, ri, risk.id, in: &residualGrid)
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
            if let last = risk.date("review.last"),
                let due = risk.cadence("review.every")?.next(after: last, continuousDays: isms.config.continuousDays)
            {
                reviewDue = .text(due.description, tone: due < asOf ? .bad : .plain)
            }
            rows.append(
                [.text(risk.id), .text(risk.title), .person(risk.owner, in: isms.config)] + scoreCells(l, i)
                    + [.text(treatmentText, tone: treatmentTone), .list(risk.list("controls").map(\.value))]
                    + scoreCells(rl, ri) + scoreCells(tl, ti) + [reviewDue])
        }
        func grid(_ cells: [[[String]]], id: String, title: String, note: String) -> ReportTable {
            ReportTable(
                id: id, title: title,
                columns: [ReportColumn("impact", "Impact \\ likelihood")]
                    + (1...nl).map { ReportColumn("likelihood_\($0)", "\($0) \(method.likelihood[$0 - 1])") },
                rows: (0..<ni).map { row in
                    let impact = ni - row
                    return [Cell(.text("\(impact) \(method.impact[impact - 1])"))]
                        + (0..<nl).map { column in
                            Cell(
                                cells[row][column].isEmpty ? .empty : .list(cells[row][column]),
                                tone: tone(method.level(likelihood: column + 1, impact: impact), of: method))
                        }
                },
                note: note, isGrid: true)
        }
        let scored = risks.filter { $0.integer("likelihood") != nil && $0.integer("impact") != nil }
        func highOrWorse(_ l: Int?, _ i: Int?) -> Bool {
            guard let l, let i else { return false }
            return [.high, .critical].contains(tone(method.level(likelihood: l, impact: i), of: method))
        }
        let inherentHigh = scored.filter { highOrWorse($0.integer("likelihood"), $0.integer("impact")) }.count
        let residualHigh = risks.filter { highOrWorse($0.integer("residual.likelihood"), $0.integer("residual.impact")) }.count
        let bands: String
        if let highs = method.bands {
            var low = 1
            bands = method.levels.enumerated().map { index, name in
                defer { if index < highs.count { low = highs[index] + 1 } }
                return index < highs.count ? "\(low)–\(highs[index]) \(name)" : "\(low)–\(nl * ni) \(name)"
            }.joined(separator: ", ")
        } else {
            bands = "levels " + method.levels.joined(separator: ", ") + " by the matrix of the risk method"
        }
        let appetite =
            method.appetite.map { " The appetite is \(method.levelName($0)): a risk above it needs acceptance or a target at or below it." }
            ?? ""
        func count(_ treatment: String?) -> Int { risks.filter { $0.string("treatment") == treatment }.count }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                Scores are likelihood (1–\(nl)) × impact (1–\(ni)): \(bands). Inherent is the risk before treatment, \
                residual the risk now, with the controls that operate (as recorded under residual), target the risk expected \
                once the planned controls operate too (as recorded under target).\(appetite)
                """,
            summary: [
                SummaryItem("risks", "Risks", .integer(risks.count)),
                SummaryItem("inherent_high_or_critical", "Inherent high or critical", .integer(inherentHigh)),
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
                        ReportColumn("target_likelihood", "Target L"), ReportColumn("target_impact", "Target I"),
                        ReportColumn("target_score", "Target"), ReportColumn("target_level", "Target level"),
                        ReportColumn("review_due", "Review due"),
                    ],
                    rows: rows),
                grid(
                    inherentGrid, id: "heatmap_inherent", title: "Heat map: inherent risk",
                    note: "Rows are impact (\(ni) at the top), columns likelihood; each cell lists the risks with that score."),
                grid(
                    residualGrid, id: "heatmap_residual", title: "Heat map: residual risk",
                    note: "The same grid after treatment, for the risks that record a residual score."),
            ]
        )
    }
}
