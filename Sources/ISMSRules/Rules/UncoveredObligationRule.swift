import GitKit
import ISMSModel

/// An applicable obligation that no active control satisfies.
public struct UncoveredObligationRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "uncovered-obligation",
        severity: .error,
        summary: "An applicable obligation that no control (other than a retired one) satisfies.",
        rationale: """
            Obligations (laws, contracts, the standard itself) are why many controls exist. For each one that \
            applies, an auditor asks which control meets it. An obligation no control lists in `satisfies` is a \
            requirement the ISMS does not meet, or meets without saying how. A retired control no longer runs, so \
            it covers nothing.
            """,
        fix: "List the obligation under satisfies of the control that meets it, or set applies: false with a justification.",
        failing: RuleExample([
            ("obligations/gdpr-32.yaml", "id: OBL-GDPR-32\ntitle: Security of processing\nowner: alice\nsource: GDPR\nref: Art. 32\n")
        ]),
        passing: RuleExample([
            ("obligations/gdpr-32.yaml", "id: OBL-GDPR-32\ntitle: Security of processing\nowner: alice\nsource: GDPR\nref: Art. 32\n"),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Disk encryption\nowner: alice\nstatus: implemented\nsatisfies: [OBL-GDPR-32]\n"),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.obligation).compactMap { obligation in
            guard obligation.boolean("applies") != false else { return nil }
            let controls = context.graph.links(to: obligation.id, field: "satisfies")
                .filter { $0.fromKind == .control }
                .compactMap { context.record($0.from) }
            guard !controls.contains(where: { !$0.isRetired }) else { return nil }
            var message = "obligation \(obligation.id) (\(obligation.title)) applies but no control satisfies it"
            if !controls.isEmpty {
                let retired = controls.map(\.id)
                message +=
                    "; \(listed(retired)) \(retired.count == 1 ? "is" : "are") retired and no longer cover\(retired.count == 1 ? "s" : "") it"
            }
            return finding(message, in: obligation, field: "id")
        }
    }
}
