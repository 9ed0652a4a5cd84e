/// Every rule, in the order `isms rules` and docs/rules.md list them: the only list of rules. Adding a rule: one
/// file, one line here (a history rule says so in its file: `Rule.history`), then scripts/generate-rule-tests.sh.
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
        // The risk method: authority, periods, scores, treatment.
        AcceptanceBeyondAuthorityRule(),
        AcceptanceTooLongRule(),
        ExceptionTooLongRule(),
        SelfApprovedAcceptanceRule(),
        ResidualAboveInherentRule(),
        ResidualAboveAppetiteRule(),
        IneffectiveTreatmentRule(),
        OverdueTreatmentRule(),
        IncompleteTransferRule(),
        MissingReviewCycleRule(),
        UncoveredObligationRule(),
        ControlWithoutEvidenceRule(),
        StaleEvidenceRule(),
        EvidenceGapRule(),
        FailedEvidenceRule(),
        ExpiredExceptionRule(),
        OverdueReviewRule(),
        MissingCadenceRule(),
        FutureDatedEvidenceRule(),
        EvidenceWithoutResultRule(),
        SupplierWithoutAssuranceRule(),
        UnknownPersonRule(),
        MissingArtifactRule(),
        // Frameworks and the Statement of Applicability.
        UnknownReferenceRule(),
        SOAGapRule(),
        // The operating rhythm: audits, nonconformities, management reviews, objectives, incidents, parties.
        OverdueAuditRule(),
        AuditProgrammeGapRule(),
        AuditorNotIndependentRule(),
        OverdueActionRule(),
        ClosedWithoutEffectivenessRule(),
        MissingRootCauseRule(),
        OverdueManagementReviewRule(),
        IncompleteManagementReviewRule(),
        UnmeasuredObjectiveRule(),
        ObjectiveMissedRule(),
        LateNotificationRule(),
        IncidentWithoutLessonsRule(),
        PartyWithoutObligationRule(),
        // Documented information (clause 7.5): policies and procedures.
        OverdueDocumentReviewRule(),
        // The history, in a git repository: who decided, and can it be proven.
        UnsignedDecisionRule(),
        UnprovenApprovalRule(),
        ReassessmentDueRule(),
        ReassessmentOverdueRule(),
        UnapprovedDocumentChangeRule(),
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
