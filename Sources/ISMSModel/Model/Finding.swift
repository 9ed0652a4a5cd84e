import Foundation

/// How much a finding matters; `off` exists only in configuration.
public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case error, warning, note

    package var rank: Int {
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

    public init(
        rule: String, severity: Severity, message: String, path: String?, location: SourceLocation?,
        record: String?, field: String? = nil
    ) {
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
        return naturalLess(a.message, b.message)
    }

    /// Text order with runs of digits compared as numbers, so that findings naming Annex A controls on one line
    /// come in catalogue order (A.5.1, A.5.2, … A.5.10) rather than as text (A.5.1, A.5.10, A.5.11, … A.5.2).
    package static func naturalLess(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        var i = 0, j = 0
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var ei = i, ej = j
                while ei < x.count && isDigit(x[ei]) { ei += 1 }
                while ej < y.count && isDigit(y[ej]) { ej += 1 }
                // Compare the runs as numbers without converting (they may be longer than an Int): leading zeros
                // dropped, the shorter run is the smaller number, equal lengths compare digit by digit.
                let ri = x[i..<ei].drop { $0 == "0" }, rj = y[j..<ej].drop { $0 == "0" }
                if ri.count != rj.count { return ri.count < rj.count }
                for (p, q) in zip(ri, rj) where p != q { return p.value < q.value }
                i = ei
                j = ej
                continue
            }
            if x[i] != y[j] { return x[i].value < y[j].value }
            i += 1
            j += 1
        }
        if (x.count - i) != (y.count - j) { return (x.count - i) < (y.count - j) }
        return a < b
    }
}
