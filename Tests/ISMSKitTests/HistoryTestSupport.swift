import Foundation
import XCTest

/// A repository with the ISMS in `isms/` beside unrelated code in `src/`, as most teams keep it.
final class ISMSRepository {
    let repo = GitRepository()
    var path: String { repo.path }
    private var churn = 0

    init() {
        repo.write("isms/isms.yaml", minimalConfig)
        repo.write("src/app.txt", "v0\n")
    }

    func write(_ relative: String, _ content: String) { repo.write("isms/" + relative, content) }
    func remove(_ relative: String) { repo.remove("isms/" + relative) }

    /// Changes a file outside the ISMS root, so commits also carry unrelated churn.
    func touchUnrelated() {
        churn += 1
        repo.write("src/app.txt", "v\(churn)\n")
    }

    @discardableResult
    func commit(_ message: String, by author: GitRepository.Person = .alice, at date: String) -> String {
        repo.commit(message, by: author, at: date)
    }

    @discardableResult
    func git(_ arguments: String...) -> String { repo.gitArguments(arguments) }

    /// Runs `isms` at the repository's top with `--root isms`.
    func isms(_ arguments: [String], in directory: String? = nil) -> ProcessResult {
        ISMSKitTests.isms(arguments + ["--root", "isms"], in: directory ?? path)
    }

    /// Runs `isms … --format json` and decodes the document; fails the test on a non-zero exit.
    func json(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        let result = isms(arguments + ["--format", "json"])
        XCTAssertEqual(result.status, 0, "isms \(arguments) failed: \(result.stderr)", file: file, line: line)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// The entries of `isms history ID` as decoded JSON.
    func history(_ id: String, _ extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        json(["history", id] + extra, file: file, line: line)["entries"] as? [[String: Any]] ?? []
    }
}

/// A risk record in YAML.
func riskYAML(
    _ id: String, title: String = "Laptop theft", owner: String = "alice", likelihood: Int = 3, impact: Int = 4,
    treatment: String = "reduce", controls: [String] = ["CTRL-1"], extra: String = ""
) -> String {
    """
    id: \(id)
    title: \(title)
    owner: \(owner)
    likelihood: \(likelihood)
    impact: \(impact)
    treatment: \(treatment)
    controls: [\(controls.joined(separator: ", "))]

    """ + extra
}

func controlYAML(_ id: String, title: String = "Disk encryption", status: String = "operating") -> String {
    """
    id: \(id)
    title: \(title)
    owner: bob
    status: \(status)

    """
}

extension Array where Element == [String: Any] {
    /// One key of every element, as strings (for compact assertions on events, paths, commits).
    func strings(_ key: String) -> [String] { map { $0[key] as? String ?? "<\(String(describing: $0[key]))>" } }
}

extension Dictionary where Key == String, Value == Any {
    var changes: [[String: Any]] { self["changes"] as? [[String: Any]] ?? [] }
}

/// Runs git in `directory`, returning the result even when git fails (for merges that stop on a conflict).
@discardableResult
func gitAllowingFailure(_ arguments: [String], in directory: String) -> ProcessResult {
    runProcess(
        GitRepository.git, arguments, in: directory,
        environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": directory, "GIT_TERMINAL_PROMPT": "0"])
}
