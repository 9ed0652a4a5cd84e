import Foundation
import ISMSModel
import ISMSRules

/// The Statement of Applicability (ISO/IEC 27001 clause 6.1.3 d): every Annex A control, applicable or
/// excluded, why, and the controls that implement it.
public enum SOAReport {
    public static let kind = "soa"
    public static let title = "Statement of Applicability"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let coverage = AnnexACoverage(isms)
        var rows = [[Cell]]()
        var applicable = 0, excluded = 0, gaps = 0, operating = 0, implementedOnly = 0, plannedOnly = 0, unproven = 0
        for control in AnnexA.controls {
            let active = coverage.activeImplementers(control.id)
            let retired = (coverage.implementers[control.id] ?? []).filter { $0.string("status") == "retired" }
            let exclusion = coverage.exclusions[control.id]
            let applicability: Cell, justification: Cell, status: Cell
            if !active.isEmpty {
                applicable += 1
                applicability = .text("yes", tone: .good)
                let risks = Set(
                    active.flatMap { isms.graph.links(to: $0.id, field: "controls").filter { $0.fromKind == .risk }.map(\.from) }
                )
                .sorted(by: naturalOrder)
                let obligations = Set(active.flatMap { $0.list("satisfies").map(\.value) }).sorted(by: naturalOrder)
                var parts = [String]()
                if !risks.isEmpty { parts.append("risks: " + risks.joined(separator: ", ")) }
                if !obligations.isEmpty { parts.append("obligations: " + obligations.joined(separator: ", ")) }
                if parts.isEmpty { parts.append("implemented, but no risk or obligation requires its controls") }
                if exclusion != nil { parts.append("also listed in soa_exclusions, which is ignored while a control implements it") }
                justification = .text(parts.joined(separator: "; "), tone: risks.isEmpty && obligations.isEmpty ? .warning : .plain)
                // The worst of the implementing controls: one failing control is enough for an auditor to ask.
                let worst = active.map { ControlStanding($0, in: isms, asOf: asOf) }.max { $0.rank < $1.rank }
                switch worst?.level {
                case .operating?: operating += 1
                case .implemented?: implementedOnly += 1
                case .planned?: plannedOnly += 1
                default: unproven += 1
                }
                let reasons = active.map { ControlStanding($0, in: isms, asOf: asOf) }.filter { $0.level != .operating }.map(\.reason)
                let label = worst?.level.rawValue ?? "status not recorded"
                status = .text(
                    reasons.isEmpty ? label : "\(label): " + reasons.joined(separator: "; "), tone: worst?.level.tone ?? .warning)
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
            // Retired controls implement nothing; a gap says which retired control once named it.
            let implementers = active.map { "\($0.id) \($0.title) (\($0.string("status") ?? "no status"))" }
            rows.append([
                .text(control.id), .text(control.title), .text(control.group), applicability, justification,
                .list(implementers), status,
            ])
        }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                Every control of ISO/IEC 27001:2022 Annex A. An Annex A control is applicable when a control that is not \
                retired names it under annex_a; the risks and obligations that require those controls justify it. It is \
                excluded when soa_exclusions in isms.yaml gives the reason. Anything else is a gap. The status is the worst of \
                the implementing controls, with the reason: operating only when each operates with current passing \
                evidence (ok or within its grace days); otherwise evidence failed, stale or missing, implemented (not yet \
                operating), or planned. Retired controls are never listed as implementing.
                """,
            summary: [
                SummaryItem("annex_a_controls", "Annex A controls", .integer(AnnexA.controls.count)),
                SummaryItem("applicable", "Applicable", .integer(applicable)),
                SummaryItem("excluded", "Excluded", .integer(excluded)),
                SummaryItem("gaps", "Gaps (soa-gap)", .integer(gaps)),
                SummaryItem("operating", "Applicable and operating, with current passing evidence", .integer(operating)),
                SummaryItem("unproven", "Applicable, with failed, stale or missing evidence", .integer(unproven)),
                SummaryItem("implemented", "Applicable and implemented, not yet operating", .integer(implementedOnly)),
                SummaryItem("planned", "Applicable and only planned", .integer(plannedOnly)),
            ],
            tables: [
                ReportTable(
                    id: "controls", title: "Annex A controls",
                    columns: [
                        ReportColumn("annex_a", "Annex A"), ReportColumn("title", "Title"), ReportColumn("theme", "Theme"),
                        ReportColumn("applicable", "Applicable"), ReportColumn("justification", "Justification"),
                        ReportColumn("controls", "Implementing controls"), ReportColumn("status", "Status"),
                    ],
                    rows: rows)
            ]
        )
    }
}

/// Where one control stands, as the records prove it: operating only with current passing evidence.
package struct ControlStanding {
    package enum Level: String {
        case operating
        case implemented
        case planned
        case failed = "evidence failed"
        case stale = "evidence stale"
        case missing = "evidence missing"
        case unknown = "status not recorded"
        case noCadence = "cadence not recorded"

        package var tone: Tone {
            switch self {
            case .operating: return .good
            case .implemented, .planned, .unknown, .noCadence: return .warning
            case .failed, .stale, .missing: return .bad
            }
        }
    }

    package let control: Record
    package let level: Level
    package let reason: String

    /// Worse is higher.
    package var rank: Int {
        switch level {
        case .operating: return 0
        case .implemented: return 1
        case .planned: return 2
        case .unknown: return 3
        case .noCadence: return 4
        case .missing: return 5
        case .stale: return 6
        case .failed: return 7
        }
    }

    package init(_ control: Record, in isms: ISMS, asOf: Day) {
        self.control = control
        switch control.string("status") {
        case "implemented":
            level = .implemented
            reason = "\(control.id) implemented, not yet operating"
        case "planned":
            level = .planned
            reason = "\(control.id) planned" + (control.date("due").map { " (due \($0))" } ?? "")
        case "operating", nil:
            let freshness = EvidenceFreshness(control: control, in: isms, asOf: asOf)
            let newest = freshness.newest?.id ?? "none"
            switch freshness.status {
            case .ok, .due:
                // Evidence that does not say it passed proves that the control ran, not that it worked.
                if freshness.newest?.string("result") == nil && freshness.newest != nil {
                    level = .missing
                    reason = "\(control.id) evidence \(newest) has no result"
                } else if control.string("status") == nil {
                    level = .unknown
                    reason = "\(control.id) has no status"
                } else if control.string("every") == nil {
                    // Without a cadence no evidence is ever out of date: 2019 evidence would read as current.
                    level = .noCadence
                    reason = "\(control.id) has no cadence (every): its evidence cannot be judged current"
                } else {
                    level = .operating
                    reason = "\(control.id) operating"
                }
            case .failed:
                level = .failed
                reason = "\(control.id) newest evidence \(newest) failed" + (freshness.exception.map { " (excused by \($0.id))" } ?? "")
            case .stale:
                level = .stale
                reason = "\(control.id) newest evidence \(newest) is stale"
            case .missing:
                level = .missing
                reason = "\(control.id) has no evidence"
            case .notExpected:
                level = .unknown
                reason = "\(control.id) expects no evidence"
            }
        default:
            level = .unknown
            reason = "\(control.id) is \(control.string("status") ?? "")"
        }
    }
}
