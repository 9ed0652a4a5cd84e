import Foundation
import ISMSKit
import XCTest

/// The rule documentation is generated from the rules' descriptions; these tests keep what users read in step.
final class RuleDocsTests: XCTestCase {
    /// The package root: this file is Tests/ISMSKitTests/RuleDocsTests.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testDocsRulesMarkdownIsUpToDate() throws {
        let path = Self.packageRoot.appendingPathComponent("docs/rules.md").path
        let onDisk = try XCTUnwrap(FileManager.default.contents(atPath: path), "\(path) is missing")
        let written = String(decoding: onDisk, as: UTF8.self), generated = RuleDocs.markdown()
        guard written != generated else { return }
        let a = written.components(separatedBy: "\n"), b = generated.components(separatedBy: "\n")
        let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        XCTFail(
            """
            docs/rules.md is stale (first difference at line \(line + 1)); regenerate it from the package root with:
              swift build && .build/debug/isms rules --format markdown > docs/rules.md
            """)
    }

    func testExplainPrintsTheRationaleAndExitsZero() {
        let folder = TemporaryFolder()
        let result = isms(["explain", "untraced-control"], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let definition = UntracedControlRule.definition
        XCTAssertTrue(result.stdout.hasPrefix("untraced-control (default severity: error)"), result.stdout)
        // The rationale is printed indented, one line per paragraph line.
        XCTAssertTrue(result.stdout.contains("  " + definition.rationale), result.stdout)
        XCTAssertTrue(result.stdout.contains(definition.fix), result.stdout)
    }

    func testExplainOfAnUnknownRuleExitsTwoWithADidYouMean() {
        let folder = TemporaryFolder()
        let result = isms(["explain", "untraced-contrl"], in: folder.path)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("unknown rule 'untraced-contrl'; did you mean 'untraced-control'?"), result.stderr)
    }
}
