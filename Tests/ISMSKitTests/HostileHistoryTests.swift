import Foundation
import XCTest

@testable import ISMSKit

/// Hostile histories: odd merge shapes, impossible dates, malformed commit objects, shallow and partial clones,
/// damaged objects, a repository without commits, a conflicted index. Every command either gives correct
/// results or exits 2 with one clear line; none crashes or hangs (`assertHeld`).
final class HostileHistoryTests: XCTestCase {
    /// A repository with the ISMS in `isms/` and RISK-1 created, then edited `edits` times.
    private func edited(_ edits: Int) -> (ISMSRepository, [String]) {
        let r = ISMSRepository()
        var commits = [String]()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "planned\ndue: 2027-03-01"))
        commits.append(r.commit("Add RISK-1", at: "2026-01-05T10:00:00+01:00"))
        for n in 0..<edits {
            r.write("risks/r1.yaml", riskYAML("RISK-1", title: "Laptop theft \(n + 1)"))
            commits.append(
                r.commit("Edit \(n + 1)", by: n % 2 == 0 ? .bob : .carol, at: "2026-01-\(String(format: "%02d", 6 + n))T10:00:00+01:00"))
        }
        return (r, commits)
    }

    /// Runs the reading commands and the JSON log with and without the cache, which must agree.
    private func assertAllCommandsHold(
        _ r: ISMSRepository, id: String = "RISK-1", rev: String = "HEAD", exits: Set<Int32> = [0, 1],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        for command in Commands.reading(id: id, rev: rev) {
            assertHeld(command + ["--root", "isms"], in: r.path, exits: exits, file: file, line: line)
        }
        let cached = assertHeld(
            ["log", "--rev", rev, "--format", "json", "--root", "isms"], in: r.path, exits: exits, file: file, line: line)
        let fresh = assertHeld(
            ["log", "--rev", rev, "--format", "json", "--no-cache", "--root", "isms"], in: r.path, exits: exits, file: file, line: line)
        XCTAssertEqual(cached.stdout, fresh.stdout, "a cached run differs from a fresh one", file: file, line: line)
    }

    private func logEntries(_ r: ISMSRepository, _ extra: [String] = []) -> [[String: Any]] {
        r.json(["log"] + extra)["entries"] as? [[String: Any]] ?? []
    }

    // MARK: Dates

    /// Clock skew (a child older than its parent), dates far in the future, the extremes of a 64-bit time, ±14:00
    /// zones and identical timestamps. Dates print within years 0000–9999 (the extremes clamp, never overflow).
    func testSkewedFutureExtremeAndIdenticalDates() {
        let (r, commits) = edited(6)
        let authors = [
            "Alice Example <alice@example.com> 1767603600 +0100",  // the original creation time
            "Bob Example <bob@example.com> 946684800 +1400",  // 2000: older than its parent (skew), +14:00
            "Carol Example <carol@example.com> 4102444800 -1200",  // 2100
            "Bob Example <bob@example.com> 9223372036854775807 +1400",  // the largest time git can write
            "Carol Example <carol@example.com> -9223372036854775808 -1400",  // the smallest
            "Bob Example <bob@example.com> 1767603600 +0100",  // identical to the first
            "Carol Example <carol@example.com> 1767603600 +0100",  // identical again
        ]
        var parent: String?
        var rewritten = [String]()
        for (commit, author) in zip(commits, authors) {
            let tree = r.git("rev-parse", commit + "^{tree}")
            let id = r.repo.rawCommit(
                tree: tree, parents: parent.map { [$0] } ?? [], author: author, message: "Rewritten \(rewritten.count)")
            rewritten.append(id)
            parent = id
        }
        _ = r.git("update-ref", "refs/heads/main", parent!)
        _ = r.git("reset", "-q", "--hard", "main")

        assertAllCommandsHold(r)
        let entries = logEntries(r).filter { $0["record"] as? String == "RISK-1" }
        XCTAssertEqual(entries.count, 7)
        let dates = entries.compactMap { ($0["author"] as? [String: Any])?["date"] as? String }
        XCTAssertTrue(dates.contains("9999-12-31T23:59:59+14:00"), "\(dates)")
        XCTAssertTrue(dates.contains("0000-01-01T00:00:00-14:00"), "\(dates)")
        XCTAssertTrue(dates.contains("2000-01-01T14:00:00+14:00"), "\(dates)")
        XCTAssertTrue(dates.contains("2100-01-01T00:00:00-12:00") || dates.contains("2099-12-31T12:00:00-12:00"), "\(dates)")
        // Newest first by graph, never a parent before its child, whatever the dates say.
        XCTAssertEqual(entries.strings("commit"), rewritten.reversed())
        // --since/--until over clamped dates.
        XCTAssertEqual(logEntries(r, ["--since", "9999-01-01"]).count, 1)
        XCTAssertEqual(logEntries(r, ["--until", "0000-12-31"]).count, 1)
    }

    // MARK: Malformed commit objects

    /// Author lines git writes with `hash-object --literally` and shows in `git log`, which libgit2 refuses to
    /// parse: no e-mail, an unterminated e-mail, a time that overflows. An empty e-mail `<>` and a name-less
    /// author parse in libgit2. A message with a `gpgsig` line, and a real `gpgsig` header, are just commits.
    func testMalformedAuthorLinesAreReadAsGitLogShowsThem() {
        let (r, commits) = edited(6)
        let authors = [
            "Alice Example <alice@example.com> 1767603600 +0100",
            "Empty Mail <> 1767690000 +0100",
            "No Mail 1767776400 +0100",
            "Broken Mail <broken@example.com 1767862800 +0100",
            "<nameless@example.com> 1767949200 +0100",
            "Huge Time <huge@example.com> 99999999999999999999 +0100",
            "Signed Off <signed@example.com> 1768122000 +0100",
        ]
        let signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n"
        var parent: String?
        var rewritten = [String]()
        for (n, (commit, author)) in zip(commits, authors).enumerated() {
            let tree = r.git("rev-parse", commit + "^{tree}")
            let message = n == 6 ? "Sign the edit\n\ngpgsig -----BEGIN PGP SIGNATURE-----\nnot a header" : "Edit \(n)"
            let id = r.repo.rawCommit(
                tree: tree, parents: parent.map { [$0] } ?? [], author: author, message: message,
                extraHeaders: n == 6 ? signature : "")
            rewritten.append(id)
            parent = id
        }
        _ = r.git("update-ref", "refs/heads/main", parent!)
        _ = r.git("reset", "-q", "--hard", "main")

        assertAllCommandsHold(r)
        for command in [
            ["diff", "HEAD~5..HEAD"], ["check", "--base", "HEAD~5"], ["check", "--rev", "HEAD~3"], ["check", "--rev", "main~4^{commit}"],
        ] {
            // The forged gpgsig header is a bad signature: check reports it (bad-signature) and exits 1.
            assertHeld(command + ["--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: command[0] == "check" ? [0, 1] : [0])
        }
        let entries = logEntries(r).filter { $0["record"] as? String == "RISK-1" }
        XCTAssertEqual(entries.strings("commit"), rewritten.reversed())
        let authorsSeen = entries.map { entry -> String in
            let author = entry["author"] as? [String: Any] ?? [:]
            return "\(author["name"] as? String ?? "?") <\(author["email"] as? String ?? "?")> \(author["date"] as? String ?? "?")"
        }
        XCTAssertEqual(
            authorsSeen,
            [
                "Signed Off <signed@example.com> 2026-01-11T10:00:00+01:00",
                "Huge Time <huge@example.com> 1970-01-01T01:00:00+01:00",
                " <nameless@example.com> 2026-01-09T10:00:00+01:00",
                "Broken Mail <broken@example.com> 2026-01-08T10:00:00+01:00",
                "No Mail <> 2026-01-07T10:00:00+01:00",
                "Empty Mail <> 2026-01-06T10:00:00+01:00",
                "Alice Example <alice@example.com> 2026-01-05T10:00:00+01:00",
            ])
        XCTAssertEqual(entries.first?["summary"] as? String, "Sign the edit")
    }

    // MARK: Volume

    /// A list of 120,000 items that changes between two commits: `log` and `history` compare it in linear time
    /// (it took 125 s, a search of one list per item of the other). Assert well under the debug build's speed.
    func testLongListChangedBetweenTwoCommitsIsComparedInLinearTime() {
        let r = ISMSRepository()
        r.write("isms.yaml", minimalConfig + "limits:\n  file_bytes: 8388608\n")
        let old = (0..<120_000).map { "CTRL-\($0)" }
        // One item dropped at the front, one added at the end, and the rest the same: every item is looked up.
        let new = Array(old.dropFirst()) + ["CTRL-NEW"]
        r.write("risks/r1.yaml", riskYAML("RISK-1", controls: old))
        r.commit("Add RISK-1", at: "2026-01-05T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-1", controls: new))
        r.commit("Swap a control", at: "2026-01-06T10:00:00+01:00")
        for command in [["log", "--no-cache"], ["history", "RISK-1", "--no-cache"], ["log", "--format", "json", "--no-cache"]] {
            let result = assertHeld(command + ["--root", "isms"], in: r.path, exits: [0], timeout: 20)
            XCTAssertLessThan(result.seconds, 20)
            XCTAssertTrue(result.stdout.contains("CTRL-NEW") && result.stdout.contains("CTRL-0"), String(result.stdout.prefix(2000)))
        }
    }

    /// Items added and removed keep their order and their repetitions, as the item-by-item search gave them.
    func testListChangesKeepOrderAndRepetitions() {
        func list(_ items: [String]) -> FieldValue { .list(items.map(FieldValue.string)) }
        func naive(_ a: [String], _ b: [String]) -> [FieldValue] { a.filter { !b.contains($0) }.map(FieldValue.string) }
        let cases: [([String], [String])] = [
            (["a", "b", "b", "c"], ["b", "d", "d", "a"]), ([], ["x", "x"]), (["x", "y"], []), (["a", "b"], ["b", "a"]),
            (["c", "a", "c", "b"], ["b", "e", "c", "e", "f"]),
        ]
        for (before, after) in cases {
            let change = FieldChange(field: "controls", old: list(before), new: list(after))
            XCTAssertEqual(change.added, naive(after, before))
            XCTAssertEqual(change.removed, naive(before, after))
        }
        XCTAssertEqual(FieldChange(field: "title", old: .string("a"), new: .string("b")).added, [])
        XCTAssertEqual(FieldChange(field: "controls", old: nil, new: list(["a", "a"])).added, [.string("a"), .string("a")])
    }

    // MARK: Limits

    /// `limits.history_bytes`: the record bytes one run parses from the history are counted before each parse,
    /// across versions and records (each version here under the file size limit), cached or not.
    func testHistoryBytesLimitBoundsWhatOneRunParses() {
        let r = ISMSRepository()
        let padding = "description: " + String(repeating: "x", count: 900) + "\n"
        r.write("controls/c1.yaml", controlYAML("CTRL-1", status: "implemented"))
        for n in 0..<6 {
            r.write("risks/r1.yaml", riskYAML("RISK-1", title: "Laptop theft \(n)", extra: padding))
            r.commit("Edit \(n)", at: "2026-01-\(String(format: "%02d", 5 + n))T10:00:00+01:00")
        }
        r.write("isms.yaml", minimalConfig + "limits:\n  history_bytes: 4096\n")
        r.commit("Limit the bytes", at: "2026-02-01T10:00:00+01:00")
        for command in [["log"], ["log", "--no-cache"], ["history", "RISK-1"], ["blame", "RISK-1"], ["check", "--as-of", "2026-12-01"]] {
            assertHeld(
                command + ["--root", "isms"], in: r.path, exits: [2],
                stderrContains: "bytes of records to read (limits.history_bytes in isms.yaml); raise the limit")
        }
        r.write("isms.yaml", minimalConfig + "limits:\n  history_bytes: 65536\n")
        r.commit("Raise it", at: "2026-02-02T10:00:00+01:00")
        assertHeld(["log", "--root", "isms"], in: r.path, exits: [0])
        assertHeld(["check", "--as-of", "2026-12-01", "--root", "isms"], in: r.path, exits: [0, 1])
    }

    /// `limits.commits`: the walk stops as soon as it passes the limit, with one line, cached or not.
    func testCommitLimitIsEnforcedWhileWalking() {
        let (r, _) = edited(5)
        r.write("isms.yaml", minimalConfig + "limits:\n  commits: 4\n")
        r.commit("Limit the history", at: "2026-02-01T10:00:00+01:00")
        // diff reads the history with its trust revision's limits (BASE by default): here HEAD's, which set it.
        for command in [
            ["log"], ["log", "--no-cache"], ["history", "RISK-1"], ["blame", "RISK-1"], ["diff", "HEAD~6..HEAD", "--trust-ref", "HEAD"],
        ] {
            assertHeld(
                command + ["--root", "isms"], in: r.path, exits: [2],
                stderrContains: "has more than 4 commits (limits.commits in isms.yaml); raise the limit")
        }
        assertHeld(["log", "--rev", "HEAD~3", "--root", "isms"], in: r.path, exits: [0])
        r.write("isms.yaml", minimalConfig + "limits:\n  commits: 7\n")
        r.commit("Raise it", at: "2026-02-02T10:00:00+01:00")
        assertHeld(["log", "--root", "isms"], in: r.path, exits: [2])
        r.write("isms.yaml", minimalConfig + "limits:\n  commits: 9\n")
        r.commit("Raise it to the nine commits there are", at: "2026-02-03T10:00:00+01:00")
        assertHeld(["log", "--root", "isms"], in: r.path, exits: [0])
    }

    // MARK: Merge shapes

    /// Criss-cross merges (two merge bases), an octopus merge, a merge of unrelated histories and several root
    /// commits: every command holds, and the cache agrees with a fresh run.
    func testCrissCrossOctopusUnrelatedAndSeveralRoots() {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.commit("Add RISK-1", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("branch", "side")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        r.commit("Main: likelihood 2", at: "2026-01-06T10:00:00+01:00")
        _ = r.git("checkout", "-q", "side")
        r.write("risks/r2.yaml", riskYAML("RISK-2"))
        r.commit("Side: RISK-2", by: .bob, at: "2026-01-06T11:00:00+01:00")
        // Criss-cross: each branch merges the other's tip as it was.
        let sideTip = r.git("rev-parse", "side"), mainTip = r.git("rev-parse", "main")
        _ = r.git("merge", "-q", "--no-ff", "-m", "Side merges main", mainTip)
        _ = r.git("checkout", "-q", "main")
        _ = r.git("merge", "-q", "--no-ff", "-m", "Main merges side", sideTip)
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 4))
        r.commit("Main: likelihood 4", at: "2026-01-07T10:00:00+01:00")
        _ = r.git("checkout", "-q", "side")
        r.write("risks/r2.yaml", riskYAML("RISK-2", impact: 1))
        r.commit("Side: impact 1", by: .bob, at: "2026-01-07T11:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        _ = r.git("merge", "-q", "--no-ff", "-m", "Merge the criss-cross", "side")

        // Octopus: three branches at once.
        for name in ["o1", "o2", "o3"] {
            _ = r.git("checkout", "-q", "-b", name, "main")
            r.write("controls/\(name).yaml", controlYAML("CTRL-\(name.dropFirst())"))
            r.commit("Add control \(name)", by: .carol, at: "2026-01-08T10:00:00+01:00")
        }
        _ = r.git("checkout", "-q", "main")
        _ = r.git("merge", "-q", "--no-ff", "-m", "Octopus", "o1", "o2", "o3")

        // Unrelated: an orphan history with its own root, merged with --allow-unrelated-histories.
        _ = r.git("checkout", "-q", "--orphan", "imported")
        _ = r.git("rm", "-q", "-r", "--cached", ".")
        for path in ["isms", "src"] { try? FileManager.default.removeItem(atPath: r.path + "/" + path) }
        r.repo.write("isms/isms.yaml", minimalConfig)
        r.write("assets/a1.yaml", "id: ASSET-1\ntitle: Laptops\nowner: alice\n")
        r.commit("Imported register", by: .bob, at: "2025-12-01T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-f", "main")
        let merged = gitAllowingFailure(
            [
                "merge", "--no-ff", "--allow-unrelated-histories", "-m", "Adopt the imported register",
                "-X", "ours", "imported",
            ], in: r.path)
        XCTAssertEqual(merged.status, 0, merged.stderr)

        XCTAssertEqual(r.git("rev-list", "--max-parents=0", "HEAD").split(separator: "\n").count, 2, "two root commits")
        assertAllCommandsHold(r)
        for id in ["RISK-2", "CTRL-1", "ASSET-1"] {
            assertHeld(["history", id, "--root", "isms"], in: r.path, exits: [0])
            assertHeld(["blame", id, "--root", "isms"], in: r.path, exits: [0])
        }
        assertHeld(["diff", "side..main", "--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: [0])
        assertHeld(["check", "--base", "imported", "--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: [0, 1])
        // Each record's creation is credited to the branch commit that made it.
        let history = r.history("ASSET-1")
        XCTAssertEqual(history.strings("event"), ["created"])
        XCTAssertEqual(history.first?["summary"] as? String, "Imported register")
        XCTAssertEqual(r.history("CTRL-2").first?["summary"] as? String, "Add control o2")
        XCTAssertEqual(r.history("RISK-1").strings("summary"), ["Main: likelihood 4", "Main: likelihood 2", "Add RISK-1"])
    }

    // MARK: Shallow clones

    func testShallowClonesAtDepthOneAndTwo() throws {
        let (origin, commits) = edited(4)
        for depth in [1, 2] {
            let folder = TemporaryFolder("isms-shallow-\(depth)")
            let cloned = runProcess(
                GitRepository.git, ["clone", "-q", "--depth", "\(depth)", "file://" + origin.path, folder.path + "/repo"])
            XCTAssertEqual(cloned.status, 0, cloned.stderr)
            let repo = folder.path + "/repo"
            for command in Commands.reading(id: "RISK-1") {
                let result = assertHeld(command + ["--root", "isms"], in: repo, exits: [0])
                if command.first != "check" { XCTAssertTrue(result.stderr.contains("shallow clone"), result.stderr) }
            }
            let history = isms(["history", "RISK-1", "--root", "isms", "--format", "json"], in: repo)
            let entries =
                (try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
            XCTAssertEqual(entries.strings("event"), depth == 1 ? ["boundary"] : ["modified", "boundary"])
            XCTAssertEqual(entries.strings("commit"), Array(commits.reversed().prefix(depth)))
            if depth == 2 {
                // libgit2 cannot find a merge base in a shallow clone; isms walks to the boundary itself.
                let diff = assertHeld(
                    ["diff", "HEAD~1..HEAD", "--root", "isms", "--format", "json", "--as-of", "2026-12-01"], in: repo, exits: [0])
                XCTAssertTrue(diff.stdout.contains("\"title\""), diff.stdout)
                assertHeld(
                    ["check", "--base", "HEAD~1", "--root", "isms", "--as-of", "2026-12-01"], in: repo, exits: [0],
                    stderrContains: "0 new since HEAD~1")
            } else {
                for command in [["check", "--base", "HEAD~1"], ["diff", "HEAD~1..HEAD"], ["check", "--rev", "HEAD~1"]] {
                    assertHeld(
                        command + ["--root", "isms"], in: repo, exits: [2],
                        stderrContains: "this is a shallow clone, and the commit may be beyond its boundary")
                }
            }
        }
    }

    // MARK: Bases

    /// A BASE that is not in the repository, one that was force-pushed away but is still there, and one whose
    /// objects are gone: exit 2 with one line where it cannot be compared, a comparison where it can.
    func testBaseNotInTheRepositoryAndForcePushedBase() {
        let (r, commits) = edited(3)
        let unknown = String(repeating: "d", count: 40)
        for command in [
            ["check", "--base", unknown], ["diff", "\(unknown)..HEAD"], ["check", "--base", "no-such-branch"],
            ["diff", "HEAD..no-such-branch"], ["check", "--rev", unknown], ["log", "--rev", unknown],
        ] {
            assertHeld(command + ["--root", "isms"], in: r.path, exits: [2], stderrContains: "unknown revision")
        }
        // Force-push: main is rewritten and the feature branch rebased onto it; the old tip of main (the base a CI
        // job may still name) is no longer reachable, but still an object until gc.
        let oldBase = commits[3]
        _ = r.git("reset", "-q", "--hard", commits[1])
        r.write("risks/r1.yaml", riskYAML("RISK-1", title: "Rewritten"))
        r.commit("Rewritten main", by: .carol, at: "2026-02-02T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "feature")
        r.write("risks/r2.yaml", riskYAML("RISK-2"))
        r.commit("Feature: RISK-2", by: .bob, at: "2026-02-03T10:00:00+01:00")
        for base in ["main", oldBase] {
            let result = assertHeld(["check", "--base", base, "--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: [0])
            XCTAssertTrue(result.stderr.contains("0 new since \(base)"), result.stderr)
            assertHeld(["diff", "\(base)..HEAD", "--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: [0])
        }
        // The old base pruned away, as after a force-push and gc: an unknown revision, one line.
        _ = r.git("reflog", "expire", "--expire=now", "--all")
        _ = r.git("gc", "-q", "--prune=now")
        assertHeld(["check", "--base", oldBase, "--root", "isms"], in: r.path, exits: [2], stderrContains: "unknown revision")
    }

    // MARK: Partial clones and damaged objects

    func testPartialCloneWithMissingBlobs() {
        let (origin, _) = edited(3)
        _ = origin.git("config", "uploadpack.allowFilter", "true")
        let folder = TemporaryFolder("isms-partial")
        let repo = folder.path + "/repo"
        let cloned = runProcess(GitRepository.git, ["clone", "-q", "--filter=blob:none", "file://" + origin.path, repo])
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        XCTAssertNotEqual(
            runProcess(
                GitRepository.git, ["cat-file", "-e", "HEAD~2:isms/risks/r1.yaml"], in: repo,
                environment: ["GIT_NO_LAZY_FETCH": "1"]
            ).status, 0, "old blobs are not in the partial clone")
        // The work tree and HEAD are complete: checked as usual.
        assertHeld(["check", "--root", "isms", "--as-of", "2026-12-01"], in: repo, exits: [0])
        assertHeld(["check", "--rev", "HEAD", "--root", "isms", "--as-of", "2026-12-01"], in: repo, exits: [0])
        // What needs an old blob stops with one line that names the file and the cause; nothing is fetched.
        for command in [
            ["check", "--rev", "HEAD~2"], ["check", "--base", "HEAD~2"], ["log"], ["log", "--no-cache"],
            ["history", "RISK-1"], ["blame", "RISK-1"], ["diff", "HEAD~2..HEAD"],
        ] {
            assertHeld(
                command + ["--root", "isms"], in: repo, exits: [2],
                stderrContains: "is not in this partial clone, and isms never fetches")
        }
        XCTAssertNotEqual(
            runProcess(
                GitRepository.git, ["cat-file", "-e", "HEAD~2:isms/risks/r1.yaml"], in: repo,
                environment: ["GIT_NO_LAZY_FETCH": "1"]
            ).status, 0, "isms fetched nothing")
    }

    /// Flips bytes inside one packed object after `git gc`: a blob, a tree, a commit. And a corrupt loose object.
    func testCorruptPackAndLooseObjects() throws {
        let (r, commits) = edited(3)
        _ = r.git("gc", "-q")
        let pack = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: r.path + "/.git/objects/pack").first { $0.hasSuffix(".pack") })
        let packPath = r.path + "/.git/objects/pack/" + pack
        let index = packPath.replacingOccurrences(of: ".pack", with: ".idx")
        let verify = r.git("verify-pack", "-v", index)
        func offset(of id: String) -> Int? {
            verify.split(separator: "\n").first { $0.hasPrefix(id) }.flatMap { line in
                Int(line.split(separator: " ", omittingEmptySubsequences: true)[4])
            }
        }
        let pristine = try Data(contentsOf: URL(fileURLWithPath: packPath))
        let targets: [(what: String, id: String)] = [
            ("blob", r.git("rev-parse", "\(commits[1]):isms/risks/r1.yaml")),
            ("tree", r.git("rev-parse", "\(commits[1]):isms/risks")),
            ("commit", commits[1]),
        ]
        for target in targets {
            let start = try XCTUnwrap(offset(of: target.id), "\(target.what) \(target.id) is not in the pack")
            var bytes = [UInt8](pristine)
            for i in (start + 4)..<(start + 10) { bytes[i] ^= 0xFF }
            chmod(packPath, 0o644)
            try Data(bytes).write(to: URL(fileURLWithPath: packPath))
            assertHeld(["check", "--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: [0])
            for command in [
                ["check", "--rev", commits[1]], ["log", "--no-cache"], ["history", "RISK-1", "--no-cache"],
                ["blame", "RISK-1", "--no-cache"], ["diff", "\(commits[0])..HEAD", "--no-cache"], ["check", "--base", commits[1]],
            ] {
                let result = assertHeld(command + ["--root", "isms"], in: r.path, exits: [2])
                XCTAssertTrue(
                    result.stderr.contains("damaged") || result.stderr.contains("fsck"), "\(target.what) \(command): \(result.stderr)")
            }
        }
        try Data(pristine).write(to: URL(fileURLWithPath: packPath))

        // A loose object: the blob of a new commit, its zlib stream damaged.
        r.write("risks/r1.yaml", riskYAML("RISK-1", title: "Loose"))
        let loose = r.commit("Loose edit", at: "2026-02-01T10:00:00+01:00")
        let blob = r.git("rev-parse", "\(loose):isms/risks/r1.yaml")
        let objectPath = r.path + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: objectPath)))
        for i in 4..<min(bytes.count, 12) { bytes[i] ^= 0xFF }
        chmod(objectPath, 0o644)
        try Data(bytes).write(to: URL(fileURLWithPath: objectPath))
        for command in [["check", "--rev", "HEAD"], ["log", "--no-cache"], ["history", "RISK-1"], ["diff", "HEAD~1..HEAD"]] {
            let result = assertHeld(command + ["--root", "isms"], in: r.path, exits: [2])
            XCTAssertTrue(result.stderr.contains("damaged") || result.stderr.contains("fsck"), "loose \(command): \(result.stderr)")
        }
    }

    // MARK: Blobs read on the parser threads

    /// The record blobs are read on the parser threads, each on a repository handle of its own, the main thread reading
    /// only their headers (`HistoryEngine.readBlobsOnWorkers`): the same history, and the same error, as when the main
    /// thread reads each blob whole. A version over the size limit parses to nothing in both; a missing blob stops both
    /// with its line; a blob whose header reads but whose content does not (a loose object with a damaged checksum,
    /// read by a parser thread) stops both with its error, though the main thread meets a later commit's missing tree
    /// before the parsers report.
    func testBlobsReadOnTheParserThreadsGiveWhatTheMainThreadGave() throws {
        func outcome(_ r: ISMSRepository, onWorkers: Bool) -> String {
            do {
                let engine = try Workspace(explicitRoot: r.path + "/isms").historyEngine()
                engine.readBlobsOnWorkers = onWorkers
                let history = try engine.load(HistoryOptions(useCache: false))
                return history.log().map { entry in
                    "\(entry.commit.id.hex) \(entry.record) \(entry.event) \(entry.path) "
                        + entry.changes.map { "\($0.field): \(String(describing: $0.old)) → \(String(describing: $0.new))" }
                        .joined(separator: "; ")
                }.joined(separator: "\n") + "\nparsed \(history.blobsParsed)"
            } catch {
                return "error: \(error)"
            }
        }
        func looseObject(_ r: ISMSRepository, _ revision: String) -> String {
            let id = r.git("rev-parse", revision)
            return r.path + "/.git/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
        }

        // Whole, and with a version over limits.file_bytes.
        let (whole, _) = edited(4)
        whole.write(
            "risks/r1.yaml", riskYAML("RISK-1", title: "Padded", extra: "description: " + String(repeating: "x", count: 3000) + "\n"))
        whole.commit("Pad", at: "2026-01-20T10:00:00+01:00")
        whole.write("risks/r1.yaml", riskYAML("RISK-1", title: "Trimmed"))
        whole.write("isms.yaml", minimalConfig + "limits:\n  file_bytes: 2048\n")
        whole.commit("Trim", at: "2026-01-21T10:00:00+01:00")
        let expected = outcome(whole, onWorkers: false)
        XCTAssertFalse(expected.hasPrefix("error"), expected)
        XCTAssertTrue(expected.contains("Trimmed"), expected)
        XCTAssertEqual(outcome(whole, onWorkers: true), expected)

        // A missing blob: its header cannot be read.
        let (missing, commits) = edited(4)
        XCTAssertNoThrow(try FileManager.default.removeItem(atPath: looseObject(missing, "\(commits[1]):isms/risks/r1.yaml")))
        let missingOutcome = outcome(missing, onWorkers: false)
        XCTAssertTrue(missingOutcome.contains("is missing from the repository"), missingOutcome)
        XCTAssertEqual(outcome(missing, onWorkers: true), missingOutcome)

        // A damaged blob (its zlib checksum: the header inflates, the content does not), then a later missing tree.
        let (damaged, later) = edited(4)
        let blobPath = looseObject(damaged, "\(later[1]):isms/risks/r1.yaml")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: blobPath)))
        for i in (bytes.count - 4)..<bytes.count { bytes[i] ^= 0xFF }
        chmod(blobPath, 0o644)
        try Data(bytes).write(to: URL(fileURLWithPath: blobPath))
        XCTAssertEqual(damaged.git("cat-file", "-t", "\(later[1]):isms/risks/r1.yaml"), "blob", "the header still reads")
        try FileManager.default.removeItem(atPath: looseObject(damaged, "\(later[3]):isms/risks"))
        let damagedOutcome = outcome(damaged, onWorkers: false)
        XCTAssertTrue(damagedOutcome.contains("cannot read the record file risks/r1.yaml"), damagedOutcome)
        XCTAssertEqual(outcome(damaged, onWorkers: true), damagedOutcome)
    }

    /// The record blobs of a packed history (deltas against one another, as in any repacked repository) read on the
    /// parser threads through object readers with packs of their own: every version reaches the tracker, in the order
    /// the main thread met it. Each commit edits one of three records to a title of its own, so a version dropped, read
    /// twice or handed to another item changes the log; two readers on two threads read every blob as the repository does.
    func testBlobsReadOnSeparateReadersOfAPackGiveEveryVersionInOrder() throws {
        let r = ISMSRepository()
        for n in 0..<3 { r.write("risks/r\(n).yaml", riskYAML("RISK-\(n)")) }
        r.commit("Add", at: "2026-01-01T10:00:00+01:00")
        let edits = 120
        for n in 0..<edits {
            let description = "description: " + String(repeating: "step \(n) of the treatment plan. ", count: 8 + n % 5) + "\n"
            r.write("risks/r\(n % 3).yaml", riskYAML("RISK-\(n % 3)", title: "Version \(n) end", likelihood: 1 + n % 5, extra: description))
            let day = 2 + n / 24, hour = n % 24
            r.commit("Edit \(n)", by: n % 2 == 0 ? .bob : .carol, at: String(format: "2026-02-%02dT%02d:00:00+01:00", day, hour))
        }
        r.git("repack", "-adq", "--depth=50", "--window=250")
        let packed = r.git("count-objects", "-v")
        XCTAssertTrue(packed.split(separator: "\n").contains("count: 0"), "every object is packed: \(packed)")

        func outcome(onWorkers: Bool) throws -> (log: String, parsed: Int) {
            let engine = try Workspace(explicitRoot: r.path + "/isms").historyEngine()
            engine.readBlobsOnWorkers = onWorkers
            let history = try engine.load(HistoryOptions(useCache: false))
            let log = history.log().map { entry in
                "\(entry.commit.id.hex) \(entry.record) \(entry.event) "
                    + entry.changes.map { "\($0.field): \(String(describing: $0.old)) → \(String(describing: $0.new))" }.joined(
                        separator: "; ")
            }
            return (log.joined(separator: "\n"), history.blobsParsed)
        }
        let onMain = try outcome(onWorkers: false)
        for n in 0..<edits { XCTAssertTrue(onMain.log.contains("Version \(n) end"), "version \(n) in the log read on the main thread") }
        XCTAssertEqual(onMain.parsed, 3 + edits)
        for _ in 0..<3 {
            let onWorkers = try outcome(onWorkers: true)
            XCTAssertEqual(onWorkers.parsed, onMain.parsed)
            XCTAssertEqual(onWorkers.log, onMain.log)
        }

        // The readers themselves, two threads each with its own, against the repository's reads.
        let repository = try XCTUnwrap(try Repository.discover(containing: r.path))
        let blobs = r.git("rev-list", "--objects", "--all").split(separator: "\n").compactMap { line -> ObjectID? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[1].hasSuffix(".yaml") else { return nil }
            return ObjectID(hex: String(parts[0]))
        }
        XCTAssertGreaterThan(blobs.count, edits)
        let expected = try blobs.map { try repository.readObject($0) }
        let results = Locked([[Data]](repeating: [], count: 2))
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            guard let reader = try? repository.separateObjectReader(spelling: thread + 1) else { return }
            let read = blobs.map { (try? reader.readObject($0)) ?? Data() }
            results.withLock { $0[thread] = read }
        }
        for thread in 0..<2 {
            XCTAssertTrue(results.withLock { $0[thread] } == expected, "reader \(thread + 1) read what the repository reads")
        }
    }

    // MARK: Unborn HEAD, conflicted index

    func testUnbornHeadChecksTheWorkTreeAndSaysThereAreNoCommits() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-1"))
        assertHeld(["check", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        for command in [
            ["check", "--rev", "HEAD"], ["log"], ["history", "RISK-1"], ["blame", "RISK-1"], ["diff", "HEAD~1..HEAD"],
            ["check", "--base", "HEAD"],
        ] {
            assertHeld(command, in: repo.path, exits: [2], stderrContains: "unknown revision 'HEAD': the repository has no commits yet")
        }
        repo.git("add", "-A")
        let staged = assertHeld(["check", "--staged", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        XCTAssertTrue(staged.stdout.hasPrefix("1 record checked"), staged.stdout)
    }

    func testConflictedIndexIsReportedByStagedAndHarmlessElsewhere() {
        let (r, _) = edited(1)
        _ = r.git("checkout", "-q", "-b", "other", "HEAD~1")
        r.write("risks/r1.yaml", riskYAML("RISK-1", title: "Other title"))
        r.commit("Other title", by: .bob, at: "2026-01-20T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        XCTAssertNotEqual(gitAllowingFailure(["merge", "other"], in: r.path).status, 0, "the merge must conflict")
        let staged = assertHeld(["check", "--staged", "--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: [1])
        XCTAssertTrue(staged.stdout.contains("risks/r1.yaml:1:1: error: unresolved merge conflict in the index"), staged.stdout)
        // The work tree holds conflict markers: a located finding, the rest still checked.
        assertHeld(["check", "--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: [1])
        assertAllCommandsHold(r, exits: [0, 1])
        assertHeld(["diff", "other..HEAD", "--root", "isms", "--as-of", "2026-12-01"], in: r.path, exits: [0])
    }
}
