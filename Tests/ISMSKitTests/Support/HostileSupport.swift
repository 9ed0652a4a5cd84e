import Foundation
import XCTest

/// What a bounded run of the `isms` binary did: its output, and whether it ended by itself.
struct BoundedResult {
    let status: Int32
    let stdout: String
    let stderr: String
    /// Killed by a signal it did not ask for (a trap, an abort, a segmentation fault).
    let signalled: Bool
    /// Killed by the test because it ran longer than allowed.
    let timedOut: Bool
    let seconds: Double
}

/// Runs `isms` with a deadline: a run that hangs is killed and reported, never waited for. `wrapper` runs it
/// under another program (`/usr/bin/time -f …`).
func ismsBounded(
    _ arguments: [String], in directory: String, timeout: Double = 60,
    environment: [String: String] = [:], wrapper: [String] = []
) -> BoundedResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: wrapper.first ?? ismsExecutable)
    process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [ismsExecutable] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let started = Date()
    // Signalled on exit; `waitUntilExit()` would poll every 50 ms (see `runProcess`).
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try! process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave()
    }
    var timedOut = false
    if finished.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
        finished.wait()
    }
    group.wait()
    let stderr = String(decoding: errData, as: UTF8.self)
    let signalled = process.terminationReason == .uncaughtSignal || stderr.contains("Command terminated by signal")
    return BoundedResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: stderr, signalled: signalled && !timedOut, timedOut: timedOut,
        seconds: Date().timeIntervalSince(started))
}

/// The promise every hostile case is held to: the run ended by itself, in time, without a signal, with one of
/// the `allowed` exit codes; exit 2 comes with exactly one line on stderr, `isms: error: …`.
@discardableResult
func assertHeld(
    _ arguments: [String], in directory: String, exits allowed: Set<Int32>, timeout: Double = 60,
    stderrContains: String? = nil, environment: [String: String] = [:],
    file: StaticString = #filePath, line: UInt = #line
) -> BoundedResult {
    let result = ismsBounded(arguments, in: directory, timeout: timeout, environment: environment)
    let label = "isms \(arguments.joined(separator: " "))"
    XCTAssertFalse(result.timedOut, "\(label) hung (killed after \(timeout) s)", file: file, line: line)
    XCTAssertFalse(result.signalled, "\(label) crashed with signal \(result.status): \(result.stderr.prefix(2000))", file: file, line: line)
    XCTAssertTrue(
        allowed.contains(result.status), "\(label) exited \(result.status), expected \(allowed.sorted()): \(result.stderr.prefix(2000))",
        file: file, line: line)
    if result.status == 2 && !result.signalled && !result.timedOut {
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("isms: error:") }
        XCTAssertEqual(errors.count, 1, "\(label): exit 2 needs one error line: \(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("Backtrac"), result.stderr, file: file, line: line)
    }
    if let stderrContains {
        XCTAssertTrue(
            result.stderr.contains(stderrContains), "\(label): stderr lacks '\(stderrContains)': \(result.stderr)", file: file, line: line)
    }
    return result
}

/// Every command that reads a repository, with the arguments a hostile case runs it with.
enum Commands {
    /// check in its modes, and the three history commands, for record `id`.
    static func reading(id: String, rev: String = "HEAD") -> [[String]] {
        [
            ["check", "--as-of", "2026-12-01"], ["check", "--rev", rev, "--as-of", "2026-12-01"],
            ["check", "--staged", "--as-of", "2026-12-01"],
            ["log", "--rev", rev], ["log", "--rev", rev, "--no-cache"], ["log", "--rev", rev, "--format", "json"],
            ["history", id, "--rev", rev], ["blame", id, "--rev", rev], ["log", "--rev", rev, "--first-parent"],
        ]
    }
}

extension GitRepository {
    /// Writes a raw object with `git hash-object -w --literally` (which accepts what `git commit` refuses).
    func rawObject(type: String, _ content: String) -> String {
        let file = folder.write(".raw-object", content)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return git("hash-object", "-t", type, "-w", "--literally", file)
    }

    /// A commit object written byte for byte.
    func rawCommit(
        tree: String, parents: [String], author: String, committer: String? = nil, message: String,
        extraHeaders: String = ""
    ) -> String {
        var text = "tree \(tree)\n"
        for parent in parents { text += "parent \(parent)\n" }
        text += "author \(author)\ncommitter \(committer ?? author)\n" + extraHeaders + "\n" + message + "\n"
        return rawObject(type: "commit", text)
    }

    /// The decoded JSON of `isms … --format json`, asserting exit 0.
    func json(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        let result = assertHeld(arguments + ["--format", "json"], in: path, exits: [0, 1], file: file, line: line)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }
}

/// A risk that passes `isms check` against `minimalConfig`.
func hostileRisk(_ id: String, title: String = "t") -> String {
    "id: \(id)\ntitle: \(title)\nowner: alice\ntreatment: avoid\n"
}
