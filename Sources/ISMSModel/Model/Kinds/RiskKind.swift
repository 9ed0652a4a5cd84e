/// A risk: its inherent score, treatment decision and the controls, acceptance or transfer behind it (clause 6.1.2, 6.1.3).
package enum RiskKind: RecordKindDeclaration {
    package static let storageCode: UInt8 = 0
    package static let folder = "risks"
    package static let idPattern = "^RISK-[0-9]+$"
    package static let exampleID = "RISKS-1"
    package static let fileFormat = RecordFileFormat.yaml
    package static let ownerRequired = true
    package static let oneOf: [[String]] = []
    // A target score is a commitment of the treatment plan (6.1.3 e), decided like the rest.
    package static let decisionFields: [String] = [
        "treatment", "likelihood", "impact", "controls", "acceptance.*", "residual.*", "target.*",
    ]
    package static let materialFields: [String] = []
    package static let template = "records/risk.yaml"
    package static let graphStyle = GraphStyle(fill: "#fde4e1", stroke: "#a1261b")
    /// The widest scale a risk method allows; the validator holds scores to the configured scale (default 1–5).
    private static let score = FieldType.integer(1...RiskMethod.scaleRange.upperBound)

    package static let fields: [FieldSpec] = [
        FieldSpec(
            "likelihood", score, .optional, "The inherent likelihood, 1 to the scale of the risk method (default 5, almost certain)."),
        FieldSpec("impact", score, .optional, "The inherent impact, 1 to the scale of the risk method (default 5, critical)."),
        FieldSpec("treatment", .choice(["reduce", "accept", "transfer", "avoid"]), .optional, "The treatment decision."),
        FieldSpec("controls", .list(.reference([.control])), .optional, "Controls that reduce the risk (required, non-empty, for reduce)."),
        FieldSpec(
            "acceptance",
            .object([
                FieldSpec("approved_by", .text, .optional, "Who accepted the risk."),
                FieldSpec("approved_on", .date, .optional, "When."),
                FieldSpec("expires", .date, .optional, "When the acceptance lapses."),
                FieldSpec("rationale", .text, .optional, "Why the risk is acceptable."),
            ]), .optional, "The acceptance decision (all four fields required for accept)."),
        FieldSpec(
            "transfer",
            .object([
                FieldSpec("to", .referenceOrText(.supplier), .required, "Insurer, supplier id or party that carries the risk."),
                FieldSpec("rationale", .text, .optional, "Why the transfer is adequate."),
            ]), .optional, "Where the risk is transferred."),
        FieldSpec(
            "residual",
            .object([
                FieldSpec("likelihood", score, .optional, "Likelihood now, counting only operating controls."),
                FieldSpec("impact", score, .optional, "Impact now, counting only operating controls."),
            ]), .optional, "The current risk: the score with the controls that operate today."),
        FieldSpec(
            "target",
            .object([
                FieldSpec("likelihood", score, .optional, "Likelihood once the planned controls operate."),
                FieldSpec("impact", score, .optional, "Impact once the planned controls operate."),
            ]), .optional, "The score expected once the planned controls operate."),
        FieldSpec("assets", .list(.reference([.asset])), .optional, "Assets the risk concerns."),
        Schema.review,
    ]
}
