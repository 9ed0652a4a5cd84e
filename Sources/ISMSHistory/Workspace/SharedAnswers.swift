import ISMSCore

/// Answers the history rules of one check of this run offer the other checks, by key: `check --base` judges its merge
/// base beside the head, and most records have the same history at both (`GovernanceContext.removalGroups`). Each
/// answer carries what it holds for; the asker judges whether it holds for it.
package final class SharedAnswers: Sendable {
    private let answers = Locked<[String: [any Sendable]]>([:])

    package init() {}

    package func values(for key: String) -> [any Sendable] { answers.withLock { $0[key] ?? [] } }

    package func add(_ value: any Sendable, for key: String) { answers.withLock { $0[key, default: []].append(value) } }
}
