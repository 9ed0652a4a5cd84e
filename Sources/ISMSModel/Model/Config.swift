import Foundation
import ISMSCore

/// An Annex A control declared not applicable in the Statement of Applicability (`soa_exclusions`).
public struct SOAExclusion: Sendable, Hashable {
    /// As written in isms.yaml (`A.7.4`); `unknown-reference` checks it against the catalog.
    public var annexA: String
    public var justification: String
    /// Where the key stands in isms.yaml.
    public var location: SourceLocation
}

public struct Person: Sendable, Hashable {
    public var key: String
    public var name: String?
    public var email: String?
    public var role: String?

    public init(key: String, name: String? = nil, email: String? = nil, role: String? = nil) {
        self.key = key
        self.name = name
        self.email = email
        self.role = role
    }
}

/// The settings in `isms.yaml`, as values. What each key is called, means and how it is read and judged is
/// declared once per setting in `Config.declarations` (Settings.swift).
public struct Config: Sendable {
    public var name: String?
    public var scope: String?
    /// The roster; empty means owners and approvers are free text.
    public var people: [String: Person] = [:]
    /// The roster's keys in file order.
    public var peopleOrder: [String] = []
    /// Rule id → severity, or nil for `off`.
    public var ruleSeverities: [String: Severity?] = [:]
    public var idPatterns: [RecordKind: Pattern]
    public var evidenceGraceDays = 0
    public var maxFileBytes = Limits.defaultFileBytes
    public var maxDepth = Limits.defaultDepth
    public var maxRecords = Limits.defaultRecords
    public var maxCommits = Limits.defaultCommits
    public var maxTreeDepth = Limits.defaultTreeDepth
    public var maxHistoryBytes = Limits.defaultHistoryBytes

    /// The allowed-signers file (git's format), relative to the ISMS root; read from the trust revision.
    public var allowedSigners = Config.defaultAllowedSigners
    /// The folder of OpenPGP public keys, relative to the ISMS root; read from the trust revision.
    public var openPGPKeys = Config.defaultOpenPGPKeys

    /// Record kind → the field patterns that are decisions (`acceptance.*`, `*`), for the governance rules.
    public var decisionFields: [RecordKind: [String]] = Config.defaultDecisionFields
    /// Per kind, the fields whose change asks for the linked risks to be reassessed (`reassessment-due`).
    public var materialFields: [RecordKind: [String]] = Config.defaultMaterialFields
    /// The ISMS-level settings whose change asks for every risk to be reassessed (`material_fields.isms`): the
    /// scope, to which every risk is linked.
    public var materialSettings: [String] = Config.defaultMaterialSettings
    public static let defaultMaterialSettings = ["scope"]
    /// The settings `material_fields.isms` may name.
    public static let materialSettingChoices = ["scope"]
    /// Days after a material change before an unreassessed risk is `reassessment-overdue`.
    public var reassessmentDays = 30
    /// Declared by each kind (Model/Kinds/); kinds without any are absent, as before.
    public static let defaultMaterialFields: [RecordKind: [String]] = RecordKind.defaults { $0.materialFields }
    /// `unsigned-decision` runs only when this is true.
    public var requireSignedDecisions = false
    /// How many days a declared date may lie before the commit that recorded it (`backdated-record`).
    public var backdateToleranceDays = 14
    /// What a commit message changing a decision must match (`decision-without-reference`); nil: not checked.
    public var referencePattern: Pattern?
    /// How many days an automated feed (`every: continuous`) stays fresh.
    public var continuousDays = Cadence.defaultContinuousDays
    /// The audit period, in calendar months before the day judged (`evidence-gap`).
    public var auditPeriodMonths = 12
    /// The risk method: scales, levels, appetite, acceptance authority and periods.
    public var riskMethod = RiskMethod()

    /// Declared by each kind (Model/Kinds/); kinds without any are absent, as before.
    public static let defaultDecisionFields: [RecordKind: [String]] = RecordKind.defaults { $0.decisionFields }

    /// Whether `field` (a dotted path) of a record of `kind` is a decision: equal to a pattern, matched by its
    /// `*` wildcards, or inside a mapping a pattern names (`acceptance` covers `acceptance.expires`).
    public func isDecision(_ field: String, of kind: RecordKind) -> Bool {
        (decisionFields[kind] ?? []).contains { pattern in
            pattern == field || field.hasPrefix(pattern + ".") || PatternList.glob(field, pattern)
        }
    }

    public static let defaultAllowedSigners = ".isms/allowed_signers"
    public static let defaultOpenPGPKeys = ".isms/openpgp"
    /// The context of clause 4.1: internal and external issues and the climate-change answer of Amd 1:2024.
    public var context = ISMSContext()
    /// How long the audit programme's cycle is: every clause and applicable Annex A theme is audited within it.
    public var auditCycle = Cadence.days(3 * 365 + 1)
    /// Where `audit_programme` stands in isms.yaml; nil when absent.
    public var auditProgrammeLocation: SourceLocation?
    /// How often top management reviews the ISMS (clause 9.3).
    public var managementReviewEvery = Cadence.yearly
    /// Where `management_review` stands in isms.yaml; nil when absent.
    public var managementReviewLocation: SourceLocation?

    /// Annex A controls excluded from the Statement of Applicability, in file order.
    public var soaExclusions: [SOAExclusion] = []
    /// Where `scope` stands in isms.yaml; nil when absent.
    public var scopeLocation: SourceLocation?
    /// Where `soa_exclusions` stands in isms.yaml; nil when absent.
    public var soaExclusionsLocation: SourceLocation?

    public init() {
        idPatterns = Dictionary(uniqueKeysWithValues: RecordKind.allCases.map { ($0, Pattern(known: $0.defaultIDPattern)) })
    }

    public func idPattern(_ kind: RecordKind) -> Pattern { idPatterns[kind]! }

    /// The kind whose id pattern `id` matches, for messages and for "text or supplier id" fields.
    public func kind(ofID id: String) -> RecordKind? {
        RecordKind.allCases.first { idPattern($0).matches(id) }
    }

    public static let evidenceGraceDaysRange = 0...3650
}

/// The context of the organisation (clause 4.1), as isms.yaml states it.
public struct ISMSContext: Sendable, Equatable {
    public var internalIssues: [String] = []
    public var externalIssues: [String] = []
    /// Amd 1:2024: whether climate change is a relevant issue; nil when not answered.
    public var climateRelevant: Bool?
    public var climateReason: String?
    /// Where `context` stands in isms.yaml; nil when absent.
    public var location: SourceLocation?
}
