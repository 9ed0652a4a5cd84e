import GitKit
import ISMSModel

/// A nonconformity with corrective actions but no root cause.
public struct MissingRootCauseRule: Rule {
    public init() {}
    package static let nc =
        "id: NC-1\ntitle: Leaver accounts left active\nowner: alice\nsource: {type: audit}\ntype: minor\nactions:\n  CA-1: {action: Deprovision from the HR system, owner: bob, due: 2027-01-31}\n"
    public static let definition = RuleDescription(
        id: "missing-root-cause",
        severity: .warning,
        summary: "A nonconformity with corrective actions but no root_cause.",
        rationale: """
            ISO 27001 10.2 b) asks to determine the causes of a nonconformity before acting on them: a corrective \
            action without a stated cause treats the symptom, which an auditor reads as correction, not correction \
            of the cause.
            """,
        fix: "Record root_cause: why the nonconformity happened, and check that the actions address it.",
        failing: RuleExample([("nonconformities/nc-1.yaml", nc)]),
        passing: RuleExample([("nonconformities/nc-1.yaml", nc + "root_cause: The HR leaver form did not reach IT.\n")])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.nonconformity).compactMap { nc in
            guard !nc.entryNames("actions").isEmpty, nc.string("root_cause") == nil, !nc.rejected.contains("root_cause") else { return nil }
            return finding("nonconformity \(nc.id) (\(nc.title)) has corrective actions but no root_cause", in: nc, field: "actions")
        }
    }
}
