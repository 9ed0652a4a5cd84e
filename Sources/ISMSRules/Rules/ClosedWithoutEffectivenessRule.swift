import GitKit
import ISMSModel

/// A nonconformity closed without checking that its corrective actions worked.
public struct ClosedWithoutEffectivenessRule: Rule {
    public init() {}
    package static let nc =
        "id: NC-1\ntitle: Leaver accounts left active\nowner: alice\nsource: {type: audit}\ntype: minor\nroot_cause: No trigger from HR\nactions:\n  CA-1: {action: Deprovision from the HR system, owner: bob, due: 2026-09-30, done_on: 2026-09-12}\nstatus: closed\nclosed_on: 2026-11-02\n"
    public static let definition = RuleDescription(
        id: "closed-without-effectiveness",
        severity: .error,
        summary: "A major or minor nonconformity closed without an effectiveness check (checked_by, checked_on, result effective).",
        rationale: """
            ISO 27001 10.2 d) requires reviewing the effectiveness of any corrective action taken, and 10.2 g) \
            retaining that as evidence. Closing a nonconformity because its actions are done, without checking that \
            the problem is gone, is how the same finding returns at the next audit. Observations and opportunities \
            for improvement may be closed without one.
            """,
        fix:
            "Check that the actions worked and record effectiveness {checked_by, checked_on, result: effective, evidence}; if they did not, reopen the nonconformity with new actions.",
        failing: RuleExample([("nonconformities/nc-1.yaml", nc)]),
        passing: RuleExample([
            ("nonconformities/nc-1.yaml", nc + "effectiveness: {checked_by: carol, checked_on: 2026-11-02, result: effective}\n")
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.nonconformity).compactMap { nc in
            guard nc.isClosed, ["major", "minor"].contains(nc.string("type") ?? "") else { return nil }
            let missing = ["checked_by", "checked_on", "result"].filter { nc.fields["effectiveness.\($0)"] == nil }
            if !missing.isEmpty {
                return finding(
                    "nonconformity \(nc.id) (\(nc.title)) is closed without an effectiveness check: effectiveness lacks \(listed(missing))",
                    in: nc, field: "status")
            }
            guard nc.string("effectiveness.result") == "not-effective" else { return nil }
            return finding(
                "nonconformity \(nc.id) (\(nc.title)) is closed although its effectiveness check found the actions not effective",
                in: nc, field: "effectiveness.result")
        }
    }
}
