import Foundation
import GitKit
import ISMSCore
import ISMSHistory
import ISMSLoading
import ISMSModel
import ISMSRules

/// `isms trail ID`: the article's test as a command. For each material change to a record: who made it, when and
/// with which signature; each linked risk, whether and how it was reassessed; the other records changed by the
/// same commits or by commits that cite the change; and what is still open (docs/cli.md).
public struct TrailReport: Sendable {
    public let record: String
    /// The record's kind; `isms` for isms.yaml, whose ISMS-level material settings (`material_fields.isms`, the
    /// scope) every risk depends on.
    public let kind: String
    /// Oldest first.
    public let changes: [TrailChange]
}

public struct TrailCommit: Sendable {
    public let commit: CommitInfo
    public let signature: SignatureVerdict
    /// The signature as history shows it (`✓carol`, `-`).
    public let mark: String
}

public struct TrailChange: Sendable {
    public let made: TrailCommit
    /// The material fields changed, old → new.
    public let fields: [FieldChange]
    public let risks: [TrailRisk]
    public let related: [TrailRelated]
    /// The ids of the linked risks not reassessed yet.
    public var open: [String] { risks.filter { $0.reassessment == nil }.map(\.id) }
}

public struct TrailRisk: Sendable {
    public let id: String
    public let reassessment: TrailReassessment?
}

public struct TrailReassessment: Sendable {
    public let made: TrailCommit
    /// The decision fields it changed (empty: the decision stands, confirmed by the review).
    public let decisions: [FieldChange]
    /// `review.last`, `review.evidence` and `review.note` as the reassessment set them (nil, empty: it left them as they were).
    public let reviewed: String?
    public let evidence: [String]
    public let note: String?
}

public struct TrailRelated: Sendable {
    public let record: String
    public let made: TrailCommit
    public let fields: [String]
    /// `same commit`, `reassessment` (changed with a risk's reassessment) or `cites the change`.
    public let why: String
}

extension Workspace {
    /// The trail of `id` at `revision` (default HEAD), for changes since `since` (a day, or a revision whose
    /// ancestors are left out). Signatures are verified with the keys trusted at `revision`. `isms.yaml` is the
    /// trail of the ISMS-level material settings (the scope), to which every risk is linked.
    public func trail(
        _ id: String, since: String?, revision: String = "HEAD", useCache: Bool = true,
        notes: inout [String]
    ) throws(ToolError) -> TrailReport {
        let (repository, _) = try requireRepository()
        let source = try self.source(at: revision)
        let loaded = try Loader.load(from: source)
        let config = loaded.isms.config
        guard
            let governance = try governance(
                at: revision, trustRef: revision, config: config, useCache: useCache, notes: &notes, always: true)
        else {
            throw .invalidArgument("\(revision) has no history to read a trail from")
        }
        let context = RuleContext(isms: loaded.isms, asOf: Day.today(), artifacts: source, governance: governance)
        let isSettings = id == SettingEntry.path
        let record = loaded.isms.record(id)
        guard isSettings || record != nil else {
            throw .unknownRecord(id, revision: revision, suggestion: nil)
        }
        var sinceDay: Day?, sinceCommit: ObjectID?
        if let since {
            if let day = Day(since) {
                sinceDay = day
            } else {
                do { sinceCommit = try repository.resolveCommit(since) } catch { throw .revision(since, error, in: repository) }
            }
        }
        func made(_ commit: CommitInfo) -> TrailCommit {
            let verdict = governance.signature(commit.id)
            return TrailCommit(commit: commit, signature: verdict, mark: SafeText.text(verdict.mark(people: config.people)))
        }
        // Every risk depends on the ISMS-level settings; a record, on the risks linked to it now.
        let risks = context.records(.risk).filter { isSettings || Reassessment.linked($0, in: context).contains(id) }
        let log = governance.log()
        // Oldest first: each commit's material fields. For isms.yaml, the changes of `material_fields.isms` as
        // the settings log credits them (merges as for records); the commit that created isms.yaml is the ISMS's
        // start, not a change of it, as a record's creation is not (the same test as reassessment-due's).
        var material = [(commit: CommitInfo, fields: [FieldChange])]()
        if isSettings {
            let settings = config.materialSettings
            let entries = governance.settingsLog().entries.reversed()
            for entry in entries where !entry.createsFile {
                let fields = entry.changes.filter { change in settings.contains { change.field == $0 || change.field.hasPrefix($0 + ".") } }
                if !fields.isEmpty { material.append((entry.commit, fields)) }
            }
        } else if let record {
            for entry in governance.entries(id).reversed() where entry.event == .modified || entry.event == .moved {
                let fields = entry.changes.filter { Reassessment.isMaterial($0.field, new: $0.new, kind: record.kind, config: config) }
                if !fields.isEmpty { material.append((entry.commit, fields)) }
            }
        }
        var changes = [TrailChange]()
        for (commit, fields) in material {
            if let sinceDay, commit.author.day < sinceDay { continue }
            if let sinceCommit, governance.isAncestor(commit.id, of: sinceCommit) { continue }
            let day = commit.author.day
            var trailRisks = [TrailRisk]()
            var reassessing = [ObjectID: CommitInfo]()
            for risk in risks {
                // The first commit, oldest first, that reassessed the risk after this change.
                let found = governance.entries(risk.id).reversed().first { candidate in
                    governance.isAncestor(commit.id, of: candidate.commit.id)
                        && candidate.changes.contains { change in
                            if change.field == "review.last", case .date(let last)? = change.new { return last >= day }
                            return config.isDecision(change.field, of: .risk)
                        }
                }
                guard let found else { trailRisks.append(TrailRisk(id: risk.id, reassessment: nil)); continue }
                reassessing[found.commit.id] = found.commit
                // What the reassessment itself set: a review left as it was cites nothing new.
                let value = { (field: String) in found.changes.first { $0.field == field }?.new }
                let evidence: [String]
                if case .list(let items)? = value("review.evidence") { evidence = items.map(\.text) } else { evidence = [] }
                trailRisks.append(
                    TrailRisk(
                        id: risk.id,
                        reassessment: TrailReassessment(
                            made: made(found.commit),
                            decisions: found.changes.filter { config.isDecision($0.field, of: .risk) && $0.field != "review.last" },
                            reviewed: value("review.last")?.text, evidence: evidence, note: value("review.note")?.text)))
            }
            let short = commit.id.short
            let riskIDs = Set(risks.map(\.id))
            var related = [TrailRelated]()
            for other in log.reversed() where other.record != id {
                let why: String
                if other.commit.id == commit.id {
                    why = "same commit"
                } else if reassessing[other.commit.id] != nil, !riskIDs.contains(other.record) {
                    why = "reassessment"
                } else if governance.isAncestor(commit.id, of: other.commit.id), other.commit.id != commit.id,
                    governance.message(other.commit.id).contains(short)
                        || other.changes.contains(where: { $0.field == "review.note" && ($0.new?.text.contains(short) ?? false) })
                {
                    why = "cites the change"
                } else {
                    continue
                }
                related.append(TrailRelated(record: other.record, made: made(other.commit), fields: other.changes.map(\.field), why: why))
            }
            changes.append(TrailChange(made: made(commit), fields: fields, risks: trailRisks, related: related))
        }
        return TrailReport(record: id, kind: record?.kind.rawValue ?? "isms", changes: changes)
    }
}

/// The three formats of `isms trail`. Every text a committer chose goes through `SafeText`. Adding a format: its case
/// here, whose rendering the exhaustive switch below then demands.
public enum TrailFormat: String, Sendable, CaseIterable {
    case text, markdown, json

    public func render(_ trail: TrailReport) -> String {
        switch self {
        case .text: return Self.text(trail)
        case .markdown: return Self.markdown(trail)
        case .json: return JSONOutput.encode(TrailJSON(trail)) + "\n"
        }
    }

    package static func who(_ made: TrailCommit, _ escape: (String) -> String) -> String {
        "\(made.commit.id.short) \(made.commit.author.day) \(escape(made.commit.author.name)) \(escape(made.mark))"
    }

    package static func value(_ value: FieldValue?) -> String { value.map { HistoryText.short($0.text, limit: 60) } ?? "(none)" }

    package static func text(_ trail: TrailReport) -> String {
        let e = SafeText.text
        var out =
            "\(e(trail.record)) (\(trail.kind)): \(trail.changes.count) material change\(trail.changes.count == 1 ? "" : "s")\n"
        for change in trail.changes {
            out += "\n\(who(change.made, e))  \(e(change.made.commit.summary))\n"
            for field in change.fields { out += "  \(e(field.field)): \(e(value(field.old))) → \(e(value(field.new)))\n" }
            for risk in change.risks {
                guard let r = risk.reassessment else { out += "  \(e(risk.id)): not reassessed\n"; continue }
                out += "  \(e(risk.id)): reassessed by \(who(r.made, e))  \(e(r.made.commit.summary))\n"
                out +=
                    "    decision: "
                    + (r.decisions.isEmpty
                        ? "unchanged"
                        : r.decisions.map { "\(e($0.field)) \(e(value($0.old))) → \(e(value($0.new)))" }.joined(separator: "; ")) + "\n"
                if let reviewed = r.reviewed { out += "    review.last: \(e(reviewed))\n" }
                if !r.evidence.isEmpty { out += "    evidence: \(r.evidence.map(e).joined(separator: ", "))\n" }
                if let note = r.note { out += "    note: \(e(HistoryText.short(note, limit: 200)))\n" }
            }
            for related in change.related {
                out +=
                    "  changed too: \(e(related.record)) (\(related.fields.map(e).joined(separator: ", "))) by \(who(related.made, e)), \(related.why)\n"
            }
            out += "  open: " + (change.open.isEmpty ? "nothing" : change.open.map(e).joined(separator: ", ")) + "\n"
        }
        return out
    }

    package static func markdown(_ trail: TrailReport) -> String {
        let m = SafeText.markdown, c = SafeText.markdownCode
        var out = "### Trail of \(m(trail.record)) (\(trail.kind))\n"
        if trail.changes.isEmpty { out += "\nNo material change.\n" }
        for change in trail.changes {
            out += "\n#### \(change.made.commit.id.short) \(change.made.commit.author.day): \(m(change.made.commit.summary))\n\n"
            out += "By \(m(change.made.commit.author.name)), signature \(m(change.made.mark)).\n\n"
            for field in change.fields { out += "- \(c(field.field)): \(m(value(field.old))) → \(m(value(field.new)))\n" }
            out += "\n| risk | reassessed | by | signature | decision | evidence | note |\n| --- | --- | --- | --- | --- | --- | --- |\n"
            for risk in change.risks {
                guard let r = risk.reassessment else { out += "| \(m(risk.id)) | no | | | | | |\n"; continue }
                let decision =
                    r.decisions.isEmpty
                    ? "unchanged" : r.decisions.map { "\(c($0.field)) \(m(value($0.old))) → \(m(value($0.new)))" }.joined(separator: "; ")
                out +=
                    "| \(m(risk.id)) | \(r.made.commit.author.day) (\(r.made.commit.id.short)) | \(m(r.made.commit.author.name)) | \(m(r.made.mark)) | "
                    + "\(decision) | \(r.evidence.map(m).joined(separator: ", ")) | \(m(r.note.map { HistoryText.short($0, limit: 200) } ?? "")) |\n"
            }
            if !change.related.isEmpty {
                out += "\nChanged too:\n\n"
                for related in change.related {
                    out +=
                        "- \(m(related.record)) (\(related.fields.map(c).joined(separator: ", "))) in \(related.made.commit.id.short) by "
                        + "\(m(related.made.commit.author.name)) \(m(related.made.mark)), \(related.why)\n"
                }
            }
            out += "\nOpen: " + (change.open.isEmpty ? "nothing" : change.open.map(m).joined(separator: ", ")) + "\n"
        }
        return out
    }
}

/// The JSON contract of `isms trail` (docs/cli.md).
package struct TrailJSON: Encodable {
    package let version = 1
    package let record: String
    package let kind: String
    package let changes: [Change]

    package init(_ trail: TrailReport) {
        record = trail.record
        kind = trail.kind
        changes = trail.changes.map(Change.init)
    }

    package struct Commit: Encodable {
        package let commit: String, author: HistoryJSON.Identity, summary: String, signature: SignatureVerdict
        package init(_ made: TrailCommit) {
            commit = made.commit.id.hex
            author = HistoryJSON.Identity(made.commit.author)
            summary = made.commit.summary
            signature = made.signature
        }
    }
    package struct Change: Encodable {
        package let commit: Commit
        package let fields: [HistoryJSON.Change]
        package let risks: [Risk]
        package let related: [Related]
        package let open: [String]
        package init(_ change: TrailChange) {
            commit = Commit(change.made)
            fields = change.fields.map(HistoryJSON.Change.init)
            risks = change.risks.map(Risk.init)
            related = change.related.map(Related.init)
            open = change.open
        }
    }
    package struct Risk: Encodable {
        package let id: String
        @NullEncoded package var reassessment: Reassessment?  // null when not reassessed
        package init(_ risk: TrailRisk) { id = risk.id; reassessment = risk.reassessment.map(Reassessment.init) }
    }
    package struct Reassessment: Encodable {
        package let commit: Commit
        package let decisions: [HistoryJSON.Change]
        @NullEncoded package var review_last: String?
        package let evidence: [String]
        @NullEncoded package var note: String?
        package init(_ r: TrailReassessment) {
            commit = Commit(r.made)
            decisions = r.decisions.map(HistoryJSON.Change.init)
            review_last = r.reviewed
            evidence = r.evidence
            note = r.note
        }
    }
    package struct Related: Encodable {
        package let record: String, commit: Commit, fields: [String], why: String
        package init(_ r: TrailRelated) { record = r.record; commit = Commit(r.made); fields = r.fields; why = r.why }
    }
}
