import GitKit
import ISMSModel

/// An interested party's requirement that no obligation captures.
public struct PartyWithoutObligationRule: Rule {
    public init() {}
    package static let obligation = (
        "obligations/obl-gdpr-32.yaml", "id: OBL-GDPR-32\ntitle: Security of processing\nowner: alice\nsource: GDPR\nref: Art. 32\n"
    )
    public static let definition = RuleDescription(
        id: "party-without-obligation",
        severity: .warning,
        summary: "An interested party's requirement (requirements.<name>) that lists no obligation.",
        rationale: """
            ISO 27001 4.2 c) asks which of the interested parties' requirements will be addressed through the ISMS. \
            A requirement that no obligation captures is addressed by nothing the ISMS traces: no control satisfies \
            it and no report covers it.
            """,
        fix:
            "List the obligations that capture the requirement under requirements.<name>.obligations, creating one (source: contract, internal, …) if needed.",
        failing: RuleExample([
            obligation,
            (
                "parties/party-1.yaml",
                "id: PARTY-1\ntitle: Customers\nowner: alice\nrequirements:\n  privacy: {need: Personal data kept confidential, obligations: [OBL-GDPR-32]}\n  uptime: {need: 99.9% availability}\n"
            ),
        ]),
        passing: RuleExample([
            obligation,
            (
                "controls/ctrl-1.yaml",
                "id: CTRL-1\ntitle: Encryption at rest\nowner: bob\nstatus: planned\ndue: 2027-06-30\nsatisfies: [OBL-GDPR-32]\n"
            ),
            (
                "parties/party-1.yaml",
                "id: PARTY-1\ntitle: Customers\nowner: alice\nrequirements:\n  privacy: {need: Personal data kept confidential, obligations: [OBL-GDPR-32]}\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.party).flatMap { party in
            party.entryNames("requirements").compactMap { name -> Finding? in
                guard party.list("requirements.\(name).obligations").isEmpty, !party.rejected.contains("requirements.\(name).obligations")
                else { return nil }
                let need = party.string("requirements.\(name).need").map { " (\($0))" } ?? ""
                return finding(
                    "\(party.id) (\(party.title)) requires \(name)\(need), which no obligation captures", in: party,
                    field: "requirements.\(name)")
            }
        }
    }
}
