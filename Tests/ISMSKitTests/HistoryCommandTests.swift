import Foundation
import XCTest

/// The three commands' contracts: JSON shapes, typed values, text, filters and exit codes.
final class HistoryCommandTests: XCTestCase {
    private var r: ISMSRepository!
    private var commits: [String] = []

    /// RISK-1 and OBL-GDPR-32 created by Alice; Bob accepts the risk; Carol marks the obligation not applicable
    /// and renames the control file; churn outside the ISMS in between.
    override func setUp() {
        r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1"))
        r.write("obligations/gdpr-32.yaml", "id: OBL-GDPR-32\ntitle: Security of processing\nowner: carol\napplies: true\n")
        commits.append(r.commit("Add register", by: .alice, at: "2026-01-05T10:00:00+01:00"))
        r.write(
            "risks/r1.yaml",
            riskYAML(
                "RISK-1", likelihood: 2, treatment: "accept", controls: [],
                extra: "acceptance:\n  approved_by: carol\n  approved_on: 2026-02-01\n"))
        commits.append(r.commit("Accept laptop theft", by: .bob, at: "2026-02-01T14:30:00+01:00"))
        r.touchUnrelated()
        commits.append(r.commit("Unrelated work", by: .bob, at: "2026-02-10T09:00:00+01:00"))
        r.write(
            "obligations/gdpr-32.yaml",
            "id: OBL-GDPR-32\ntitle: Security of processing\nowner: carol\napplies: false\njustification: No personal data\n")
        r.remove("controls/c1.yaml")
        r.write("controls/disk-encryption.yaml", controlYAML("CTRL-1"))
        commits.append(r.commit("Scope out GDPR 32; rename control file", by: .carol, at: "2026-03-02T08:00:00+00:00"))
    }

    override func tearDown() { r = nil }

    private func keys(_ object: Any?) -> Set<String> { Set((object as? [String: Any])?.keys.map { $0 } ?? []) }

    func testHistoryJSONShape() throws {
        let result = r.isms(["history", "RISK-1", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(Set(document.keys), ["version", "record", "entries"])
        XCTAssertEqual(document["version"] as? Int, 1)
        XCTAssertEqual(document["record"] as? String, "RISK-1")
        let entries = try XCTUnwrap(document["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.count, 2)
        for entry in entries {
            XCTAssertEqual(Set(entry.keys), ["commit", "author", "committer", "summary", "signature", "path", "event", "changes"])
            XCTAssertEqual(keys(entry["signature"]), ["status", "format", "principal", "key"])
            XCTAssertEqual(keys(entry["author"]), ["name", "email", "date"])
            XCTAssertEqual(keys(entry["committer"]), ["name", "email", "date"])
        }
        let accepted = entries[0]
        XCTAssertEqual(accepted["commit"] as? String, commits[1])
        XCTAssertEqual(accepted["summary"] as? String, "Accept laptop theft")
        XCTAssertEqual(accepted["path"] as? String, "risks/r1.yaml")
        XCTAssertEqual(accepted["event"] as? String, "modified")
        XCTAssertEqual(
            accepted["author"] as? [String: String],
            ["name": "Bob Example", "email": "bob@example.com", "date": "2026-02-01T14:30:00+01:00"])
        let changes = accepted.changes
        XCTAssertEqual(
            changes.strings("field"), ["likelihood", "treatment", "controls", "acceptance.approved_by", "acceptance.approved_on"])
        for change in changes {
            let list = change["field"] as? String == "controls"
            XCTAssertEqual(Set(change.keys), list ? ["field", "old", "new", "added", "removed"] : ["field", "old", "new"])
        }
        XCTAssertEqual(changes[2]["added"] as? [String], [])
        XCTAssertEqual(changes[2]["removed"] as? [String], ["CTRL-1"])
        XCTAssertTrue(changes[3]["old"] is NSNull)
        // Typed by the schema: integers are numbers, dates are YYYY-MM-DD strings, absent is null.
        XCTAssertTrue(result.stdout.contains("\"field\" : \"likelihood\",\n          \"new\" : 2,\n          \"old\" : 3"), result.stdout)
        XCTAssertTrue(
            result.stdout.contains(
                "\"field\" : \"acceptance.approved_on\",\n          \"new\" : \"2026-02-01\",\n          \"old\" : null"),
            result.stdout)

        let obligation = r.isms(["history", "OBL-GDPR-32", "--format", "json"]).stdout
        XCTAssertTrue(obligation.contains("\"field\" : \"applies\",\n          \"new\" : false,\n          \"old\" : true"), obligation)
    }

    func testLogJSONShapeAddsTheRecord() throws {
        let document = r.json(["log"])
        XCTAssertEqual(Set(document.keys), ["version", "entries"])
        XCTAssertEqual(document["version"] as? Int, 1)
        let entries = try XCTUnwrap(document["entries"] as? [[String: Any]])
        for entry in entries {
            XCTAssertEqual(
                Set(entry.keys), ["commit", "author", "committer", "summary", "signature", "path", "event", "changes", "record"])
        }
        XCTAssertEqual(entries.strings("record"), ["CTRL-1", "OBL-GDPR-32", "RISK-1", "CTRL-1", "OBL-GDPR-32", "RISK-1"])
        XCTAssertEqual(entries.strings("event"), ["moved", "modified", "modified", "created", "created", "created"])
        XCTAssertEqual(entries.strings("commit"), [commits[3], commits[3], commits[1], commits[0], commits[0], commits[0]])
        XCTAssertEqual(
            entries.strings("path"),
            [
                "controls/disk-encryption.yaml", "obligations/gdpr-32.yaml", "risks/r1.yaml",
                "controls/c1.yaml", "obligations/gdpr-32.yaml", "risks/r1.yaml",
            ])
    }

    func testBlameJSONShapeAndValues() throws {
        let document = r.json(["blame", "RISK-1"])
        XCTAssertEqual(Set(document.keys), ["version", "record", "fields"])
        XCTAssertEqual(document["record"] as? String, "RISK-1")
        let fields = try XCTUnwrap(document["fields"] as? [[String: Any]])
        for field in fields {
            XCTAssertEqual(Set(field.keys), ["field", "value", "commit", "author", "date", "summary", "signature"])
            XCTAssertEqual(keys(field["author"]), ["name", "email", "date"])
        }
        XCTAssertEqual(
            fields.strings("field"),
            [
                "id", "title", "owner", "likelihood", "impact", "treatment", "controls",
                "acceptance.approved_by", "acceptance.approved_on",
            ])
        XCTAssertEqual(
            fields.strings("commit"),
            [
                commits[0], commits[0], commits[0], commits[1], commits[0], commits[1], commits[1],
                commits[1], commits[1],
            ])
        XCTAssertEqual(fields[3]["value"] as? Int, 2)
        XCTAssertEqual(fields[6]["value"] as? [String], [])
        XCTAssertEqual(fields[8]["value"] as? String, "2026-02-01")
        XCTAssertEqual(fields[3]["date"] as? String, "2026-02-01T14:30:00+01:00")
        XCTAssertEqual(fields[3]["summary"] as? String, "Accept laptop theft")
        XCTAssertEqual((fields[3]["author"] as? [String: String])?["name"], "Bob Example")
    }

    func testTextOutput() {
        let a = String(commits[0].prefix(10)), b = String(commits[1].prefix(10)), d = String(commits[3].prefix(10))
        XCTAssertEqual(
            r.isms(["history", "RISK-1"]).stdout,
            """
            \(b) 2026-02-01 Bob Example -  modified  likelihood: 3 → 2
                                                           treatment: reduce → accept
                                                           controls: -CTRL-1
                                                           acceptance.approved_by: (none) → carol
                                                           acceptance.approved_on: (none) → 2026-02-01
            \(a) 2026-01-05 Alice Example -  created  risks/r1.yaml

            """)
        XCTAssertEqual(
            r.isms(["log", "--kind", "control"]).stdout,
            """
            \(d) 2026-03-02 Carol Example -  CTRL-1  moved  controls/c1.yaml → controls/disk-encryption.yaml
            \(a) 2026-01-05 Alice Example -  CTRL-1  created  controls/c1.yaml

            """)
        XCTAssertEqual(
            r.isms(["blame", "OBL-GDPR-32"]).stdout,
            """
            id             OBL-GDPR-32             \(a) 2026-01-05 Alice Example -  Add register
            title          Security of processing  \(a) 2026-01-05 Alice Example -  Add register
            owner          carol                   \(a) 2026-01-05 Alice Example -  Add register
            applies        false                   \(d) 2026-03-02 Carol Example -  Scope out GDPR 32; rename control file
            justification  No personal data        \(d) 2026-03-02 Carol Example -  Scope out GDPR 32; rename control file

            """)
    }

    func testLogFilters() throws {
        func log(_ arguments: [String]) -> [[String: Any]] { r.json(["log"] + arguments)["entries"] as? [[String: Any]] ?? [] }
        XCTAssertEqual(log(["--since", "2026-02-01"]).strings("commit"), [commits[3], commits[3], commits[1]])
        XCTAssertEqual(log(["--since", "2026-01-06", "--until", "2026-03-01"]).strings("commit"), [commits[1]])
        XCTAssertEqual(log(["--until", "2026-01-05"]).strings("record"), ["CTRL-1", "OBL-GDPR-32", "RISK-1"])
        XCTAssertEqual(log(["--kind", "obligation"]).strings("record"), ["OBL-GDPR-32", "OBL-GDPR-32"])
        XCTAssertEqual(log(["--kind", "risks"]).strings("record"), ["RISK-1", "RISK-1"], "a kind's folder name works too")
        let treatment = log(["--field", "treatment"])
        XCTAssertEqual(treatment.strings("commit"), [commits[1], commits[0]])
        XCTAssertEqual(treatment.map { $0.changes.strings("field") }, [["treatment"], ["treatment"]])
        XCTAssertEqual(
            log(["--field", "acceptance"]).first?.changes.strings("field"), ["acceptance.approved_by", "acceptance.approved_on"])

        let bad = r.isms(["log", "--kind", "risc"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasPrefix("isms: error: unknown record kind 'risc'; did you mean 'risk'?"), bad.stderr)
    }

    func testHistoryFilters() {
        XCTAssertEqual(
            r.history("RISK-1", ["--field", "likelihood"]).map { $0.changes.strings("field") }, [["likelihood"], ["likelihood"]])
        XCTAssertEqual(r.history("RISK-1", ["--since", "2026-01-06"]).strings("commit"), [commits[1]])
    }

    func testUnknownIDExits2WithDidYouMean() {
        let history = r.isms(["history", "RISK-11"])
        XCTAssertEqual(history.status, 2)
        XCTAssertEqual(history.stderr, "isms: error: no record 'RISK-11' in the history of HEAD; did you mean 'RISK-1'?\n")
        let blame = r.isms(["blame", "CTRL-2", "--rev", commits[0]])
        XCTAssertEqual(blame.status, 2)
        XCTAssertEqual(blame.stderr, "isms: error: no record 'CTRL-2' in the history of \(commits[0]); did you mean 'CTRL-1'?\n")
        XCTAssertEqual(r.isms(["history", "RISK-1", "--rev", "no-such-branch"]).status, 2)
        XCTAssertEqual(r.isms(["history", "RISK-1", "--format", "xml"]).status, 2)
    }

    func testRevSelectsTheTip() {
        XCTAssertEqual(r.history("RISK-1", ["--rev", commits[0]]).strings("commit"), [commits[0]])
        let blame = r.json(["blame", "OBL-GDPR-32", "--rev", "HEAD~1"])["fields"] as? [[String: Any]] ?? []
        XCTAssertEqual(blame.strings("field"), ["id", "title", "owner", "applies"])
    }

    func testNeverWritesTheWorkTreeOrIndex() throws {
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 5))  // an uncommitted edit
        let index = try Data(contentsOf: URL(fileURLWithPath: r.path + "/.git/index"))
        let status = r.git("status", "--porcelain")
        XCTAssertEqual(r.isms(["log"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: r.path + "/.git/index")), index)
        XCTAssertEqual(r.git("status", "--porcelain"), status)
        XCTAssertEqual(r.history("RISK-1").count, 2, "the uncommitted edit is not history")
    }
}
