/// A small ISMS used as a rule's example: files by path relative to the ISMS root, judged at `asOf`.
/// A minimal `isms.yaml` is added when the files do not hold one.
public struct RuleExample: Sendable {
    public let files: [(path: String, content: String)]
    public let asOf: String

    public init(asOf: String = "2026-12-01", _ files: [(String, String)]) {
        self.files = files.map { (path: $0.0, content: $0.1) }
        self.asOf = asOf
    }

    /// The `isms.yaml` added to an example that holds none: a roster of alice, bob and carol.
    public static let defaultConfig = """
        name: Test ISMS
        people:
          alice: {name: Alice Example, email: alice@example.com, role: CISO}
          bob: {name: Bob Example, email: bob@example.com, role: Engineer}
          carol: {name: Carol Example, email: carol@example.com, role: CTO}

        """
}

/// Everything known about a rule: at once its documentation (`isms explain`, docs/rules.md, SARIF
/// metadata) and its test data (every rule's failing example must trigger it, its passing one must not).
public struct RuleDescription: Sendable {
    public let id: String
    public let severity: Severity
    public let summary: String
    public let rationale: String
    public let fix: String
    public let failing: RuleExample
    public let passing: RuleExample

    public init(id: String, severity: Severity, summary: String, rationale: String, fix: String,
                failing: RuleExample, passing: RuleExample) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.fix = fix
        self.failing = failing
        self.passing = passing
    }
}

/// A check over the loaded ISMS. Rules whose defects are found while reading files (parse-error,
/// unknown-field, …) are reported by the loader and return nothing from `check`.
public protocol Rule: Sendable {
    static var definition: RuleDescription { get }
    func check(_ context: RuleContext) -> [Finding]
}

extension Rule {
    public static var id: String { definition.id }
    public var definition: RuleDescription { Self.definition }

    /// A finding of this rule about `field` of `record`, located at that field.
    public func finding(_ message: String, in record: Record, field: String? = nil,
                        at location: SourceLocation? = nil) -> Finding {
        Finding(rule: Self.id, severity: Self.definition.severity, message: message, path: record.path,
                location: location ?? field.map(record.location(of:)) ?? record.idLocation,
                record: record.id, field: field)
    }

    public static func finding(_ message: String, path: String?, at location: SourceLocation?,
                               record: String? = nil, field: String? = nil) -> Finding {
        Finding(rule: id, severity: definition.severity, message: message, path: path, location: location,
                record: record, field: field)
    }
}

/// Rules found while loading contribute no findings at check time.
public protocol LoadStageRule: Rule {}
extension LoadStageRule {
    public func check(_ context: RuleContext) -> [Finding] { [] }
}

/// What a rule sees: the loaded ISMS, its traceability graph and the date results are judged at.
public struct RuleContext: Sendable {
    public let isms: ISMS
    public let asOf: Day
    public let artifacts: any ArtifactReader

    public init(isms: ISMS, asOf: Day, artifacts: any ArtifactReader) {
        self.isms = isms
        self.asOf = asOf
        self.artifacts = artifacts
    }

    public var config: Config { isms.config }
    public var graph: TraceGraph { isms.graph }
    public func records(_ kind: RecordKind) -> [Record] { isms.records(of: kind) }
    public func record(_ id: String) -> Record? { isms.record(id) }
}
