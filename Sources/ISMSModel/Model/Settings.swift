import Foundation
import GitKit
import ISMSCore

extension Config {
    /// Every setting of isms.yaml, each declared once, in the order the docs and isms.schema.json list them.
    /// Adding a setting: a value in `Config`, one entry here. The reader, the schema, the did-you-mean, the
    /// policy/decision classification and the trusted-revision transfer all follow from it.
    public static let declarations: [SettingDeclaration] = [
        .decision("name", .value(.text), "The organisation or ISMS name.") { r, pair in
            r.config.name = r.text(pair.value, "name")
        },
        .decision("scope", .value(.text), "The ISMS scope statement.") { r, pair in
            r.config.scope = r.text(pair.value, "scope")
            r.config.scopeLocation = pair.keyLocation
        },
        .policy(
            "people", .map(keys: .any, value: .object(Person.settings, nullable: true), nullable: false),
            "The roster: key → {name, email, role}. When set, every owner, approved_by and collected_by must be a key.",
            read: readPeople, transfer: { head, trusted in head.adoptRoster(of: trusted) }),
        .policy(
            "rules", .map(keys: .rules, value: .value(.choice(Schema.severityNames)), nullable: false),
            "Rule id → error | warning | note | off.",
            read: readRules, transfer: { head, trusted in head.ruleSeverities = trusted.ruleSeverities }),
        .policy(
            "id_patterns",
            .map(
                keys: .known(RecordKind.allCases.map { SettingKey($0.rawValue, "Default: \($0.defaultIDPattern)") }),
                value: .value(.text), nullable: false),
            "Record kind → regular expression for its ids.",
            read: readIDPatterns, transfer: { head, trusted in head.idPatterns = trusted.idPatterns }),
        .policy(
            "evidence_grace_days", .value(.integer(evidenceGraceDaysRange)),
            "Days of grace added to a control's cadence before its evidence is stale.",
            read: { r, pair in r.config.evidenceGraceDays = r.integer(pair.value, "evidence_grace_days", Config.evidenceGraceDaysRange) ?? 0
            },
            transfer: { head, trusted in head.evidenceGraceDays = trusted.evidenceGraceDays }),
        .policy(
            "limits", .object(InputLimit.all.map(\.setting), nullable: false),
            "Input limits: file_bytes (largest record file), depth (deepest nesting), records (most record files), commits (longest history), "
                + "tree_depth (deepest git tree), history_bytes (record bytes parsed from the history).",
            read: InputLimit.read,
            transfer: { head, trusted in
                for limit in InputLimit.all { head[keyPath: limit.value] = trusted[keyPath: limit.value] }
            }),
        .decision(
            "soa_exclusions",
            .map(keys: .suggested(AnnexA.controls.map { SettingKey($0.id, $0.title) }), value: .nonBlankText, nullable: true),
            "Annex A control id → why it is not applicable; the excluded controls of the Statement of Applicability.",
            read: readSOAExclusions),
        .policy(
            "allowed_signers", .value(.text),
            "The SSH allowed-signers file (git's format), relative to the root; default .isms/allowed_signers.",
            read: { r, pair in r.config.allowedSigners = r.relativePath(pair.value, "allowed_signers") ?? r.config.allowedSigners },
            transfer: { head, trusted in head.allowedSigners = trusted.allowedSigners }),
        .policy(
            "openpgp_keys", .value(.text), "The folder of trusted OpenPGP public keys, relative to the root; default .isms/openpgp.",
            read: { r, pair in r.config.openPGPKeys = r.relativePath(pair.value, "openpgp_keys") ?? r.config.openPGPKeys },
            transfer: { head, trusted in head.openPGPKeys = trusted.openPGPKeys }),
        .policy(
            "decision_fields",
            .map(keys: .known(RecordKind.allCases.map { SettingKey($0.rawValue, nil) }), value: .value(.list(.text)), nullable: false),
            "Record kind → the fields that are decisions (patterns with *), for the governance rules.",
            read: { r, pair in readKindFields(&r, pair) { $0.decisionFields[$1] = $2 } },
            transfer: { head, trusted in head.decisionFields = trusted.decisionFields }),
        .policy(
            "material_fields",
            .map(
                keys: .known(
                    RecordKind.allCases.map { SettingKey($0.rawValue, nil) }
                        + [SettingKey(materialSettingsKey, "ISMS-level settings that every risk depends on: scope (the default), or none")]),
                value: .value(.list(.text)), nullable: false),
            "Record kind → the fields whose change asks for the linked risks to be reassessed (reassessment-due); "
                + "isms → the settings whose change asks it of every risk (default [scope]).",
            read: readMaterialFields,
            transfer: { head, trusted in
                head.materialFields = trusted.materialFields
                head.materialSettings = trusted.materialSettings
            }),
        .policy(
            "reassessment_days", .value(.integer(0...3650)),
            "Days after a material change before an unreassessed risk is reassessment-overdue (default 30).",
            read: { r, pair in r.config.reassessmentDays = r.integer(pair.value, "reassessment_days", 0...3650) ?? r.config.reassessmentDays
            },
            transfer: { head, trusted in head.reassessmentDays = trusted.reassessmentDays }),
        .policy(
            "require_signed_decisions", .value(.boolean),
            "true: every current decision must have been set by a commit with a good signature.",
            read: { r, pair in
                if let s = pair.value.scalar, s.isPlain, s.text == "true" || s.text == "false" {
                    r.config.requireSignedDecisions = s.text == "true"
                } else {
                    r.invalid("require_signed_decisions must be true or false", pair.value.location, field: "require_signed_decisions")
                }
            },
            transfer: { head, trusted in head.requireSignedDecisions = trusted.requireSignedDecisions }),
        .policy(
            "backdate_tolerance_days", .value(.integer(0...3650)),
            "Days a declared date may precede the commit that recorded it (default 14).",
            read: { r, pair in
                r.config.backdateToleranceDays =
                    r.integer(pair.value, "backdate_tolerance_days", 0...3650) ?? r.config.backdateToleranceDays
            },
            transfer: { head, trusted in head.backdateToleranceDays = trusted.backdateToleranceDays }),
        .policy(
            "reference_pattern", .value(.text),
            "A regular expression every commit message changing a decision must match (a ticket reference).",
            read: { r, pair in
                // Empty or null: not checked, as when the key is absent.
                if let s = pair.value.scalar, s.isNull || s.text.isEmpty { r.config.referencePattern = nil; return }
                guard let source = r.text(pair.value, "reference_pattern") else { return }
                do { r.config.referencePattern = try Pattern(source) } catch {
                    r.invalid("reference_pattern is not a valid regular expression", pair.value.location, field: "reference_pattern")
                }
            },
            transfer: { head, trusted in head.referencePattern = trusted.referencePattern }),
        .decision(
            "context",
            .object(
                [
                    Setting("internal", .value(.list(.text)), "Internal issues relevant to the ISMS (clause 4.1)."),
                    Setting("external", .value(.list(.text)), "External issues relevant to the ISMS (clause 4.1)."),
                    Setting(
                        "climate_change",
                        .object(
                            [
                                Setting("relevant", .value(.boolean), "Whether climate change is a relevant issue (Amd 1:2024)."),
                                Setting("reason", .nonBlankText, "Why, or why not."),
                            ], nullable: false), "The climate-change question of ISO/IEC 27001:2022/Amd 1:2024, answered with a reason."),
                ], nullable: false), "The context of the organisation (clause 4.1): internal and external issues, climate change."
        ) { r, pair in
            r.config.context = ContextReader.read(pair.value, path: r.path, findings: &r.findings)
        },
        .policy(
            "audit_programme",
            .object(
                [
                    Setting(
                        "cycle", .value(.cadence),
                        "The cycle within which every clause 4–10 and applicable Annex A theme is audited (default 1096d, three years).")
                ], nullable: false), "The internal audit programme (clause 9.2.2).",
            read: { r, pair in
                r.config.auditCycle = readCadence(&r, pair, "cycle", fallback: r.config.auditCycle)
                r.config.auditProgrammeLocation = pair.keyLocation
            },
            transfer: { head, trusted in head.auditCycle = trusted.auditCycle }),
        .policy(
            "management_review",
            .object(
                [
                    Setting("every", .value(.cadence), "How often top management reviews the ISMS (default yearly).")
                ], nullable: false), "The management review cadence (clause 9.3).",
            read: { r, pair in
                r.config.managementReviewEvery = readCadence(&r, pair, "every", fallback: r.config.managementReviewEvery)
                r.config.managementReviewLocation = pair.keyLocation
            },
            transfer: { head, trusted in head.managementReviewEvery = trusted.managementReviewEvery }),
        // How fresh evidence must be, and over which period, is how controls are judged.
        .policy(
            "continuous_days", .value(.integer(1...365)),
            "How many days the evidence of a continuous (automated feed) control stays fresh (default \(Cadence.defaultContinuousDays)).",
            read: { r, pair in r.config.continuousDays = r.integer(pair.value, "continuous_days", 1...365) ?? r.config.continuousDays },
            transfer: { head, trusted in head.continuousDays = trusted.continuousDays }),
        .policy(
            "audit_period", .value(.integer(1...120)),
            "The audit period in calendar months before the day judged, in which every cadence interval, and every incident an on-event control answers, needs evidence (default 12).",
            read: { r, pair in r.config.auditPeriodMonths = r.integer(pair.value, "audit_period", 1...120) ?? r.config.auditPeriodMonths },
            transfer: { head, trusted in head.auditPeriodMonths = trusted.auditPeriodMonths }),
        // Who may accept what is how decisions are judged: a pull request may not widen its own authority.
        .policy(
            "risk_method", .object(RiskMethod.settings, nullable: false),
            "The risk method: likelihood and impact scales, levels, appetite, acceptance authority, longest acceptance and exception.",
            read: { r, pair in
                r.config.riskMethod = RiskMethod.read(pair.value, keyLocation: pair.keyLocation, path: r.path, findings: &r.findings)
            },
            transfer: { head, trusted in head.riskMethod = trusted.riskMethod }),
    ]

    /// Every setting of isms.yaml with its type: the source of `keys`, of the docs' list and of isms.schema.json.
    public static let settings: [Setting] = declarations.map(\.setting)

    package static let declarationsByName: [String: SettingDeclaration] =
        Dictionary(uniqueKeysWithValues: declarations.map { ($0.name, $0) })

    /// The keys isms.yaml may hold, with what each means; unknown keys are reported with a did-you-mean.
    public static var keys: [(key: String, summary: String)] { settings.map { ($0.name, $0.summary ?? "") } }

    /// Every top-level setting, classified: a setting cannot be declared without a role, so later settings are
    /// judged by the trusted revision's copy from the day they exist.
    public static let settingRoles: [String: SettingRole] =
        Dictionary(uniqueKeysWithValues: declarations.map { ($0.name, $0.role) })

    /// Whether the top-level setting `name` is policy; a key isms does not know counts as policy, so nothing
    /// unclassified can slip past `policy-changed`.
    public static func isPolicy(_ name: String) -> Bool { settingRoles[name] != .decision }

    /// The settings `applyingPolicy` takes from the trusted revision.
    public static var policyTransferNames: [String] { declarations.filter { $0.transfer != nil }.map(\.name) }

    /// This configuration (the head's) judged by `trusted`'s policy: every policy setting is the trusted one;
    /// the ISMS decisions (scope, exclusions, name) stay the head's.
    public func applyingPolicy(of trusted: Config) -> Config {
        var result = self
        for declaration in Self.declarations { declaration.transfer?(&result, trusted) }
        return result
    }
}

// MARK: Readers of the settings with more than one value

extension Config {
    /// The roster as the trusted revision has it: each known person's identity (e-mail) and role come from
    /// there. A person the head adds is a valid key for owners and approvers, but with no e-mail and no role
    /// until the trusted revision has them, so no commit maps to them and they hold no authority yet.
    package mutating func adoptRoster(of trusted: Config) {
        var merged = trusted.people
        var order = trusted.peopleOrder
        for key in peopleOrder where merged[key] == nil {
            merged[key] = Person(key: key, name: people[key]?.name)
            order.append(key)
        }
        people = merged
        peopleOrder = order
    }

    private static func readPeople(_ r: inout SettingsReader, _ pair: YAMLPair) {
        guard let people = pair.value.pairs else {
            r.invalid("people must be a mapping of key → {name, email, role}", pair.value.location, field: "people")
            return
        }
        for person in people {
            var entry = Person(key: person.key)
            if let details = person.value.pairs {
                for detail in details {
                    switch detail.key {
                    case "name": entry.name = r.text(detail.value, "people.\(person.key).name")
                    case "email": entry.email = r.text(detail.value, "people.\(person.key).email")
                    case "role": entry.role = r.text(detail.value, "people.\(person.key).role")
                    default:
                        r.unknown(
                            detail.key, known: Person.settings.map(\.name), in: "a person", at: detail.keyLocation,
                            field: "people.\(person.key).\(detail.key)")
                    }
                }
            } else if !(person.value.scalar?.isNull ?? false) {
                r.invalid(
                    "people.\(person.key) must be a mapping {name, email, role}", person.value.location, field: "people.\(person.key)")
            }
            if r.config.people[person.key] == nil { r.config.peopleOrder.append(person.key) }
            r.config.people[person.key] = entry
        }
    }

    private static func readRules(_ r: inout SettingsReader, _ pair: YAMLPair) {
        guard let rules = pair.value.pairs else {
            r.invalid("rules must map rule ids to a severity", pair.value.location, field: "rules")
            return
        }
        for rule in rules {
            if let ruleIDs = r.ruleIDs, !ruleIDs.contains(rule.key) {
                r.unknown(rule.key, known: ruleIDs, in: "the rules", at: rule.keyLocation, field: "rules.\(rule.key)")
                continue
            }
            guard let s = rule.value.scalar, Schema.severityNames.contains(s.text) else {
                r.invalid("rules.\(rule.key) must be one of error, warning, note, off", rule.value.location, field: "rules.\(rule.key)")
                continue
            }
            r.config.ruleSeverities[rule.key] = Severity(rawValue: s.text)
        }
    }

    private static func readIDPatterns(_ r: inout SettingsReader, _ pair: YAMLPair) {
        guard pair.value.pairs != nil else {
            r.invalid("id_patterns must map record kinds to regular expressions", pair.value.location, field: "id_patterns")
            return
        }
        r.forEachKind(in: pair) { r, kind, entry in
            guard let source = r.text(entry.value, "id_patterns.\(entry.key)") else { return }
            do { r.config.idPatterns[kind] = try Pattern(source, at: entry.value.location) } catch {
                r.invalid(
                    "id_patterns.\(entry.key) is not a valid regular expression", entry.value.location, field: "id_patterns.\(entry.key)")
            }
        }
    }

    /// The key of `material_fields` naming ISMS-level settings rather than a record kind's fields.
    package static let materialSettingsKey = "isms"

    /// `material_fields`: the kinds' lists, and under `isms` the ISMS-level settings (each one of
    /// `materialSettingChoices`; anything else is a located finding and left out).
    private static func readMaterialFields(_ r: inout SettingsReader, _ pair: YAMLPair) {
        var kinds = pair
        if let pairs = pair.value.pairs, let entry = pairs.first(where: { $0.key == materialSettingsKey }) {
            let field = "\(pair.key).\(materialSettingsKey)"
            if let items = entry.value.items {
                var settings = [String]()
                for item in items {
                    guard let name = r.text(item, field) else { continue }
                    guard materialSettingChoices.contains(name) else {
                        r.invalid(
                            "\(field) lists \(name), which is not an ISMS-level setting a risk depends on (known: "
                                + materialSettingChoices.joined(separator: ", ") + ")", item.location, field: field)
                        continue
                    }
                    settings.append(name)
                }
                r.config.materialSettings = settings
            } else {
                r.invalid("\(field) must be a list of settings", entry.value.location, field: field)
            }
            kinds.value = YAMLNode(.mapping(pairs.filter { $0.key != materialSettingsKey }), at: pair.value.location)
        }
        readKindFields(&r, kinds) { $0.materialFields[$1] = $2 }
    }

    /// `decision_fields` and `material_fields`: record kind → a list of field names.
    private static func readKindFields(_ r: inout SettingsReader, _ pair: YAMLPair, _ store: (inout Config, RecordKind, [String]) -> Void) {
        let key = pair.key
        guard pair.value.pairs != nil else {
            r.invalid("\(key) must map record kinds to lists of fields", pair.value.location, field: key)
            return
        }
        r.forEachKind(in: pair) { r, kind, entry in
            guard let items = entry.value.items else {
                r.invalid("\(key).\(entry.key) must be a list of field names", entry.value.location, field: "\(key).\(entry.key)")
                return
            }
            let fields = items.compactMap { r.text($0, "\(key).\(entry.key)") }
            store(&r.config, kind, fields)
        }
    }

    private static func readSOAExclusions(_ r: inout SettingsReader, _ pair: YAMLPair) {
        r.config.soaExclusionsLocation = pair.keyLocation
        let value = pair.value
        if value.scalar?.isNull ?? false { return }
        guard let exclusions = value.pairs else {
            r.invalid(
                "soa_exclusions must map Annex A ids (A.7.4) to the justification for excluding them", value.location,
                field: "soa_exclusions")
            return
        }
        for exclusion in exclusions {
            let field = "soa_exclusions.\(exclusion.key)"
            guard let reason = exclusion.value.scalar, !reason.isNull,
                !reason.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else {
                r.invalid("\(field) needs a justification: why \(exclusion.key) does not apply", exclusion.value.location, field: field)
                continue
            }
            r.config.soaExclusions.append(SOAExclusion(annexA: exclusion.key, justification: reason.text, location: exclusion.keyLocation))
        }
    }

    /// `audit_programme` and `management_review`: a mapping with one cadence, `child`, which may not be on-event.
    private static func readCadence(_ r: inout SettingsReader, _ pair: YAMLPair, _ child: String, fallback: Cadence) -> Cadence {
        var cadence = fallback
        guard let entries = pair.value.pairs else {
            r.invalid("\(pair.key) must be a mapping {\(child): CADENCE}", pair.value.location, field: pair.key)
            return cadence
        }
        for entry in entries {
            guard entry.key == child else {
                r.unknown(entry.key, known: [child], in: pair.key, at: entry.keyLocation, field: "\(pair.key).\(entry.key)")
                continue
            }
            guard let s = entry.value.scalar, !s.isNull, let c = Cadence(s.text), c != .onEvent else {
                r.invalid(
                    "\(pair.key).\(child) must be a cadence (yearly, 730d, …), not on-event", entry.value.location,
                    field: "\(pair.key).\(child)")
                continue
            }
            cadence = c
        }
        return cadence
    }
}

extension Person {
    /// The fields of a roster entry.
    package static let settings = [
        Setting("name", .value(.text), "The person's full name."),
        Setting("email", .value(.text), "The person's e-mail address."),
        Setting("role", .value(.text), "The person's role, such as CISO."),
    ]
}

/// One entry of `limits`, declared once: its key, range, description and the value it sets.
package struct InputLimit: Sendable {
    package let name: String
    package let range: ClosedRange<Int>
    package let summary: String
    package let value: WritableKeyPath<Config, Int> & Sendable

    package var setting: Setting { Setting(name, .value(.integer(range)), summary) }

    package static let all = [
        InputLimit(
            name: "file_bytes", range: Limits.fileBytesRange,
            summary: "The largest record file, in bytes (default \(Limits.defaultFileBytes)).", value: \.maxFileBytes),
        InputLimit(
            name: "depth", range: Limits.depthRange,
            summary: "The deepest nesting of mappings and lists (default \(Limits.defaultDepth)).", value: \.maxDepth),
        InputLimit(
            name: "records", range: Limits.recordsRange,
            summary: "The most record files isms check reads (default \(Limits.defaultRecords)).", value: \.maxRecords),
        InputLimit(
            name: "commits", range: Limits.commitsRange,
            summary: "The most commits isms history, blame, log and diff read from a revision (default \(Limits.defaultCommits)).",
            value: \.maxCommits),
        InputLimit(
            name: "tree_depth", range: Limits.treeDepthRange,
            summary: "The deepest folder nesting read from a git tree (default \(Limits.defaultTreeDepth), git's core.maxTreeDepth).",
            value: \.maxTreeDepth),
        InputLimit(
            name: "history_bytes", range: Limits.historyBytesRange,
            summary: "The most record bytes one run of isms history, blame, log or diff parses from the history "
                + "(default \(Limits.defaultHistoryBytes), 1 GiB).",
            value: \.maxHistoryBytes),
    ]

    package static func read(_ r: inout SettingsReader, _ pair: YAMLPair) {
        guard let limits = pair.value.pairs else {
            r.invalid("limits must be a mapping {file_bytes, depth}", pair.value.location, field: "limits")
            return
        }
        for entry in limits {
            guard let limit = all.first(where: { $0.name == entry.key }) else {
                r.unknown(entry.key, known: all.map(\.name), in: "limits", at: entry.keyLocation, field: "limits.\(entry.key)")
                continue
            }
            r.config[keyPath: limit.value] = r.integer(entry.value, "limits.\(limit.name)", limit.range) ?? r.config[keyPath: limit.value]
        }
    }
}
