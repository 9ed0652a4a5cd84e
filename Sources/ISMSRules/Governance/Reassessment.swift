import Foundation
import ISMSHistory
import ISMSModel

/// A risk that a material change to a record it depends on asks to be reassessed, and that was not (issue 15):
/// the article's test that a hosting change "leaves a trace" through the risks it touches.
package struct PendingReassessment {
    package let risk: Record
    /// The record that changed materially and its material fields that changed.
    package let changed: String
    package let fields: [String]
    /// The commit of the change; nil for a change not committed yet (the work tree, `--staged`), dated the day judged.
    package let commit: CommitInfo?
    package let day: Day

    /// `SUP-1's hosting changed in commit 1a2b3c4d5e (Bob Example, 2026-02-01)`.
    package var what: String {
        "\(changed)'s \(fields.joined(separator: ", ")) changed "
            + (commit.map { "in commit \($0.reference)" } ?? "in an uncommitted change")
    }
}

package enum Reassessment {
    /// The records a risk depends on: the assets it lists, their suppliers and the supplier it transfers to, the
    /// controls it lists and the obligations those controls satisfy. Every risk also depends on the ISMS-level
    /// settings of `material_fields.isms` (`latestSettingsChange`).
    package static func linked(_ risk: Record, in context: RuleContext) -> [String] {
        var ids = [String]()
        let assets = risk.list("assets").map(\.value)
        ids += assets
        for asset in assets { ids += context.record(asset)?.list("suppliers").map(\.value) ?? [] }
        if let to = risk.string("transfer.to"), context.record(to)?.kind == .supplier { ids.append(to) }
        let controls = risk.list("controls").map(\.value)
        ids += controls
        for control in controls { ids += context.record(control)?.list("satisfies").map(\.value) ?? [] }
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    /// Whether a change of `field` to `new` is material for a record of `kind`: a control's status only when it
    /// becomes `retired`.
    package static func isMaterial(_ field: String, new: FieldValue?, kind: RecordKind, config: Config) -> Bool {
        guard (config.materialFields[kind] ?? []).contains(where: { field == $0 || field.hasPrefix($0 + ".") }) else { return false }
        if kind == .control, field == "status" { return new?.text == "retired" }
        return true
    }

    /// The latest material change of `record`: an uncommitted one (dated `asOf`) first, else the newest commit's.
    package static func latestChange(of record: Record, context: RuleContext, governance: GovernanceContext) -> (
        fields: [String], commit: CommitInfo?, day: Day
    )? {
        let config = context.config
        if let uncommitted = governance.uncommittedFields(of: record) {
            let material = uncommitted.filter { field in
                isMaterial(field, new: record.fields[field]?.value, kind: record.kind, config: config)
            }
            if !material.isEmpty { return (material.sorted(), nil, context.asOf) }
        }
        func materialFields(_ entry: HistoryEntry) -> [String] {
            guard entry.event == .modified || entry.event == .moved || entry.event == .idChanged else { return [] }
            return entry.changes.filter { isMaterial($0.field, new: $0.new, kind: record.kind, config: config) }.map(\.field)
        }
        // Only as much of the record's history as the newest material change is decoded, and only once per tip.
        guard let change = governance.newestMaterialChange(of: record.id, kind: record.kind, config: config, material: materialFields)
        else { return nil }
        return (change.fields, change.commit, change.commit.author.day)
    }

    /// Whether `risk` was reassessed after a change made in `commit` (nil: not committed) on `day`: a commit
    /// that can see the change (the same one, or a later one on its line) set `review.last` to `day` or after, or
    /// changed a decision field; for an uncommitted change, such an uncommitted edit of the risk.
    package static func reassessed(_ risk: Record, after commit: CommitInfo?, day: Day, context: RuleContext, governance: GovernanceContext)
        -> Bool
    {
        let config = context.config
        if let pending = governance.uncommittedFields(of: risk) {
            if pending.contains(where: { config.isDecision($0, of: .risk) }) { return true }
            if pending.contains("review.last"), let last = risk.date("review.last"), last >= day { return true }
        } else {
            // A risk not committed yet is assessed now.
            return true
        }
        guard let commit else { return false }
        // Only the entries that can see the change (newer than it in the history's order) are decoded, and only once
        // per tip.
        return governance.reassessedInHistory(risk.id, after: commit.id, day: day, config: config) { entry in
            entry.changes.contains { change in
                if config.isDecision(change.field, of: .risk) && change.field != "review.last" { return true }
                if change.field == "review.last", case .date(let last)? = change.new, last >= day { return true }
                return false
            }
        }
    }

    /// Every risk not reassessed after the latest material change of a record it depends on. Computed once per
    /// context: `reassessment-due` and `reassessment-overdue` both ask.
    package static func pending(_ context: RuleContext) -> [PendingReassessment] {
        context.pendingReassessments.value { computePending(context) }
    }

    /// How a finding names the ISMS itself when one of its `material_fields.isms` settings changed.
    package static let ismsSettings = SettingEntry.path

    /// The latest material change of the ISMS-level settings every risk depends on (`material_fields.isms`, by
    /// default the scope): an uncommitted one first (the checked isms.yaml, from the work tree or the index, against
    /// the revision's own, read from git), dated `asOf`; else the commit that set, or removed, the current value.
    package static func latestSettingsChange(context: RuleContext, governance: GovernanceContext) -> (
        fields: [String], commit: CommitInfo?, day: Day
    )? {
        let settings = context.config.materialSettings
        guard !settings.isEmpty else { return nil }
        func material(_ field: String) -> Bool { settings.contains { field == $0 || field.hasPrefix($0 + ".") } }
        let current = context.config.decisionValues.filter { material($0.key) }
        let committed = governance.committedDecisionValues().filter { material($0.key) }
        let uncommitted = Set(current.keys).union(committed.keys).filter { current[$0] != committed[$0] }
        if !uncommitted.isEmpty { return (uncommitted.sorted(), nil, context.asOf) }
        // When no commit but the one that created isms.yaml changed it, nothing changed the scope it defined (below).
        // The commits that change the file are kept per tip, so this spares reading the settings log on every run.
        guard governance.commitsChanging(SettingEntry.path).count > 1 else { return nil }
        let log = governance.settingsLog()
        let decided = log.decisions.filter { material($0.key) }
        guard !decided.isEmpty else { return nil }
        // The log's entries are newest first: the first that set one of them is the latest change. The commit that
        // created isms.yaml defines the scope rather than changing it: the risks beside it (even older ones, when an
        // ISMS is set up over records already written) were assessed against that scope.
        for entry in log.entries {
            let fields = decided.filter { $0.value.commit.id == entry.commit.id }.map(\.key)
            if !fields.isEmpty { return entry.createsFile ? nil : (fields.sorted(), entry.commit, entry.commit.author.day) }
        }
        return nil
    }

    private static func computePending(_ context: RuleContext) -> [PendingReassessment] {
        guard let governance = context.governance else { return [] }
        var changes = [String: (fields: [String], commit: CommitInfo?, day: Day)?]()
        var result = [PendingReassessment]()
        // Every risk depends on the scope (issue 15): a change of it asks each to be looked at again.
        if !context.records(.risk).isEmpty, let change = latestSettingsChange(context: context, governance: governance) {
            for risk in context.records(.risk)
            where !reassessed(risk, after: change.commit, day: change.day, context: context, governance: governance) {
                result.append(
                    PendingReassessment(risk: risk, changed: ismsSettings, fields: change.fields, commit: change.commit, day: change.day))
            }
        }
        for risk in context.records(.risk) {
            for id in linked(risk, in: context) {
                guard let record = context.record(id) else { continue }
                let change: (fields: [String], commit: CommitInfo?, day: Day)?
                if let known = changes[id] {
                    change = known
                } else {
                    change = latestChange(of: record, context: context, governance: governance)
                    changes[id] = .some(change)
                }
                guard let change, !reassessed(risk, after: change.commit, day: change.day, context: context, governance: governance) else {
                    continue
                }
                result.append(PendingReassessment(risk: risk, changed: id, fields: change.fields, commit: change.commit, day: change.day))
            }
        }
        return result
    }
}
