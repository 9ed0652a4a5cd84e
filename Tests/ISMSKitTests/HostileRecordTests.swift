import Foundation
import XCTest

/// Hostile record files, read the three ways `check` reads them (work tree, index, commit) and by the history.
/// LoaderTests proves each case on the work tree in-process; here the built binary meets them in a real
/// repository, and each mode must find the same thing at the same file while the good records stay checked.
final class HostileRecordTests: XCTestCase {
    /// Path → (rule, a part of the message) for every hostile file; nil means the file must read cleanly.
    private static let corpus: [(path: String, data: Data, rule: String?, message: String?)] = {
        var aliasBomb = "id: RISK-10\ntitle: bomb\nowner: alice\ntreatment: avoid\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            aliasBomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        let aliasKey = aliasBomb.replacingOccurrences(of: "RISK-10", with: "RISK-11") + "? *j\n: boom\n"
        let utf16 = Data([0xFF, 0xFE]) + "id: RISK-15\ntitle: wide\n".data(using: .utf16LittleEndian)!
        return [
            ("risks/alias-bomb.yaml", Data(aliasBomb.utf8), "parse-error", "anchors and aliases"),
            ("risks/alias-key.yaml", Data(aliasKey.utf8), "parse-error", "anchors and aliases"),
            (
                "risks/deep-flow.yaml",
                Data(
                    ("id: RISK-12\ntitle: deep\nowner: alice\ndescription: " + String(repeating: "[", count: 10_000)
                        + String(repeating: "]", count: 10_000) + "\n").utf8), "parse-error", "nesting"
            ),
            (
                "risks/deep-block.yaml",
                Data(("id: RISK-13\ntitle: deep\nowner: alice\ntags:\n  " + String(repeating: "- ", count: 10_000) + "x\n").utf8),
                "parse-error", "nesting"
            ),
            (
                "risks/duplicate-key.yaml", Data("id: RISK-14\ntitle: a\nowner: alice\ntitle: b\n".utf8), "parse-error",
                "duplicate key 'title'"
            ),
            ("risks/utf16.yaml", utf16, "parse-error", "UTF-16"),
            ("risks/latin1.yaml", Data("id: RISK-16\ntitle: Caf".utf8) + Data([0xE9, 0x0A]), "parse-error", "not valid UTF-8"),
            ("risks/nul.yaml", Data("id: RISK-17\ntitle: x".utf8) + Data([0x00, 0x0A]), "parse-error", "NUL byte"),
            (
                "risks/tabs.yaml", Data("id: RISK-18\ntitle: tabs\nowner: alice\nacceptance:\n\tapproved_by: alice\n".utf8), "parse-error",
                "YAML syntax"
            ),
            (
                "risks/two-documents.yaml",
                Data("id: RISK-19\ntitle: one\nowner: alice\ntreatment: avoid\n---\nid: RISK-20\ntitle: two\n".utf8),
                "parse-error", nil
            ),
            ("risks/bom.yaml", Data([0xEF, 0xBB, 0xBF]) + Data(hostileRisk("RISK-21", title: "BOM").utf8), nil, nil),
            (
                "assets/yaml11.yaml", Data("id: ASSET-1\ntitle: no\nowner: alice\ndescription: on\ntags: [1:30, 0755, yes, off]\n".utf8),
                nil, nil
            ),
            (
                "risks/yaml11-typed.yaml",
                Data("id: RISK-22\ntitle: x\nowner: alice\ntreatment: avoid\nlikelihood: 0x3\nimpact: '4'\n".utf8),
                "invalid-value", "likelihood"
            ),
            ("risks/x.yaml/inside.yaml", Data(hostileRisk("RISK-23", title: "in a folder named x.yaml").utf8), nil, nil),
        ]
    }()

    private func findings(_ result: BoundedResult) -> [String: [(rule: String, message: String)]] {
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        var byPath = [String: [(rule: String, message: String)]]()
        for finding in json["findings"] as? [[String: Any]] ?? [] {
            byPath[finding["path"] as? String ?? "", default: []].append(
                (finding["rule"] as? String ?? "", finding["message"] as? String ?? ""))
        }
        return byPath
    }

    func testHostileRecordsFindTheSameInWorkTreeIndexAndCommit() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/good.yaml", hostileRisk("RISK-1", title: "good"))
        let first = repo.commit("Good register", at: "2026-01-05T10:00:00+01:00")
        for item in Self.corpus { repo.folder.write(item.path, data: item.data) }
        repo.git("add", "-A")

        var results = [String: [String: [(rule: String, message: String)]]]()
        let started = Date()
        results["work tree"] = findings(assertHeld(["check", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1]))
        results["index"] = findings(
            assertHeld(["check", "--staged", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1]))
        repo.commit("Hostile records", by: .bob, at: "2026-01-06T10:00:00+01:00")
        results["commit"] = findings(
            assertHeld(["check", "--rev", "HEAD", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1]))
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "alias bombs and deep nesting are refused before they cost anything")

        for (mode, byPath) in results {
            XCTAssertNil(byPath["risks/good.yaml"], "\(mode): the good record is unaffected")
            for item in Self.corpus {
                let found = byPath[item.path] ?? []
                guard let rule = item.rule else {
                    XCTAssertTrue(found.isEmpty, "\(mode) \(item.path): \(found)")
                    continue
                }
                XCTAssertFalse(found.isEmpty, "\(mode) \(item.path): nothing found")
                XCTAssertEqual(Set(found.map(\.rule)), [rule], "\(mode) \(item.path): \(found)")
                if let message = item.message {
                    XCTAssertTrue(found.first?.message.contains(message) ?? false, "\(mode) \(item.path): \(found)")
                }
            }
        }
        let summary = assertHeld(["check", "--rev", "HEAD", "--as-of", "2026-12-01"], in: repo.path, exits: [1]).stdout
        XCTAssertTrue(summary.hasSuffix("5 records checked: 12 errors, 0 warnings, 0 notes\n"), summary)

        // The history reads the same blobs: unreadable files change nothing, readable ones are created.
        for command in Commands.reading(id: "RISK-1") { assertHeld(command, in: repo.path, exits: [0, 1]) }
        let log = repo.json(["log"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(Set(log.strings("record")), ["RISK-1", "RISK-21", "RISK-22", "RISK-23", "ASSET-1"])
        let asset = repo.json(["blame", "ASSET-1"])["fields"] as? [[String: Any]] ?? []
        XCTAssertEqual(asset.first { $0["field"] as? String == "title" }?["value"] as? String, "no", "YAML 1.1 look-alikes stay text")
        XCTAssertEqual(asset.first { $0["field"] as? String == "tags" }?["value"] as? [String], ["1:30", "0755", "yes", "off"])
        assertHeld(["diff", "\(first)..HEAD", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
    }

    /// Line endings alone change no field, so a commit that turns LF into CRLF makes no history entry.
    func testCRLFOnlyChangeMakesNoHistoryEntry() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-1"))
        let created = repo.commit("Add RISK-1", at: "2026-01-05T10:00:00+01:00")
        repo.write("risks/r1.yaml", hostileRisk("RISK-1").replacingOccurrences(of: "\n", with: "\r\n"))
        repo.commit("CRLF", by: .bob, at: "2026-01-06T10:00:00+01:00")
        XCTAssertEqual(repo.git("diff", "--stat", "HEAD~1", "HEAD").isEmpty, false, "the blob changed")
        assertHeld(["check", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        assertHeld(["check", "--rev", "HEAD", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        let entries = repo.json(["history", "RISK-1"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.strings("commit"), [created])
        XCTAssertEqual((repo.json(["log"])["entries"] as? [[String: Any]] ?? []).count, 1)
    }

    /// A 100 MB blob written straight into the object database and the index (no file on disk): `check --rev`
    /// sizes it from the object header and never inflates it, so the run is fast and its memory small; the
    /// history does the same. The limit is a setting. isms.yaml itself is sized before it is read.
    func testHundredMegabyteBlobIsSizedFromItsHeader() throws {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-1"))
        repo.commit("Add RISK-1", at: "2026-01-05T10:00:00+01:00")
        let outside = TemporaryFolder("isms-big")
        let big = outside.path + "/big.yaml"
        XCTAssertTrue(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: big))
        handle.write(Data("id: RISK-2\ntitle: big\nowner: alice\ntreatment: avoid\ndescription: ".utf8))
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<100 { handle.write(chunk) }
        handle.write(Data("\n".utf8))
        try handle.close()
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: big)[.size] as? Int)
        XCTAssertGreaterThan(size, 100 << 20)
        let blob = repo.git("hash-object", "-w", big)
        repo.git("update-index", "--add", "--cacheinfo", "100644,\(blob),risks/big.yaml")
        repo.git("commit", "-q", "-m", "A 100 MB record")

        for command in [
            ["check", "--rev", "HEAD"], ["log", "--no-cache"], ["history", "RISK-1", "--no-cache"], ["diff", "HEAD~1..HEAD"],
        ] {
            let (result, peak) = try peakMemory(command + ["--as-of", "2026-12-01"], in: repo.path)
            XCTAssertLessThan(result.seconds, 10, "\(command) took \(result.seconds) s")
            XCTAssertLessThan(peak, 80_000, "\(command) peaked at \(peak) KB: the blob was read")
            XCTAssertFalse(result.signalled || result.timedOut, "\(command): \(result.stderr)")
        }
        let check = assertHeld(["check", "--rev", "HEAD", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1])
        XCTAssertTrue(
            check.stdout.contains("file is \(size) bytes, over the limit of 1048576 (limits.file_bytes in isms.yaml)"), check.stdout)
        XCTAssertTrue(check.stdout.contains("\"records\" : 1"), check.stdout)
        XCTAssertEqual((repo.json(["log", "--no-cache"])["entries"] as? [[String: Any]] ?? []).strings("record"), ["RISK-1"])

        // The same blob as a symbolic link (git stores a link's target as a blob, which may hold anything).
        repo.git("update-index", "--add", "--cacheinfo", "120000,\(blob),risks/link.yaml")
        repo.git("commit", "-q", "-m", "A 100 MB link")
        let (link, linkPeak) = try peakMemory(["check", "--rev", "HEAD", "--format", "json", "--as-of", "2026-12-01"], in: repo.path)
        XCTAssertTrue(link.stdout.contains("symbolic link to '?' is not followed"), link.stdout)
        XCTAssertLessThan(linkPeak, 80_000, "the link's target was read whole")

        // The limit is configurable, in both directions.
        repo.write("isms.yaml", minimalConfig + "limits:\n  file_bytes: 1024\n")
        repo.write("risks/r3.yaml", hostileRisk("RISK-3") + "description: " + String(repeating: "y", count: 2000) + "\n")
        let small = assertHeld(["check", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1])
        XCTAssertTrue(small.stdout.contains("over the limit of 1024"), small.stdout)

        // isms.yaml of 100 MB: refused from its size, one line, exit 2; the history reads on with defaults.
        let config = repo.git("hash-object", "-w", big)
        repo.git("update-index", "--cacheinfo", "100644,\(config),isms.yaml")
        repo.git("commit", "-q", "-m", "A 100 MB isms.yaml")
        for command in [["check", "--rev", "HEAD"], ["diff", "HEAD~1..HEAD"]] {
            let (result, peak) = try peakMemory(command, in: repo.path)
            XCTAssertEqual(result.status, 2, result.stderr)
            XCTAssertEqual(result.stderr, "isms: error: cannot read isms.yaml: isms.yaml is \(size) bytes, over the limit of 1048576\n")
            XCTAssertLessThan(peak, 80_000, "\(command) peaked at \(peak) KB")
        }
        let (log, peak) = try peakMemory(["log", "--no-cache"], in: repo.path)
        XCTAssertEqual(log.status, 0, log.stderr)
        XCTAssertTrue(log.stderr.contains("reading the history with default settings"), log.stderr)
        XCTAssertLessThan(peak, 80_000)
    }

    /// `limits.records`: counted before any file is read; over it, exit 2 with one line in every mode.
    func testRecordCountLimitIsEnforcedBeforeReading() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + "limits:\n  records: 5\n")
        for n in 0..<6 { repo.write("risks/r\(n).yaml", hostileRisk("RISK-\(n)")) }
        repo.git("add", "-A")
        let message = "holds 6 record files, over the limit of 5 (limits.records in isms.yaml)"
        assertHeld(["check"], in: repo.path, exits: [2], stderrContains: "isms: error: work tree " + message)
        assertHeld(["check", "--staged"], in: repo.path, exits: [2], stderrContains: "isms: error: the index " + message)
        repo.commit("Six records", at: "2026-01-05T10:00:00+01:00")
        assertHeld(["check", "--rev", "HEAD"], in: repo.path, exits: [2], stderrContains: "isms: error: HEAD " + message)
        repo.remove("risks/r5.yaml")
        assertHeld(["check", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        // Links, folders named like records and other files do not count.
        repo.write("risks/notes.txt", "not a record\n")
        assertHeld(["check", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
    }

    /// Each record's bytes are held at their size: a read buffer grown by 64 KiB to find the end of the file
    /// was kept by every record (7.3 GB for 100,000 records; docs/reliability.md).
    func testManyRecordsCostTheirSizeInMemory() throws {
        let folder = TemporaryFolder("isms-many")
        folder.write("isms.yaml", minimalConfig)
        for n in 0..<3000 { folder.write("risks/r\(n).yaml", hostileRisk("RISK-\(n)", title: "Risk number \(n)")) }
        let (result, peak) = try peakMemory(["check", "--as-of", "2026-12-01"], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("3000 records checked"), result.stdout)
        XCTAssertLessThan(peak, 120_000, "3,000 records of 60 bytes peaked at \(peak) KB")
    }
}

/// Runs `isms` under GNU time and returns its peak resident memory in KB (the test is skipped without GNU time).
func peakMemory(_ arguments: [String], in directory: String, timeout: Double = 60) throws -> (BoundedResult, Int) {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { throw XCTSkip("GNU time (/usr/bin/time) is not installed") }
    let marker = "isms-peak-kb="
    let result = ismsBounded(arguments, in: directory, timeout: timeout, wrapper: ["/usr/bin/time", "-f", marker + "%M"])
    let line = result.stderr.split(separator: "\n").last { $0.hasPrefix(marker) } ?? ""
    let stderr = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter {
        !$0.hasPrefix(marker) && !$0.hasPrefix("Command exited")
    }
    .joined(separator: "\n")
    let cleaned = BoundedResult(
        status: result.status, stdout: result.stdout, stderr: stderr, signalled: result.signalled,
        timedOut: result.timedOut, seconds: result.seconds)
    return (cleaned, Int(line.dropFirst(marker.count)) ?? .max)
}
