import GitKit
import ISMSModel

/// An owner, approver or collector who is not on the roster.
public struct UnknownPersonRule: Rule {
    public init() {}
    /// The fields that name a person (each kind has only some of them).
    package static let personFields = ["owner", "acceptance.approved_by", "approved_by", "collected_by", "effectiveness.checked_by"]
    /// List fields of people (a management review's attendees).
    package static let personLists = ["attendees", "top_management"]

    public static let definition = RuleDescription(
        id: "unknown-person",
        severity: .error,
        summary: "An owner, approved_by or collected_by that is not a key of people in isms.yaml.",
        rationale: """
            Who runs a control, who accepted a risk and who collected the proof are questions an auditor asks \
            of named people. When isms.yaml has a roster, every such name must be one of its keys, so that a \
            typo, a departed colleague or a personal email address does not leave a record without a \
            responsible person. The same holds for the owner of each action of a nonconformity or management \
            review, who checked a nonconformity's effectiveness, and a review's attendees. Without a roster the \
            names are free text and this rule is silent.
            """,
        fix: "Use the roster key (the message suggests the closest one), or add the person to people in isms.yaml.",
        failing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: Alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            )
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let people = context.config.people
        guard !people.isEmpty else { return [] }
        let keys = people.keys.sorted()
        return context.isms.records.flatMap { record in
            let actionOwners = record.entryNames("actions").map { "actions.\($0).owner" }
            let named =
                (Self.personFields + actionOwners).compactMap { field in
                    record.string(field).map { (field, $0, record.location(of: field)) }
                }
                + Self.personLists.flatMap { field in record.list(field).map { (field, $0.value, $0.location) } }
            return named.compactMap { field, name, location -> Finding? in
                guard people[name] == nil else { return nil }
                var message = "\(field) '\(name)' of \(record.id) is not in people"
                if let key = keys.first(where: { people[$0]?.email?.lowercased() == name.lowercased() }) {
                    message += "; it is the email of '\(key)', use the roster key '\(key)'"
                } else if let suggestion = closest(to: name, in: keys) {
                    message += "; did you mean '\(suggestion)'?"
                }
                return finding(message, in: record, field: field, at: location)
            }
        }
    }
}
