/// What a reporter knows besides the findings.
public struct ReportContext: Sendable {
    /// Prepended to finding paths for display (the ISMS root as seen from where the user stands).
    public var displayPrefix: String
    /// The ISMS root relative to the repository top, for formats that want repository paths ("" when the same).
    public var repositoryPrefix: String
    public var useColour: Bool
    /// `--strict`: warnings fail the run too, so formats that count failures (JUnit) count them.
    public var strict: Bool

    public init(displayPrefix: String = "", repositoryPrefix: String = "", useColour: Bool = false, strict: Bool = false) {
        self.displayPrefix = displayPrefix
        self.repositoryPrefix = repositoryPrefix
        self.useColour = useColour
        self.strict = strict
    }

    static func join(_ prefix: String, _ path: String) -> String {
        prefix.isEmpty ? path : (prefix.hasSuffix("/") ? prefix + path : prefix + "/" + path)
    }
}

/// Formats the findings of `isms check`. Adding a format: one file, one line in `CheckReporters.all`.
public protocol CheckReporter: Sendable {
    /// The value of `--format`.
    static var format: String { get }
    func render(_ report: CheckReport, context: ReportContext) -> String
}

public enum CheckReporters {
    public static let all: [any CheckReporter] = [
        TextReporter(),
        JSONReporter(),
        SARIFReporter(),
        GitHubReporter(),
        JUnitReporter(),
        CodeQualityReporter(),
    ]

    public static var formats: [String] { all.map { type(of: $0).format } }

    public static func reporter(for format: String) -> (any CheckReporter)? {
        all.first { type(of: $0).format == format }
    }
}
