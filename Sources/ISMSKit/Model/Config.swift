import Foundation

/// A compiled regular expression that may be shared across threads (NSRegularExpression is immutable).
///
/// isms.yaml comes with the pull request, so a pattern may backtrack catastrophically (`^(a+)+$` against
/// `aaaa…b` runs for seconds per id). Each match has a time budget; a pattern that exceeds it once is given up
/// for the rest of the run (`gaveUp`), and the checker reports it at its place in isms.yaml.
public struct Pattern: @unchecked Sendable {
    public let source: String
    private let regex: NSRegularExpression
    /// Where isms.yaml sets the pattern; nil for a default.
    public var location: SourceLocation?
    /// The text on which the pattern first ran over its budget, shared by the copies of this `Pattern` (settings
    /// are copied into every parse task).
    private let slow = Locked<String?>(nil)

    /// The most CPU time one match may take (the thread's own time, so a loaded machine does not trip it).
    /// Id patterns match in microseconds; this is thousands of times that.
    public static let matchBudget: TimeInterval = 0.05

    public init(_ source: String, at location: SourceLocation? = nil) throws {
        self.source = source
        self.location = location
        regex = try NSRegularExpression(pattern: source)
    }

    /// Whether `text` matches; false when the pattern was given up (see `match`).
    public func matches(_ text: String) -> Bool { match(text) ?? false }

    /// Whether `text` matches, or nil when the pattern ran over its budget, on this text or an earlier one.
    public func match(_ text: String) -> Bool? {
        if gaveUp != nil { return nil }
        let range = NSRange(text.startIndex..., in: text)
        let deadline = Self.threadCPUSeconds() + Self.matchBudget
        var found = false, overrun = false
        regex.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
            } else if Self.threadCPUSeconds() > deadline {
                overrun = true
                stop.pointee = true
            }
        }
        guard !overrun else {
            slow.withLock { first in first = first ?? text }
            return nil
        }
        return found
    }

    /// The text on which the pattern first ran over its budget; nil while it has not.
    public var gaveUp: String? { slow.withLock { $0 } }

    private static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

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

/// The settings in `isms.yaml`.
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
        idPatterns = Dictionary(uniqueKeysWithValues: RecordKind.allCases.map { ($0, try! Pattern($0.defaultIDPattern)) })
    }

    public func idPattern(_ kind: RecordKind) -> Pattern { idPatterns[kind]! }

    /// The kind whose id pattern `id` matches, for messages and for "text or supplier id" fields.
    public func kind(ofID id: String) -> RecordKind? {
        RecordKind.allCases.first { idPattern($0).matches(id) }
    }

    /// The keys isms.yaml may hold, with what each means; unknown keys are reported with a did-you-mean.
    public static var keys: [(key: String, summary: String)] { settings.map { ($0.name, $0.summary ?? "") } }

    public static let evidenceGraceDaysRange = 0...3650

    /// Every setting of isms.yaml with its type: the source of `keys`, of the docs' list and of isms.schema.json.
    /// `ConfigReader` reads these; a test proves the JSON Schema and the reader agree.
    public static let settings: [Setting] = [
        Setting("name", .value(.text), "The organisation or ISMS name."),
        Setting("scope", .value(.text), "The ISMS scope statement."),
        Setting("people", .map(keys: .any, value: .object([
            Setting("name", .value(.text), "The person's full name."),
            Setting("email", .value(.text), "The person's e-mail address."),
            Setting("role", .value(.text), "The person's role, such as CISO."),
        ], nullable: true), nullable: false),
        "The roster: key → {name, email, role}. When set, every owner, approved_by and collected_by must be a key."),
        Setting("rules", .map(keys: .known(RuleRegistry.all.map { SettingKey($0.definition.id, $0.definition.summary) }),
                              value: .value(.choice(Schema.severityNames)), nullable: false),
                "Rule id → error | warning | note | off."),
        Setting("id_patterns", .map(keys: .known(RecordKind.allCases.map { SettingKey($0.rawValue, "Default: \($0.defaultIDPattern)") }),
                                    value: .value(.text), nullable: false),
                "Record kind → regular expression for its ids."),
        Setting("evidence_grace_days", .value(.integer(evidenceGraceDaysRange)),
                "Days of grace added to a control's cadence before its evidence is stale."),
        Setting("limits", .object([
            Setting("file_bytes", .value(.integer(Limits.fileBytesRange)), "The largest record file, in bytes (default \(Limits.defaultFileBytes))."),
            Setting("depth", .value(.integer(Limits.depthRange)), "The deepest nesting of mappings and lists (default \(Limits.defaultDepth))."),
            Setting("records", .value(.integer(Limits.recordsRange)), "The most record files isms check reads (default \(Limits.defaultRecords))."),
            Setting("commits", .value(.integer(Limits.commitsRange)),
                    "The most commits isms history, blame, log and diff read from a revision (default \(Limits.defaultCommits))."),
            Setting("tree_depth", .value(.integer(Limits.treeDepthRange)),
                    "The deepest folder nesting read from a git tree (default \(Limits.defaultTreeDepth), git's core.maxTreeDepth)."),
            Setting("history_bytes", .value(.integer(Limits.historyBytesRange)),
                    "The most record bytes one run of isms history, blame, log or diff parses from the history (default \(Limits.defaultHistoryBytes), 1 GiB)."),
        ], nullable: false), "Input limits: file_bytes (largest record file), depth (deepest nesting), records (most record files), commits (longest history), "
            + "tree_depth (deepest git tree), history_bytes (record bytes parsed from the history)."),
        Setting("soa_exclusions", .map(keys: .suggested(AnnexA.controls.map { SettingKey($0.id, $0.title) }), value: .nonBlankText, nullable: true),
                "Annex A control id → why it is not applicable; the excluded controls of the Statement of Applicability."),
        Setting("allowed_signers", .value(.text), "The SSH allowed-signers file (git's format), relative to the root; default .isms/allowed_signers."),
        Setting("openpgp_keys", .value(.text), "The folder of trusted OpenPGP public keys, relative to the root; default .isms/openpgp."),
        Setting("decision_fields", .map(keys: .known(RecordKind.allCases.map { SettingKey($0.rawValue, nil) }), value: .value(.list(.text)), nullable: false),
                "Record kind → the fields that are decisions (patterns with *), for the governance rules."),
        Setting("material_fields", .map(keys: .known(RecordKind.allCases.map { SettingKey($0.rawValue, nil) }), value: .value(.list(.text)), nullable: false),
                "Record kind → the fields whose change asks for the linked risks to be reassessed (reassessment-due)."),
        Setting("reassessment_days", .value(.integer(0...3650)), "Days after a material change before an unreassessed risk is reassessment-overdue (default 30)."),
        Setting("require_signed_decisions", .value(.boolean), "true: every current decision must have been set by a commit with a good signature."),
        Setting("backdate_tolerance_days", .value(.integer(0...3650)), "Days a declared date may precede the commit that recorded it (default 14)."),
        Setting("reference_pattern", .value(.text), "A regular expression every commit message changing a decision must match (a ticket reference)."),
        Setting("context", .object([
            Setting("internal", .value(.list(.text)), "Internal issues relevant to the ISMS (clause 4.1)."),
            Setting("external", .value(.list(.text)), "External issues relevant to the ISMS (clause 4.1)."),
            Setting("climate_change", .object([
                Setting("relevant", .value(.boolean), "Whether climate change is a relevant issue (Amd 1:2024)."),
                Setting("reason", .nonBlankText, "Why, or why not."),
            ], nullable: false), "The climate-change question of ISO/IEC 27001:2022/Amd 1:2024, answered with a reason."),
        ], nullable: false), "The context of the organisation (clause 4.1): internal and external issues, climate change."),
        Setting("audit_programme", .object([
            Setting("cycle", .value(.cadence), "The cycle within which every clause 4–10 and applicable Annex A theme is audited (default 1096d, three years)."),
        ], nullable: false), "The internal audit programme (clause 9.2.2)."),
        Setting("management_review", .object([
            Setting("every", .value(.cadence), "How often top management reviews the ISMS (default yearly)."),
        ], nullable: false), "The management review cadence (clause 9.3)."),
        Setting("continuous_days", .value(.integer(1...365)),
                "How many days the evidence of a continuous (automated feed) control stays fresh (default \(Cadence.defaultContinuousDays))."),
        Setting("audit_period", .value(.integer(1...120)),
                "The audit period in calendar months before the day judged, in which every cadence interval needs evidence (default 12)."),
        Setting("risk_method", .object(RiskMethod.settings, nullable: false),
                "The risk method: likelihood and impact scales, levels, appetite, acceptance authority, longest acceptance and exception."),
    ]
}

/// One setting of isms.yaml.
public struct Setting: Sendable {
    public let name: String
    public let type: SettingType
    public let summary: String?

    public init(_ name: String, _ type: SettingType, _ summary: String?) {
        self.name = name
        self.type = type
        self.summary = summary
    }
}

public indirect enum SettingType: Sendable {
    /// A value typed like a record field (never empty).
    case value(FieldType)
    /// Text holding more than white space.
    case nonBlankText
    /// A mapping of these settings; `nullable` when an empty value is allowed.
    case object([Setting], nullable: Bool)
    /// A mapping from keys to values of one type.
    case map(keys: SettingKeys, value: SettingType, nullable: Bool)
    /// Any one of these shapes (a number, or a mapping of numbers).
    case anyOf([SettingType])
}

public enum SettingKeys: Sendable {
    /// Any key (people).
    case any
    /// Only these keys; another is an unknown-field finding.
    case known([SettingKey])
    /// Any key; these are the ones expected (checked by a rule, not the reader), listed for completion.
    case suggested([SettingKey])
}

public struct SettingKey: Sendable {
    public let name: String
    public let summary: String?
    public init(_ name: String, _ summary: String?) {
        self.name = name
        self.summary = summary
    }
}

/// Reads `isms.yaml`. A file that is not YAML is a tool error (exit 2); a bad setting is a finding.
enum ConfigReader {
    static func read(_ data: Data, path: String) throws(ToolError) -> (Config, [Finding]) {
        var config = Config()
        var findings = [Finding]()
        let node: YAMLNode
        switch YAMLReader(maxBytes: Limits.configBytes).read(data) {
        case .success(let n): node = n
        case .failure(let problem) where problem.kind == .empty: return (config, [])
        case .failure(let problem) where problem.kind == .tooLarge:
            throw .unreadableConfig(path: path, message: Limits.configTooLarge(data.count).message)
        case .failure(let problem):
            throw .unreadableConfig(path: path, message: "\(problem.location.line):\(problem.location.column): \(problem.message)")
        }
        guard let pairs = node.pairs else {
            throw .unreadableConfig(path: path, message: "1:1: isms.yaml must be a mapping of settings")
        }
        func invalid(_ message: String, _ at: SourceLocation, field: String) {
            findings.append(InvalidValueRule.finding(message, path: path, at: at, field: field))
        }
        func text(_ node: YAMLNode, _ field: String) -> String? {
            guard let s = node.scalar, !s.isNull else {
                invalid("\(field) must be text, not \(node.shapeName)", node.location, field: field)
                return nil
            }
            return s.text
        }
        func integer(_ node: YAMLNode, _ field: String, _ range: ClosedRange<Int>) -> Int? {
            // Plain digits only, as in records: `+5`, `05` and `'5'` are refused.
            guard let s = node.scalar, s.isPlain, let n = Int(s.text), String(n) == s.text, range.contains(n) else {
                invalid("\(field) must be an integer from \(range.lowerBound) to \(range.upperBound)", node.location, field: field)
                return nil
            }
            return n
        }
        /// A path relative to the ISMS root that stays below it.
        func relativePath(_ node: YAMLNode, _ field: String) -> String? {
            guard let path = text(node, field) else { return nil }
            let parts = path.split(separator: "/")
            guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
                invalid("\(field) must be a path relative to the ISMS root that stays below it", node.location, field: field)
                return nil
            }
            return parts.filter { $0 != "." }.joined(separator: "/")
        }
        for pair in pairs {
            let value = pair.value
            switch pair.key {
            case "require_signed_decisions":
                if let s = value.scalar, s.isPlain, s.text == "true" || s.text == "false" {
                    config.requireSignedDecisions = s.text == "true"
                } else {
                    invalid("require_signed_decisions must be true or false", value.location, field: "require_signed_decisions")
                }
            case "backdate_tolerance_days":
                config.backdateToleranceDays = integer(value, "backdate_tolerance_days", 0...3650) ?? config.backdateToleranceDays
            case "reference_pattern":
                // Empty or null: not checked, as when the key is absent.
                if let s = value.scalar, s.isNull || s.text.isEmpty { config.referencePattern = nil; continue }
                guard let source = text(value, "reference_pattern") else { continue }
                do { config.referencePattern = try Pattern(source) } catch {
                    invalid("reference_pattern is not a valid regular expression", value.location, field: "reference_pattern")
                }
            case "decision_fields", "material_fields":
                let key = pair.key
                guard let kinds = value.pairs else { invalid("\(key) must map record kinds to lists of fields", value.location, field: key); continue }
                for entry in kinds {
                    guard let kind = RecordKind(rawValue: entry.key) else {
                        findings.append(UnknownFieldRule.finding(UnknownFieldRule.message(entry.key, known: RecordKind.allCases.map(\.rawValue), in: "the record kinds"),
                                                                 path: path, at: entry.keyLocation, field: "\(key).\(entry.key)"))
                        continue
                    }
                    guard let items = entry.value.items else {
                        invalid("\(key).\(entry.key) must be a list of field names", entry.value.location, field: "\(key).\(entry.key)")
                        continue
                    }
                    let fields = items.compactMap { text($0, "\(key).\(entry.key)") }
                    if key == "material_fields" { config.materialFields[kind] = fields } else { config.decisionFields[kind] = fields }
                }
            case "reassessment_days":
                config.reassessmentDays = integer(value, "reassessment_days", 0...3650) ?? config.reassessmentDays
            case "allowed_signers": config.allowedSigners = relativePath(value, "allowed_signers") ?? config.allowedSigners
            case "openpgp_keys": config.openPGPKeys = relativePath(value, "openpgp_keys") ?? config.openPGPKeys
            case "continuous_days": config.continuousDays = integer(value, "continuous_days", 1...365) ?? config.continuousDays
            case "audit_period": config.auditPeriodMonths = integer(value, "audit_period", 1...120) ?? config.auditPeriodMonths
            case "risk_method": config.riskMethod = RiskMethod.read(value, keyLocation: pair.keyLocation, path: path, findings: &findings)
            case "name": config.name = text(value, "name")
            case "scope":
                config.scope = text(value, "scope")
                config.scopeLocation = pair.keyLocation
            case "evidence_grace_days": config.evidenceGraceDays = integer(value, "evidence_grace_days", Config.evidenceGraceDaysRange) ?? 0
            case "people":
                guard let people = value.pairs else { invalid("people must be a mapping of key → {name, email, role}", value.location, field: "people"); continue }
                for person in people {
                    var entry = Person(key: person.key)
                    if let details = person.value.pairs {
                        for detail in details {
                            switch detail.key {
                            case "name": entry.name = text(detail.value, "people.\(person.key).name")
                            case "email": entry.email = text(detail.value, "people.\(person.key).email")
                            case "role": entry.role = text(detail.value, "people.\(person.key).role")
                            default:
                                findings.append(UnknownFieldRule.finding(
                                    UnknownFieldRule.message(detail.key, known: ["name", "email", "role"], in: "a person"),
                                    path: path, at: detail.keyLocation, field: "people.\(person.key).\(detail.key)"))
                            }
                        }
                    } else if !(person.value.scalar?.isNull ?? false) {
                        invalid("people.\(person.key) must be a mapping {name, email, role}", person.value.location, field: "people.\(person.key)")
                    }
                    if config.people[person.key] == nil { config.peopleOrder.append(person.key) }
                    config.people[person.key] = entry
                }
            case "rules":
                guard let rules = value.pairs else { invalid("rules must map rule ids to a severity", value.location, field: "rules"); continue }
                let known = RuleRegistry.all.map { type(of: $0).id }
                for rule in rules {
                    guard known.contains(rule.key) else {
                        findings.append(UnknownFieldRule.finding(UnknownFieldRule.message(rule.key, known: known, in: "the rules"),
                                                                 path: path, at: rule.keyLocation, field: "rules.\(rule.key)"))
                        continue
                    }
                    guard let s = rule.value.scalar, Schema.severityNames.contains(s.text) else {
                        invalid("rules.\(rule.key) must be one of error, warning, note, off", rule.value.location, field: "rules.\(rule.key)")
                        continue
                    }
                    config.ruleSeverities[rule.key] = Severity(rawValue: s.text)
                }
            case "id_patterns":
                guard let patterns = value.pairs else { invalid("id_patterns must map record kinds to regular expressions", value.location, field: "id_patterns"); continue }
                for entry in patterns {
                    guard let kind = RecordKind(rawValue: entry.key) else {
                        findings.append(UnknownFieldRule.finding(UnknownFieldRule.message(entry.key, known: RecordKind.allCases.map(\.rawValue), in: "the record kinds"),
                                                                 path: path, at: entry.keyLocation, field: "id_patterns.\(entry.key)"))
                        continue
                    }
                    guard let source = text(entry.value, "id_patterns.\(entry.key)") else { continue }
                    do { config.idPatterns[kind] = try Pattern(source, at: entry.value.location) } catch {
                        invalid("id_patterns.\(entry.key) is not a valid regular expression", entry.value.location, field: "id_patterns.\(entry.key)")
                    }
                }
            case "limits":
                guard let limits = value.pairs else { invalid("limits must be a mapping {file_bytes, depth}", value.location, field: "limits"); continue }
                for limit in limits {
                    switch limit.key {
                    case "file_bytes": config.maxFileBytes = integer(limit.value, "limits.file_bytes", Limits.fileBytesRange) ?? config.maxFileBytes
                    case "depth": config.maxDepth = integer(limit.value, "limits.depth", Limits.depthRange) ?? config.maxDepth
                    case "records": config.maxRecords = integer(limit.value, "limits.records", Limits.recordsRange) ?? config.maxRecords
                    case "commits": config.maxCommits = integer(limit.value, "limits.commits", Limits.commitsRange) ?? config.maxCommits
                    case "tree_depth": config.maxTreeDepth = integer(limit.value, "limits.tree_depth", Limits.treeDepthRange) ?? config.maxTreeDepth
                    case "history_bytes":
                        config.maxHistoryBytes = integer(limit.value, "limits.history_bytes", Limits.historyBytesRange) ?? config.maxHistoryBytes
                    default:
                        findings.append(UnknownFieldRule.finding(UnknownFieldRule.message(limit.key, known: ["file_bytes", "depth", "records", "commits",
                                                                                                              "tree_depth", "history_bytes"], in: "limits"),
                                                                 path: path, at: limit.keyLocation, field: "limits.\(limit.key)"))
                    }
                }
            case "soa_exclusions":
                config.soaExclusionsLocation = pair.keyLocation
                if value.scalar?.isNull ?? false { continue }
                guard let exclusions = value.pairs else {
                    invalid("soa_exclusions must map Annex A ids (A.7.4) to the justification for excluding them", value.location, field: "soa_exclusions")
                    continue
                }
                for exclusion in exclusions {
                    let field = "soa_exclusions.\(exclusion.key)"
                    guard let reason = exclusion.value.scalar, !reason.isNull,
                          !reason.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                        invalid("\(field) needs a justification: why \(exclusion.key) does not apply", exclusion.value.location, field: field)
                        continue
                    }
                    config.soaExclusions.append(SOAExclusion(annexA: exclusion.key, justification: reason.text, location: exclusion.keyLocation))
                }
            case "context":
                config.context = ContextReader.read(value, path: path, findings: &findings)
            case "audit_programme", "management_review":
                let (child, fallback): (String, Cadence) = pair.key == "audit_programme" ? ("cycle", config.auditCycle) : ("every", config.managementReviewEvery)
                var cadence = fallback
                if let entries = value.pairs {
                    for entry in entries {
                        guard entry.key == child else {
                            findings.append(UnknownFieldRule.finding(UnknownFieldRule.message(entry.key, known: [child], in: pair.key),
                                                                     path: path, at: entry.keyLocation, field: "\(pair.key).\(entry.key)"))
                            continue
                        }
                        guard let s = entry.value.scalar, !s.isNull, let c = Cadence(s.text), c != .onEvent else {
                            invalid("\(pair.key).\(child) must be a cadence (yearly, 730d, …), not on-event", entry.value.location, field: "\(pair.key).\(child)")
                            continue
                        }
                        cadence = c
                    }
                } else {
                    invalid("\(pair.key) must be a mapping {\(child): CADENCE}", value.location, field: pair.key)
                }
                if pair.key == "audit_programme" {
                    config.auditCycle = cadence
                    config.auditProgrammeLocation = pair.keyLocation
                } else {
                    config.managementReviewEvery = cadence
                    config.managementReviewLocation = pair.keyLocation
                }
            default:
                findings.append(UnknownFieldRule.finding(UnknownFieldRule.message(pair.key, known: Config.keys.map(\.key), in: "isms.yaml"),
                                                         path: path, at: pair.keyLocation, field: pair.key))
            }
        }
        return (config, findings)
    }
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

/// Reads `context` from isms.yaml; a bad value is a located finding and is left out.
enum ContextReader {
    static func read(_ node: YAMLNode, path: String, findings: inout [Finding]) -> ISMSContext {
        var context = ISMSContext()
        context.location = node.location
        func invalid(_ message: String, _ at: SourceLocation, _ field: String) {
            findings.append(InvalidValueRule.finding(message, path: path, at: at, field: field))
        }
        func unknown(_ key: String, _ known: [String], _ where_: String, _ at: SourceLocation) {
            findings.append(UnknownFieldRule.finding(UnknownFieldRule.message(key, known: known, in: where_), path: path, at: at, field: "\(where_).\(key)"))
        }
        guard let pairs = node.pairs else {
            invalid("context must be a mapping {internal, external, climate_change}", node.location, "context")
            return context
        }
        for pair in pairs {
            switch pair.key {
            case "internal", "external":
                guard let items = pair.value.items else {
                    invalid("context.\(pair.key) must be a list of issues", pair.value.location, "context.\(pair.key)")
                    continue
                }
                let texts = items.compactMap { item -> String? in
                    guard let s = item.scalar, !s.isNull else {
                        invalid("context.\(pair.key) must hold text, not \(item.shapeName)", item.location, "context.\(pair.key)")
                        return nil
                    }
                    return s.text
                }
                if pair.key == "internal" { context.internalIssues = texts } else { context.externalIssues = texts }
            case "climate_change":
                guard let fields = pair.value.pairs else {
                    invalid("context.climate_change must be a mapping {relevant, reason}", pair.value.location, "context.climate_change")
                    continue
                }
                for field in fields {
                    switch field.key {
                    case "relevant":
                        if let s = field.value.scalar, s.isPlain, s.text == "true" || s.text == "false" {
                            context.climateRelevant = s.text == "true"
                        } else {
                            invalid("context.climate_change.relevant must be true or false", field.value.location, "context.climate_change.relevant")
                        }
                    case "reason":
                        if let s = field.value.scalar, !s.isNull, !s.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                            context.climateReason = s.text
                        } else {
                            invalid("context.climate_change.reason must say why climate change is or is not relevant", field.value.location, "context.climate_change.reason")
                        }
                    default: unknown(field.key, ["relevant", "reason"], "context.climate_change", field.keyLocation)
                    }
                }
            default: unknown(pair.key, ["internal", "external", "climate_change"], "context", pair.keyLocation)
            }
        }
        return context
    }
}
