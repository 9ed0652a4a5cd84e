import GitKit
import ISMSModel

/// The traceability chain, a row per chain: risk → treatment → control → newest evidence and its freshness →
/// obligations, with every break marked.
public enum TraceReport {
    public static let kind = "trace"
    public static let title = "Traceability"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        var rows = [[Cell]]()
        var broken = 0
        func add(risk: Record?, treatment: String?, controlID: String?, riskBreaks: [String]) {
            var breaks = riskBreaks
            var controlCells: [Cell] = [.empty, .empty, .empty, .empty, .empty, .empty]
            var obligations = [String]()
            if let controlID {
                if let control = isms.record(controlID), control.kind == .control {
                    let freshness = EvidenceFreshness(control: control, in: isms, asOf: asOf)
                    let lifecycle = control.string("status")
                    if lifecycle == "retired" { breaks.append("control retired") }
                    // Each break is an isms check finding, or says why it is not one (issue 13: a test holds the two together).
                    if lifecycle == "planned" {
                        if let due = control.date("due"), due >= asOf {
                            breaks.append("control only planned, due \(due) (not a finding until then: overdue-treatment)")
                        } else {
                            breaks.append("control only planned" + (control.date("due").map { ", due \($0)" } ?? ", no due date"))
                        }
                    }
                    if lifecycle == "implemented" {
                        breaks.append(
                            "control implemented, not yet operating (not a finding while the risk has an operating control: ineffective-treatment)"
                        )
                    }
                    var freshnessText = freshness.status.rawValue
                    var tone = freshness.status.tone
                    switch freshness.status {
                    case .missing where lifecycle != "implemented": breaks.append("no evidence")
                    case .stale: breaks.append("evidence stale")
                    case .failed:
                        if let exception = freshness.exception {
                            freshnessText += " (excused by \(exception.id))"
                            tone = .warning
                        } else {
                            breaks.append("newest evidence failed")
                        }
                    default: break
                    }
                    for item in control.list("satisfies") {
                        obligations.append(item.value)
                        if isms.record(item.value) == nil { breaks.append("\(item.value) does not exist") }
                    }
                    if risk == nil && obligations.isEmpty { breaks.append("no risk or obligation requires it") }
                    controlCells = [
                        .text(control.id), .text(control.title),
                        .text(lifecycle, tone: lifecycle == "retired" || lifecycle == "planned" ? .warning : .plain),
                        .text(freshness.newest?.id), .text(freshness.newest?.date("collected_on")?.description),
                        .text(freshnessText, tone: tone),
                    ]
                } else {
                    breaks.append("\(controlID) is not a control on record")
                    controlCells[0] = .text(controlID, tone: .bad)
                }
            }
            if !breaks.isEmpty { broken += 1 }
            let riskCells: [Cell] = [.text(risk?.id), .text(risk?.title), .text(treatment, tone: riskBreaks.isEmpty ? .plain : .bad)]
            rows.append(riskCells + controlCells + [.list(obligations), .list(breaks, tone: breaks.isEmpty ? .good : .bad)])
        }

        let risks = isms.records(of: .risk).sorted { naturalOrder($0.id, $1.id) }
        for risk in risks {
            let treatment = risk.string("treatment")
            var riskBreaks = [String]()
            var treatmentText = treatment
            switch treatment {
            case nil: riskBreaks.append("risk untreated")
            case "accept":
                if let expires = risk.date("acceptance.expires") {
                    treatmentText = "accept until \(expires)"
                    if expires < asOf { riskBreaks.append("acceptance expired on \(expires)") }
                } else {
                    riskBreaks.append("acceptance without expiry")
                }
            case "transfer":
                if let to = risk.string("transfer.to") { treatmentText = "transfer to \(to)" }
            default: break
            }
            let controls = risk.list("controls").map(\.value)
            if controls.isEmpty {
                if treatment == "reduce" { riskBreaks.append("reduce without controls") }
                add(risk: risk, treatment: treatmentText, controlID: nil, riskBreaks: riskBreaks)
            }
            for control in controls {
                add(risk: risk, treatment: treatmentText, controlID: control, riskBreaks: riskBreaks)
            }
        }
        let citedControls = Set(risks.flatMap { $0.list("controls").map(\.value) })
        for control in isms.records(of: .control).sorted(by: { naturalOrder($0.id, $1.id) })
        where !citedControls.contains(control.id) && control.string("status") != "retired" {
            add(risk: nil, treatment: nil, controlID: control.id, riskBreaks: [])
        }
        for obligation in isms.records(of: .obligation).sorted(by: { naturalOrder($0.id, $1.id) })
        where obligation.boolean("applies") != false {
            let live = isms.graph.links(to: obligation.id, field: "satisfies")
                .compactMap { isms.record($0.from) }
                .filter { $0.kind == .control && $0.string("status") != "retired" }
            guard live.isEmpty else { continue }
            broken += 1
            rows.append(
                [Cell](repeating: .empty, count: 9) + [.list([obligation.id], tone: .bad), .list(["no control satisfies it"], tone: .bad)])
        }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                One row per chain: each control a risk lists, then the controls no risk lists (an obligation must require \
                them), then the applicable obligations no control satisfies. Breaks name what is missing: a treatment, a \
                control, fresh passing evidence, a requirement. Freshness is as in the evidence report. Each break is a \
                finding of isms check, or says why it is not one (a planned control before its due date, an implemented \
                control beside an operating one).
                """,
            summary: [
                SummaryItem("chains", "Chains", .integer(rows.count)),
                SummaryItem("broken", "Chains with a break", .integer(broken)),
                SummaryItem("intact", "Intact chains", .integer(rows.count - broken)),
            ],
            tables: [
                ReportTable(
                    id: "chains", title: "Chains",
                    columns: [
                        ReportColumn("risk", "Risk"), ReportColumn("risk_title", "Risk title"), ReportColumn("treatment", "Treatment"),
                        ReportColumn("control", "Control"), ReportColumn("control_title", "Control title"),
                        ReportColumn("control_status", "Control status"), ReportColumn("evidence", "Newest evidence"),
                        ReportColumn("collected_on", "Collected"), ReportColumn("freshness", "Freshness"),
                        ReportColumn("obligations", "Obligations"), ReportColumn("breaks", "Breaks"),
                    ],
                    rows: rows)
            ]
        )
    }
}
