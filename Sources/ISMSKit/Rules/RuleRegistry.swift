/// Every rule, in the order `isms rules` and docs/rules.md list them. Adding a rule: one file, one line here.
public enum RuleRegistry {
    public static let all: [any Rule] = [
        // Found while reading files.
        ParseErrorRule(),
        MissingFieldRule(),
        UnknownFieldRule(),
        InvalidValueRule(),
        DuplicateIDRule(),
        IDPatternRule(),
        // The traceability chain.
        BrokenLinkRule(),
        WrongLinkKindRule(),
        UntracedControlRule(),
        UntreatedRiskRule(),
        IncompleteAcceptanceRule(),
        ExpiredAcceptanceRule(),
        UncoveredObligationRule(),
        ControlWithoutEvidenceRule(),
        StaleEvidenceRule(),
        FailedEvidenceRule(),
        ExpiredExceptionRule(),
        OverdueReviewRule(),
        UnknownPersonRule(),
        MissingArtifactRule(),
        // Frameworks and the Statement of Applicability.
        UnknownReferenceRule(),
        SOAGapRule(),
        // The history, in a git repository: who decided, and can it be proven.
        UnsignedDecisionRule(),
        ReassessmentDueRule(),
        ReassessmentOverdueRule(),
        SelfApprovedAcceptanceRule(),
        AcceptanceInvalidatedRule(),
        BackdatedRecordRule(),
        DecisionWithoutReferenceRule(),
        BadSignatureRule(),
        AllowedSignersChangedRule(),
        PolicyChangedRule(),
    ]

    public static func rule(_ id: String) -> (any Rule)? {
        all.first { type(of: $0).id == id }
    }
}
