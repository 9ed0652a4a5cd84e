/// The rules whose defects are found while files are read: the loader and the isms.yaml reader, which sit below
/// the rules layer, make their findings. Each rule's description, rationale and examples are in
/// `Rules/<Name>Rule.swift`, which takes its id and severity from here, so neither is spelt twice.
public enum LoadStage: String, CaseIterable, Sendable {
    case parseError = "parse-error"
    case idPattern = "id-pattern"
    case invalidValue = "invalid-value"
    case missingField = "missing-field"
    case unknownField = "unknown-field"
    case duplicateID = "duplicate-id"

    public var id: String { rawValue }
    /// A file that cannot be read as intended is an error unless isms.yaml says otherwise.
    public var severity: Severity { .error }

    public func finding(
        _ message: String, path: String?, at location: SourceLocation?, record: String? = nil,
        field: String? = nil
    ) -> Finding {
        Finding(rule: id, severity: severity, message: message, path: path, location: location, record: record, field: field)
    }

    /// invalid-value about a setting of isms.yaml.
    package static func invalid(_ message: String, path: String, at location: SourceLocation?, field: String) -> Finding {
        invalidValue.finding(message, path: path, at: location, field: field)
    }

    /// unknown-field about a setting of isms.yaml.
    package static func unknown(
        _ key: String, known: [String], in place: String, path: String, at location: SourceLocation?,
        field: String
    ) -> Finding {
        unknownField.finding(unknownMessage(key, known: known, in: place), path: path, at: location, field: field)
    }

    /// Every unknown-field message, a record's or a setting's, with the nearest known name.
    public static func unknownMessage(_ key: String, known: [String], in place: String) -> String {
        var message = "unknown field '\(key)' in \(place)"
        if let suggestion = closest(to: key, in: known) { message += "; did you mean '\(suggestion)'?" }
        return message
    }
}
