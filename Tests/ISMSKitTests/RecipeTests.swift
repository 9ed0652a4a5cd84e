import Foundation
import XCTest

@testable import ISMSKit

/// The CI recipes of docs/ci.md and the files `isms init` writes, run as the platforms run them: their shell lines are
/// taken from the document or template, run with bash with the variables the platform sets, at the top of a real
/// repository, with the `isms` built beside the tests first on the PATH.
final class RecipeTests: XCTestCase {
    // MARK: - Support

    /// A folder holding `isms` (the binary under test) for the PATH, and a HOME that git may write.
    final class Environment {
        let folder = TemporaryFolder("isms-recipe")
        var bin: String { folder.path + "/bin" }
        var home: String { folder.path + "/home" }

        init() {
            try! FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try! FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try! FileManager.default.createSymbolicLink(atPath: bin + "/isms", withDestinationPath: ismsExecutable)
        }

        /// Runs `script` with bash in `directory`; `variables` are set (an empty value sets the variable empty).
        func bash(_ script: String, in directory: String, _ variables: [String: String] = [:]) -> ProcessResult {
            var environment = [
                "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "HOME": home, "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_AUTHOR_NAME": "Tour Reader", "GIT_AUTHOR_EMAIL": "reader@example.com",
                "GIT_COMMITTER_NAME": "Tour Reader", "GIT_COMMITTER_EMAIL": "reader@example.com",
            ]
            // Whatever CI this test itself runs in must not leak into the recipe's logic.
            for name in [
                "CI_PIPELINE_SOURCE", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "CI_COMMIT_BEFORE_SHA", "CI_COMMIT_BRANCH",
                "BASE", "GITHUB_EVENT_NAME", "ISMS_BIN",
            ] {
                environment[name] = ""
            }
            for (key, value) in variables { environment[key] = value }
            return runProcess("/bin/bash", ["-c", script], in: directory, environment: environment)
        }
    }

    /// A repository whose ISMS (written by `isms init isms`, so in a subfolder) has an old error on main, and a branch
    /// `feature` that adds a good record: a pull request that must pass while main's debt stays.
    struct Scenario {
        let repository: GitRepository
        let base: String
        var top: String { repository.path }
    }

    static let debt = "id: RISK-9\ntitle: Old debt\nowner: alex\ntreatment: reduce\ncontrols: [CTRL-404]\n"
    static let good = "id: RISK-10\ntitle: Phishing\nowner: alex\ntreatment: avoid\n"
    static let broken = "id: RISK-11\ntitle: Lost laptop\nowner: alex\ntreatment: reduce\ncontrols: [CTRL-405]\n"

    func scenario(newError: Bool = false) -> Scenario {
        let repository = GitRepository()
        let made = isms(["init", "isms", "--name", "Recipe"], in: repository.path)
        XCTAssertEqual(made.status, 0, made.stderr)
        repository.commit("Start the ISMS", at: "2026-11-02T10:00:00+01:00")
        repository.write("isms/risks/risk-9.yaml", Self.debt)
        let base = repository.commit("Old debt", at: "2026-11-03T10:00:00+01:00")
        repository.git("switch", "-qc", "feature")
        repository.write("isms/risks/risk-10.yaml", Self.good)
        if newError { repository.write("isms/risks/risk-11.yaml", Self.broken) }
        repository.commit("A change under review", at: "2026-11-04T10:00:00+01:00")
        return Scenario(repository: repository, base: base)
    }

    /// The fenced blocks of `language` in a markdown file.
    static func blocks(_ markdown: String, _ language: String) -> [String] {
        var out = [String](), current: [String]? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```" + language { current = []; continue }
            if current != nil, line == "```" { out.append(current!.joined(separator: "\n")); current = nil; continue }
            current?.append(String(line))
        }
        return out
    }

    static func read(_ relative: String) throws -> String {
        try XCTUnwrap(FileManager.default.contents(atPath: repositoryRoot + "/" + relative).map { String(decoding: $0, as: UTF8.self) })
    }

    static func yaml(_ text: String) throws -> YAMLNode {
        try YAMLReader().read(Data(text.utf8)).get()
    }

    static func strings(_ node: YAMLNode?) -> [String] { node?.items?.compactMap { $0.scalar?.text } ?? [] }

    // MARK: - GitLab CI

    /// docs/ci.md's GitLab job on a merge request, a push to a new branch, a schedule and a manual run: it judges
    /// (exit 0 or 1) every time, fails a merge request only on what it introduces, and writes a Code Quality report.
    func testGitLabJobJudgesMergeRequestsBranchesSchedulesAndManualRuns() throws {
        let block = try XCTUnwrap(
            Self.blocks(try Self.read("docs/ci.md"), "yaml").first { $0.hasPrefix("isms:\n") && $0.contains("script:") })
        let job = try XCTUnwrap(try Self.yaml(block)["isms"])
        let rules = job["rules"]?.items?.compactMap { $0["if"]?.scalar?.text } ?? []
        XCTAssertTrue(
            rules.contains { $0.contains("$CI_PIPELINE_SOURCE == \"merge_request_event\"") }, "merge requests run the job: \(rules)")
        XCTAssertTrue(rules.contains("$CI_COMMIT_BRANCH"), "branches, schedules and manual runs run the job: \(rules)")
        XCTAssertEqual(job["artifacts"]?["reports"]?["codequality"]?.scalar?.text, "gl-code-quality.json")
        XCTAssertFalse(block.contains("CI_COMMIT_BEFORE_SHA:"), "forty zeros on new branches, schedules and manual runs")
        // The runner runs the lines in one shell and stops at the first that fails.
        let script = "set -eo pipefail\n" + Self.strings(job["script"]).joined(separator: "\n")
        let zeros = String(repeating: "0", count: 40)

        let clean = scenario()
        let environment = Environment()
        let mergeRequest = [
            "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_DIFF_BASE_SHA": clean.base,
            "CI_COMMIT_BEFORE_SHA": zeros,
        ]
        let review = environment.bash(script, in: clean.top, mergeRequest)
        XCTAssertEqual(review.status, 0, "a merge request that adds nothing wrong passes despite main's debt: \(review.stderr)")
        let report = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: clean.top + "/gl-code-quality.json")))
                as? [[String: Any]])
        XCTAssertTrue(
            report.contains {
                $0["check_name"] as? String == "broken-link"
                    && ($0["location"] as? [String: Any])?["path"] as? String == "isms/risks/risk-9.yaml"
            },
            "the Code Quality report holds every finding, for GitLab to compare with the target branch's")
        XCTAssertTrue(FileManager.default.fileExists(atPath: clean.top + "/isms-junit.xml"))

        for (name, source) in [("new branch", "push"), ("schedule", "schedule"), ("manual run", "web")] {
            let run = environment.bash(
                script, in: clean.top, ["CI_PIPELINE_SOURCE": source, "CI_COMMIT_BRANCH": "feature", "CI_COMMIT_BEFORE_SHA": zeros])
            XCTAssertEqual(
                run.status, 1, "\(name): every error counts outside a merge request, and the job judges (never 2): \(run.stderr)")
        }

        let introducing = scenario(newError: true)
        let failing = environment.bash(
            script, in: introducing.top,
            [
                "CI_PIPELINE_SOURCE": "merge_request_event",
                "CI_MERGE_REQUEST_DIFF_BASE_SHA": introducing.base,
            ])
        XCTAssertEqual(failing.status, 1, "a merge request that introduces an error fails: \(failing.stderr)")
    }

    // MARK: - GitHub

    /// The workflow `isms init` writes: read-only permissions, the whole history, the real repository, annotations,
    /// and on a pull request `--base` its base commit; its check step run as Actions runs it.
    func testInitWorkflowChecksPullRequestsAgainstTheirBaseWithAnnotations() throws {
        let clean = scenario()
        let text = try XCTUnwrap(clean.repository.folder.read("isms/.github/workflows/isms.yml"))
        let workflow = try Self.yaml(text)
        XCTAssertEqual(workflow["permissions"]?["contents"]?.scalar?.text, "read")
        XCTAssertFalse(text.contains("example.com"), "no placeholder repository")
        let job = try XCTUnwrap(workflow["jobs"]?["check"])
        XCTAssertTrue(job["env"]?["ISMS_REPOSITORY"]?.scalar?.text.hasPrefix(RuleDocs.projectURL) ?? false)
        XCTAssertEqual(job["env"]?["ISMS_ROOT"]?.scalar?.text, "isms", "init knows the ISMS is the subfolder isms of the repository")
        let steps = job["steps"]?.items ?? []
        XCTAssertEqual(steps.first?["with"]?["fetch-depth"]?.scalar?.text, "0")
        let check = try XCTUnwrap(steps.first { $0["name"]?.scalar?.text == "isms check" })
        XCTAssertEqual(check["env"]?["BASE"]?.scalar?.text, "${{ github.event.pull_request.base.sha }}")
        let run = try XCTUnwrap(check["run"]?.scalar?.text)
        XCTAssertTrue(run.contains("--format github"))

        let environment = Environment()
        // Actions runs `bash -e` with the job's and the step's env; the expression is empty outside a pull request.
        let common = ["ISMS_ROOT": "isms", "GITHUB_WORKSPACE": clean.top]
        let pull = environment.bash("set -e\n" + run, in: clean.top, common.merging(["BASE": clean.base]) { $1 })
        XCTAssertEqual(pull.status, 0, "a pull request that adds nothing wrong passes: \(pull.stdout)\(pull.stderr)")
        XCTAssertFalse(pull.stdout.contains("::error"), pull.stdout)
        let push = environment.bash("set -e\n" + run, in: clean.top, common.merging(["BASE": ""]) { $1 })
        XCTAssertEqual(push.status, 1, push.stderr)
        XCTAssertTrue(push.stdout.contains("::error file=isms/risks/risk-9.yaml,line="), "an annotation on the file: \(push.stdout)")

        let introducing = scenario(newError: true)
        let failing = environment.bash(
            "set -e\n" + run, in: introducing.top, ["ISMS_ROOT": "isms", "BASE": introducing.base, "GITHUB_WORKSPACE": introducing.top])
        XCTAssertEqual(failing.status, 1, failing.stderr)
        XCTAssertTrue(failing.stdout.contains("::error file=isms/risks/risk-11.yaml"), failing.stdout)
        XCTAssertFalse(failing.stdout.contains("risk-9.yaml"), "only what the pull request introduced: \(failing.stdout)")
    }

    /// The history cache between jobs (docs/ci.md): in the workflow `isms init` writes and in the action, a pull
    /// request only restores `.git/isms`, keyed by its base commit, and only a push to the default branch saves it.
    /// Carried into a fresh clone of the pull request as actions/cache does, it is taken (no warning, no rebuild)
    /// and the check prints what it prints without it.
    func testHistoryCacheIsRestoredByPullRequestsAndSavedOnlyByTheDefaultBranch() throws {
        let clean = scenario()
        let workflow = try Self.yaml(try XCTUnwrap(clean.repository.folder.read("isms/.github/workflows/isms.yml")))
        let action = try Self.yaml(try Self.read("action.yml"))
        for steps in [workflow["jobs"]?["check"]?["steps"]?.items ?? [], action["runs"]?["steps"]?.items ?? []] {
            func index(_ prefix: String) -> Int? { steps.firstIndex { $0["uses"]?.scalar?.text.hasPrefix(prefix) ?? false } }
            let check = try XCTUnwrap(
                steps.firstIndex { ($0["name"]?.scalar?.text ?? "").hasPrefix("isms check") || $0["id"]?.scalar?.text == "check" })
            let restoreAt = try XCTUnwrap(index("actions/cache/restore@")), saveAt = try XCTUnwrap(index("actions/cache/save@"))
            XCTAssertTrue(restoreAt < check && check < saveAt, "restored before the check, saved after it")
            let restore = steps[restoreAt], save = steps[saveAt]
            XCTAssertEqual(restore["with"]?["path"]?.scalar?.text, ".git/isms")
            XCTAssertEqual(save["with"]?["path"]?.scalar?.text, ".git/isms")
            XCTAssertTrue(restore["if"]?.scalar?.text.contains("github.event_name == 'pull_request'") ?? false)
            XCTAssertTrue(restore["with"]?["key"]?.scalar?.text.contains("github.event.pull_request.base.sha") ?? false)
            let condition = save["if"]?.scalar?.text ?? ""
            XCTAssertTrue(condition.contains("github.event_name == 'push'") && condition.contains("default_branch"), condition)
        }

        // A job on main writes the cache; a pull request's job starts from a fresh clone and restores it.
        let environment = Environment()
        let check = "isms check --root isms --base \(clean.base) --format github"
        let mainJob = environment.folder.path + "/main-job", prJob = environment.folder.path + "/pr-job"
        let coldJob = environment.folder.path + "/cold-job"
        for (folder, branch) in [(mainJob, "main"), (prJob, "feature"), (coldJob, "feature")] {
            let cloned = gitAllowingFailure(["clone", "-q", "--no-local", "-b", branch, clean.top, folder], in: environment.folder.path)
            XCTAssertEqual(cloned.status, 0, cloned.stderr)
        }
        XCTAssertEqual(environment.bash("isms check --root isms --format github", in: mainJob).status, 1, "main has old debt")
        let copied = environment.bash("cp -R \(mainJob)/.git/isms \(prJob)/.git/isms", in: environment.folder.path)
        XCTAssertEqual(copied.status, 0, copied.stderr)
        let restored = environment.bash(check, in: prJob), cold = environment.bash(check, in: coldJob)
        XCTAssertEqual(restored.status, 0, restored.stderr)
        XCTAssertEqual(restored.stdout, cold.stdout)
        XCTAssertEqual(restored.stderr, cold.stderr, "the restored cache is taken without a warning")
    }

    /// The composite action (action.yml): its check step records 0 on a clean pull request and 1 on a push with old
    /// errors, writes SARIF, and its summary step writes the markdown diff.
    func testActionRecordsStatusWritesSARIFAndSummary() throws {
        let action = try Self.yaml(try Self.read("action.yml"))
        let steps = action["runs"]?["steps"]?.items ?? []
        let check = try XCTUnwrap(steps.first { $0["id"]?.scalar?.text == "check" })
        let summary = try XCTUnwrap(steps.first { $0["name"]?.scalar?.text == "Decision changes to the job summary" })
        let clean = scenario()
        let environment = Environment()
        let actionPath = environment.folder.path + "/action"
        try FileManager.default.createDirectory(atPath: actionPath + "/.build/release", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: actionPath + "/.build/release/isms", withDestinationPath: ismsExecutable)
        for (base, expected) in [(clean.base, "0"), ("", "1")] {
            let output = environment.folder.write("output-\(expected)", "")
            let runnerTemp = environment.folder.path + "/temp-\(expected)"
            try FileManager.default.createDirectory(atPath: runnerTemp, withIntermediateDirectories: true)
            let variables = [
                "ROOT": "isms", "BASE": base, "AS_OF": "", "FAIL_ON": "new", "GITHUB_ACTION_PATH": actionPath,
                "GITHUB_OUTPUT": output, "RUNNER_TEMP": runnerTemp,
            ]
            let run = environment.bash("set -e\n" + (check["run"]?.scalar?.text ?? ""), in: clean.top, variables)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(environment.folder.read("output-\(expected)"), "status=\(expected)\n", base.isEmpty ? "push" : "pull request")
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: runnerTemp + "/isms.sarif"))))
        }
        let stepSummary = environment.folder.write("summary.md", "")
        let written = environment.bash(
            "set -e\n" + (summary["run"]?.scalar?.text ?? ""), in: clean.top,
            ["ROOT": "isms", "BASE": clean.base, "AS_OF": "", "GITHUB_ACTION_PATH": actionPath, "GITHUB_STEP_SUMMARY": stepSummary])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertTrue(
            environment.folder.read("summary.md")?.contains("### isms: decision changes") ?? false,
            environment.folder.read("summary.md") ?? "")
    }

    // MARK: - pre-commit

    /// Both pre-commit recipes, run as pre-commit runs a hook (its entry and args, from the repository top, without
    /// file names): the config `isms init` writes, moved to the top, and this repository as a hook source with the
    /// args docs/ci.md gives. Each passes a good staged change and refuses a broken one; neither ever exits 2.
    func testPreCommitHooksJudgeFromTheRepositoryTop() throws {
        let docs = try Self.read("docs/ci.md")
        let hookSource = try Self.yaml(try Self.read(".pre-commit-hooks.yaml")).items?.first
        let sourceEntry = try XCTUnwrap(hookSource?["entry"]?.scalar?.text)
        let documented = try XCTUnwrap(Self.blocks(docs, "yaml").first { $0.contains("repo: https://github.com/isms-tool/isms") })
        let documentedHook = try XCTUnwrap(try Self.yaml(documented)["repos"]?.items?.first?["hooks"]?.items?.first)
        let fromSource = ([sourceEntry] + Self.strings(documentedHook["args"])).joined(separator: " ")
        let fast = try XCTUnwrap(Self.blocks(docs, "yaml").first { $0.contains("language: system") })
        let fastEntry = try XCTUnwrap(try Self.yaml(fast)["repos"]?.items?.first?["hooks"]?.items?.first?["entry"]?.scalar?.text)

        let environment = Environment()
        let repository = GitRepository()
        XCTAssertEqual(isms(["init", "isms"], in: repository.path).status, 0)
        let written = try Self.yaml(try XCTUnwrap(repository.folder.read("isms/.pre-commit-config.yaml")))
        let hook = try XCTUnwrap(written["repos"]?.items?.first?["hooks"]?.items?.first)
        XCTAssertEqual(hook["language"]?.scalar?.text, "system")
        let initEntry = try XCTUnwrap(hook["entry"]?.scalar?.text)
        repository.commit("Start the ISMS", at: "2026-11-02T10:00:00+01:00")

        for (name, command) in [("init's config", initEntry), ("docs' fast path", fastEntry), ("hook source", fromSource)] {
            repository.write("isms/risks/risk-10.yaml", Self.good)
            repository.git("add", "-A")
            let good = environment.bash(command, in: repository.path)
            XCTAssertEqual(good.status, 0, "\(name) (\(command)) passes a good change: \(good.stderr)")
            repository.write("isms/risks/risk-11.yaml", Self.broken)
            repository.git("add", "-A")
            let bad = environment.bash(command, in: repository.path)
            XCTAssertEqual(bad.status, 1, "\(name) (\(command)) refuses a broken change: \(bad.stderr)")
            XCTAssertTrue(bad.stdout.contains("broken-link"), bad.stdout)
            repository.git("reset", "-q")
            repository.remove("isms/risks/risk-10.yaml")
            repository.remove("isms/risks/risk-11.yaml")
        }
        XCTAssertTrue(docs.contains("7 minutes"), "docs/ci.md warns of the first build of the language: swift hook")
    }

    // MARK: - The README tour

    /// Every line of the README's tour, as written, in order, from `isms init` to the completions: it must run
    /// through (bash -e), with `isms` on the PATH and the library the import line reads where the tour says.
    func testReadmeTourRunsVerbatim() throws {
        let readme = try Self.read("README.md")
        let start = try XCTUnwrap(readme.range(of: "## A short tour")).upperBound
        let end = try XCTUnwrap(readme.range(of: "\n## ", range: start..<readme.endIndex)).lowerBound
        let lines = Self.blocks(String(readme[start..<end]), "sh")
        XCTAssertGreaterThanOrEqual(lines.count, 4)
        XCTAssertTrue(lines.first?.hasPrefix("isms init ") ?? false, "the tour starts with isms init")
        XCTAssertTrue(
            runProcess("/bin/sh", ["-c", "command -v dot"]).status == 0, "the tour draws with Graphviz: install graphviz (make deps)")
        let environment = Environment()
        let checkout = environment.folder.path + "/checkout"
        let fixture = "Tests/ISMSKitTests/Fixtures/ciso-assistant-nis2.yaml"
        try FileManager.default.createDirectory(atPath: checkout + "/Tests/ISMSKitTests/Fixtures", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryRoot + "/" + fixture, toPath: checkout + "/" + fixture)
        let run = environment.bash("set -eo pipefail\n" + lines.joined(separator: "\n"), in: checkout)
        XCTAssertEqual(run.status, 0, "the tour stopped: \(run.stderr.suffix(2000))")
        XCTAssertFalse(run.stderr.contains("isms: error"), run.stderr)
        for written in [
            "my-isms/risks/risk-2.yaml", "my-isms/audit-pack.html", "my-isms/r.svg", "my-isms/controls.json",
            "my-isms/obligations/nis2/obl-nis2-21-2-a.yaml", "my-isms/.git/hooks/pre-commit",
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: checkout + "/" + written), written)
        }
        XCTAssertTrue(run.stdout.contains("<svg") == false && run.stdout.contains("### isms: decision changes"), "the diff is shown")
    }

    // MARK: - The first hour

    /// `--format codequality`: the Code Climate array GitLab reads, every finding, fingerprints that survive a moved line.
    func testCodeQualityReportIsReadBack() throws {
        let folder = exampleISMSOutsideGit()
        func issues() throws -> [[String: Any]] {
            let run = isms(["check", "--format", "codequality", "--as-of", "2026-12-01"], in: folder.path)
            XCTAssertNotEqual(run.status, 2, run.stderr)
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        }
        folder.write(
            "risks/risk-99.yaml",
            "id: RISK-99\ntitle: Planted\nowner: mkessler\ntreatment: reduce\ncontrols: [CTRL-404]\nreview: {last: 2026-11-01, every: yearly}\n"
        )
        let first = try issues()
        let json = isms(["check", "--format", "json", "--as-of", "2026-12-01"], in: folder.path)
        let findings = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["findings"] as? [Any])
        XCTAssertEqual(first.count, findings.count, "every finding")
        for issue in first {
            XCTAssertNotNil(issue["description"] as? String)
            XCTAssertNotNil(issue["check_name"] as? String)
            XCTAssertTrue(["info", "minor", "major", "critical", "blocker"].contains(issue["severity"] as? String ?? ""))
            let location = try XCTUnwrap(issue["location"] as? [String: Any])
            XCTAssertNotNil(location["path"] as? String)
            XCTAssertNotNil((location["lines"] as? [String: Any])?["begin"] as? Int)
        }
        let fingerprints = first.compactMap { $0["fingerprint"] as? String }
        XCTAssertEqual(Set(fingerprints).count, first.count, "fingerprints are unique")
        let planted = try XCTUnwrap(first.first { ($0["location"] as? [String: Any])?["path"] as? String == "risks/risk-99.yaml" })
        XCTAssertEqual(planted["severity"] as? String, "critical")
        // Two lines more above the finding: same fingerprint, another line.
        folder.write(
            "risks/risk-99.yaml",
            "# moved\n\nid: RISK-99\ntitle: Planted\nowner: mkessler\ntreatment: reduce\ncontrols: [CTRL-404]\nreview: {last: 2026-11-01, every: yearly}\n"
        )
        let moved = try XCTUnwrap(try issues().first { ($0["location"] as? [String: Any])?["path"] as? String == "risks/risk-99.yaml" })
        XCTAssertEqual(moved["fingerprint"] as? String, planted["fingerprint"] as? String)
        XCTAssertNotEqual(
            ((moved["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int,
            ((planted["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int)
    }

    /// A starter ISMS's 91 soa-gap notes: one line in text, every one in JSON, in Annex A catalogue order.
    func testStarterCheckFoldsManyNotesAndKeepsCatalogueOrder() throws {
        let folder = TemporaryFolder()
        XCTAssertEqual(isms(["init", "."], in: folder.path).status, 0)
        folder.write(
            "risks/risk-2.yaml",
            "id: RISK-2\ntitle: Broken\nowner: alex\ntreatment: reduce\ncontrols: [CTRL-404]\nreview: {last: 2026-11-01, every: yearly}\n")
        let text = isms(["check"], in: folder.path)
        XCTAssertEqual(text.status, 1)
        let lines = text.stdout.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasSuffix("[soa-gap]") }.count, 1, text.stdout)
        XCTAssertTrue(
            text.stdout.contains("note: 91 soa-gap notes, the first: Annex A A.5.1 (Policies for information security)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("`isms check --format json` lists them all"), text.stdout)
        XCTAssertTrue(lines.count <= 4 && text.stdout.contains("[broken-link]"), "the error is not buried: \(text.stdout)")
        XCTAssertTrue(text.stdout.hasSuffix("15 records checked: 1 error, 0 warnings, 91 notes\n"), text.stdout)

        let json = isms(["check", "--format", "json"], in: folder.path)
        let findings = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        let ids = findings.filter { $0["rule"] as? String == "soa-gap" }.compactMap { ($0["message"] as? String)?.split(separator: " ")[2] }
            .map(String.init)
        XCTAssertEqual(ids.count, 91)
        XCTAssertEqual(ids, AnnexA.controls.map(\.id).filter(ids.contains), "catalogue order")
        XCTAssertEqual(Array(ids.prefix(3)), ["A.5.1", "A.5.2", "A.5.3"])
        // Few notes of a rule stay one line each.
        XCTAssertTrue(
            Finding.naturalLess("A.5.9 x", "A.5.10 x") && !Finding.naturalLess("A.5.10", "A.5.9") && Finding.naturalLess("A.5.1", "A.5.1 "))
    }

    /// Messages a new user meets: one line, one prefix, and the right exit status.
    func testMessagesAreOneLineWithOnePrefix() throws {
        let folder = TemporaryFolder()
        XCTAssertEqual(isms(["init", "."], in: folder.path).status, 0)
        let option = isms(["check", "--bogus"], in: folder.path)
        XCTAssertEqual(option.status, 2)
        XCTAssertEqual(option.stderr, "isms: error: unknown option '--bogus' (see 'isms check --help')\n")
        let value = isms(["check", "--format", "xml"], in: folder.path)
        XCTAssertEqual(value.status, 2)
        XCTAssertEqual(value.stderr.split(separator: "\n").count, 1, value.stderr)
        XCTAssertTrue(
            value.stderr.hasPrefix("isms: error: the value 'xml' is invalid for '--format <format>'")
                && value.stderr.contains("'codequality'"), value.stderr)
        XCTAssertFalse(value.stderr.contains("Error:"), value.stderr)
        let help = isms(["help", "nosuch"], in: folder.path)
        XCTAssertEqual(help.status, 2, help.stdout)
        XCTAssertTrue(help.stderr.hasPrefix("isms: error: unknown command 'nosuch'"), help.stderr)
        XCTAssertEqual(isms(["help", "check"], in: folder.path).status, 0)
        XCTAssertEqual(isms(["help", "import", "ciso-assistant"], in: folder.path).status, 0)
        let owner = isms(["new", "risk", "--title", "Ransomware", "--owner", "dana"], in: folder.path)
        XCTAssertEqual(owner.status, 2)
        XCTAssertTrue(owner.stderr.contains("(people: alex)"), owner.stderr)

        let repository = GitRepository()
        XCTAssertEqual(isms(["init", "."], in: repository.path).status, 0)
        // A damaged history (an old record version's object is gone): without a trust revision the records are
        // checked, with a warning that the history rules were not run.
        repository.commit("Start", at: "2026-11-02T10:00:00+01:00")
        let record = try XCTUnwrap(repository.git("ls-files", "risks").split(separator: "\n").first.map(String.init))
        let oldBlob = repository.git("rev-parse", "HEAD:\(record)")
        repository.write(record, (repository.folder.read(record) ?? "") + "# edited\n")
        repository.commit("Again", at: "2026-11-03T10:00:00+01:00")
        try FileManager.default.removeItem(atPath: repository.path + "/.git/objects/\(oldBlob.prefix(2))/\(oldBlob.dropFirst(2))")
        let warned = isms(["check"], in: repository.path)
        XCTAssertTrue(warned.stderr.contains("isms: warning: the history rules were not run"), warned.stderr)
        XCTAssertFalse(warned.stderr.contains("note: warning:"), warned.stderr)
    }

    /// Options with a fixed set of values complete in bash.
    func testFixedValuesComplete() throws {
        let folder = TemporaryFolder()
        let script = folder.write("isms.bash", isms(["--generate-completion-script", "bash"], in: folder.path).stdout)
        func complete(_ line: String) -> [String] {
            var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            words[0] = ismsExecutable
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let program = """
                source '\(script)'
                COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=\(line.count)
                _isms isms '\(words.last ?? "")' '\(words.count > 1 ? words[words.count - 2] : "")'
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            return runProcess("/bin/bash", ["-c", program]).stdout.split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(Set(complete("isms check --format ")), Set(CheckReporters.formats))
        XCTAssertEqual(complete("isms check --format code"), ["codequality"])
        XCTAssertEqual(Set(complete("isms diff range --format ")), ["text", "markdown", "json"])
        XCTAssertEqual(Set(complete("isms log --format ")), ["text", "json"])
        XCTAssertEqual(Set(complete("isms rules --format ")), ["text", "json", "markdown"])
        XCTAssertEqual(Set(complete("isms graph --format ")), ["mermaid", "dot"])
        XCTAssertEqual(Set(complete("isms report soa --format ")), ["md", "csv", "json", "html"])
        XCTAssertTrue(complete("isms report ").contains("decisions"))
        XCTAssertEqual(complete("isms explain untraced-c"), ["untraced-control"])
        XCTAssertEqual(Set(complete("isms new ")), Set(RecordKind.allCases.map(\.rawValue)))
        XCTAssertTrue(complete("isms log --kind ").contains("risk"))
        XCTAssertTrue(complete("isms schema --kind ").contains("isms"))
    }

    /// The man page lists the three exit statuses; docs/cli.md names every check format and every report.
    func testManPageAndCLIDocNameExitStatusesFormatsAndReports() throws {
        let page = try Self.read("docs/man/isms.1")
        let status = try XCTUnwrap(page.range(of: ".Sh \"EXIT STATUS\"")).upperBound
        let section = page[status...].prefix(600)
        for item in [".It 0", ".It 1", ".It 2"] { XCTAssertTrue(section.contains(item), "EXIT STATUS lists \(item): \(section)") }
        XCTAssertFalse(page.contains(".Ex -std"))
        let cli = try Self.read("docs/cli.md")
        for format in CheckReporters.formats {
            XCTAssertTrue(cli.contains("--format text|json|sarif|github|junit|codequality") && cli.contains(format))
        }
        for kind in Reports.kinds + [DecisionsReport.kind] {
            XCTAssertTrue(cli.contains("isms report \(kind)") || cli.contains("|\(kind)"), kind)
        }
        XCTAssertTrue(cli.contains("isms report decisions"))
    }

    /// docs/editors.md: yaml-language-server resolves schema paths against the workspace root, and the modeline.
    func testEditorsDocTellsWhereSchemaPathsResolve() throws {
        let doc = try Self.read("docs/editors.md")
        XCTAssertFalse(doc.contains("relative to the directory Neovim was started in"))
        XCTAssertTrue(doc.contains("# yaml-language-server: $schema="))
        for editor in ["Helix", "Zed", "Emacs"] { XCTAssertTrue(doc.contains(editor), editor) }
    }
}
