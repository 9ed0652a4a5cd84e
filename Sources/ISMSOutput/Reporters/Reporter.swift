import ISMSRules

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

    package static func join(_ prefix: String, _ path: String) -> String {
        prefix.isEmpty ? path : (prefix.hasSuffix("/") ? prefix + path : prefix + "/" + path)
    }
}

/// Formats the findings of `isms check`. Adding a format: one file, one line in `CheckReporters.all`.
public protocol CheckReporter: Sendable {
    /// The value of `--format`.
    static var format: String { get }
    /// For people at a terminal: coloured when stdout is one, and nothing but a note when nothing is staged
    /// (a machine format writes its empty document instead, which its reader can parse).
    static var isForPeople: Bool { get }
    /// Its lines are GitHub workflow commands, which the output guard must let through.
    static var writesWorkflowCommands: Bool { get }
    func render(_ report: CheckReport, context: ReportContext) -> String
}

extension CheckReporter {
    public static var isForPeople: Bool { false }
    public static var writesWorkflowCommands: Bool { false }
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
