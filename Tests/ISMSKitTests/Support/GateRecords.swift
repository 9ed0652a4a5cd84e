/// The records of the pull-request gate's tests (`ColdGateTests`, `GateShareAttackTests`): signed decisions required,
/// references `SEC-n`, and risks that are avoided, reduced or accepted.
protocol GateRecords {}

extension GateRecords {
    var config: String { minimalConfig + "require_signed_decisions: true\nreference_pattern: 'SEC-[0-9]+'\n" }

    func risk(_ id: String, _ treatment: String = "avoid") -> String {
        "id: \(id)\ntitle: Laptop theft\nowner: alice\ntreatment: \(treatment)\nreview: {last: 2026-06-01, every: yearly}\n"
    }

    func accepted(_ id: String) -> String {
        risk(id, "accept")
            + "acceptance:\n  approved_by: alice\n  approved_on: 2026-01-10\n  expires: 2027-01-10\n  rationale: Third floor.\n"
    }
}
