import Foundation
import ISMSLoading
import ISMSModel

/// The rules handed down to the settings, which sit below them: the ids a `rules:` entry may name.
extension ConfigReader {
    package static let ruleIDs = RuleRegistry.all.map { type(of: $0).id }

    /// Reads isms.yaml, its `rules:` judged against every registered rule.
    package static func read(_ data: Data, path: String) throws(ToolError) -> (Config, [Finding]) {
        try read(data, path: path, ruleIDs: ruleIDs)
    }
}

extension Loader {
    /// Reads the settings and every record of `source`, its `rules:` judged against every registered rule.
    public static func load(from source: some RecordSource, policy: Config? = nil) throws(ToolError) -> LoadedISMS {
        try load(from: source, policy: policy, ruleIDs: ConfigReader.ruleIDs)
    }

    /// `load(from:policy:)`, calling `listed` with the settings before any record is read (`Loader.load`).
    package static func load(from source: some RecordSource, policy: Config?, listed: (Config) -> Void) throws(ToolError) -> LoadedISMS {
        try load(from: source, policy: policy, ruleIDs: ConfigReader.ruleIDs, sliceSize: sliceSize, listed: listed)
    }
}

extension RuleRegistry {
    /// The keys of `rules:` in isms.schema.json: each rule's id and summary.
    public static var settingKeys: [SettingKey] { all.map { SettingKey($0.definition.id, $0.definition.summary) } }
}
