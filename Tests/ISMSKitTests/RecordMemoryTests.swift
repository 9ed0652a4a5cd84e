import Foundation
import XCTest

@testable import ISMSKit

/// The compact loaded record (issue 16, `check` on 100,000 records under 400 MB): the field map keeps a Dictionary's
/// meaning, locations keep their values, and reading the records in slices gives what one pass gave.
final class RecordMemoryTests: XCTestCase {
    /// Every finding, in order, as a line; and every record with all its fields and objects.
    private func describe(_ loaded: LoadedISMS) -> (findings: [String], records: [String]) {
        let findings = loaded.findings.map { "\($0.rule) \($0.path ?? ""):\($0.line ?? 0):\($0.column ?? 0) \($0.message)" }
        let records = loaded.isms.records.map { record in
            let fields = record.fields.map { "\($0.key)=\($0.value.value.text)@\($0.value.location.line):\($0.value.location.column)" }
            let objects = record.objects.map { "\($0.key)@\($0.value.line):\($0.value.column)" }
            return "\(record.path) \(record.id) \(fields) \(objects) \(record.rejected.sorted())"
        }
        return (findings, records)
    }

    func testReadingInSlicesGivesWhatOnePassGives() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        for n in 1...9 {
            folder.write(
                "risks/risk-\(n).yaml",
                "id: RISK-\(n)\ntitle: Risk \(n)\nowner: alice\ntreatment: accept\nlikelihood: \(n % 6)\nimpact: 2\n"
                    + "acceptance:\n  approved_by: bob\n  approved_on: 2026-01-0\(n)\n  expires: 2027-01-01\n  rationale: r\n")
        }
        // The same id as the first file, in a later slice; a file that is not YAML; a value of the wrong type.
        folder.write("risks/zz-duplicate.yaml", "id: RISK-1\ntitle: again\nowner: alice\ntreatment: avoid\n")
        folder.write("risks/risk-broken.yaml", "id: [unclosed\n")
        folder.write("assets/asset-1.yaml", "id: ASSET-1\ntitle: laptop\nowner: alice\nin_scope: perhaps\n")
        let source = WorkTreeSource(root: folder.path)
        let whole = describe(try Loader.load(from: source, policy: nil, ruleIDs: ConfigReader.ruleIDs, sliceSize: 1000))
        XCTAssertEqual(whole.records.count, 11)
        XCTAssertTrue(whole.findings.contains { $0.hasPrefix("duplicate-id risks/zz-duplicate.yaml:1:5 id 'RISK-1'") }, "\(whole.findings)")
        XCTAssertTrue(whole.findings.contains { $0.hasPrefix("parse-error risks/risk-broken.yaml") }, "\(whole.findings)")
        XCTAssertTrue(whole.findings.contains { $0.hasPrefix("invalid-value assets/asset-1.yaml:4") }, "\(whole.findings)")
        for size in [1, 2, 3, 5] {
            let sliced = describe(try Loader.load(from: source, policy: nil, ruleIDs: ConfigReader.ruleIDs, sliceSize: size))
            XCTAssertEqual(sliced.findings, whole.findings, "slices of \(size)")
            XCTAssertEqual(sliced.records, whole.records, "slices of \(size)")
        }
    }

    func testFieldMapActsAsADictionary() {
        var generator = SystemRandomNumberGenerator()
        let names = ["a", "b", "acceptance.approved_by", "acceptance.approved_on", "z", "review.last", "Ä", "a.b", ""]
        for _ in 0..<200 {
            var map = FieldMap<Int>()
            var reference = [String: Int]()
            for _ in 0..<Int.random(in: 0..<30, using: &generator) {
                let name = names.randomElement(using: &generator)!
                let value: Int? = Bool.random(using: &generator) ? Int.random(in: 0..<5, using: &generator) : nil
                map[name] = value
                reference[name] = value
                XCTAssertEqual(map[name], reference[name])
            }
            XCTAssertEqual(map.count, reference.count)
            XCTAssertEqual(map.isEmpty, reference.isEmpty)
            XCTAssertEqual(Array(map.keys), reference.keys.sorted(), "iterates in key order")
            XCTAssertEqual(Array(map.values), reference.keys.sorted().map { reference[$0]! })
            XCTAssertEqual(map.map(\.key), reference.keys.sorted())
            XCTAssertEqual(map.mapValues { $0 * 2 }, reference.mapValues { $0 * 2 })
            for name in names { XCTAssertEqual(map[name], reference[name], name) }
            XCTAssertEqual(FieldMap(reference), map)
            XCTAssertEqual(FieldMap(unsorted: reference.shuffled(using: &generator).map { ($0.key, $0.value) }), map)
        }
        // A later entry of a key replaces an earlier one, as assigning into a Dictionary does.
        let repeated = FieldMap<Int>(unsorted: [("b", 1), ("a", 2), ("b", 3)])
        XCTAssertEqual(repeated, ["a": 2, "b": 3])
        XCTAssertEqual(repeated.count, 2)
    }

    func testSourceLocationKeepsItsValuesAndItsJSON() throws {
        let location = SourceLocation(line: 123_456, column: 78)
        XCTAssertEqual(location.line, 123_456)
        XCTAssertEqual(location.column, 78)
        XCTAssertLessThan(SourceLocation(line: 2, column: 9), SourceLocation(line: 3, column: 1))
        XCTAssertLessThan(SourceLocation(line: 3, column: 1), SourceLocation(line: 3, column: 2))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        XCTAssertEqual(String(decoding: try encoder.encode(location), as: UTF8.self), #"{"column":78,"line":123456}"#)
        XCTAssertEqual(
            try JSONDecoder().decode(SourceLocation.self, from: Data(#"{"line":5,"column":6}"#.utf8)), SourceLocation(line: 5, column: 6))
        // Beyond 32 bits (no file within limits.file_bytes gets there) it saturates instead of trapping.
        XCTAssertEqual(SourceLocation(line: Int.max, column: 1).line, Int(Int32.max))
    }

    func testSchemaNamesAreShared() throws {
        func storage(_ text: String) -> UnsafePointer<UInt8>? {
            var text = text
            return text.withUTF8 { $0.baseAddress }
        }
        // Two names built apart, as two records' validations build them: one copy between them.
        let first = Schema.sharedName("acceptance." + ["approved", "by"].joined(separator: "_"))
        let second = Schema.sharedName(["acceptance", "approved_by"].joined(separator: "."))
        XCTAssertEqual(first, "acceptance.approved_by")
        XCTAssertEqual(storage(first), storage(second))
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        for n in 1...2 {
            folder.write(
                "risks/risk-\(n).yaml",
                "id: RISK-\(n)\ntitle: t\nowner: alice\ntreatment: accept\nacceptance:\n  approved_by: bob\n"
                    + "  approved_on: 2026-01-01\n  expires: 2027-01-01\n  rationale: r\n")
        }
        let records = try Loader.load(from: WorkTreeSource(root: folder.path)).isms.records
        let keys = records.map { $0.fields.keys.first { $0 == "acceptance.approved_by" } }
        XCTAssertEqual(keys.count, 2)
        XCTAssertEqual(storage(try XCTUnwrap(keys[0])), storage(try XCTUnwrap(keys[1])), "the loaded records share the name")
        // A keyed entry's name is the author's, not the schema's.
        XCTAssertEqual(Schema.sharedName("actions.CA-1.due"), "actions.CA-1.due")
    }
}
