/// What the history rules share: which they are, when any of them runs, and how they word a commit.
enum GovernanceRules {
    static let ids = ["unsigned-decision", "unproven-approval", "acceptance-invalidated", "backdated-record",
                      "decision-without-reference", "bad-signature", "allowed-signers-changed", "policy-changed"]

    /// Whether any history rule would report something under `config`: turned off rules, and rules whose own
    /// setting is missing (`require_signed_decisions`, `reference_pattern`), do not count. When none does, the
    /// history is not read at all.
    static func anyActive(in config: Config) -> Bool {
        ids.contains { id in
            if case .some(.none) = config.ruleSeverities[id] { return false }
            switch id {
            case "unsigned-decision", "unproven-approval": return config.requireSignedDecisions
            case "decision-without-reference": return config.referencePattern != nil
            default: return true
            }
        }
    }

    /// Why a signature is not good, as the end of a sentence: "which is unsigned".
    static func describe(_ verdict: SignatureVerdict) -> String {
        switch verdict.status {
        case .good: return "which has a good signature"
        case .unsigned: return "which is unsigned"
        case .bad where verdict.isMalformedCommit: return "which is malformed (\(verdict.reason ?? ""))"
        case .bad: return "whose signature does not verify"
        case .unknownKey: return "signed by a key that is not trusted (\(verdict.key ?? "unknown key"))"
        case .expiredKey: return "signed by a key that was not valid then (\(verdict.principal ?? verdict.key ?? "unknown key"))"
        case .notVerified: return "whose signature could not be verified (\(verdict.reason ?? "unsupported"))"
        }
    }

    /// The decision fields a record has now, in the schema's order, grouped by the commit that set each one.
    static func decisionsByCommit(_ record: Record, config: Config, governance: GovernanceContext) -> [(commit: CommitInfo, fields: [String])] {
        var groups = [(commit: CommitInfo, fields: [String])]()
        let fields = Schema.sortFields(record.fields.keys.filter { config.isDecision($0, of: record.kind) }, kind: record.kind) { $0 }
        for field in fields {
            guard let commit = governance.setter(of: field, in: record) else { continue }
            if let index = groups.firstIndex(where: { $0.commit.id == commit.id }) {
                groups[index].fields.append(field)
            } else {
                groups.append((commit, [field]))
            }
        }
        return groups
    }
}

extension Commit {
    /// How a finding names a commit: `1a2b3c4d5e (Bob Example, 2026-02-01)`.
    var reference: String { "\(id.short) (\(author.name), \(author.day))" }
}
