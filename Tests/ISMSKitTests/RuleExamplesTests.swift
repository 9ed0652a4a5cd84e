import ISMSKit
import XCTest

/// Every rule's own examples are its specification: the failing one must trigger it, the passing one must not.
final class RuleExamplesTests: XCTestCase {
    func testEveryRuleFailsItsFailingExampleAndPassesItsPassingExample() throws {
        let ids = RuleRegistry.all.map { type(of: $0).id }
        XCTAssertEqual(Set(ids).count, ids.count, "rule ids must be unique: \(ids)")
        for rule in RuleRegistry.all {
            let d = rule.definition
            let failing = try findings(of: d.failing).filter { $0.rule == d.id }
            XCTAssertFalse(failing.isEmpty, "\(d.id): its failing example raises no \(d.id) finding")
            for finding in failing {
                XCTAssertNotNil(finding.path, "\(d.id): finding '\(finding.message)' has no path")
                XCTAssertNotNil(finding.line, "\(d.id): finding '\(finding.message)' has no line")
            }
            // A passing example is shown to users as the way to do it right: it must be clean of every rule.
            let passing = try findings(of: d.passing)
            XCTAssertEqual(passing.map { "\($0.rule): \($0.message)" }, [], "\(d.id): its passing example is not clean")
        }
    }
}

/// Writes `example` into a fresh folder (with the default isms.yaml unless it brings one) and checks it.
func findings(of example: RuleExample) throws -> [Finding] {
    let folder = TemporaryFolder("isms-example")
    for file in example.files { folder.write(file.path, file.content) }
    if !example.files.contains(where: { $0.path == "isms.yaml" }) { folder.write("isms.yaml", RuleExample.defaultConfig) }
    let asOf = try XCTUnwrap(Day(example.asOf), "example as-of \(example.asOf) is not a date")
    return try Checker.check(WorkTreeSource(root: folder.path), asOf: asOf).findings
}
