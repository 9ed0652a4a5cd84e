import Foundation
import ISMSKit
import XCTest

@testable import ISMSHistory

/// A cold run frees each parsed record version once the commits compared so far that name it are tracked, and reads
/// a version again when a later commit names it: what is freed may change memory and speed, never the history.
final class HistoryMemoryTests: XCTestCase {
    /// A version met again after it was freed (a revert to an earlier text, a merge bringing a branch's change made
    /// commits before, a record restored): tracking one commit behind gives what tracking far behind gives.
    func testRecordVersionsFreedAndMetAgainGiveTheSameHistory() throws {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("risks/r2.yaml", riskYAML("RISK-2"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "planned\ndue: 2027-03-01"))
        r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "topic")
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "operating"))
        r.commit("Encryption is operating", by: .bob, at: "2026-01-06T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        r.commit("Lower likelihood", by: .carol, at: "2026-01-07T10:00:00+01:00")
        r.remove("risks/r2.yaml")
        r.touchUnrelated()
        r.commit("Drop RISK-2", at: "2026-01-08T10:00:00+01:00")
        // The first texts again: their blobs were parsed three commits ago.
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("risks/r2.yaml", riskYAML("RISK-2"))
        r.commit("Back to the first assessment; RISK-2 restored", by: .bob, at: "2026-01-09T10:00:00+01:00")
        r.touchUnrelated()
        r.commit("Unrelated", at: "2026-01-10T10:00:00+01:00")
        // The merge's diff with its first parent holds the branch's control, parsed five commits ago.
        _ = r.git("merge", "-q", "--no-ff", "--no-commit", "topic")
        r.commit("Merge topic", by: .alice, at: "2026-01-11T10:00:00+01:00")

        let workspace = try Workspace(explicitRoot: r.path + "/isms")
        func load(lag: Int, ownThread: Bool = true, seenRunSize: Int = 1 << 16) throws -> History {
            let engine = try workspace.historyEngine()
            engine.trackingLag = lag
            engine.trackOnOwnThread = ownThread
            engine.seenBlobsRunSize = seenRunSize
            return try engine.load(HistoryOptions(useCache: false))
        }
        let far = try load(lag: 256), near = try load(lag: 1)
        // Tracked on the tracker's thread as the commits are handed over, or in line on the main thread: the same.
        // A run size of 1 and 2: the versions met are looked up in sorted runs, merged as they come.
        for inLine in [
            try load(lag: 256, ownThread: false), try load(lag: 1, ownThread: false), try load(lag: 1, seenRunSize: 1),
            try load(lag: 1, seenRunSize: 2),
        ] {
            XCTAssertEqual(describe(inLine), describe(far))
            XCTAssertEqual(inLine.blobsParsed, far.blobsParsed)
        }
        XCTAssertEqual(describe(near), describe(far))
        XCTAssertEqual(near.blobsParsed, far.blobsParsed, "a version read again counts once")
        for id in ["RISK-1", "RISK-2", "CTRL-1"] {
            XCTAssertEqual(
                near.blame(id)?.map { "\($0.field) \($0.value) \($0.commit.id.hex)" },
                far.blame(id)?.map { "\($0.field) \($0.value) \($0.commit.id.hex)" }, id)
        }
        XCTAssertTrue(describe(far).contains { $0.contains("RISK-2 restored") }, describe(far).joined(separator: "\n"))
        XCTAssertEqual(far.entries(of: "CTRL-1")?.count, 2)
    }

    /// The records are tracked on a thread of their own, handed the compared commits in batches, while the main thread
    /// compares trees and frees the versions tracked commits alone named: a generated history of 1,000 commits (merges,
    /// renames, id changes, deletions, restorations) gives, whatever the lag, the history tracked in line on the main
    /// thread. It fails when a batch is dropped, reordered, or tracked before its blobs are named.
    func testTrackingOnItsOwnThreadGivesTheHistoryTrackedInLine() throws {
        let repo = try FaultTests.generatedRepository(records: 300, commits: 1000)
        let workspace = try Workspace(explicitRoot: repo.path + "/isms")
        func load(lag: Int, ownThread: Bool, backlog: Int = 4096) throws -> History {
            let engine = try workspace.historyEngine()
            engine.trackingLag = lag
            engine.trackOnOwnThread = ownThread
            engine.trackingBacklog = backlog
            // Small: the versions met are held in sorted runs, several merged, as on a long history.
            engine.seenBlobsRunSize = lag == 1 ? 3 : 1 << 16
            return try engine.load(HistoryOptions(useCache: false))
        }
        let inLine = try load(lag: 2048, ownThread: false)
        let expected = describe(inLine)
        XCTAssertGreaterThan(expected.count, 1000)
        // A backlog of 1: the main thread waits for the tracker after every hand-over.
        for (lag, backlog) in [(1, 4096), (16, 4096), (2048, 4096), (16, 1)] {
            let threaded = try load(lag: lag, ownThread: true, backlog: backlog)
            let got = describe(threaded)
            // The first difference only: a whole log is thousands of lines.
            if let first = (0..<min(got.count, expected.count)).first(where: { got[$0] != expected[$0] })
                ?? (got.count == expected.count ? nil : min(got.count, expected.count))
            {
                XCTFail(
                    "lag \(lag): entry \(first) differs: \(first < got.count ? got[first] : "none") instead of \(first < expected.count ? expected[first] : "none")"
                )
            }
            XCTAssertEqual(threaded.blobsParsed, inLine.blobsParsed, "lag \(lag)")
            for id in ["RISK-0001", "RISK-0100", "CTRL-0001"] {
                XCTAssertEqual(
                    threaded.blame(id)?.map { "\($0.field) \($0.value) \($0.commit.id.hex)" },
                    inLine.blame(id)?.map { "\($0.field) \($0.value) \($0.commit.id.hex)" }, "\(id), lag \(lag)")
            }
        }
    }

    /// Trees compared during the walk on a thread of its own (`TreesAhead`) give the history compared on the main thread
    /// after the walk: on a generated history of 1,000 commits (merges, renames, id changes, deletions, restorations,
    /// isms.yaml edits), with the thread started at once or after 100 commits, made to do every commit it met or stopped
    /// where the walk ends, following every parent or the first only: the same log, versions parsed and root entries
    /// changed. It fails when the thread compares a commit with another base, or drops a change or a root entry.
    func testTreesComparedDuringTheWalkGiveTheHistoryComparedAfterIt() throws {
        let repo = try FaultTests.generatedRepository(records: 300, commits: 1000)
        let workspace = try Workspace(explicitRoot: repo.path + "/isms")
        func load(ahead: Bool, after: Int = 1, drains: Bool = true, firstParent: Bool) throws -> (history: History, ahead: Int) {
            let engine = try workspace.historyEngine()
            engine.compareAhead = ahead
            engine.compareAheadAfter = after
            engine.compareAheadDrains = drains
            let history = try engine.load(HistoryOptions(firstParent: firstParent, useCache: false))
            return (history, engine.comparedAheadCount)
        }
        for firstParent in [false, true] {
            let (expected, none) = try load(ahead: false, firstParent: firstParent)
            XCTAssertEqual(none, 0)
            XCTAssertGreaterThan(expected.log().count, 1000)
            XCTAssertFalse(expected.topLevelChanges?.changed.isEmpty ?? true, "isms.yaml changes in the history")
            for (after, drains) in [(1, true), (100, true), (1, false)] {
                let (got, ahead) = try load(ahead: true, after: after, drains: drains, firstParent: firstParent)
                let label = "first parent \(firstParent), after \(after), drains \(drains)"
                // Drained, every commit walked is the thread's.
                if drains { XCTAssertEqual(ahead, got.commitsRead, label) }
                // The first difference only: a whole log is thousands of lines.
                let lines = describe(got), expectedLines = describe(expected)
                if let first = (0..<min(lines.count, expectedLines.count)).first(where: { lines[$0] != expectedLines[$0] }) {
                    XCTFail("\(label): entry \(first) is \(lines[first]), not \(expectedLines[first])")
                }
                XCTAssertEqual(lines.count, expectedLines.count, label)
                XCTAssertEqual(got.blobsParsed, expected.blobsParsed, label)
                XCTAssertTrue(got.topLevelChanges?.changed == expected.topLevelChanges?.changed, "\(label): root entries changed differ")
            }
        }
    }

    /// A tree the walk's thread cannot read is left to the main thread, which stops with the error it always gave.
    func testATreeTheWalksThreadCannotReadGivesTheMainThreadsError() throws {
        let r = ISMSRepository()
        for n in 0..<6 {
            r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 1 + n % 5))
            r.commit("Edit \(n)", at: "2026-01-0\(n + 1)T10:00:00+01:00")
        }
        let tree = r.git("rev-parse", "HEAD~2:isms/risks")
        try FileManager.default.removeItem(atPath: r.path + "/.git/objects/" + tree.prefix(2) + "/" + tree.dropFirst(2))
        func outcome(ahead: Bool) -> String {
            do {
                let engine = try Workspace(explicitRoot: r.path + "/isms").historyEngine()
                engine.compareAhead = ahead
                engine.compareAheadAfter = 1
                engine.compareAheadDrains = true
                _ = try engine.load(HistoryOptions(useCache: false))
                return "read"
            } catch {
                return "error: \(error)"
            }
        }
        let expected = outcome(ahead: false)
        XCTAssertTrue(expected.contains("is missing from the repository"), expected)
        XCTAssertEqual(outcome(ahead: true), expected)
    }

    /// `isms log` writes its text as it renders it, commit by commit, verifying each commit's signature when its first
    /// entry is written, rather than render every entry at once: the same bytes, with the settings' decisions among the
    /// records' changes (one commit changing both), signatures, a filter, and a text longer than one piece (64 KiB).
    func testTheStreamedLogIsTheLogRenderedWhole() throws {
        let alice = TestKeys.ed25519, bob = TestKeys.p256
        func config(_ scope: String) -> String { minimalConfig + "require_signed_decisions: true\nscope: \(scope)\n" }
        func risk(_ n: Int, owner: String = "alice", treatment: String = "avoid") -> String {
            "id: RISK-\(n)\ntitle: Risk number \(n)\nowner: \(owner)\ntreatment: \(treatment)\n"
        }
        let repo = GitRepository()
        repo.write("isms.yaml", config("All of Example Ltd"))
        repo.write(
            ".isms/allowed_signers",
            [alice.allowedSigner("alice@example.com"), bob.allowedSigner("bob@example.com")].joined(separator: "\n") + "\n")
        for n in 1...900 { repo.write("risks/risk-\(n).yaml", risk(n)) }
        repo.commitSigned("Start the ISMS", by: .alice, at: "2026-01-01T10:00:00Z", key: alice)
        repo.write("isms.yaml", config("The product only"))
        repo.write("risks/risk-1.yaml", risk(1, treatment: "reduce"))
        repo.commitSigned("Narrow the scope, reduce RISK-1", by: .bob, at: "2026-02-01T10:00:00Z", key: bob)
        repo.write("risks/risk-2.yaml", risk(2, owner: "bob"))
        repo.commit("Hand RISK-2 to Bob", by: .carol, at: "2026-02-02T10:00:00Z")
        repo.write("isms.yaml", config("Everything"))
        repo.commit("Widen the scope", by: .alice, at: "2026-02-03T10:00:00Z")

        let workspace = try Workspace(explicitRoot: repo.path)
        let history = try workspace.historyEngine().load(HistoryOptions(useCache: false))
        let settings = try workspace.settingsLog(history)
        for (arguments, filter) in [([], HistoryFilter()), (["--since", "2026-02-01"], HistoryFilter(since: Day("2026-02-01")))] {
            let items = history.log(filter, decisionsOf: settings)
            let verifier = try workspace.signatureVerifier(trustRef: "HEAD", useCache: false)
            let whole = HistoryText.log(
                items, signatures: verifier.signatures(of: items.map(\.commit), people: workspace.people(at: "HEAD")))
            let streamed = isms(["log", "--no-cache"] + arguments, in: repo.path)
            XCTAssertEqual(streamed.status, 0, streamed.stderr)
            XCTAssertEqual(streamed.stdout, whole, "\(arguments)")
            XCTAssertTrue(whole.contains("Bob Example ✓bob  RISK-1  modified"), whole)
            XCTAssertTrue(whole.contains("isms.yaml  modified  scope: The product only → Everything"), whole)
        }
        // Newest first; a commit's record changes before its setting change.
        let lines = isms(["log", "--no-cache"], in: repo.path).stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasSuffix("Alice Example -  isms.yaml  modified  scope: The product only → Everything"), lines[0])
        XCTAssertTrue(lines[1].contains("Carol Example -  RISK-2  modified  owner: alice → bob"), lines[1])
        XCTAssertTrue(lines[2].contains("Bob Example ✓bob  RISK-1  modified"), lines[2])
        XCTAssertTrue(lines[3].contains("Bob Example ✓bob  isms.yaml  modified  scope: All of Example Ltd → The product only"), lines[3])
        XCTAssertGreaterThan(lines.joined(separator: "\n").utf8.count, 1 << 16)
    }

    /// This run's operations are held as bytes with their strings interned and decoded on each use: every event,
    /// flag, kind and value comes back as it went in, strings byte for byte (two spellings of "é" that Swift deems
    /// equal stay two), lists in lists, negative numbers, absent values and attributions to other commits or none.
    func testCompactOperationsComeBackAsTheyWentIn() {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let ops = [
            RecordOp(
                event: .modified, ownEvent: false, kind: .control, oldID: "CTRL-1", newID: "CTRL-1",
                oldPath: "controls/\(composed).yaml", newPath: "controls/\(composed).yaml",
                fields: [
                    FieldOp(field: "owner", old: .string(composed), new: .string(decomposed), attribution: 7),
                    FieldOp(field: "due", old: .date(Day("2026-03-01")!), new: nil, attribution: -1),
                    FieldOp(field: "likelihood", old: .integer(-3), new: .integer(Int(Int32.max) + 9), attribution: 2),
                    FieldOp(
                        field: "tags", old: .list([.string("a"), .list([.boolean(true), .string(decomposed)])]),
                        new: .list([]), attribution: 7),
                ]),
            RecordOp(
                event: .idChanged, ownEvent: true, kind: .risk, oldID: "RISK-1", newID: "RISK-2", oldPath: nil,
                newPath: "risks/\(decomposed).yaml", fields: []),
            RecordOp(
                event: .deleted, ownEvent: true, kind: .asset, oldID: "ASSET-1", newID: nil, oldPath: "assets/a.yaml",
                newPath: nil, fields: [FieldOp(field: "owner", old: .boolean(false), new: nil, attribution: 7)]),
        ]
        var compact = CompactOps()
        for _ in 0..<3 { compact.append() }
        compact.set(ops, at: 1, commit: 7)
        compact.set(Array(ops.reversed()), at: 2, commit: 8)
        XCTAssertTrue(compact.isEmpty(0))
        XCTAssertEqual(compact.ops(0, commit: 6), [])
        XCTAssertFalse(compact.isEmpty(1))
        /// Every string byte for byte: `==` on strings (and so on values) is canonical.
        func exact(_ ops: [RecordOp]) -> String {
            func value(_ v: FieldValue?) -> String {
                switch v {
                case nil: return "nil"
                case .string(let s)?: return "s" + s.utf8.map { String($0) }.joined(separator: ".")
                case .list(let items)?: return "[" + items.map { value($0) }.joined(separator: ",") + "]"
                case let other?: return "\(other)"
                }
            }
            func text(_ s: String?) -> String { s.map { $0.utf8.map { String($0) }.joined(separator: ".") } ?? "nil" }
            return ops.map { op in
                "\(op.event) \(op.ownEvent) \(op.kind) \(text(op.oldID)) \(text(op.newID)) \(text(op.oldPath)) \(text(op.newPath)) "
                    + op.fields.map { "\($0.field) \(value($0.old)) \(value($0.new)) \($0.attribution)" }.joined(separator: "; ")
            }.joined(separator: "\n")
        }
        XCTAssertEqual(exact(compact.ops(1, commit: 7)), exact(ops))
        XCTAssertEqual(exact(compact.ops(2, commit: 8)), exact(ops.reversed()))
        XCTAssertEqual(compact.ops(1, commit: 7), ops)
    }

    /// Each log entry as one line: commit, record, event, path and every field's change.
    private func describe(_ history: History) -> [String] {
        history.log().map { entry in
            "\(entry.commit.id.hex) \(entry.record) \(entry.event) \(entry.path) "
                + entry.changes.map { "\($0.field): \(String(describing: $0.old)) → \(String(describing: $0.new))" }
                .joined(separator: "; ")
        }
    }
}
