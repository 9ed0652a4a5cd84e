import ISMSModel

/// The registers an auditor samples besides the risk register: risk acceptances, exceptions, suppliers, assets
/// and obligations, with people by name.
public enum RegistersReport {
    public static let kind = "registers"
    public static let title = "Registers"

    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        build(isms, asOf: asOf, approvingCommits: nil)
    }

    /// With `approvingCommits` (risk id → the commit that set its `acceptance.approved_by`, as `a1b2c3d (2026-01-12)`,
    /// read from the git history; the audit pack passes it when the ISMS is in git), the acceptances show it.
    public static func build(_ isms: ISMS, asOf: Day, approvingCommits: [String: String]?) -> ReportDocument {
        /// By name in every format, JSON included: the registers have shown `Name (key)` as the value since they were
        /// added, and JSON consumers read it so (the other reports keep the key in JSON: `Cell.person`).
        func person(_ key: String?) -> Cell { .text(key.map(isms.config.personLabel)) }
        func sorted(_ kind: RecordKind) -> [Record] { isms.records(of: kind).sorted { naturalOrder($0.id, $1.id) } }
        func date(_ record: Record, _ field: String) -> Cell { .text(record.date(field)?.description) }

        let accepted = sorted(.risk).filter { $0.string("treatment") == "accept" }
        let acceptances: [[Cell]] = accepted.map { risk in
            let expires = risk.date("acceptance.expires")
            var row: [Cell] = [
                .text(risk.id), .text(risk.title), person(risk.owner), person(risk.string("acceptance.approved_by")),
                date(risk, "acceptance.approved_on"),
                .text(expires?.description, tone: (expires.map { $0 < asOf } ?? true) ? .bad : .plain),
                .text(risk.string("acceptance.rationale")),
            ]
            if let approvingCommits {
                if let commit = approvingCommits[risk.id] {
                    row.append(.text(commit))
                } else {
                    // No approver, or an approver typed into the work tree and not committed yet: no commit records it.
                    row.append(.text(risk.string("acceptance.approved_by") == nil ? nil : "not committed", tone: .bad))
                }
            }
            return row
        }
        let exceptions: [[Cell]] = sorted(.exception).map { exception in
            let expires = exception.date("expires")
            let active = expires.map { $0 >= asOf } ?? false
            return [
                .text(exception.id), .text(exception.title),
                .list([exception.string("control"), exception.string("risk")].compactMap { $0 }),
                .text(exception.string("reason")), person(exception.string("requested_by")), person(exception.string("approved_by")),
                date(exception, "approved_on"), .text(expires?.description),
                .text(active ? "active" : "expired", tone: active ? .plain : .bad),
                .list(exception.list("compensating").map(\.value)),
            ]
        }
        let suppliers: [[Cell]] = sorted(.supplier).map { supplier in
            var due: Cell = .empty
            if let last = supplier.date("review.last"),
                let next = supplier.cadence("review.every")?.next(after: last, continuousDays: isms.config.continuousDays)
            {
                due = .text(next.description, tone: next < asOf ? .bad : .plain)
            }
            return [
                .text(supplier.id), .text(supplier.title), person(supplier.owner), .text(supplier.string("criticality")),
                .list(supplier.list("services").map(\.value)), .list(supplier.list("assurance").map(\.value)), due,
            ]
        }
        let assets: [[Cell]] = sorted(.asset).map { asset in
            let inScope = asset.boolean("in_scope") ?? true
            return [
                .text(asset.id), .text(asset.title), person(asset.owner), .text(inScope ? "yes" : "no", tone: inScope ? .plain : .muted),
                .text(asset.string("exclusion_reason")), .list(asset.list("suppliers").map(\.value)),
            ]
        }
        let obligations: [[Cell]] = sorted(.obligation).map { obligation in
            let applies = obligation.boolean("applies") ?? true
            return [
                .text(obligation.id), .text(obligation.string("source")), .text(obligation.string("ref")), .text(obligation.title),
                person(obligation.owner), .text(applies ? "yes" : "no", tone: applies ? .plain : .muted),
                .text(obligation.string("justification")),
            ]
        }
        func table(_ id: String, _ title: String, _ columns: [(String, String)], _ rows: [[Cell]]) -> ReportTable {
            ReportTable(id: id, title: title, columns: columns.map { ReportColumn($0.0, $0.1) }, rows: rows)
        }
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                The registers behind the chain, as recorded: every risk acceptance with who approved it, when and why; every \
                exception with who asked and who approved; suppliers with their assurance and next review; assets in and \
                out of scope; obligations and whether they apply. People are shown by their name in the roster. Who \
                committed each approval, and with what signature, is in the decision log (in git).
                """
                    + (approvingCommits == nil
                        ? ""
                        : " The approving commit of an acceptance is the commit that set its approved_by "
                            + "(short id and the author's day), from the git history; \"not committed\" when the approver is not in a commit yet.")
                        ,
            summary: [
                SummaryItem("acceptances", "Risk acceptances", .integer(acceptances.count)),
                SummaryItem("exceptions", "Exceptions", .integer(exceptions.count)),
                SummaryItem("suppliers", "Suppliers", .integer(suppliers.count)),
                SummaryItem("assets", "Assets", .integer(assets.count)),
                SummaryItem("obligations", "Obligations", .integer(obligations.count)),
            ],
            tables: [
                table(
                    "acceptances", "Risk acceptances",
                    [
                        ("risk", "Risk"), ("title", "Title"), ("owner", "Owner"), ("approved_by", "Approved by"),
                        ("approved_on", "Approved on"), ("expires", "Expires"), ("rationale", "Rationale"),
                    ]
                        + (approvingCommits == nil ? [] : [("approving_commit", "Approving commit")]), acceptances),
                table(
                    "exceptions", "Exceptions",
                    [
                        ("exception", "Exception"), ("title", "Title"), ("excepts", "Excepts"), ("reason", "Reason"),
                        ("requested_by", "Requested by"), ("approved_by", "Approved by"), ("approved_on", "Approved on"),
                        ("expires", "Expires"), ("status", "Status"), ("compensating", "Compensating"),
                    ], exceptions),
                table(
                    "suppliers", "Suppliers",
                    [
                        ("supplier", "Supplier"), ("title", "Title"), ("owner", "Owner"), ("criticality", "Criticality"),
                        ("services", "Services"), ("assurance", "Assurance"), ("review_due", "Review due"),
                    ], suppliers),
                table(
                    "assets", "Assets",
                    [
                        ("asset", "Asset"), ("title", "Title"), ("owner", "Owner"), ("in_scope", "In scope"),
                        ("exclusion_reason", "Why out of scope"), ("suppliers", "Suppliers"),
                    ], assets),
                table(
                    "obligations", "Obligations",
                    [
                        ("obligation", "Obligation"), ("source", "Source"), ("ref", "Reference"), ("title", "Title"),
                        ("owner", "Owner"), ("applies", "Applies"), ("justification", "Why not"),
                    ], obligations),
            ]
        )
    }
}
