import Foundation
import XCTest

@testable import ISMSKit

/// `isms` never writes into the repository (the history cache under `.git/isms/` aside) and never runs
/// anything the repository configures: hooks, filters, fsmonitor. Proved by hashing every file before and
/// after running every command.
final class ReadOnlyTests: XCTestCase {
    /// A repository holding example-isms in `isms/`, with history, a branch, staged and unstaged edits and an
    /// untracked file: every state a command could be tempted to touch.
    private func exampleRepository() throws -> ISMSRepository {
        let r = ISMSRepository()
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("example-isms").path
        try? FileManager.default.removeItem(atPath: r.path + "/isms")
        try FileManager.default.copyItem(atPath: example, toPath: r.path + "/isms")
        r.commit("Import the example ISMS", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "review")
        let risk = try String(contentsOfFile: r.path + "/isms/risks/risk-1.yaml", encoding: .utf8)
        r.write("risks/risk-1.yaml", risk.replacingOccurrences(of: "likelihood: ", with: "likelihood: 1 #"))
        r.commit("Rescore RISK-1", by: .bob, at: "2026-01-06T10:00:00+01:00")
        _ = r.git("checkout", "-q", "main")
        _ = r.git("merge", "-q", "--no-ff", "-m", "Merge review", "review")
        r.write("risks/risk-1.yaml", risk + "# staged\n")
        _ = r.git("add", "isms/risks/risk-1.yaml")
        r.write("risks/risk-1.yaml", risk + "# staged\n# and an unstaged edit\n")
        r.write("risks/untracked.yaml", "id: RISK-900\ntitle: untracked\nowner: mkessler\ntreatment: avoid\n")
        return r
    }

    /// One line per file, folder and link under `root` except `.git/isms`: type, mode, size, modification time
    /// in nanoseconds, and a file's content (base64) or a link's target. The `.git` folder's own time is
    /// left out: creating `.git/isms` (the cache, the one thing written) changes it.
    static func snapshot(_ root: String) -> [String: String] {
        var result = [String: String]()
        func visit(_ relative: String) {
            let full = relative.isEmpty ? root : root + "/" + relative
            var info = stat()
            guard lstat(full, &info) == 0 else { return }
            let kind = info.st_mode & S_IFMT
            var line = "mode \(String(info.st_mode, radix: 8)) size \(info.st_size)"
            if relative != ".git" { line += " mtime \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)" }
            switch kind {
            case S_IFREG:
                // The content itself: compared byte for byte, and cheaper than hashing it in a debug build.
                line += " content " + (FileManager.default.contents(atPath: full) ?? Data()).base64EncodedString()
            case S_IFLNK:
                line += " link " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")
            case S_IFDIR:
                for child in ((try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []).sorted() {
                    let path = relative.isEmpty ? child : relative + "/" + child
                    if path == ".git/isms" { continue }
                    visit(path)
                }
            default: break
            }
            result[relative.isEmpty ? "." : relative] = line
        }
        visit("")
        return result
    }

    static func assertUnchanged(
        _ before: [String: String], _ after: [String: String], _ context: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        // A line holds the whole content: a failure shows its start.
        func shown(_ line: String?) -> String { line.map { $0.count > 300 ? $0.prefix(300) + "…" : $0 } ?? "absent" }
        for path in Set(before.keys).union(after.keys).sorted() where before[path] != after[path] {
            XCTFail("\(context): \(path) changed: \(shown(before[path])) -> \(shown(after[path]))", file: file, line: line)
        }
    }

    /// Every command that reads an ISMS, with every output format, run at the repository's top on `isms/`.
    /// Files they write (exports) go to `outside`.
    static func everyCommand(outside: String) -> [[String]] {
        var commands: [[String]] = []
        for format in ["text", "json", "sarif", "github", "junit"] {
            commands.append(["check", "--format", format])
        }
        commands += [
            ["check", "--rev", "HEAD"], ["check", "--rev", "review"], ["check", "--staged"], ["check", "--base", "HEAD~1"],
            ["check", "--base", "review", "--fail-on", "all"], ["check", "--strict"],
        ]
        for format in ["text", "json"] {
            commands += [
                ["history", "RISK-1", "--format", format], ["blame", "RISK-1", "--format", format], ["log", "--format", format],
            ]
        }
        commands += [
            ["history", "RISK-1", "--no-cache"], ["log", "--first-parent"], ["log", "--rev", "review", "--kind", "risk"],
            ["log", "--since", "2026-01-06", "--field", "likelihood"], ["blame", "RISK-1", "--rev", "HEAD~1", "--no-cache"],
        ]
        for format in ["text", "markdown", "json"] {
            commands.append(["diff", "HEAD~1..HEAD", "--format", format])
        }
        commands.append(["diff", "review", "--no-cache"])
        for format in ["text", "json", "markdown"] { commands.append(["rules", "--format", format]) }
        commands.append(["explain", "untraced-control"])
        for report in ["soa", "trace", "coverage", "register", "evidence"] {
            for format in ["md", "csv", "json", "html"] { commands.append(["report", report, "--format", format]) }
        }
        commands += [
            ["export", "--html", outside + "/pack.html"], ["export", "--oscal", outside + "/cd.json"],
            ["export", "--oscal", outside + "/ar.json", "--model", "assessment-results"],
        ]
        commands += [["graph"], ["graph", "--format", "dot"], ["graph", "--from", "RISK-1"]]
        commands += [["schema", "--kind", "risk"], ["schema", "--kind", "isms"]]
        return commands.map { command in
            // Rules, explain and schema take no --root; the others read the ISMS in isms/.
            ["rules", "explain", "schema"].contains(command[0]) ? command : command + ["--root", "isms"]
        }.map { command in
            ["check", "diff", "report", "export"].contains(command[0]) ? command + ["--as-of", "2026-12-01"] : command
        }
    }

    func testEveryCommandLeavesTheRepositoryUntouched() throws {
        let r = try exampleRepository()
        let outside = TemporaryFolder("isms-exports")
        let before = Self.snapshot(r.path)
        XCTAssertGreaterThan(before.count, 250)
        for command in Self.everyCommand(outside: outside.path) {
            let result = assertHeld(command, in: r.path, exits: [0, 1])
            XCTAssertFalse(
                result.stdout.isEmpty && !command.contains("export") && !command.contains("github"), "\(command) printed nothing")
            Self.assertUnchanged(before, Self.snapshot(r.path), "isms \(command.joined(separator: " "))")
        }
        // The only thing written: the history cache, under the git folder.
        XCTAssertTrue(FileManager.default.fileExists(atPath: r.path + "/.git/isms"))
        for file in ["pack.html", "cd.json", "ar.json"] { XCTAssertTrue(FileManager.default.fileExists(atPath: outside.path + "/" + file)) }
    }

    /// A repository with hooks, filters, fsmonitor, a pager, an ssh command and automatic gc configured, each a
    /// script that leaves a marker in `markers` when anything runs it.
    private func trappedRepository(markers: TemporaryFolder) throws -> ISMSRepository {
        let r = try exampleRepository()
        // A script per trigger: if anything runs it, a marker file names what ran.
        func script(_ name: String) -> String {
            let path = markers.path + "/\(name).sh"
            XCTAssertTrue(
                FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\ntouch '\(markers.path)/ran-\(name)'\ncat\n".utf8)))
            chmod(path, 0o755)
            return path
        }
        let hooks = r.path + "/.git/hooks"
        for hook in [
            "pre-commit", "post-checkout", "post-index-change", "reference-transaction", "pre-auto-gc", "post-merge",
            "post-rewrite", "fsmonitor-watchman", "post-commit", "pre-push",
        ] {
            try? FileManager.default.removeItem(atPath: hooks + "/" + hook)
            try FileManager.default.copyItem(atPath: script(hook), toPath: hooks + "/" + hook)
        }
        _ = r.git("config", "core.fsmonitor", script("fsmonitor"))
        _ = r.git("config", "filter.x.clean", script("clean"))
        _ = r.git("config", "filter.x.smudge", script("smudge"))
        _ = r.git("config", "filter.x.process", script("process"))
        _ = r.git("config", "diff.x.textconv", script("textconv"))
        _ = r.git("config", "core.pager", script("pager"))
        _ = r.git("config", "core.sshCommand", script("ssh"))
        _ = r.git("config", "gc.auto", "1")
        r.repo.write(".gitattributes", "*.yaml filter=x diff=x\n")
        XCTAssertEqual(
            (try? FileManager.default.contentsOfDirectory(atPath: markers.path))?.filter { $0.hasPrefix("ran-") }, [],
            "the set-up itself ran nothing")
        return r
    }

    /// The control: git itself runs these traps (fsmonitor and the clean filter, on `git status`). The records'
    /// times are changed first, so git must read them again through the clean filter.
    private func assertTheTrapsAreLive(_ r: ISMSRepository, markers: TemporaryFolder) throws {
        let records = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: r.path + "/isms").filter { $0.hasSuffix(".yaml") })
        XCTAssertFalse(records.isEmpty)
        for record in records {
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 978_307_200)], ofItemAtPath: r.path + "/isms/" + record)
        }
        _ = runProcess(GitRepository.git, ["status", "--porcelain"], in: r.path, environment: ["HOME": markers.path])
        let ran = Set((try FileManager.default.contentsOfDirectory(atPath: markers.path)).filter { $0.hasPrefix("ran-") })
        XCTAssertTrue(
            ran.contains("ran-fsmonitor") && (ran.contains("ran-clean") || ran.contains("ran-process")), "the traps are live: \(ran)")
    }

    /// Hooks, filters and fsmonitor configured to leave a marker: none runs.
    func testNothingConfiguredInTheRepositoryRuns() throws {
        let markers = TemporaryFolder("isms-markers")
        let r = try trappedRepository(markers: markers)
        let outside = TemporaryFolder("isms-exports")
        let before = Self.snapshot(r.path)
        for command in Self.everyCommand(outside: outside.path) {
            assertHeld(command, in: r.path, exits: [0, 1])
        }
        Self.assertUnchanged(before, Self.snapshot(r.path), "with hooks, filters and fsmonitor")
        XCTAssertEqual((try FileManager.default.contentsOfDirectory(atPath: markers.path)).filter { $0.hasPrefix("ran-") }, [])
        try assertTheTrapsAreLive(r, markers: markers)
    }

    /// The same traps in a repository owned by another user (git's `safe.directory` refuses it; isms only reads
    /// objects and runs nothing). A test of its own, so that `swift test --parallel` runs it beside the one above.
    func testNothingConfiguredRunsInARepositoryOwnedByAnotherUser() throws {
        guard getuid() == 0 else {
            throw XCTSkip("chown to another user needs root; testNothingConfiguredInTheRepositoryRuns ran the traps")
        }
        let markers = TemporaryFolder("isms-markers")
        let r = try trappedRepository(markers: markers)
        let outside = TemporaryFolder("isms-exports")
        let chown = runProcess("/bin/chown", ["-R", "nobody:nogroup", r.path])
        XCTAssertEqual(chown.status, 0, chown.stderr)
        XCTAssertNotEqual(
            runProcess(GitRepository.git, ["status"], in: r.path, environment: ["HOME": markers.path]).status, 0,
            "git itself refuses a repository owned by another user")
        let before = Self.snapshot(r.path)
        for command in Self.everyCommand(outside: outside.path) {
            assertHeld(command, in: r.path, exits: [0, 1])
        }
        Self.assertUnchanged(before, Self.snapshot(r.path), "owned by nobody")
        XCTAssertEqual((try FileManager.default.contentsOfDirectory(atPath: markers.path)).filter { $0.hasPrefix("ran-") }, [])
        _ = runProcess("/bin/chown", ["-R", "root:root", r.path])
        try assertTheTrapsAreLive(r, markers: markers)
    }
}
