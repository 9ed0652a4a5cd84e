import Foundation

/// What an isms.yaml setting is: policy decides how a change is judged (rules, trust, roster, limits), so a
/// pull request must never be judged by its own; an ISMS decision is content the ISMS states (its scope, the
/// SoA exclusions), reviewed like any record.
public enum SettingRole: String, Sendable {
    case policy, decision
}

/// A top-level setting of isms.yaml, declared once: its name, type and summary (the schema, the docs' list and
/// the did-you-mean), how the reader takes it, and whether it is policy (then how the trusted revision's value
/// replaces the head's) or an ISMS decision. `Config.declarations` lists them all.
public struct SettingDeclaration: Sendable {
    public let setting: Setting
    /// Nil for a decision: a policy setting cannot be declared without saying how it is taken from the trusted
    /// revision, so none is left judged by the pull request's own copy.
    package let transfer: (@Sendable (inout Config, Config) -> Void)?
    /// Reads the setting's value (the pair under its key) into the configuration, or reports why it cannot.
    package let read: @Sendable (inout SettingsReader, YAMLPair) -> Void

    public var name: String { setting.name }
    public var role: SettingRole { transfer == nil ? .decision : .policy }

    /// Policy: judged by the trusted revision's copy, which `transfer` copies over the head's.
    package static func policy(
        _ name: String, _ type: SettingType, _ summary: String,
        read: @escaping @Sendable (inout SettingsReader, YAMLPair) -> Void,
        transfer: @escaping @Sendable (inout Config, Config) -> Void
    ) -> SettingDeclaration {
        SettingDeclaration(setting: Setting(name, type, summary), transfer: transfer, read: read)
    }

    /// An ISMS decision: the head's value stands, reviewed like a record.
    package static func decision(
        _ name: String, _ type: SettingType, _ summary: String,
        read: @escaping @Sendable (inout SettingsReader, YAMLPair) -> Void
    ) -> SettingDeclaration {
        SettingDeclaration(setting: Setting(name, type, summary), transfer: nil, read: read)
    }
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
    /// Only the ids of the rules, with their summaries. The rules sit above the model, so the reader is handed
    /// their ids and the schema generator lists them.
    case rules
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
