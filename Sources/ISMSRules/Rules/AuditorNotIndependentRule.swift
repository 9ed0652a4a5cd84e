import GitKit
import ISMSModel

/// An auditor who audits their own work.
public struct AuditorNotIndependentRule: Rule {
    public init() {}
    package static let controls = [
        ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Access reviews\nowner: bob\nstatus: planned\ndue: 2027-06-30\n"),
        ("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Joiner and leaver process\nowner: carol\nstatus: planned\ndue: 2027-06-30\n"),
        ("risks/risk-1.yaml", "id: RISK-1\ntitle: Excessive access rights\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1, CTRL-2]\n"),
    ]
    public static let definition = RuleDescription(
        id: "auditor-not-independent",
        severity: .error,
        summary: "An audit's auditor owns a control in the audit's scope.",
        rationale: """
            ISO 27001 9.2.2 c) asks that auditors are selected to ensure the objectivity and impartiality of the \
            audit: nobody audits their own work. A control is in an audit's scope when its scope lists it under \
            controls, or lists an Annex A control or theme the control implements.
            """,
        fix:
            "Have someone who owns nothing in the scope audit it, or take the auditor's controls out of the scope and audit them separately.",
        failing: RuleExample(
            controls + [
                (
                    "audits/aud-1.yaml",
                    "id: AUD-1\ntitle: Access control audit\nowner: alice\ntype: internal\nplanned_on: 2027-02-01\nauditor: bob\nscope: {clauses: ['4', '5', '6', '7', '8', '9', '10'], controls: [CTRL-1, CTRL-2]}\n"
                )
            ]),
        passing: RuleExample(
            controls + [
                (
                    "audits/aud-1.yaml",
                    "id: AUD-1\ntitle: Access control audit\nowner: alice\ntype: internal\nplanned_on: 2027-02-01\nauditor: alice\nscope: {clauses: ['4', '5', '6', '7', '8', '9', '10'], controls: [CTRL-1, CTRL-2]}\n"
                )
            ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.audit).compactMap { audit in
            guard let auditor = audit.string("auditor") else { return nil }
            let own = AuditCoverage.controlsInScope(audit, in: context.isms).filter { $0.owner == auditor }.map(\.id)
            guard !own.isEmpty else { return nil }
            return finding("audit \(audit.id) is audited by \(auditor), who owns \(listed(own)) in its scope", in: audit, field: "auditor")
        }
    }
}
