import GitKit
import ISMSModel

/// A risk transferred without saying to whom or why that is adequate.
public struct IncompleteTransferRule: Rule {
    public init() {}

    package static func risk(_ transfer: String) -> (String, String) {
        exampleRisk("treatment: transfer\n" + transfer)
    }

    public static let definition = RuleDescription(
        id: "incomplete-transfer",
        severity: .error,
        summary: "A risk with treatment transfer whose transfer lacks to or rationale.",
        rationale: """
            Sharing a risk with an insurer or a supplier is a treatment only when the register says who carries it and \
            why that is adequate: what the policy or the contract covers, and what stays with the organisation. A \
            transfer without a rationale cannot be judged.
            """,
        fix: "Add transfer: {to: <insurer, or a supplier id>, rationale: <what is covered and why that is enough>}.",
        failing: RuleExample([risk("transfer: {to: Hiscox cyber policy}\n")]),
        passing: RuleExample([
            risk("transfer: {to: Hiscox cyber policy, rationale: Covers incident response and business interruption up to 2 MEUR.}\n")
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.risk).compactMap { risk in
            guard risk.string("treatment") == "transfer" else { return nil }
            guard risk.isWritten("transfer") else {
                return finding(
                    "risk \(risk.id) is transferred but has no transfer: add to and rationale", in: risk, field: "transfer",
                    at: risk.location(of: "treatment"))
            }
            // A transfer without to is missing-field's finding.
            guard !risk.isWritten("transfer.rationale"), risk.isWritten("transfer.to") else { return nil }
            return finding("the transfer of risk \(risk.id) has no rationale", in: risk, field: "transfer")
        }
    }
}
