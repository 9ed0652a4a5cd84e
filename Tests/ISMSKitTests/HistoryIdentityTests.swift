import Foundation
import XCTest

/// A record is its id: moves, renames, id changes, deletions and merges keep one history.
final class HistoryIdentityTests: XCTestCase {
    func testMoveAcrossFoldersKeepsOneHistory() {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        let created = r.commit("Add laptop risk", by: .alice, at: "2026-01-05T10:00:00+01:00")
        r.touchUnrelated()
        r.commit("Unrelated work", by: .bob, at: "2026-01-06T10:00:00+01:00")
        r.remove("risks/r1.yaml")
        r.write("risks/closed/2026/r1.yaml", riskYAML("RISK-1"))
        let moved = r.commit("Archive closed risks", by: .carol, at: "2026-02-01T09:30:00+01:00")

        let entries = r.history("RISK-1")
        XCTAssertEqual(entries.strings("commit"), [moved, created])
        XCTAssertEqual(entries.strings("event"), ["moved", "created"])
        XCTAssertEqual(entries.strings("path"), ["risks/closed/2026/r1.yaml", "risks/r1.yaml"])
        XCTAssertEqual(entries[0].changes.count, 0)
        XCTAssertEqual((entries[0]["author"] as? [String: Any])?["name"] as? String, "Carol Example")
    }

    func testRenameWithEditsInTheSameCommitIsOneMove() {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.commit("Add laptop risk", at: "2026-01-05T10:00:00+01:00")
        r.remove("risks/r1.yaml")
        r.write("risks/laptop-theft.yaml", riskYAML("RISK-1", likelihood: 4, controls: ["CTRL-1", "CTRL-2"]))
        let renamed = r.commit("Rename and rescore", by: .bob, at: "2026-01-09T16:45:00-05:00")

        let entries = r.history("RISK-1")
        XCTAssertEqual(entries.strings("event"), ["moved", "created"])
        XCTAssertEqual(entries[0]["commit"] as? String, renamed)
        XCTAssertEqual(entries[0]["path"] as? String, "risks/laptop-theft.yaml")
        let changes = entries[0].changes
        XCTAssertEqual(changes.strings("field"), ["likelihood", "controls"])
        XCTAssertEqual(changes[0]["old"] as? Int, 3)
        XCTAssertEqual(changes[0]["new"] as? Int, 4)
        XCTAssertNil(changes[0]["added"], "a scalar field has no added/removed")
        XCTAssertEqual(changes[1]["old"] as? [String], ["CTRL-1"])
        XCTAssertEqual(changes[1]["new"] as? [String], ["CTRL-1", "CTRL-2"])
        XCTAssertEqual(changes[1]["added"] as? [String], ["CTRL-2"])
        XCTAssertEqual(changes[1]["removed"] as? [String], [])
        XCTAssertEqual((entries[0]["author"] as? [String: Any])?["date"] as? String, "2026-01-09T16:45:00-05:00")
    }

    func testIDChangeInPlaceIsFollowed() {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        let created = r.commit("Add laptop risk", at: "2026-01-05T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        let modified = r.commit("Lower likelihood", by: .bob, at: "2026-01-06T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-9", likelihood: 2))
        let renumbered = r.commit("Renumber risks", by: .carol, at: "2026-01-07T10:00:00+01:00")

        let newer = r.history("RISK-9")
        XCTAssertEqual(newer.strings("commit"), [renumbered, modified, created])
        XCTAssertEqual(newer.strings("event"), ["id-changed", "modified", "created"])
        XCTAssertEqual(newer[0].changes.strings("field"), ["id"])
        XCTAssertEqual(newer[0].changes[0]["old"] as? String, "RISK-1")
        XCTAssertEqual(newer[0].changes[0]["new"] as? String, "RISK-9")
        XCTAssertEqual(newer[1].changes.strings("field"), ["likelihood"])

        XCTAssertEqual(r.history("RISK-1").strings("commit"), [renumbered, modified, created])
        let log = r.json(["log"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(log.strings("record"), ["RISK-9", "RISK-1", "RISK-1"])

        let text = r.isms(["history", "RISK-9"]).stdout
        XCTAssertTrue(text.hasPrefix(String(renumbered.prefix(10)) + " 2026-01-07 Carol Example -  id-changed  RISK-1 → RISK-9\n"), text)
    }

    func testDeletedAndRestoredRecordKeepsOneHistory() {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1"))
        let created = r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        r.remove("risks/r1.yaml")
        let deleted = r.commit("Drop laptop risk", by: .bob, at: "2026-01-06T10:00:00+01:00")
        r.touchUnrelated()
        r.commit("Unrelated work", by: .bob, at: "2026-01-07T10:00:00+01:00")
        r.write("risks/laptop.yaml", riskYAML("RISK-1", treatment: "accept"))
        let restored = r.commit("Bring the laptop risk back", by: .carol, at: "2026-01-08T10:00:00+01:00")

        let entries = r.history("RISK-1")
        XCTAssertEqual(entries.strings("commit"), [restored, deleted, created])
        XCTAssertEqual(entries.strings("event"), ["restored", "deleted", "created"])
        XCTAssertEqual(entries.strings("path"), ["risks/laptop.yaml", "risks/r1.yaml", "risks/r1.yaml"])
        let gone = entries[1].changes
        XCTAssertEqual(gone.strings("field"), ["id", "title", "owner", "likelihood", "impact", "treatment", "controls"])
        XCTAssertEqual(gone[0]["old"] as? String, "RISK-1")
        XCTAssertTrue(gone[0]["new"] is NSNull)
        let back = entries[0].changes
        XCTAssertEqual(back.first { $0["field"] as? String == "treatment" }?["new"] as? String, "accept")
        XCTAssertTrue(back.allSatisfy { $0["old"] is NSNull })
    }

    func testWhitespaceCommentsAndKeyOrderChangeNothing() {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        let created = r.commit("Add laptop risk", at: "2026-01-05T10:00:00+01:00")
        r.write(
            "risks/r1.yaml",
            """
            # Laptop theft, reviewed at the risk workshop

            treatment: reduce   # decided 2026-01
            controls:
              - CTRL-1
            likelihood: 3
            impact: 4
            owner: alice
            title: "Laptop theft"
            id: RISK-1

            """)
        let reformatted = r.commit("Reformat", by: .bob, at: "2026-01-06T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-1", impact: 5))
        let changed = r.commit("Raise impact", by: .carol, at: "2026-01-07T10:00:00+01:00")

        let entries = r.history("RISK-1")
        XCTAssertEqual(entries.strings("commit"), [changed, created])
        XCTAssertEqual(entries[0].changes.strings("field"), ["impact"])
        XCTAssertEqual(entries[0].changes[0]["old"] as? Int, 4)
        let log = r.json(["log"])["entries"] as? [[String: Any]] ?? []
        XCTAssertFalse(log.strings("commit").contains(reformatted))
    }

    func testLinksAndSubmodulesUnderTheRootAreNotRecords() throws {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        let created = r.commit("Add laptop risk", at: "2026-01-05T10:00:00+01:00")
        try FileManager.default.createSymbolicLink(atPath: r.path + "/isms/risks/link.yaml", withDestinationPath: "r1.yaml")
        r.git("update-index", "--add", "--cacheinfo", "160000,\(created),isms/risks/vendor.yaml")
        r.commit("Add a link and a submodule", by: .bob, at: "2026-01-06T10:00:00+01:00")

        let log = r.json(["log"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(log.strings("commit"), [created])
        XCTAssertEqual(log.strings("path"), ["risks/r1.yaml"])
    }
}

/// Merges: a value keeps the credit of the commit that made it.
final class HistoryMergeTests: XCTestCase {
    /// main: RISK-1 created; a branch accepts the risk; main changes a control meanwhile; merged with --no-ff.
    private func branchMergedWithNoFF() -> (ISMSRepository, created: String, branch: String, main: String, merge: String) {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "planned\ndue: 2027-03-01"))
        let created = r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "accept-laptop")
        r.write(
            "risks/r1.yaml",
            riskYAML("RISK-1", treatment: "accept", extra: "acceptance:\n  approved_by: carol\n  approved_on: 2026-01-06\n"))
        let branch = r.commit("Accept the laptop risk", by: .bob, at: "2026-01-06T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "operating"))
        r.touchUnrelated()
        let main = r.commit("Encryption is operating", by: .carol, at: "2026-01-07T10:00:00+01:00")
        _ = r.git("merge", "-q", "--no-ff", "--no-commit", "accept-laptop")
        let merge = r.commit("Merge accept-laptop", by: .alice, at: "2026-01-08T10:00:00+01:00")
        return (r, created, branch, main, merge)
    }

    func testBranchChangeMergedWithNoFFIsCreditedToTheBranchCommit() {
        let (r, created, branch, main, merge) = branchMergedWithNoFF()
        let entries = r.history("RISK-1")
        XCTAssertEqual(entries.strings("commit"), [branch, created])
        XCTAssertEqual(entries[0].changes.strings("field"), ["treatment", "acceptance.approved_by", "acceptance.approved_on"])
        XCTAssertEqual(entries[0].changes[2]["new"] as? String, "2026-01-06")

        let log = r.json(["log"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(log.strings("commit"), [main, branch, created, created])
        XCTAssertFalse(log.strings("commit").contains(merge))

        let blame = r.json(["blame", "RISK-1"])["fields"] as? [[String: Any]] ?? []
        XCTAssertEqual(
            blame.strings("field"),
            [
                "id", "title", "owner", "likelihood", "impact", "treatment", "controls",
                "acceptance.approved_by", "acceptance.approved_on",
            ])
        XCTAssertEqual(blame.strings("commit"), [created, created, created, created, created, branch, created, branch, branch])
    }

    func testFirstParentCreditsTheMerge() {
        let (r, created, _, _, merge) = branchMergedWithNoFF()
        let entries = r.history("RISK-1", ["--first-parent"])
        XCTAssertEqual(entries.strings("commit"), [merge, created])
        XCTAssertEqual(entries.strings("event"), ["modified", "created"])
        XCTAssertEqual(entries[0].changes.strings("field"), ["treatment", "acceptance.approved_by", "acceptance.approved_on"])
    }

    /// Both sides change likelihood; the merge resolves the conflict to a third value.
    private func conflict(resolvedTo likelihood: Int) -> (ISMSRepository, created: String, branch: String, main: String, merge: String) {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        let created = r.commit("Add laptop risk", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "rescore")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        let branch = r.commit("Lower likelihood", by: .bob, at: "2026-01-06T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 4))
        let main = r.commit("Raise likelihood", by: .carol, at: "2026-01-07T10:00:00+01:00")
        let merging = gitAllowingFailure(["merge", "-q", "--no-ff", "--no-commit", "rescore"], in: r.path)
        XCTAssertNotEqual(merging.status, 0, "the merge should stop on a conflict")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: likelihood))
        let merge = r.commit("Merge rescore", by: .alice, at: "2026-01-08T10:00:00+01:00")
        return (r, created, branch, main, merge)
    }

    func testConflictResolutionIsCreditedToTheMerge() {
        let (r, created, branch, main, merge) = conflict(resolvedTo: 5)
        let entries = r.history("RISK-1")
        XCTAssertEqual(entries.strings("commit"), [merge, main, branch, created])
        XCTAssertEqual(entries.strings("event"), ["modified", "modified", "modified", "created"])
        XCTAssertEqual(entries[0].changes.count, 1)
        XCTAssertEqual(entries[0].changes[0]["old"] as? Int, 4, "old is the first parent's value")
        XCTAssertEqual(entries[0].changes[0]["new"] as? Int, 5)
        let blame = r.json(["blame", "RISK-1"])["fields"] as? [[String: Any]] ?? []
        XCTAssertEqual(blame.first { $0["field"] as? String == "likelihood" }?["commit"] as? String, merge)
    }

    /// Both sides changed the field, so no three-way merge explains the result: whoever resolved the conflict
    /// decided it, even when they took one side's value (issue 11: a conflict resolution is judged like any commit).
    func testConflictResolvedToTheBranchValueIsCreditedToTheMerge() {
        let (r, created, branch, main, merge) = conflict(resolvedTo: 2)
        XCTAssertEqual(r.history("RISK-1").strings("commit"), [merge, main, branch, created])
        let blame = r.json(["blame", "RISK-1"])["fields"] as? [[String: Any]] ?? []
        XCTAssertEqual(blame.first { $0["field"] as? String == "likelihood" }?["commit"] as? String, merge)
    }

    func testRecordCreatedOnABranchIsCreditedToTheBranch() {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.commit("Add laptop risk", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "phishing")
        r.write("risks/r2.yaml", riskYAML("RISK-2", title: "Phishing"))
        let branch = r.commit("Add phishing risk", by: .bob, at: "2026-01-06T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        r.touchUnrelated()
        r.commit("Unrelated work", by: .carol, at: "2026-01-07T10:00:00+01:00")
        _ = r.git("merge", "-q", "--no-ff", "--no-commit", "phishing")
        r.commit("Merge phishing", by: .alice, at: "2026-01-08T10:00:00+01:00")

        let entries = r.history("RISK-2")
        XCTAssertEqual(entries.strings("commit"), [branch])
        XCTAssertEqual(entries.strings("event"), ["created"])
        let blame = r.json(["blame", "RISK-2"])["fields"] as? [[String: Any]] ?? []
        XCTAssertEqual(Set(blame.strings("commit")), [branch])
    }
}
