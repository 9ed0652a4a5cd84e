import Foundation

/// The rules handed down to the settings, which sit below them: the ids a `rules:` entry may name.
extension ConfigReader {
    static let ruleIDs = RuleRegistry.all.map { type(of: $0).id }

    /// Reads isms.yaml, its `rules:` judged against every registered rule.
    static func read(_ data: Data, path: String) throws(ToolError) -> (Config, [Finding]) {
        try read(data, path: path, ruleIDs: ruleIDs)
    }
}

extension RuleRegistry {
    /// The keys of `rules:` in isms.schema.json: each rule's id and summary.
    public static var settingKeys: [SettingKey] { all.map { SettingKey($0.definition.id, $0.definition.summary) } }
}
