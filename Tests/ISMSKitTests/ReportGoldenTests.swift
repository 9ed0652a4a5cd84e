import Foundation
import XCTest

@testable import ISMSKit

/// Every report, graph and the audit pack of example-isms at a fixed day, compared with the files in
/// Tests/ISMSKitTests/Golden. After an intended change, rewrite them with
/// `ISMS_UPDATE_GOLDEN=1 swift test --filter ReportGoldenTests` and review the diff.
final class ReportGoldenTests: XCTestCase {
    static let asOf = "2026-12-01"
    private let golden = repositoryRoot + "/Tests/ISMSKitTests/Golden"
    private var updating: Bool { ProcessInfo.processInfo.environment["ISMS_UPDATE_GOLDEN"] == "1" }

    private func compare(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let path = golden + "/" + name
        if updating {
            try? FileManager.default.createDirectory(atPath: golden, withIntermediateDirectories: true)
            XCTAssertNoThrow(try Data(actual.utf8).write(to: URL(fileURLWithPath: path)), file: file, line: line)
            return
        }
        guard let expected = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
            return XCTFail("missing golden file \(name); run with ISMS_UPDATE_GOLDEN=1 to write it", file: file, line: line)
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
            XCTFail(
                """
                \(name) differs from the golden file at line \(first + 1):
                  expected: \(first < e.count ? String(e[first]) : "<end>")
                  actual:   \(first < a.count ? String(a[first]) : "<end>")
                Rewrite with ISMS_UPDATE_GOLDEN=1 if the change is intended.
                """, file: file, line: line)
        }
    }

    private func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        let result = isms(arguments + ["--root", "example-isms"], in: repositoryRoot)
        XCTAssertEqual(result.status, 0, "isms \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    func testReports() {
        // Outside git: in this repository, the documents report would show its commits, which change with every merge.
        let example = exampleISMSOutsideGit()
        for kind in Reports.kinds {
            for format in ["md", "csv", "json"] {
                let result = isms(["report", kind, "--format", format, "--as-of", Self.asOf], in: example.path)
                XCTAssertEqual(result.status, 0, "isms report \(kind): \(result.stderr)")
                compare(result.stdout, "\(kind).\(format)")
            }
        }
    }

    func testSingleReportHTML() {
        compare(run(["report", "register", "--format", "html", "--as-of", Self.asOf]), "register.html")
    }

    func testGraphs() {
        compare(run(["graph"]), "graph.mmd")
        compare(run(["graph", "--format", "dot", "--from", "RISK-2"]), "graph-RISK-2.dot")
        compare(run(["graph", "--from", "OBL-NIS2-21-2-c"]), "graph-OBL-NIS2-21-2-c.mmd")
    }

    func testAuditPack() throws {
        let folder = TemporaryFolder()
        let out = folder.path + "/pack.html"
        let example = exampleISMSOutsideGit()
        let result = isms(["export", "--html", out, "--as-of", Self.asOf], in: example.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        compare(try XCTUnwrap(folder.read("pack.html")), "audit-pack.html")
    }

    /// The JSON contract: version 1, and every row has exactly its table's column keys.
    func testJSONRowsHaveTheirColumnKeys() throws {
        for kind in Reports.kinds {
            let json = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(run(["report", kind, "--format", "json", "--as-of", Self.asOf]).utf8))
                    as? [String: Any])
            XCTAssertEqual(json["version"] as? Int, 1)
            XCTAssertEqual(json["report"] as? String, kind)
            XCTAssertEqual(json["as_of"] as? String, Self.asOf)
            XCTAssertEqual(Set(json.keys), ["version", "report", "title", "isms", "as_of", "introduction", "summary", "tables"])
            for table in try XCTUnwrap(json["tables"] as? [[String: Any]]) {
                let keys = Set(try XCTUnwrap(table["columns"] as? [[String: String]]).compactMap { $0["key"] })
                for row in try XCTUnwrap(table["rows"] as? [[String: Any]]) {
                    XCTAssertEqual(Set(row.keys), keys, "\(kind) \(table["id"] ?? "")")
                }
            }
        }
    }

    func testBadArgumentsExitTwo() {
        let unknown = isms(["report", "regster", "--root", "example-isms"], in: repositoryRoot)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown report 'regster'; did you mean 'register'?"), unknown.stderr)
        let format = isms(["report", "soa", "--format", "pdf", "--root", "example-isms"], in: repositoryRoot)
        XCTAssertEqual(format.status, 2)
        let graph = isms(["graph", "--from", "RISK-99", "--root", "example-isms"], in: repositoryRoot)
        XCTAssertEqual(graph.status, 2)
        XCTAssertTrue(graph.stderr.contains("did you mean RISK-19?"), graph.stderr)
    }
}
