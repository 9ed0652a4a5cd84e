import ISMSModel

/// Questions the operating-rhythm rules and reports ask of audits, nonconformities, reviews, objectives and
/// incidents, answered one way.

/// One action with a due date: a corrective action of a nonconformity, or an action of a management review.
package struct DatedAction {
    package let record: Record
    /// The entry's name (`CA-1`).
    package let name: String
    package var field: String { (record.kind == .nonconformity || record.kind == .managementReview ? "actions." : "") + name }
    package let text: String?
    package let owner: String?
    package let due: Day?
    package let doneOn: Day?
    package let link: String?
}

extension Record {
    /// The names of the entries of a named-entries field (`actions`), in name order with numbers compared as numbers
    /// (CA-2 before CA-10).
    package func entryNames(_ field: String) -> [String] {
        var names = Set<String>()
        let prefix = field + "."
        for key in fields.keys where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            if let dot = rest.firstIndex(of: ".") { names.insert(String(rest[..<dot])) }
        }
        return names.sorted(by: Finding.naturalLess)
    }

    /// The actions of a nonconformity or management review.
    package var actions: [DatedAction] {
        entryNames("actions").map { name in
            let base = "actions.\(name)."
            return DatedAction(
                record: self, name: name, text: string(base + "action"), owner: string(base + "owner"),
                due: date(base + "due"), doneOn: date(base + "done_on"), link: string(base + "link"))
        }
    }

    /// An audit counts as performed once its status says so or it has a performed_on date.
    package var isPerformedAudit: Bool {
        string("status") == "performed" || (date("performed_on") != nil && string("status") != "cancelled")
    }
    package var isClosed: Bool { string("status") == "closed" }
}

extension RuleContext {
    /// The measurements (evidence naming an objective) of each objective, dated on or before the as-of day.
    package func measurementsByObjective() -> [String: [Record]] { isms.measurementsByObjective(asOf: asOf) }
}

extension ISMS {
    package func measurementsByObjective(asOf: Day) -> [String: [Record]] {
        var groups = [String: [Record]]()
        for evidence in records(of: .evidence) {
            guard let objective = evidence.string("objective"), let day = evidence.date("collected_on"), day <= asOf else { continue }
            groups[objective, default: []].append(evidence)
        }
        return groups
    }

    /// The newest management review held on or before `asOf` (by date, then path).
    package func lastManagementReview(asOf: Day) -> (record: Record, date: Day)? {
        records(of: .managementReview).compactMap { r in r.date("date").flatMap { $0 <= asOf ? (r, $0) : nil } }
            .max { ($0.1, $0.0.path) < ($1.1, $1.0.path) }
    }
}

/// An objective's target and whether a value meets it.
package struct ObjectiveTarget {
    package let value: Double
    package let atMost: Bool
    package let text: String

    package init?(_ objective: Record) {
        guard let text = objective.string("target.value"), let value = DecimalNumber.parse(text),
            let comparison = objective.string("target.comparison")
        else { return nil }
        self.value = value
        atMost = comparison == "at-most"
        self.text = (atMost ? "at most " : "at least ") + text + (objective.string("target.unit").map { $0 == "%" ? "%" : " " + $0 } ?? "")
    }

    package func isMet(by measured: Double) -> Bool { atMost ? measured <= value : measured >= value }
}

/// The clauses 4 to 10 and Annex A themes an audit programme must cover, and what an audit's scope covers.
package enum AuditCoverage {
    package static let clauses = (4...10).map(String.init)

    /// The clause (`9`) a scope entry names (`9.2`, `Clause 9.2`, `9`), or nil.
    package static func clause(_ text: String) -> String? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        for prefix in ["Clause ", "clause ", "Cl. "] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count) }
        let head = rest.prefix { $0 != "." }
        guard let n = Int(head), (4...10).contains(n), rest.count == head.count || rest.dropFirst(head.count).first == "." else {
            return nil
        }
        return String(n)
    }

    /// The theme (`A.5`) an Annex A scope entry names: a theme itself (`A.5`) or one of its controls (`A.5.15`).
    package static func theme(_ text: String) -> String? {
        if let id = AnnexA.canonical(text), AnnexA.control(id) != nil {
            return String(id.split(separator: ".").prefix(2).joined(separator: "."))
        }
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.first == "A" || rest.first == "a" { rest = rest.dropFirst().drop { $0 == "." || $0 == " " } }
        guard let n = Int(rest), (5...8).contains(n) else { return nil }
        return "A.\(n)"
    }

    /// The clauses and themes the scope of `audit` covers; controls in scope add the themes they implement.
    package static func covered(by audit: Record, in isms: ISMS) -> Set<String> {
        var covered = Set(audit.list("scope.clauses").compactMap { clause($0.value) })
        covered.formUnion(audit.list("scope.annex_a").compactMap { theme($0.value) })
        for control in audit.list("scope.controls") {
            covered.formUnion(isms.record(control.value)?.list("annex_a").compactMap { theme($0.value) } ?? [])
        }
        return covered
    }

    /// The Annex A themes with at least one applicable control (one a control that is not retired implements).
    package static func applicableThemes(_ isms: ISMS) -> [String] {
        let coverage = AnnexACoverage(isms)
        return AnnexA.themes.filter { theme in theme.controls.contains { !coverage.activeImplementers($0.id).isEmpty } }
            .map { "A.\($0.clause)" }
    }

    /// The controls an audit's scope covers: those it lists, and those implementing the Annex A controls or themes it lists.
    package static func controlsInScope(_ audit: Record, in isms: ISMS) -> [Record] {
        var ids = Set(audit.list("scope.controls").map(\.value))
        let annex = audit.list("scope.annex_a").map(\.value)
        for control in isms.records(of: .control) where !control.isRetired {
            let implemented = control.list("annex_a").map(\.value)
            for entry in annex {
                if let id = AnnexA.canonical(entry), AnnexA.control(id) != nil {
                    if implemented.contains(where: { AnnexA.canonical($0) == id }) { ids.insert(control.id) }
                } else if let theme = theme(entry), implemented.contains(where: { Self.theme($0) == theme }) {
                    ids.insert(control.id)
                }
            }
        }
        return isms.records(of: .control).filter { ids.contains($0.id) }
    }
}

/// The notifications an incident owes, each with its deadline (NIS2 Art. 23(4), GDPR Art. 33(1)).
package enum NotificationDeadlines {
    package struct Due {
        /// The field under `notifications` (`nis2_early_warning`).
        package let name: String
        package let label: String
        package let deadline: Timestamp
        package let basis: String
        package let sentAt: Timestamp?
    }

    package static func owed(by incident: Record) -> [Due] {
        guard let detected = incident.string("detected_at").flatMap(Timestamp.init) else { return [] }
        func sent(_ name: String) -> Timestamp? { incident.string("notifications.\(name).sent_at").flatMap(Timestamp.init) }
        var owed = [Due]()
        if incident.boolean("nis2_significant") == true {
            owed.append(
                Due(
                    name: "nis2_early_warning", label: "NIS2 early warning", deadline: detected.adding(hours: 24),
                    basis: "24 hours after detection", sentAt: sent("nis2_early_warning")))
            let notificationDue = detected.adding(hours: 72)
            owed.append(
                Due(
                    name: "nis2_notification", label: "NIS2 incident notification", deadline: notificationDue,
                    basis: "72 hours after detection", sentAt: sent("nis2_notification")))
            // One month from the incident notification (Art. 23(4)(d)); from its deadline while it is not sent.
            let base = sent("nis2_notification") ?? notificationDue
            owed.append(
                Due(
                    name: "nis2_final_report", label: "NIS2 final report", deadline: base.addingMonth(),
                    basis: "one month after the incident notification", sentAt: sent("nis2_final_report")))
        }
        if incident.boolean("personal_data_breach") == true {
            owed.append(
                Due(
                    name: "gdpr_authority", label: "GDPR notification to the supervisory authority",
                    deadline: detected.adding(hours: 72), basis: "72 hours after detection", sentAt: sent("gdpr_authority")))
        }
        return owed
    }
}
