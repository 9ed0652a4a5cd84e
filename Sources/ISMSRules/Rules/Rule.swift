import GitKit
import ISMSCore
import ISMSLoading
import ISMSModel

/// A small ISMS used as a rule's example: files by path relative to the ISMS root, judged at `asOf`.
/// A minimal `isms.yaml` is added when the files do not hold one.
///
/// An example of a history rule has `commits` instead: the test builds a real git repository whose top is the
/// ISMS root, makes the commits in order and checks the result. Signed commits are signed by git with a fresh
/// SSH key of the signer (a roster key); `.isms/allowed_signers` lists every roster person's key unless a
/// commit writes that file itself, where `{{key alice}}` stands for alice's line (`alice@example.com ssh-ed25519 …`).
public struct RuleExample: Sendable {
    public let files: [(path: String, content: String)]
    public let commits: [ExampleCommit]
    public let asOf: String
    /// For rules judged against a trust revision: how many of `commits` the trusted revision holds (the
    /// base of a pull request made of the rest); nil: checked without one.
    public let trustedCommits: Int?

    public init(asOf: String = "2026-12-01", _ files: [(String, String)]) {
        self.files = files.map { (path: $0.0, content: $0.1) }
        self.commits = []
        self.asOf = asOf
        trustedCommits = nil
    }

    public init(asOf: String = "2026-12-01", commits: [ExampleCommit], trustedCommits: Int? = nil) {
        self.files = []
        self.commits = commits
        self.asOf = asOf
        self.trustedCommits = trustedCommits
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

/// One commit of a history example: who made it and when, what it wrote, and how it is signed.
public struct ExampleCommit: Sendable {
    /// A roster key (alice, bob, carol in the default isms.yaml): the commit's author and committer.
    public let author: String
    /// `YYYY-MM-DD` (10:00 UTC that day) or a full ISO 8601 time.
    public let date: String
    public let message: String
    /// Files written (by path relative to the ISMS root); a nil content deletes the file.
    public let files: [(path: String, content: String?)]
    /// Signed with the SSH key of `signer` (default: the author).
    public let signed: Bool
    public let signer: String?
    /// The message is changed after signing, the signature kept: a signature that no longer verifies.
    public let tampered: Bool

    public init(
        _ author: String, _ date: String, _ message: String, signed: Bool = false, signer: String? = nil,
        tampered: Bool = false, _ files: [(String, String?)]
    ) {
        self.author = author
        self.date = date
        self.message = message
        self.files = files.map { (path: $0.0, content: $0.1) }
        self.signed = signed || signer != nil || tampered
        self.signer = signer
        self.tampered = tampered
    }

    /// How docs/rules.md and `isms explain` show it: `alice, 2026-01-05, signed: "Accept RISK-1"`.
    public var heading: String {
        var how = "unsigned"
        if signed { how = "signed" + (signer.map { $0 == author ? "" : " by \($0)" } ?? "") }
        if tampered { how += ", message changed after signing" }
        return "\(author), \(date), \(how): \"\(message)\""
    }
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

    public init(
        id: String, severity: Severity, summary: String, rationale: String, fix: String,
        failing: RuleExample, passing: RuleExample
    ) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.fix = fix
        self.failing = failing
        self.passing = passing
    }
}

/// Whether a rule reads the git history, and what for. `isms check` reads the history only when an active
/// rule needs it; review matching treats findings about commits exactly (`GovernanceRules.ids`).
public enum HistoryUse: Sendable {
    case notRead
    /// Dates from the history (the first commit), but findings about records, not commits.
    case datesFromHistory
    /// Judges commits: who changed what, signed or not. Its examples are commits (RuleExamplesTests checks).
    case judgesCommits
}

/// A check over the loaded ISMS. Rules whose defects are found while reading files (parse-error,
/// unknown-field, …) are reported by the loader and return nothing from `check`.
public protocol Rule: Sendable {
    static var definition: RuleDescription { get }
    /// Declared by the rule itself, so a history rule is registered once, in `RuleRegistry`.
    static var history: HistoryUse { get }
    /// Whether the rule can report anything under `config` when it is not turned off: false while its own
    /// setting is missing (`require_signed_decisions`, `reference_pattern`). Only history rules are asked, to
    /// skip reading the history when none would report.
    static func isActive(in config: Config) -> Bool
    func check(_ context: RuleContext) -> [Finding]
}

extension Rule {
    public static var history: HistoryUse { .notRead }
    public static func isActive(in config: Config) -> Bool { true }
    public static var id: String { definition.id }
    public var definition: RuleDescription { Self.definition }

    /// A finding of this rule about `field` of `record`, located at that field.
    public func finding(
        _ message: String, in record: Record, field: String? = nil,
        at location: SourceLocation? = nil
    ) -> Finding {
        Finding(
            rule: Self.id, severity: Self.definition.severity, message: message, path: record.path,
            location: location ?? field.map(record.location(of:)) ?? record.idLocation,
            record: record.id, field: field)
    }

    public static func finding(
        _ message: String, path: String?, at location: SourceLocation?,
        record: String? = nil, field: String? = nil
    ) -> Finding {
        Finding(
            rule: id, severity: definition.severity, message: message, path: path, location: location,
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
    /// The git history of the checked revision with its signatures; nil outside a git repository, where the
    /// history rules say nothing.
    public let governance: GovernanceContext?
    /// The risks awaiting reassessment, computed once for the two rules that report them (`Reassessment.pending`).
    package let pendingReassessments = Locked<[PendingReassessment]?>(nil)

    public init(isms: ISMS, asOf: Day, artifacts: any ArtifactReader, governance: GovernanceContext? = nil) {
        self.isms = isms
        self.asOf = asOf
        self.artifacts = artifacts
        self.governance = governance
    }

    public var config: Config { isms.config }
    public var graph: TraceGraph { isms.graph }
    public func records(_ kind: RecordKind) -> [Record] { isms.records(of: kind) }
    public func record(_ id: String) -> Record? { isms.record(id) }
}
