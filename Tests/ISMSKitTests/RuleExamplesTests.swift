import ISMSKit
import XCTest

/// Every rule's own examples are its specification: the failing one must trigger it, the passing one must not.
/// Each rule's examples run as its own test case, `GeneratedRuleTests.test_<rule id>`, so a failure names the rule.
final class RuleExamplesTests: XCTestCase {
    func testRuleIDsAreUnique() {
        let ids = RuleRegistry.all.map { type(of: $0).id }
        XCTAssertEqual(Set(ids).count, ids.count, "rule ids must be unique: \(ids)")
    }

    /// A rule that judges commits says so (`Rule.history`), and shows it with commits: its examples are histories.
    func testHistoryRulesDeclareThemselves() {
        for rule in RuleRegistry.all {
            let d = rule.definition, judgesCommits = type(of: rule).history == .judgesCommits
            XCTAssertEqual(
                !d.failing.commits.isEmpty, judgesCommits,
                "\(d.id): a rule whose examples are commits declares history = .judgesCommits, and only such a rule")
        }
    }

    /// GeneratedRuleTests holds one test per rule; scripts/generate-rule-tests.sh writes it from `isms rules`.
    func testGeneratedRuleTestsAreUpToDate() throws {
        let path = RuleDocsTests.packageRoot.appendingPathComponent("Tests/ISMSKitTests/GeneratedRuleTests.swift").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let generated = text.split(separator: "\n").compactMap { line -> String? in
            let line = line.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("func test_"), let end = line.firstIndex(of: "(") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 10)..<end])
        }
        let expected = RuleRegistry.all.map { GeneratedRuleTests.testName(type(of: $0).id) }
        XCTAssertEqual(
            generated, expected,
            """
            Tests/ISMSKitTests/GeneratedRuleTests.swift is stale; regenerate it from the package root with:
              swift build && scripts/generate-rule-tests.sh
            """)
    }
}

extension GeneratedRuleTests {
    /// How a rule id becomes a test name: `unsigned-decision` → `unsigned_decision`.
    static func testName(_ id: String) -> String { id.replacingOccurrences(of: "-", with: "_") }

    /// The rule's failing example must raise its finding, located; its passing example must be clean of every rule.
    func assertExamples(ofRule id: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let rule = try XCTUnwrap(RuleRegistry.rule(id), "no rule \(id); rerun scripts/generate-rule-tests.sh", file: file, line: line)
        let d = rule.definition
        let failing = try findings(of: d.failing).filter { $0.rule == d.id }
        XCTAssertFalse(failing.isEmpty, "\(d.id): its failing example raises no \(d.id) finding", file: file, line: line)
        for finding in failing {
            XCTAssertNotNil(finding.path, "\(d.id): finding '\(finding.message)' has no path", file: file, line: line)
            XCTAssertNotNil(finding.line, "\(d.id): finding '\(finding.message)' has no line", file: file, line: line)
        }
        // A passing example is shown to users as the way to do it right: it must be clean of every rule.
        let passing = try findings(of: d.passing)
        XCTAssertEqual(passing.map { "\($0.rule): \($0.message)" }, [], "\(d.id): its passing example is not clean", file: file, line: line)
    }
}

/// Writes `example` into a fresh folder (with the default isms.yaml unless it brings one) and checks it; an
/// example with commits is made as a real git repository first, its history judged too.
func findings(of example: RuleExample) throws -> [Finding] {
    if !example.commits.isEmpty { return try findings(ofHistory: example) }
    let folder = TemporaryFolder("isms-example")
    for file in example.files { folder.write(file.path, file.content) }
    if !example.files.contains(where: { $0.path == "isms.yaml" }) { folder.write("isms.yaml", RuleExample.defaultConfig) }
    let asOf = try XCTUnwrap(Day(example.asOf), "example as-of \(example.asOf) is not a date")
    return try Checker.check(WorkTreeSource(root: folder.path), asOf: asOf).findings
}

/// Makes `example.commits` in a new repository whose top is the ISMS root (see `RuleExample`), then checks the
/// work tree with the history rules, trusting the keys at HEAD.
func findings(ofHistory example: RuleExample) throws -> [Finding] {
    let repo = GitRepository()
    func key(_ person: String) -> SSHKey { TestKeys.person(person) }
    let people = ["alice", "bob", "carol"]
    func expand(_ content: String) -> String {
        var text = content
        for person in people {
            text = text.replacingOccurrences(of: "{{key \(person)}}", with: key(person).allowedSigner("\(person)@example.com"))
        }
        return text
    }
    let writesConfig = example.commits.contains { $0.files.contains { $0.path == "isms.yaml" } }
    let writesSigners = example.commits.contains { $0.files.contains { $0.path == ".isms/allowed_signers" } }
    let signs = example.commits.contains(where: \.signed)
    var trusted: String?
    var head = ""
    for (index, commit) in example.commits.enumerated() {
        defer { if example.trustedCommits == index + 1 { trusted = head } }
        if index == 0 {
            if !writesConfig { repo.write("isms.yaml", RuleExample.defaultConfig) }
            if signs && !writesSigners {
                repo.write(".isms/allowed_signers", expand(people.map { "{{key \($0)}}" }.joined(separator: "\n") + "\n"))
            }
        }
        for file in commit.files {
            if let content = file.content { repo.write(file.path, expand(content)) } else { repo.remove(file.path) }
        }
        let date = commit.date.count == 10 ? commit.date + "T10:00:00Z" : commit.date
        let author = GitRepository.Person(
            name: commit.author.prefix(1).uppercased() + commit.author.dropFirst() + " Example",
            email: "\(commit.author)@example.com")
        guard commit.signed else {
            head = repo.commit(commit.message, by: author, at: date)
            continue
        }
        head = repo.commitSigned(commit.message, by: author, at: date, key: key(commit.signer ?? commit.author))
        if commit.tampered {
            let changed = repo.rewriteCommit(head, as: "main") {
                $0.replacingOccurrences(of: commit.message, with: commit.message + " (edited)")
            }
            XCTAssertNotEqual(changed, head, "the example's message was not found in its commit")
            head = changed
        }
    }
    let asOf = try XCTUnwrap(Day(example.asOf), "example as-of \(example.asOf) is not a date")
    let workspace = try Workspace(explicitRoot: repo.path)
    var notes = [String]()
    return try workspace.check(
        workspace.workTreeSource, asOf: asOf, options: GovernanceOptions(trustRef: trusted, useCache: false),
        notes: &notes
    ).findings
}
