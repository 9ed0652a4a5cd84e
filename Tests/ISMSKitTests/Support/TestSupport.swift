import Foundation
import ISMSKit
import XCTest

/// A folder under the system temporary directory, removed when the test ends.
final class TemporaryFolder {
    let path: String

    init(_ name: String = "isms-test") {
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(name)-XXXXXX")
        var bytes = Array(template.utf8CString)
        let created = bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: created!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `content` at `relative`, creating folders on the way.
    @discardableResult
    func write(_ relative: String, _ content: String) -> String {
        write(relative, data: Data(content.utf8))
    }

    @discardableResult
    func write(_ relative: String, data: Data) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: full))
        return full
    }

    func remove(_ relative: String) {
        try? FileManager.default.removeItem(atPath: path + "/" + relative)
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }
}

struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a program to completion and captures its output.
@discardableResult
func runProcess(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String] = [:], stdin: String? = nil
) -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try! process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    // Read both pipes while the process runs, so a large output cannot block it.
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
    // Not `waitUntilExit()`: on Linux it polls its run loop every 50 ms, which cost every git, ssh-keygen and
    // isms run of the tests up to 50 ms of idling (measured: 51 ms for /bin/true, 0.9 ms this way).
    exited.wait()
    group.wait()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// The `isms` binary built beside the test bundle.
var ismsExecutable: String {
    let candidates = [Bundle.main.bundleURL, Bundle(for: TemporaryFolder.self).bundleURL.deletingLastPathComponent()]
    for folder in candidates {
        let path = folder.appendingPathComponent("isms").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    fatalError("isms executable not found next to the tests (looked in \(candidates))")
}

/// Runs `isms` with `arguments` in `directory`.
@discardableResult
func isms(_ arguments: [String], in directory: String, stdin: String? = nil) -> ProcessResult {
    runProcess(ismsExecutable, arguments, in: directory, stdin: stdin)
}

/// A real git repository built with the git command line, with fixed authors and dates so results are stable.
final class GitRepository {
    let folder: TemporaryFolder
    var path: String { folder.path }
    static let git = "/usr/bin/git"

    struct Person {
        let name: String, email: String
        static let alice = Person(name: "Alice Example", email: "alice@example.com")
        static let bob = Person(name: "Bob Example", email: "bob@example.com")
        static let carol = Person(name: "Carol Example", email: "carol@example.com")
    }

    init() {
        folder = TemporaryFolder("isms-repo")
        git("init", "-q", "-b", "main")
        git("config", "user.name", "Setup")
        git("config", "user.email", "setup@example.com")
        git("config", "commit.gpgsign", "false")
    }

    @discardableResult
    func git(_ arguments: String..., environment: [String: String] = [:]) -> String {
        gitArguments(arguments, environment: environment)
    }

    @discardableResult
    func gitArguments(_ arguments: [String], environment: [String: String] = [:]) -> String {
        var env = ["GIT_CONFIG_NOSYSTEM": "1", "HOME": path, "GIT_TERMINAL_PROMPT": "0"]
        for (k, v) in environment { env[k] = v }
        let result = runProcess(Self.git, arguments, in: path, environment: env)
        if result.status != 0 {
            XCTFail("git \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func write(_ relative: String, _ content: String) { folder.write(relative, content) }
    func remove(_ relative: String) { folder.remove(relative) }

    /// Stages everything and commits as `author` at `date` (ISO 8601, e.g. "2026-01-05T10:00:00+01:00").
    @discardableResult
    func commit(_ message: String, by author: Person = .alice, at date: String, committer: Person? = nil) -> String {
        let committer = committer ?? author
        return commitEverything(
            ["-m", message],
            environment: [
                "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email, "GIT_AUTHOR_DATE": date,
                "GIT_COMMITTER_NAME": committer.name, "GIT_COMMITTER_EMAIL": committer.email, "GIT_COMMITTER_DATE": date,
            ])
    }

    /// What the last commit left: the work tree's files and the identity of the index file. While both hold
    /// (no file is new, and no git command has rewritten the index since), every file is tracked and
    /// `git commit -a` alone stages every change and removal.
    private var tracked: (files: Set<String>, index: String?)?

    /// Commits the whole work tree, as `git add -A` then `git commit` would, with `options` (message, signing),
    /// and returns the commit's id. One git process when no file is new since the last commit (`commit -a`,
    /// the id read from its summary line), two otherwise: `git add -A` first. `git rev-parse HEAD` is not
    /// needed, and the automatic maintenance that `git commit` would start as a child process is off.
    func commitEverything(_ options: [String], configuration: [String] = [], environment: [String: String]) -> String {
        let files = workTreeFiles()
        let onlyTracked = tracked.map { files.isSubset(of: $0.files) && $0.index == indexStamp() } ?? false
        // A .gitignore could have stopped ignoring a file that is not tracked: `git add -A` decides then.
        if !onlyTracked || files.contains(where: { ($0 as NSString).lastPathComponent == ".gitignore" }) {
            git("add", "-A")
        }
        let output = gitArguments(
            configuration + [
                "-c", "core.abbrev=40", "-c", "maintenance.auto=false",
                "commit", "-a", "--allow-empty",
            ] + options,
            environment: environment)
        tracked = (files, indexStamp())
        // `[main (root-commit) <40 hex>] subject`, or `[detached HEAD <40 hex>] subject`
        let summary = output.split(separator: "\n").first.map(String.init) ?? ""
        guard let close = summary.firstIndex(of: "]"), let open = summary[..<close].lastIndex(of: " ") else {
            XCTFail("no commit id in git commit's summary: \(output)")
            return git("rev-parse", "HEAD")
        }
        let id = String(summary[summary.index(after: open)..<close])
        XCTAssertTrue(id.count == 40 && id.allSatisfy(\.isHexDigit), "not a commit id: \(summary)")
        return id
    }

    /// Every file and link of the work tree (its folders aside, and `.git`), relative to the top.
    private func workTreeFiles() -> Set<String> {
        var result = Set<String>()
        func visit(_ relative: String) {
            let full = relative.isEmpty ? path : path + "/" + relative
            for child in (try? FileManager.default.contentsOfDirectory(atPath: full)) ?? [] {
                let childPath = relative.isEmpty ? child : relative + "/" + child
                if childPath == ".git" { continue }
                var info = stat()
                guard lstat(path + "/" + childPath, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR { visit(childPath) } else { result.insert(childPath) }
            }
        }
        visit("")
        return result
    }

    /// The index file's inode, time and size: git replaces the file (a new inode) whenever it writes it.
    private func indexStamp() -> String? {
        var info = stat()
        guard lstat(path + "/.git/index", &info) == 0 else { return nil }
        return "\(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_size)"
    }
}

/// A minimal valid isms.yaml with a roster of alice, bob and carol: the one rule examples get by default.
let minimalConfig = RuleExample.defaultConfig

/// A copy of example-isms outside any git repository, for outputs that would otherwise include this
/// repository's own history (the audit pack's decision log).
func exampleISMSOutsideGit() -> TemporaryFolder {
    let folder = TemporaryFolder("example-isms")
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("example-isms").path
    try! FileManager.default.removeItem(atPath: folder.path)
    try! FileManager.default.copyItem(atPath: source, toPath: folder.path)
    return folder
}

/// A seeded generator (SplitMix64), so that a failure of a randomised test can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
