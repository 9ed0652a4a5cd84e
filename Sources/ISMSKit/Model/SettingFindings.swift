/// The findings reading isms.yaml makes. The model sits below the rules, so it names the two load-stage rules
/// by id and severity here; `TrustTests.testSettingFindingsAreTheLoadStageRules` proves they are
/// `InvalidValueRule`'s and `UnknownFieldRule`'s.
enum SettingFindings {
    static let invalidValue = "invalid-value"
    static let unknownField = "unknown-field"
    static let severity = Severity.error

    static func invalid(_ message: String, path: String, at location: SourceLocation?, field: String) -> Finding {
        Finding(rule: invalidValue, severity: severity, message: message, path: path, location: location, record: nil, field: field)
    }

    static func unknown(_ key: String, known: [String], in place: String, path: String, at location: SourceLocation?,
                        field: String) -> Finding {
        Finding(rule: unknownField, severity: severity, message: unknownMessage(key, known: known, in: place), path: path,
                location: location, record: nil, field: field)
    }

    /// Every unknown-field message, a record's or a setting's, with the nearest known name.
    static func unknownMessage(_ key: String, known: [String], in place: String) -> String {
        var message = "unknown field '\(key)' in \(place)"
        if let suggestion = closest(to: key, in: known) { message += "; did you mean '\(suggestion)'?" }
        return message
    }
}
