import Foundation

/// How much a finding matters; `off` exists only in configuration.
public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case error, warning, note

    var rank: Int {
        switch self {
        case .error: return 2
        case .warning: return 1
        case .note: return 0
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found in the ISMS: a plain value that reporters only format.
public struct Finding: Codable, Sendable, Hashable {
    public var rule: String
    public var severity: Severity
    public var message: String
    /// Relative to the ISMS root; nil for findings about the ISMS as a whole.
    public var path: String?
    public var line: Int?
    public var column: Int?
    /// The record's id when known.
    public var record: String?
    /// The field the finding is about (dotted path), used to match findings across revisions.
    public var field: String?

    public init(rule: String, severity: Severity, message: String, path: String?, location: SourceLocation?,
                record: String?, field: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.path = path
        self.line = location?.line
        self.column = location?.column
        self.record = record
        self.field = field
    }

    /// Sorted by path, then line and column, then rule: the order every reporter prints.
    public static func ordered(_ a: Finding, _ b: Finding) -> Bool {
        let pa = a.path ?? "", pb = b.path ?? ""
        if pa != pb { return pa < pb }
        if (a.line ?? 0) != (b.line ?? 0) { return (a.line ?? 0) < (b.line ?? 0) }
        if (a.column ?? 0) != (b.column ?? 0) { return (a.column ?? 0) < (b.column ?? 0) }
        if a.rule != b.rule { return a.rule < b.rule }
        // Numbers as people count them: soa-gap for A.5.2 before A.5.10, in catalogue order.
        switch a.message.compare(b.message, options: [.numeric]) {
        case .orderedAscending: return true
        case .orderedDescending: return false
        case .orderedSame: return a.message < b.message
        }
    }
}
