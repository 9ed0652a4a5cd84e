import Foundation
import XCTest

/// Results of runs made at once.
private final class Outputs: @unchecked Sendable {
    private let lock = NSLock()
    private var values = [Int: String]()
    func set(_ i: Int, _ value: String) { lock.lock(); values[i] = value; lock.unlock() }
    func all(_ count: Int) -> [String?] { lock.lock(); defer { lock.unlock() }; return (0..<count).map { values[$0] } }
}

/// Faults while the history cache is written: runs killed at random moments, runs at the same time, a full
/// disk, a cache folder that cannot be written. The results are always those of a run without a cache.
final class FaultTests: XCTestCase {
    /// A generated history (scripts/gen-history-repo.py through `git fast-import`) of `commits` commits: a copy
    /// of the one shared fixture for these arguments and this version of the script, made once (`SharedFixtures`).
    static func generatedRepository(records: Int, commits: Int, seed: Int = 7) throws -> TemporaryFolder {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/gen-history-repo.py").path
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("python3 is needed to generate the history")
        }
        let name = "history-\(records)-records-\(commits)-commits-seed-\(seed)-\(SharedFixtures.digest(ofFile: script))"
        let fixture = try SharedFixtures.folder(name) { folder in
            let made = runProcess(
                "/bin/sh",
                [
                    "-c",
                    "git init -q -b main && /usr/bin/python3 '\(script)' --records \(records) --commits \(commits) --seed \(seed) "
                        + "| git fast-import --quiet && git checkout -q -f main",
                ], in: folder,
                environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": folder])
            XCTAssertEqual(made.status, 0, made.stderr)
            if made.status != 0 { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: folder]) }
        }
        return SharedFixtures.copy(fixture, name: "isms-generated")
    }

    private static let log = ["log", "--format", "json", "--root", "isms"]

    /// A small deterministic generator, so a failing trial can be replayed.
    private struct Random {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    /// Twenty runs killed with SIGKILL at random moments (a third of them aimed late, where the cache is
    /// written), half cold, half appending to the cache of an older tip; after each, a run gives exactly the
    /// output of `--no-cache` and never meets a torn cache file (writes are atomic renames).
    /// The history has 1,000 commits (it had 3,000): the kills are aimed at fractions of each kind of run's
    /// measured length, so they land in the same phases (reading commits, building the cache, writing it),
    /// and the cache file is still written whole by one rename. It took a third of the suite's time.
    func testRunsKilledAtRandomMomentsThenRerunGiveTheCleanResult() throws {
        let repo = try Self.generatedRepository(records: 300, commits: 1000)
        let started = Date()
        let reference = assertHeld(Self.log + ["--no-cache"], in: repo.path, exits: [0], timeout: 300)
        let cold = Date().timeIntervalSince(started)
        XCTAssertTrue(reference.stdout.contains("\"entries\""))
        let cache = repo.path + "/.git/isms"
        // Two kinds of run get killed: a cold one (no cache; it writes the whole file) and one that appends the
        // last 500 commits to the cache of main~500. Each is timed once, to aim the kills inside it.
        // The cache of main~500 is made by a run once, kept, and put back byte for byte before each later trial.
        var olderTip: TemporaryFolder?
        func prepare(_ trial: Int) {
            try? FileManager.default.removeItem(atPath: cache)
            guard trial % 2 == 1 else { return }
            if let olderTip {
                let restored = runProcess("/bin/cp", ["-a", olderTip.path + "/isms", cache])
                XCTAssertEqual(restored.status, 0, restored.stderr)
                return
            }
            assertHeld(["log", "--rev", "main~500", "--root", "isms"], in: repo.path, exits: [0], timeout: 300)
            let kept = TemporaryFolder("isms-older-tip-cache")
            let saved = runProcess("/bin/cp", ["-a", cache, kept.path + "/isms"])
            XCTAssertEqual(saved.status, 0, saved.stderr)
            olderTip = kept
        }
        var duration = [Double]()
        for kind in 0..<2 {
            prepare(kind)
            let started = Date()
            assertHeld(Self.log, in: repo.path, exits: [0], timeout: 300)
            duration.append(Date().timeIntervalSince(started))
        }
        var random = Random(state: 20_261_129)
        var killed = 0, finished = 0, trial = 0
        // Until twenty runs were killed (a run that finishes before its kill counts as a clean trial too).
        while killed < 20 && trial < 60 {
            defer { trial += 1 }
            prepare(trial)
            // A third of the kills late in the run, where the cache is written; the others anywhere in it.
            let late = trial % 3 == 0
            let delay = duration[trial % 2] * (late ? 0.7 + 0.28 * random.next() : 0.05 + 0.9 * random.next())
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ismsExecutable)
            process.arguments = Self.log
            process.currentDirectoryURL = URL(fileURLWithPath: repo.path)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let exited = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in exited.signal() }
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            } else {
                finished += 1
            }
            exited.wait()
            let rerun = assertHeld(Self.log, in: repo.path, exits: [0], timeout: 300)
            XCTAssertEqual(rerun.stdout, reference.stdout, "trial \(trial): killed after \(delay) s, the rerun differs")
            XCTAssertFalse(rerun.stderr.contains("unreadable"), "trial \(trial): a torn cache file: \(rerun.stderr)")
            XCTAssertEqual(assertHeld(Self.log, in: repo.path, exits: [0], timeout: 300).stdout, reference.stdout, "trial \(trial): warm")
        }
        XCTAssertEqual(killed, 20, "\(finished) of \(trial) runs finished before their kill")
        print(
            "FaultTests: \(killed) runs killed mid-run (\(finished) more finished before their kill); runs take \(duration) s "
                + "(cold \(cold) s without a cache); every rerun identical to --no-cache")
    }

    /// Several runs at once on one repository, cold and then adding commits: each prints the clean result,
    /// and the cache they leave is whole.
    func testConcurrentRunsAllGiveTheCleanResult() throws {
        let repo = try Self.generatedRepository(records: 100, commits: 800, seed: 3)
        let reference = assertHeld(Self.log + ["--no-cache"], in: repo.path, exits: [0], timeout: 300).stdout
        for round in 0..<3 {
            if round == 1 {
                try? FileManager.default.removeItem(atPath: repo.path + "/.git/isms")
                assertHeld(["log", "--rev", "main~300", "--root", "isms"], in: repo.path, exits: [0], timeout: 300)
            }
            let outputs = Outputs()
            let path = repo.path
            DispatchQueue.concurrentPerform(iterations: 4) { i in
                let command = i % 2 == 0 ? Self.log : ["history", "RISK-0001", "--format", "json", "--root", "isms"]
                let result = ismsBounded(command, in: path, timeout: 300)
                let failed = "exit \(result.status): \(result.stderr)"
                outputs.set(i, result.status == 0 ? (i % 2 == 0 ? result.stdout : "ok") : failed)
            }
            for (i, output) in outputs.all(4).enumerated() {
                if i % 2 == 0 {
                    XCTAssertEqual(output, reference, "round \(round), run \(i)")
                } else {
                    XCTAssertEqual(output, "ok", "round \(round), run \(i)")
                }
            }
            let after = assertHeld(Self.log, in: repo.path, exits: [0], timeout: 300)
            XCTAssertEqual(after.stdout, reference)
            XCTAssertEqual(after.stderr, "", "round \(round): the cache left behind is whole")
        }
    }

    /// A full disk while the cache is written: a warning, and the command's own result is complete. The cache
    /// folder is a 64 KiB tmpfs (as root); elsewhere a folder the user cannot write stands in for it.
    func testFullDiskOrUnwritableCacheIsAWarningNotAFailure() throws {
        let repo = try Self.generatedRepository(records: 100, commits: 800, seed: 3)
        let reference = assertHeld(Self.log + ["--no-cache"], in: repo.path, exits: [0], timeout: 300).stdout
        let cache = repo.path + "/.git/isms"
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        var mounted = false
        if getuid() == 0 {
            mounted = runProcess("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", cache]).status == 0
        }
        defer { if mounted { _ = runProcess("/bin/umount", [cache]) } }
        if !mounted {
            guard getuid() != 0 else { throw XCTSkip("cannot mount a tmpfs here, and root writes any folder: no full disk to simulate") }
            chmod(cache, 0o555)
        }
        let result = assertHeld(Self.log, in: repo.path, exits: [0], timeout: 300)
        XCTAssertEqual(result.stdout, reference)
        let expected = mounted ? "No space left on device" : "Permission denied"
        XCTAssertTrue(result.stderr.hasPrefix("isms: warning: cannot write the history cache \(cache)/"), result.stderr)
        XCTAssertTrue(result.stderr.contains("(\(expected)); the result is complete"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertEqual(
            (try FileManager.default.contentsOfDirectory(atPath: cache)).filter { $0.hasSuffix(".tmp") }, [], "no temporary file left")
        for command in [["history", "RISK-0001"], ["blame", "RISK-0001"], ["diff", "main~10..main"]] {
            assertHeld(command + ["--root", "isms"], in: repo.path, exits: [0], timeout: 300)
        }
        if !mounted { chmod(cache, 0o755) }
    }

    /// A user who may read the repository but not write its git folder (a shared checkout): warnings only.
    func testAnotherUserWhoCannotWriteTheGitFolder() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("needs root and setpriv to run isms as another user")
        }
        let repo = try Self.generatedRepository(records: 50, commits: 200, seed: 9)
        chmod(repo.path, 0o755)
        let reference = assertHeld(Self.log + ["--no-cache"], in: repo.path, exits: [0], timeout: 300).stdout
        let before = ReadOnlyTests.snapshot(repo.path)
        let asNobody = ismsBounded(
            Self.log, in: repo.path, timeout: 300,
            wrapper: ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        XCTAssertFalse(asNobody.signalled || asNobody.timedOut)
        XCTAssertEqual(asNobody.status, 0, asNobody.stderr)
        XCTAssertEqual(asNobody.stdout, reference)
        XCTAssertTrue(
            asNobody.stderr.contains("cannot write the history cache") && asNobody.stderr.contains("Permission denied"), asNobody.stderr)
        ReadOnlyTests.assertUnchanged(before, ReadOnlyTests.snapshot(repo.path), "run as nobody")
    }
}
