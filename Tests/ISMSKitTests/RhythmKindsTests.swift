import Foundation
import XCTest

@testable import ISMSKit

/// The six record kinds of the operating rhythm (audits, nonconformities, management reviews, objectives,
/// incidents, interested parties): their values, links through named entries, `isms new`, history and diff.
final class RhythmKindsTests: XCTestCase {
    func testTimestampsNeedTheirZoneAndCompareAcrossZones() throws {
        let berlin = try XCTUnwrap(Timestamp("2026-03-02T14:05:00+01:00"))
        let utc = try XCTUnwrap(Timestamp("2026-03-02T13:05Z"))
        XCTAssertEqual(berlin, utc)
        XCTAssertEqual(berlin.description, "2026-03-02 13:05 UTC")
        XCTAssertEqual(Timestamp("2026-03-02T00:30:00+02:00")?.day.description, "2026-03-01")
        for bad in [
            "2026-03-02T14:05:00", "2026-03-02", "2026-03-02 14:05Z", "2026-02-30T10:00Z", "2026-03-02T24:00Z",
            "2026-03-02T10:60Z", "2026-03-02T10:00+1:00", "2026-03-02T10:00:00+01:00x", "2026-03-02T10:00z",
        ] {
            XCTAssertNil(Timestamp(bad), bad)
        }
        XCTAssertEqual(Timestamp.endOf(Day("2026-12-01")!).description, "2026-12-01 23:59 UTC")
        // One calendar month: 31 January → 28 February, 15 December → 15 January.
        XCTAssertEqual(Timestamp("2026-01-31T10:00Z")!.addingMonth(), Timestamp("2026-02-28T10:00Z"))
        XCTAssertEqual(Timestamp("2026-12-15T10:00Z")!.addingMonth(), Timestamp("2027-01-15T10:00Z"))
        XCTAssertEqual(DecimalNumber.parse("99.5"), 99.5)
        XCTAssertEqual(DecimalNumber.parse("-3"), -3)
        for bad in ["1e5", ".5", "5.", "99,5", "+1", "", "-", "1.2.3"] { XCTAssertNil(DecimalNumber.parse(bad), bad) }
    }

    func testLinksInNamedEntriesAreCheckedAndLocated() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write(
            "management-reviews/mr-1.yaml",
            """
            id: MR-1
            title: Review 2026
            owner: alice
            date: 2026-11-01
            attendees: [alice, carol]
            top_management: [carol]
            inputs: {previous_actions: a, issues: b, parties: c, nonconformities: d, monitoring: e, audits: f, objectives: g, feedback: h, risks: i, improvement: j}
            actions:
              A-1:
                action: Measure phishing clicks
                owner: bob
                due: 2027-03-01
                link: OBJ-9
              A-2: {action: Fix the thing, owner: bob, due: 2027-03-01, link: RISK-1}

            """)
        folder.write("risks/risk-1.yaml", "id: RISK-1\ntitle: x\nowner: alice\ntreatment: avoid\n")
        let result = isms(["check", "--as-of", "2026-12-01"], in: folder.path)
        XCTAssertTrue(
            result.stdout.contains("management-reviews/mr-1.yaml:13:11: error: actions.A-1.link refers to OBJ-9, which no record has"),
            result.stdout)
        XCTAssertFalse(result.stdout.contains("RISK-1, which"), result.stdout)
        let graph = isms(["graph", "--from", "MR-1"], in: folder.path)
        XCTAssertEqual(graph.status, 0, graph.stderr)
        XCTAssertTrue(graph.stdout.contains("actions.A-2.link"), graph.stdout)
    }

    func testBadValuesOfTheNewKindsAreLocated() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write("incidents/inc-1.yaml", "id: INC-1\ntitle: x\nowner: alice\ndetected_at: 2026-03-02T14:05\n")
        folder.write(
            "nonconformities/nc-1.yaml",
            "id: NC-1\ntitle: x\nowner: alice\nsource: {type: audit}\ntype: minor\nactions:\n  CA.1: {action: x, owner: bob, due: 2026-01-01}\n  CA-2: {action: x, owner: bob}\n"
        )
        folder.write("evidence/ev-1.yaml", "id: EV-1\ntitle: x\ncollected_on: 2026-01-05\nvalue: lots\n")
        let out = isms(["check", "--as-of", "2026-12-01"], in: folder.path).stdout
        XCTAssertTrue(out.contains("incidents/inc-1.yaml:4:14: error: 'detected_at' must be a date and time with its zone"), out)
        XCTAssertTrue(
            out.contains("nonconformities/nc-1.yaml:7:3: error: 'actions' names 'CA.1'") || out.contains("nonconformities/nc-1.yaml:7:"),
            out)
        XCTAssertTrue(out.contains("nonconformities/nc-1.yaml:8:9: error: nonconformity is missing required field 'actions.CA-2.due'"), out)
        XCTAssertTrue(out.contains("evidence/ev-1.yaml:1:1: error: evidence needs one of: control, objective [missing-field]"), out)
        XCTAssertTrue(out.contains("evidence/ev-1.yaml:4:8: error: 'value' must be a number"), out)
    }

    func testNewWritesEachKindFromItsTemplateAndTheResultPasses() {
        let folder = TemporaryFolder()
        XCTAssertEqual(isms(["init", "acme", "--name", "Acme"], in: folder.path).status, 0)
        let root = folder.path + "/acme"
        for (kind, path) in [
            ("audit", "audits/aud-2.yaml"), ("nonconformity", "nonconformities/nc-2.yaml"),
            ("management-review", "management-reviews/mr-2.yaml"), ("objective", "objectives/obj-2.yaml"),
            ("incident", "incidents/inc-2.yaml"), ("parties", "parties/party-2.yaml"),
            ("document", "documents/doc-2.md"),
        ] {
            let result = isms(["new", kind, "--title", "A new \(kind)", "--owner", "alex"], in: root)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, path + "\n")
        }
        let check = isms(["check"], in: root)
        XCTAssertEqual(check.status, 0, check.stdout)
        XCTAssertTrue(check.stdout.contains("21 records checked: 0 errors"), check.stdout)
    }

    func testHistoryAndDiffFollowNamedEntries() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        let nc =
            "id: NC-1\ntitle: Access reviews skipped\nowner: alice\nsource: {type: audit, record: AUD-1}\ntype: minor\nroot_cause: No reminder\nactions:\n  CA-1: {action: Add a reminder, owner: bob, due: 2026-05-01}\n"
        repo.write("nonconformities/nc-1.yaml", nc)
        repo.write(
            "audits/aud-1.yaml",
            "id: AUD-1\ntitle: Internal audit\nowner: alice\ntype: internal\nstatus: performed\nplanned_on: 2026-03-01\nperformed_on: 2026-03-02\nauditor: carol\nnonconformities: [NC-1]\n"
        )
        repo.commit("Audit and its nonconformity", by: .alice, at: "2026-03-05T10:00:00Z")
        repo.write(
            "nonconformities/nc-1.yaml", nc.replacingOccurrences(of: "due: 2026-05-01}", with: "due: 2026-05-01, done_on: 2026-04-20}"))
        repo.commit("CA-1 done", by: .bob, at: "2026-04-20T10:00:00Z")
        let history = isms(["history", "NC-1"], in: repo.path)
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertTrue(history.stdout.contains("actions.CA-1.done_on"), history.stdout)
        XCTAssertTrue(history.stdout.contains("Bob Example"), history.stdout)
        let diff = isms(["diff", "HEAD~1..HEAD"], in: repo.path)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("NC-1") && diff.stdout.contains("actions.CA-1.done_on"), diff.stdout)
    }
}
