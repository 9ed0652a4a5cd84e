import GitKit
import ISMSHistory
import ISMSModel

/// A document whose text or front matter changed after the commit that set its current approval, with no new
/// approval: the text in force is not the text approved.
public struct UnapprovedDocumentChangeRule: Rule {
    public init() {}
    public static let history = HistoryUse.judgesCommits

    package static func policy(version: String, approvedOn: String, text: String) -> String {
        """
        ---
        id: DOC-1
        title: Access control policy
        owner: alice
        version: "\(version)"
        approved_by: carol
        approved_on: \(approvedOn)
        review: {last: \(approvedOn), every: yearly}
        ---
        # Access control policy

        \(text)

        """
    }
    package static let approved = policy(version: "1.0", approvedOn: "2026-01-12", text: "Access is granted on a need-to-know basis.")
    package static let edited = policy(version: "1.0", approvedOn: "2026-01-12", text: "Access is granted to all staff.")
    package static let reapproved = policy(version: "1.1", approvedOn: "2026-02-03", text: "Access is granted to all staff.")

    public static let definition = RuleDescription(
        id: "unapproved-document-change",
        severity: .error,
        summary:
            "A document's text or a front-matter field other than review changed after the commit that set its current approval, with no new approval (version and approved_on updated).",
        rationale: """
            Documented information must be approved for suitability and adequacy, and changes to it controlled \
            (clause 7.5.2 c and 7.5.3): the policy in force must be the policy approved. The approval in force is the \
            commit since which both version and approved_on stand (the one that set them together). Any later commit \
            that changes the text (the body after the front matter) or another front-matter field, review excepted, \
            is an unapproved change (a draft's first approved_on approves the version it names), and so is an uncommitted one (the work tree, --staged) that does not update both \
            version and approved_on. A change reverted afterwards still needs the approval confirmed, and removing the approved_on \
            of a document approved before is a change too. Documents that \
            never recorded an approved_on are drafts and are not judged.
            """,
        fix: """
            Have the approver approve the text as it stands: update version and approved_on (and approved_by) in one \
            commit, signed by the approver when require_signed_decisions is set; or revert the change.
            """,
        failing: RuleExample(commits: [
            ExampleCommit("carol", "2026-01-12", "Approve the access control policy 1.0", [("documents/doc-1.md", approved)]),
            ExampleCommit("bob", "2026-02-01", "Open access to all staff", [("documents/doc-1.md", edited)]),
        ]),
        passing: RuleExample(commits: [
            ExampleCommit("carol", "2026-01-12", "Approve the access control policy 1.0", [("documents/doc-1.md", approved)]),
            ExampleCommit("bob", "2026-02-01", "Open access to all staff", [("documents/doc-1.md", edited)]),
            ExampleCommit("carol", "2026-02-03", "Approve the access control policy 1.1", [("documents/doc-1.md", reapproved)]),
        ])
    )

    /// The fields an approval covers: all but the review cycle.
    package static func isApproved(_ field: String) -> Bool { field != "review" && !field.hasPrefix("review.") }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let governance = context.governance else { return [] }
        var findings = [Finding]()
        for document in context.records(.document) {
            guard let blame = governance.blame(document.id), !blame.isEmpty else { continue }
            guard document.date("approved_on") != nil else {
                // A draft now. One that was approved before had its approval withdrawn: that is a change to the
                // document too, or a pull request could strip approved_on and edit the text unjudged.
                if let finding = withdrawn(document, blame: blame, governance: governance) { findings.append(finding) }
                continue
            }
            // What the checked files hold that no commit has yet (the work tree, the index): a pending commit.
            let pending = Set(blame.keys).union(document.fields.keys).filter { document.fields[$0]?.value != blame[$0]?.value }
            if pending.contains("approved_on") && pending.contains("version") { continue }  // a new approval, to be committed
            // A committed draft approved in the work tree: its first approval, judged once committed.
            guard let approvedOn = blame["approved_on"]?.commit else { continue }
            let uncommitted = Schema.sortFields(pending.filter(Self.isApproved), kind: .document) { $0 }
            if !uncommitted.isEmpty {
                findings.append(
                    finding(
                        "\(listed(uncommitted)) of \(document.id) changed in an uncommitted change without a new approval "
                            + "(version \(document.string("version") ?? "?"), approved on \(document.date("approved_on")!)): "
                            + "update version and approved_on with it", in: document, field: uncommitted[0]))
            }
            // The approval in force: the commit since which both version and approved_on stand. A later approved_on
            // alone (a date moved, the version kept) approves nothing new; a first approved_on approves the version.
            var approval = approvedOn
            let entries = governance.entries(document.id)
            let firstApproval = entries.first { $0.commit.id == approvedOn.id }?.changes.first { $0.field == "approved_on" }?.old == nil
            if !firstApproval, let versioned = blame["version"]?.commit, versioned.id != approvedOn.id,
                governance.isAncestor(versioned.id, of: approvedOn.id)
            {
                approval = versioned
            }
            func covered(_ commit: CommitInfo) -> Bool { commit.id == approval.id || governance.isAncestor(commit.id, of: approval.id) }
            var byCommit = [(commit: CommitInfo, fields: [String])]()
            func add(_ field: String, _ commit: CommitInfo) {
                if let i = byCommit.firstIndex(where: { $0.commit.id == commit.id }) {
                    if !byCommit[i].fields.contains(field) { byCommit[i].fields.append(field) }
                } else {
                    byCommit.append((commit, [field]))
                }
            }
            // Each approved field whose committed value was set after the approval (approved_on itself excepted: a
            // later approved_on without a new version is judged through the fields since the version).
            for (field, line) in blame where Self.isApproved(field) && field != "approved_on" && !covered(line.commit) {
                add(field, line.commit)
            }
            // A field removed after the approval, still absent.
            var seen = Set<String>()
            for entry in entries {
                for change in entry.changes where seen.insert(change.field).inserted {
                    guard change.new == nil, change.old != nil, blame[change.field] == nil, Self.isApproved(change.field),
                        !covered(entry.commit)
                    else { continue }
                    add(change.field, entry.commit)
                }
            }
            let version = blame["version"]?.value.text ?? "?"
            for (commit, fields) in byCommit.sorted(by: { $0.commit.author.time < $1.commit.author.time }) {
                let names = Schema.sortFields(fields, kind: .document) { $0 }
                findings.append(
                    finding(
                        "\(listed(names)) of \(document.id) changed in commit \(commit.reference) after its approval in "
                            + "commit \(approval.reference) (version \(version)), without a new approval: update version "
                            + "and approved_on", in: document, field: document.fields[names[0]] != nil ? names[0] : nil))
            }
        }
        return findings
    }

    /// The finding for a document whose approved_on (a date once) was removed or emptied since, uncommitted or in
    /// the latest commit that touched it; nil for a document never approved, or one whose date is merely invalid
    /// (invalid-value says so).
    private func withdrawn(_ document: Record, blame: [String: GovernanceContext.FieldSetter], governance: GovernanceContext) -> Finding? {
        func isDate(_ value: FieldValue?) -> Bool { if case .date? = value { return true } else { return false } }
        func isUnset(_ value: FieldValue?) -> Bool {
            guard let value else { return true }
            if case .string(let text) = value { return text.trimmingCharacters(in: .whitespaces).isEmpty || text == "null" }
            return false
        }
        guard isUnset(document.fields["approved_on"]?.value) else { return nil }
        let fix = "a withdrawn approval leaves the changed text unapproved: update version and approved_on, or revert"
        if let line = blame["approved_on"], isDate(line.value) {
            return finding(
                "approved_on of \(document.id) removed in an uncommitted change (approved on \(line.value.text) in commit "
                    + "\(line.commit.reference)): \(fix)", in: document)
        }
        guard let entry = governance.entries(document.id).first(where: { $0.changes.contains { $0.field == "approved_on" } }),
            let change = entry.changes.first(where: { $0.field == "approved_on" }), isDate(change.old), !isDate(change.new)
        else { return nil }
        return finding(
            "approved_on of \(document.id) removed in commit \(entry.commit.reference) (approved on "
                + "\(change.old!.text) before): \(fix)", in: document)
    }
}
