import GitKit
import ISMSModel

/// A high-criticality supplier with no current assurance evidence.
public struct SupplierWithoutAssuranceRule: Rule {
    public init() {}

    package static func files(collected: String) -> [(String, String)] {
        [
            (
                "suppliers/sup-1.yaml",
                """
                id: SUP-1
                title: Cloud hosting
                owner: alice
                criticality: high
                assurance: [EV-soc2]
                review: {last: 2026-06-01, every: yearly}

                """
            ),
            (
                "evidence/ev-soc2.yaml",
                "id: EV-soc2\ntitle: SOC 2 report reviewed\ncontrol: CTRL-1\ncollected_on: \(collected)\nresult: pass\n"
            ),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Supplier reviews\nowner: alice\nstatus: operating\nevery: yearly\n"),
            exampleRisk("treatment: reduce\ncontrols: [CTRL-1]\n"),
        ]
    }

    public static let definition = RuleDescription(
        id: "supplier-without-assurance",
        severity: .error,
        summary: "A supplier of criticality high with no current, passing assurance evidence.",
        rationale: """
            A critical supplier runs part of the ISMS (A.5.19–A.5.22): its certificate or audit report is the evidence \
            that its part operates. Assurance is current when an evidence record listed under assurance was collected \
            within the supplier's review cadence (yearly without one) plus evidence_grace_days before the day judged, \
            and did not fail.
            """,
        fix: "Obtain the supplier's current report or certificate, record it as evidence and list it under assurance.",
        failing: RuleExample(files(collected: "2025-03-01")),
        passing: RuleExample(files(collected: "2026-06-01"))
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.supplier).compactMap { supplier in
            guard supplier.string("criticality") == "high" else { return nil }
            let cadence = supplier.cadence("review.every") ?? .yearly
            let current = supplier.list("assurance").contains { item in
                guard let evidence = context.record(item.value), evidence.kind == .evidence,
                    let collected = evidence.date("collected_on"), collected <= context.asOf,
                    evidence.string("result") != "fail"
                else { return false }
                guard let due = cadence.next(after: collected) else { return true }
                return context.asOf <= due.adding(days: context.config.evidenceGraceDays)
            }
            guard !current else { return nil }
            let field = supplier.isWritten("assurance") ? "assurance" : "criticality"
            return finding(
                "supplier \(supplier.id) (\(supplier.title)) is of high criticality but has no current, passing assurance evidence",
                in: supplier, field: field)
        }
    }
}
