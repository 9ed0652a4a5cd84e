import ISMSModel

/// Per framework (obligation `source`): which obligations a live control satisfies.
public enum CoverageReport {
    public static let kind = "coverage"
    public static let title = "Framework coverage"

    package enum Status: String {
        case covered, planned, uncovered
        case notProven = "not proven"
        case notApplicable = "not applicable"
    }

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let obligations = isms.records(of: .obligation)
        let user = isms.catalogs
        var bySource = [String: [Record]]()
        for obligation in obligations {
            bySource[Frameworks.canonicalSource(obligation.string("source") ?? "(no source)", user: user), default: []].append(obligation)
        }
        // The ISMS's own catalogues are listed even when no obligation cites them yet: 0 of m is what they show.
        for catalog in user where bySource[catalog.id] == nil { bySource[catalog.id] = [] }
        let catalogued = Frameworks.all.map(\.source) + user.map(\.id)
        let sources = bySource.keys.sorted { a, b in
            let ia = catalogued.firstIndex(of: a) ?? Int.max, ib = catalogued.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a.lowercased() < b.lowercased()
        }
        var frameworkRows = [[Cell]](), obligationRows = [[Cell]](), requirementRows = [[Cell]]()
        var totalApplicable = 0, totalCovered = 0
        for source in sources {
            var tally = [Status: Int]()
            // The catalogue, not the ISMS's own records, is the denominator: which catalogued requirements a covered
            // obligation addresses ("3 of 3 = 100%" said nothing about the other 31 clauses).
            let catalog = Frameworks.catalog(forSource: source, user: user)
            var addressed = Set<String>()
            var citing = [String: [String]]()
            for obligation in bySource[source]!.sorted(by: { naturalOrder($0.id, $1.id) }) {
                let controls = isms.graph.links(to: obligation.id, field: "satisfies")
                    .filter { $0.fromKind == .control }
                    .compactMap { isms.record($0.from) }
                    .filter { $0.string("status") != "retired" }
                    .sorted { naturalOrder($0.id, $1.id) }
                let status: Status
                if obligation.boolean("applies") == false {
                    status = .notApplicable
                } else if controls.contains(where: {
                    [.failed, .stale, .missing, .unknown, .noCadence].contains(ControlStanding($0, in: isms, asOf: asOf).level)
                }) {
                    // A control that should run but whose evidence failed, is stale or missing: the obligation is not
                    // shown as met, whatever the other controls prove (a failed restore test is the RTO not met).
                    status = .notProven
                } else if controls.contains(where: { ControlStanding($0, in: isms, asOf: asOf).level == .operating }) {
                    status = .covered
                } else if controls.contains(where: { $0.string("status") == "implemented" }) {
                    status = .notProven
                } else if !controls.isEmpty {
                    status = .planned
                } else {
                    status = .uncovered
                }
                tally[status, default: 0] += 1
                if let catalog, catalog.path != nil, let ref = obligation.string("ref") {
                    // A user catalogue's requirement, or each requirement under the part the ref names.
                    for item in UserCatalogReference.addressed(by: ref, in: catalog) {
                        citing[item.id, default: []].append("\(obligation.id) (\(status.rawValue))")
                        if status == .covered { addressed.insert(item.id) }
                    }
                } else if status == .covered, let catalog, let ref = obligation.string("ref") {
                    // Each reference of a list (`Art. 30(2), 30(3)`); an article as a whole addresses each of its
                    // paragraphs, NIS2 Art. 21(2) each of its points.
                    for part in ref.split(whereSeparator: { $0 == "," || $0 == ";" }) {
                        guard case .known(let entry) = ReferenceResolver.resolve(source: source, ref: String(part)) else { continue }
                        for item in catalog.entries where item.id == entry.id || item.id.hasPrefix(entry.id + "(") {
                            addressed.insert(item.id)
                        }
                    }
                }
                let tone: Tone =
                    [.covered: .good, .planned: .warning, .notProven: .bad, .uncovered: .bad, .notApplicable: .muted][status] ?? .plain
                obligationRows.append([
                    .text(source), .text(obligation.id), .text(obligation.string("ref")), .text(obligation.title),
                    .text(status.rawValue, tone: tone),
                    .list(
                        controls.map { control in
                            let standing = ControlStanding(control, in: isms, asOf: asOf)
                            return standing.level == .operating ? "\(control.id) (operating)" : standing.reason
                        }),
                    .text(status == .notApplicable ? obligation.string("justification") : nil),
                ])
            }
            let covered = tally[.covered] ?? 0
            let applicable = bySource[source]!.count - (tally[.notApplicable] ?? 0)
            totalApplicable += applicable
            totalCovered += covered
            let percent = CellValue.percent(covered, of: applicable)
            frameworkRows.append([
                .text(source), .integer(bySource[source]!.count), .integer(applicable), .integer(covered),
                .integer(tally[.notProven] ?? 0), .integer(tally[.planned] ?? 0), .integer(tally[.uncovered] ?? 0),
                .integer(tally[.notApplicable] ?? 0),
                Cell(percent, tone: covered == applicable ? .good : .warning),
                .text(
                    catalog.map { "\($0.coverageName): \(addressed.count) of \($0.entries.count) covered" },
                    tone: catalog.map { addressed.count == $0.entries.count ? .good : .warning } ?? .plain),
            ])
            if let catalog, let own = Frameworks.userCatalog(forSource: source, in: user), catalog.path != nil {
                for requirement in own.requirements {
                    let covered = addressed.contains(requirement.id)
                    requirementRows.append([
                        .text(own.id), .text(requirement.id), .text(requirement.title), .text(requirement.group),
                        .list(requirement.annexA.map(\.text)), .list(citing[requirement.id] ?? []),
                        .text(covered ? "covered" : "not covered", tone: covered ? .good : .bad),
                    ])
                }
            }
        }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                An obligation is covered when a control that satisfies it operates with current passing evidence (ok or \
                within its grace days, with a result) and no operating control that satisfies it has failed, stale, missing \
                or result-less evidence; not proven when one has (an exception that excuses a failure does not make the \
                obligation met), or when its controls are only implemented, not yet operating; planned when only planned \
                controls satisfy it; uncovered when no control that is not retired does. The percentage is of the ISMS's \
                own obligations; "Catalogue covered" counts the catalogue's requirements (articles, clauses; for a \
                catalogue of the ISMS's own, in catalogs/, its requirements) that a covered obligation cites, out of all \
                the catalogue holds. Obligations with applies: false are not \
                applicable and left out of the percentage.
                """,
            summary: [
                SummaryItem("frameworks", "Frameworks", .integer(sources.count)),
                SummaryItem("obligations", "Obligations", .integer(obligations.count)),
                SummaryItem("applicable", "Applicable", .integer(totalApplicable)),
                SummaryItem("covered", "Covered", .integer(totalCovered)),
                SummaryItem("covered_percent", "Covered (%)", .percent(totalCovered, of: totalApplicable)),
            ],
            tables: [
                ReportTable(
                    id: "frameworks", title: "Coverage by framework",
                    columns: [
                        ReportColumn("framework", "Framework"), ReportColumn("obligations", "Obligations"),
                        ReportColumn("applicable", "Applicable"), ReportColumn("covered", "Covered"),
                        ReportColumn("not_proven", "Not proven"), ReportColumn("planned", "Planned"),
                        ReportColumn("uncovered", "Uncovered"),
                        ReportColumn("not_applicable", "Not applicable"), ReportColumn("covered_percent", "Covered (%)"),
                        ReportColumn("catalogue", "Catalogue covered"),
                    ],
                    rows: frameworkRows),
                ReportTable(
                    id: "obligations", title: "Obligations",
                    columns: [
                        ReportColumn("framework", "Framework"), ReportColumn("obligation", "Obligation"),
                        ReportColumn("ref", "Reference"), ReportColumn("title", "Title"), ReportColumn("status", "Status"),
                        ReportColumn("controls", "Satisfied by"), ReportColumn("justification", "Why not applicable"),
                    ],
                    rows: obligationRows),
            ]
                + (user.isEmpty
                    ? []
                    : [
                        ReportTable(
                            id: "requirements", title: "Requirements of the ISMS's own catalogues",
                            columns: [
                                ReportColumn("catalogue", "Catalogue"), ReportColumn("requirement", "Requirement"),
                                ReportColumn("title", "Title"), ReportColumn("group", "Group"), ReportColumn("annex_a", "Annex A"),
                                ReportColumn("obligations", "Cited by"), ReportColumn("status", "Status"),
                            ],
                            rows: requirementRows)
                    ])
        )
    }
}
