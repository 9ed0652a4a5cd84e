import GitKit
import ISMSModel

/// A risk or supplier with no review cycle.
public struct MissingReviewCycleRule: Rule {
    public init() {}

    public static let definition = RuleDescription(
        id: "missing-review-cycle",
        severity: .warning,
        summary: "A risk or a supplier with no review (review.every), in an ISMS where another has one.",
        rationale: """
            Risks are reassessed at planned intervals (8.2), and suppliers' services monitored and reviewed (A.5.22). \
            Without review.every nothing says when a risk or a supplier is due, so overdue-review can never report it: it \
            is simply never looked at again. Like soa-gap, the rule applies once the ISMS uses review cycles: as soon as \
            one risk or supplier has a review, every other must have one too.
            """,
        fix: "Add review: {last: <date>, every: <cadence>}.",
        failing: RuleExample([
            ("risks/risk-1.yaml", "id: RISK-1\ntitle: Office flood\nowner: alice\ntreatment: avoid\n"),
            exampleRisk("treatment: avoid\n", id: "RISK-2", title: "Laptop theft"),
        ]),
        passing: RuleExample([exampleRisk("treatment: avoid\n"), exampleRisk("treatment: avoid\n", id: "RISK-2", title: "Laptop theft")])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let records = context.records(.risk) + context.records(.supplier)
        // A register that never states a review cycle is not held to one (as soa-gap and Annex A).
        guard records.contains(where: { $0.isWritten("review") }) else { return [] }
        return records.compactMap { record in
            // A review without every is missing-field's finding.
            guard !record.isWritten("review") else { return nil }
            return finding("\(record.kind.rawValue) \(record.id) (\(record.title)) has no review cycle", in: record)
        }
    }
}
