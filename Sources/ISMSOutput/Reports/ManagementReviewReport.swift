import GitKit
import ISMSHistory
import ISMSModel
import ISMSRules

/// What changed in the ISMS over a period, read from the git history: record changes and isms.yaml setting
/// changes, each with its commit (author, date). Built by `Workspace.reviewHistory`.
public struct ReviewHistory: Sendable {
    /// Record changes in the period, newest first.
    public var entries: [HistoryEntry]
    /// Changes of the ISMS decisions of isms.yaml (scope, context, name) in the period, oldest first.
    public var settings: [SettingsChange]
    /// How the period was chosen, for the introduction: "since MR-3 (2026-03-10)", "since 2026-01-01".
    public var period: String

    public init(entries: [HistoryEntry], settings: [SettingsChange], period: String) {
        self.entries = entries
        self.settings = settings
        self.period = period
    }
}

/// The management review pack (ISO/IEC 27001:2022 9.3.2): every input the review must consider, assembled
/// from the records and, in a git repository, from the history since the last review — each change with who
/// made it. The reviewers start from facts; the review record then links the decisions they took.
public enum ManagementReviewReport {
    public static let kind = "management-review"
    public static let title = "Management review pack"

    /// The inputs of 9.3.2, in the standard's order: the `input` column of the table.
    package static let inputs: [(key: String, label: String)] = [
        ("a", "a) Status of actions from previous management reviews"),
        ("b", "b) Changes in external and internal issues (scope, context, assets)"),
        ("c", "c) Changes in needs and expectations of interested parties (parties, obligations, suppliers)"),
        ("d", "d) Performance: nonconformities and corrective actions, monitoring and measurement, audits, objectives"),
        ("e", "e) Feedback from interested parties"),
        ("f", "f) Results of risk assessment and status of the risk treatment plan"),
        ("g", "g) Opportunities for continual improvement"),
    ]

    /// The period a pack covers by default: after the newest review held on or before `asOf`.
    public static func defaultSince(_ isms: ISMS, asOf: Day) -> (since: Day?, period: String) {
        guard let (review, day) = isms.lastManagementReview(asOf: asOf) else {
            return (nil, "since the ISMS began (no review is recorded)")
        }
        return (day.adding(days: 1), "since the last review, \(review.id) on \(day)")
    }

    /// The pack from the records alone (outside git): the history's inputs are left out.
    public static func build(_ isms: ISMS, asOf: Day) -> ReportDocument {
        let (since, period) = defaultSince(isms, asOf: asOf)
        return build(isms, history: nil, since: since, period: period, asOf: asOf)
    }

    /// `period` says how the period was chosen ("since 2026-07-01"); the history's own when it is given.
    public static func build(_ isms: ISMS, history: ReviewHistory?, since: Day?, period: String? = nil, asOf: Day) -> ReportDocument {
        var rows = [[Cell]]()
        var counts = [String: Int]()
        func row(
            _ input: String, _ subject: String?, _ what: String, status: String? = nil, tone: Tone = .plain,
            commit: CommitInfo? = nil, day: Day? = nil, who: Cell? = nil
        ) {
            counts[input, default: 0] += 1
            rows.append([
                .text(input), .text(subject), .text(what), .text(status, tone: tone),
                who ?? .text(commit?.author.name), .text(commit.map { $0.author.day.description } ?? day?.description),
                .text(commit?.id.short),
            ])
        }
        func inPeriod(_ day: Day?) -> Bool { guard let day else { return false }; return (since.map { day >= $0 } ?? true) && day <= asOf }
        let entries = history?.entries.filter { $0.commit.author.day <= asOf } ?? []
        func changes(of kinds: [RecordKind], _ input: String) {
            // Oldest first, so a record created then changed reads in order.
            for entry in entries.reversed() where kinds.contains(entry.kind) {
                row(input, entry.record, describe(entry), status: entry.event.rawValue, commit: entry.commit)
            }
        }

        // a) Actions of previous reviews.
        for review in isms.records(of: .managementReview).filter({ ($0.date("date") ?? asOf) <= asOf })
            .sorted(by: { ($0.date("date") ?? asOf, $0.id) < ($1.date("date") ?? asOf, $1.id) })
        {
            for action in review.actions {
                let (status, tone): (String, Tone)
                if let done = action.doneOn {
                    (status, tone) = ("done \(done)", .good)
                } else if let due = action.due, due < asOf {
                    (status, tone) = ("overdue since \(due)", .bad)
                } else {
                    (status, tone) = ("open, due \(action.due?.description ?? "—")", .warning)
                }
                let link = action.link.map { " → \($0)" } ?? ""
                row(
                    "a", "\(review.id) \(action.name)", (action.text ?? "") + link,
                    status: status, tone: tone,
                    day: review.date("date"), who: .person(action.owner, in: isms.config))
            }
        }
        // b) Scope and context (isms.yaml), assets.
        for change in history?.settings ?? [] where change.commit.author.day <= asOf {
            for field in change.fields where !Config.isPolicy(SettingsSnapshot.setting(of: field)) && !field.hasPrefix("soa_exclusions") {
                let old = change.old[field].map { "\($0) → " } ?? ""
                row("b", "isms.yaml " + field, old + (change.new[field] ?? "(removed)"), status: "changed", commit: change.commit)
            }
        }
        changes(of: [.asset], "b")
        // c) Interested parties, obligations, suppliers.
        changes(of: [.party, .obligation, .supplier], "c")
        // d) Nonconformities, monitoring, audits, objectives.
        for nc in isms.records(of: .nonconformity) {
            let raised = nc.date("raised_on"), closed = nc.date("closed_on")
            if inPeriod(raised) {
                row(
                    "d", nc.id, "raised: \(nc.title) (\(nc.string("type") ?? "nonconformity"))", status: nc.isClosed ? "closed" : "open",
                    day: raised)
            }
            if nc.isClosed, inPeriod(closed) {
                row(
                    "d", nc.id, "closed: \(nc.title); effectiveness \(nc.string("effectiveness.result") ?? "not checked")",
                    status: "closed", tone: nc.string("effectiveness.result") == "effective" ? .good : .warning, day: closed)
            }
            for action in nc.actions where action.doneOn == nil {
                guard let due = action.due, due < asOf else { continue }
                row(
                    "d", "\(nc.id) \(action.name)", "corrective action overdue: \(action.text ?? "")", status: "overdue since \(due)",
                    tone: .bad)
            }
        }
        let evidence = isms.records(of: .evidence).filter { $0.string("control") != nil && inPeriod($0.date("collected_on")) }
        let failed = evidence.filter { $0.string("result") == "fail" }
        row(
            "d", nil, "evidence collected in the period: \(evidence.count), failed: \(failed.count)",
            status: failed.isEmpty ? "ok" : "failures",
            tone: failed.isEmpty ? .good : .bad)
        for record in failed {
            row(
                "d", record.id, "failed evidence of \(record.string("control") ?? "")", status: "fail", tone: .bad,
                day: record.date("collected_on"))
        }
        for control in isms.records(of: .control) {
            let freshness = EvidenceFreshness(control: control, in: isms, asOf: asOf)
            guard [.stale, .missing, .failed].contains(freshness.status) else { continue }
            row("d", control.id, "evidence gap: \(control.title)", status: freshness.status.rawValue, tone: freshness.status.tone)
        }
        for audit in isms.records(of: .audit) where audit.isPerformedAudit && inPeriod(audit.date("performed_on")) {
            let ncs = audit.list("nonconformities").map(\.value)
            row(
                "d", audit.id, "audit performed: \(audit.title); nonconformities: \(ncs.isEmpty ? "none" : ncs.joined(separator: ", "))",
                status: "performed", day: audit.date("performed_on"))
        }
        let measurements = isms.measurementsByObjective(asOf: asOf)
        for objective in isms.records(of: .objective) {
            let target = ObjectiveTarget(objective)
            guard let newest = newestEvidence(measurements[objective.id] ?? []), let text = newest.record.string("value"),
                let value = DecimalNumber.parse(text)
            else {
                row("d", objective.id, "objective \(objective.title): not measured", status: "unmeasured", tone: .warning)
                continue
            }
            let met = target?.isMet(by: value)
            let due = objective.date("due")
            let status = met.map { $0 ? "met" : (due.map { $0 < asOf } ?? false) ? "missed" : "not met yet" } ?? "no target"
            row(
                "d", objective.id,
                "objective \(objective.title): \(text) on \(newest.collected), target \(target?.text ?? "—")"
                    + (due.map { " by \($0)" } ?? ""), status: status, tone: status == "met" ? .good : status == "missed" ? .bad : .warning)
        }
        // e) Feedback from interested parties: complaints.
        for nc in isms.records(of: .nonconformity)
        where nc.string("source.type") == "complaint" && (inPeriod(nc.date("raised_on")) || !nc.isClosed) {
            row("e", nc.id, "complaint: \(nc.title)", status: nc.isClosed ? "closed" : "open", day: nc.date("raised_on"))
        }
        // f) Risks: changes, acceptances, the treatment plan.
        changes(of: [.risk], "f")
        for risk in isms.records(of: .risk) where risk.string("treatment") == "accept" {
            guard let expires = risk.date("acceptance.expires") else { continue }
            if expires < asOf {
                row("f", risk.id, "acceptance expired: \(risk.title)", status: "expired \(expires)", tone: .bad)
            } else if inPeriod(risk.date("acceptance.approved_on")) {
                row("f", risk.id, "accepted: \(risk.title)", status: "until \(expires)", day: risk.date("acceptance.approved_on"))
            }
        }
        let planned = isms.records(of: .control).filter { $0.string("status") == "planned" }
        let risks = isms.records(of: .risk).count
        row(
            "f", nil,
            "treatment plan: \(risks) risk\(risks == 1 ? "" : "s"), \(planned.count) control\(planned.count == 1 ? "" : "s") still planned"
                + (planned.isEmpty ? "" : " (\(planned.map(\.id).joined(separator: ", ")))"),
            status: planned.isEmpty ? "complete" : "in progress",
            tone: planned.isEmpty ? .good : .warning)
        // g) Open opportunities.
        for nc in isms.records(of: .nonconformity) where nc.string("type") == "opportunity" && !nc.isClosed {
            row("g", nc.id, "opportunity: \(nc.title)", status: "open")
        }
        for input in inputs where counts[input.key] == nil { row(input.key, nil, "nothing recorded", status: "—", tone: .muted) }
        let order = Dictionary(uniqueKeysWithValues: inputs.enumerated().map { ($1.key, $0) })
        // Stable by input, keeping each input's rows in the order they were found.
        let sorted = rows.enumerated().sorted {
            (order[$0.element[0].value.text] ?? 9, $0.offset) < (order[$1.element[0].value.text] ?? 9, $1.offset)
        }.map(\.element)
        let period = history?.period ?? period ?? defaultSince(isms, asOf: asOf).period
        return ReportDocument(
            kind: kind, title: title, ismsName: isms.config.name, asOf: asOf,
            introduction: """
                The inputs of ISO/IEC 27001:2022 9.3.2 (a–g) \(period), assembled from the records\
                \(history == nil ? " (outside a git repository: what changed, and who changed it, is not shown)" : " and the git history, each change with its author and commit"). \
                Input a lists every action of the recorded reviews; b, c and f the changes of scope and context, interested \
                parties, obligations, suppliers and risks; d the nonconformities, evidence, audits and objectives of the period.
                """,
            summary: [
                SummaryItem("since", "Period from", .optional(since?.description)),
                SummaryItem("changes", "Record changes in the period", .integer(entries.count)),
            ]
                + inputs.map { input in
                    SummaryItem(
                        "input_\(input.key)", input.label,
                        .integer(rows.filter { $0[0].value.text == input.key && $0[3].value.text != "—" }.count))
                },
            tables: [
                ReportTable(
                    id: "inputs", title: "Inputs",
                    columns: [
                        ReportColumn("input", "Input"), ReportColumn("subject", "Subject"), ReportColumn("what", "What"),
                        ReportColumn("status", "Status"), ReportColumn("author", "Who"), ReportColumn("date", "When"),
                        ReportColumn("commit", "Commit"),
                    ],
                    rows: sorted)
            ])
    }

    /// A history entry in a few words: `created: Title`, `treatment: reduce → accept; controls`.
    package static func describe(_ entry: HistoryEntry) -> String {
        switch entry.event {
        case .created, .restored, .boundary:
            return (entry.changes.first { $0.field == "title" }?.new?.text).map { "\(entry.event.rawValue): \($0)" } ?? entry.event.rawValue
        case .deleted: return "deleted"
        case .moved, .idChanged, .modified:
            let fields = entry.changes.prefix(6).map { change -> String in
                guard !change.isList, let old = change.old?.text, let new = change.new?.text, old.count + new.count < 80 else {
                    return change.field
                }
                return "\(change.field): \(old) → \(new)"
            }
            let more = entry.changes.count > 6 ? "; and \(entry.changes.count - 6) more" : ""
            return fields.isEmpty ? entry.event.rawValue : fields.joined(separator: "; ") + more
        }
    }
}

extension Workspace {
    /// The record and isms.yaml changes of HEAD's history in a period: from `since` (a day), or after the
    /// revision `sinceRevision` (its ancestors excluded).
    public func reviewHistory(since: Day?, sinceRevision: String?, period: String) throws(ToolError) -> ReviewHistory {
        let (repository, prefix) = try requireRepository()
        let history = try historyEngine().load(HistoryOptions())
        var range = history.range(excludingAncestorsOf: nil)
        var entries = history.log(HistoryFilter(since: since, until: nil))
        if let sinceRevision {
            let base: ObjectID
            do { base = try repository.resolveCommit(sinceRevision) } catch { throw .revision(sinceRevision, error, in: repository) }
            range = history.range(excludingAncestorsOf: base)
            let kept = Set(range.map { $0.info.id })
            entries = history.log().filter { kept.contains($0.commit.id) }
        } else if let since {
            range = range.filter { $0.info.author.day >= since }
        }
        let settings: [SettingsChange]
        do {
            // Only ISMS decisions: scope, context, name. Policy changes are the decision log's and isms diff's.
            settings = try SettingsHistory(repository: repository, prefix: prefix).changes(in: range)
        } catch {
            throw .git("reading the settings for the management review: \(error)", cause: error as? GitError)
        }
        return ReviewHistory(entries: entries, settings: settings, period: period)
    }
}
