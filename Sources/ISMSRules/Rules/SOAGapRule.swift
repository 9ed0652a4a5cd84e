import GitKit
import ISMSModel

/// An Annex A control that the Statement of Applicability neither implements nor excludes.
public struct SOAGapRule: Rule {
    public init() {}

    private static let physicalExclusions = AnnexA.themes[2].controls.map {
        "  \($0.id): No premises in scope; staff work remotely and production runs on a cloud provider.\n"
    }.joined()
    private static let otherControls = AnnexA.controls.filter { $0.group != "physical" }.map(\.id).joined(separator: ", ")

    public static let definition = RuleDescription(
        id: "soa-gap",
        severity: .warning,
        summary: "In an ISMS that uses Annex A, an Annex A control that no control implements and that is not excluded.",
        rationale: """
            ISO/IEC 27001 clause 6.1.3 d) requires a Statement of Applicability that takes a position on every one \
            of the 93 Annex A controls: included, with the controls that implement it, or excluded, with a \
            justification. A control that is silently missing is the first thing a certification auditor asks \
            about. Only controls that are not retired count as implementing. The rule applies once the ISMS uses \
            Annex A: isms.yaml holds `soa_exclusions` (an empty `soa_exclusions: {}` is enough; `isms init` writes \
            it) or a control lists `annex_a`. A plain risk register is not held to it; `isms report soa` still \
            shows every gap.
            """,
        fix: """
            List the Annex A id under `annex_a` of the control that implements it, or add it to `soa_exclusions` in \
            isms.yaml with the reason it does not apply. `isms report soa` shows the whole statement.
            """,
        failing: RuleExample([
            ("isms.yaml", "name: Example ISMS\nsoa_exclusions:\n  A.7.4: No premises in scope.\n"),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Single sign-on for all applications\nowner: alice\nannex_a: [A.5.15, A.5.16]\n"),
        ]),
        passing: RuleExample([
            ("isms.yaml", "name: Example ISMS\nsoa_exclusions:\n" + physicalExclusions),
            (
                "controls/ctrl-1.yaml",
                "id: CTRL-1\ntitle: Security programme\nowner: alice\nstatus: planned\ndue: 2027-03-01\nannex_a: [\(otherControls)]\n"
            ),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Unmanaged security\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        // An ISMS takes on the Statement of Applicability once it uses Annex A: it records exclusions (even
        // none), or a control names an Annex A control. A register of risks alone is not held to all 93.
        let usesAnnexA =
            context.config.soaExclusionsLocation != nil
            || context.records(.control).contains { !$0.list("annex_a").isEmpty }
        guard usesAnnexA else { return [] }
        let coverage = AnnexACoverage(context.isms)
        return AnnexA.controls.compactMap { control in
            guard coverage.isGap(control.id) else { return nil }
            let retired = (coverage.implementers[control.id] ?? []).map(\.id)
            var message = "Annex A \(control.id) (\(control.title)) is neither implemented by a control nor excluded in soa_exclusions"
            if !retired.isEmpty { message += "; only retired \(retired.joined(separator: ", ")) named it" }
            return Self.finding(message, path: "isms.yaml", at: context.config.soaExclusionsLocation ?? .start, field: "soa_exclusions")
        }
    }
}
