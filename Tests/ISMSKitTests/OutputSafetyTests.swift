import Foundation
import XCTest

/// The SARIF schema of OASIS (its root refers to the log definition, so every document is judged), with format
/// checking: a `uri-reference` must be one.
private let sarifSchema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures/sarif-schema-2.1.0.json"
).path

/// Validates the SARIF file at `path` with python3-jsonschema (Draft 7, FormatChecker; python3-rfc3987 checks URIs).
func validateSARIF(_ path: String) -> ProcessResult {
    runProcess(
        "/usr/bin/python3",
        [
            "-c",
            """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[2]))
            assert schema.get("$ref") == "#/definitions/Root", "the schema must constrain its root"
            checker = jsonschema.FormatChecker()
            assert "uri-reference" in checker.checkers, "format checking of URIs needs python3-rfc3987"
            errors = list(jsonschema.Draft7Validator(schema, format_checker=checker).iter_errors(json.load(open(sys.argv[1]))))
            for e in errors: print(list(e.absolute_path), e.message, file=sys.stderr)
            sys.exit(1 if errors else 0)
            """, path, sarifSchema,
        ])
}

/// Every output meets text chosen by the people isms judges: record values, ids, keys, file names, author names and
/// commit messages, in a real repository. Each output must keep it in its place (docs/cli.md, "Output safety").
final class OutputSafetyTests: XCTestCase {
    // MARK: the corpus

    static let workflow = "\n::error file=x.yaml::pwned\n::add-mask::secret\n  ::stop-commands::tok\n"
    static let terminal =
        "\u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{07} \u{1B}]8;;http://evil/\u{1B}\\link\u{1B}]8;;\u{1B}\\ \u{9B}2J \u{202E}txt.exe\u{202C} \u{2066}iso\u{2069}\r"
    static let markup =
        "</summary><h1>H</h1> @org/team ![x](http://t/x.png) [a](javascript:x) <img src=x onerror=alert(1)> `tick` ```fence``` www.evil.com http://evil.example/ &amp; | # x"
    static let title = "Laptop theft" + workflow + terminal + markup
    static let brokenID = "CTRL-9\n::error::link\u{1B}[2J"
    static let badKey = "x\n::warning::key"
    /// Shows, on a terminal that honours it, another author with a good signature.
    static let author = "Mallory\u{1B}[2K\r0123456789 2026-01-01 Alice Example ✓alice"
    static let summary = "Accept \u{1B}[32m✓ signed\u{1B}[0m </summary>@org/team ::error::msg"
    static let formula = "=cmd|' /C calc'!A0"
    static let oddFiles = [
        "risks/risk 90 (copy).yaml": "RISK-90", "risks/risikö-93.yaml": "RISK-93", "risks/risk#91.yaml": "RISK-91",
        "risks/x\n::error::name.yaml": "RISK-94", "risks/a:b?c%d.yaml": "RISK-95",
    ]

    /// A YAML double-quoted scalar holding `text` exactly.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x2028...0x2069).contains(scalar.value) {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func risk(_ id: String, title: String, controls: [String] = ["CTRL-1"], extra: String = "") -> String {
        "id: \(id)\ntitle: \(quoted(title))\nowner: alice\ntreatment: reduce\nlikelihood: 3\nimpact: 4\ncontrols: [\(controls.map(quoted).joined(separator: ", "))]\n"
            + extra
    }

    static let control =
        "id: CTRL-1\ntitle: Disk encryption\nowner: alice\ndescription: Full-disk encryption.\noperation: automated\nstatus: implemented\nevery: quarterly\n"

    /// BASE: a clean register. HEAD: one commit by a hostile author with a hostile message, making every record
    /// hostile and adding files with odd names.
    static func hostileRepository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("controls/ctrl-1.yaml", control)
        repo.write("risks/risk-1.yaml", risk("RISK-1", title: "Laptop theft"))
        repo.write("risks/risk-2.yaml", risk("RISK-2", title: "Flood"))
        repo.commit("Clean register", at: "2026-01-05T10:00:00+01:00")
        repo.write("risks/risk-1.yaml", risk("RISK-1", title: title, controls: ["CTRL-1", brokenID], extra: "\(quoted(badKey)): 1\n"))
        repo.write("risks/risk-2.yaml", risk("RISK-2", title: formula))
        for (index, prefix) in ["+1", "-2+3", "@SUM(A1)", "\tx", "\rx"].enumerated() {
            repo.write("risks/risk-\(index + 3).yaml", risk("RISK-\(index + 3)", title: prefix))
        }
        for (path, id) in oddFiles { repo.write(path, risk(id, title: markup, controls: ["CTRL-404"])) }
        repo.git("add", "-A")
        repo.git(
            "commit", "-q", "-m", summary + "\n\n::error::body",
            environment: [
                "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "mallory@example.com", "GIT_AUTHOR_DATE": "2026-02-01T10:00:00+01:00",
                "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "mallory@example.com",
                "GIT_COMMITTER_DATE": "2026-02-01T10:00:00+01:00",
            ])
        return repo
    }

    // MARK: what "kept in its place" means

    /// A scalar no human-readable output may carry from user content: C0 (but the line break), DEL, C1, bidi.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A: return false
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// No control, escape or bidi character, and no line that GitHub's runner would read as a workflow command.
    func assertContained(_ output: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let unsafe = output.unicodeScalars.filter(Self.isUnsafe)
        XCTAssertTrue(unsafe.isEmpty, "\(label): carries \(unsafe.map { String($0.value, radix: 16) })", file: file, line: line)
        for text in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let body = text.drop { $0 == " " || $0 == "\t" }
            XCTAssertFalse(body.hasPrefix("::"), "\(label): a line is a workflow command: \(text)", file: file, line: line)
        }
    }

    func run(_ arguments: [String], in repo: GitRepository, exits: Set<Int32> = [0, 1], file: StaticString = #filePath, line: UInt = #line)
        -> BoundedResult
    {
        let dated = ["check", "diff", "report", "export"].contains(arguments[0]) ? ["--as-of", "2026-12-01"] : []
        let result = assertHeld(arguments + dated, in: repo.path, exits: exits, file: file, line: line)
        assertContained(result.stderr, "stderr of isms \(arguments.joined(separator: " "))", file: file, line: line)
        return result
    }

    func json(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Any? {
        let value = try? JSONSerialization.jsonObject(with: Data(text.utf8))
        XCTAssertNotNil(value, "not JSON: \(text.prefix(300))", file: file, line: line)
        return value
    }

    /// Every string anywhere in a JSON document.
    func strings(_ value: Any?) -> [String] {
        switch value {
        case let s as String: return [s]
        case let a as [Any]: return a.flatMap(strings)
        case let o as [String: Any]: return o.keys.map { $0 } + o.values.flatMap(strings)
        default: return []
        }
    }

    /// Markdown rendered by a CommonMark renderer (markdown-it, raw HTML allowed as GitHub allows some): the tags,
    /// the link and image targets, and the text.
    func renderMarkdown(_ markdown: String) -> (tags: [String], text: String) {
        let folder = TemporaryFolder("md")
        let path = folder.write("in.md", markdown)
        let result = runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, sys
                from html.parser import HTMLParser
                from markdown_it import MarkdownIt
                html = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(open(sys.argv[1]).read())
                class P(HTMLParser):
                    tags, text = [], []
                    def handle_starttag(self, tag, attrs): self.tags.append(tag)
                    def handle_data(self, data): self.text.append(data)
                p = P(); p.feed(html)
                print(json.dumps({"tags": p.tags, "text": "".join(p.text)}))
                """, path,
            ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (object["tags"] as? [String] ?? [], object["text"] as? String ?? "")
    }

    func assertSafeMarkdown(_ markdown: String, allowed: Set<String>, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        assertContained(markdown, label, file: file, line: line)
        let rendered = renderMarkdown(markdown)
        let foreign = Set(rendered.tags).subtracting(allowed)
        XCTAssertTrue(foreign.isEmpty, "\(label): the record added \(foreign.sorted())", file: file, line: line)
        XCTAssertFalse(rendered.text.contains("@org"), "\(label): mentions @org/team", file: file, line: line)
        XCTAssertTrue(rendered.text.contains("</summary><h1>H</h1>"), "\(label): the title is shown as text", file: file, line: line)
    }

    // MARK: the corpus through every command and format

    func testHostileContentStaysInItsPlaceInEveryCommandAndFormat() throws {
        let repo = Self.hostileRepository()

        // check: text, json, sarif, github, junit.
        let text = run(["check"], in: repo).stdout
        assertContained(text, "check text")
        XCTAssertTrue(text.contains("CTRL-9\\n::error::link\\e[2J"), text)
        XCTAssertTrue(text.contains("risks/x\\n::error::name.yaml"), text)

        let checkJSON = json(run(["check", "--format", "json"], in: repo).stdout)
        let messages = strings(checkJSON)
        XCTAssertTrue(messages.contains { $0.contains(Self.brokenID) }, "JSON keeps the id exactly")
        XCTAssertTrue(messages.contains("risks/x\n::error::name.yaml"), "JSON keeps the path exactly")

        let sarif = run(["check", "--format", "sarif"], in: repo).stdout
        let sarifFile = repo.folder.write("out.sarif", sarif)
        let validation = validateSARIF(sarifFile)
        XCTAssertEqual(validation.status, 0, validation.stderr)
        let uris = Set(sarif.components(separatedBy: "\"uri\" : \"").dropFirst().map { String($0.prefix { $0 != "\"" }) })
        XCTAssertTrue(
            uris.isSuperset(of: [
                "risks/risk%2090%20(copy).yaml", "risks/risik%C3%B6-93.yaml", "risks/risk%2391.yaml",
                "risks/x%0A%3A%3Aerror%3A%3Aname.yaml", "risks/a%3Ab%3Fc%25d.yaml",
            ]), "\(uris.sorted())")
        XCTAssertTrue(Set(uris.compactMap { $0.removingPercentEncoding }).isSuperset(of: Self.oddFiles.keys), "URIs decode to the files")

        let github = run(["check", "--format", "github"], in: repo).stdout
        for line in github.split(separator: "\n") {
            XCTAssertTrue(
                line.hasPrefix("::error file=") || line.hasPrefix("::warning file=") || line.hasPrefix("::notice file="), String(line))
        }

        let junit = run(["check", "--format", "junit"], in: repo).stdout
        for line in junit.split(separator: "\n") { XCTAssertFalse(line.drop { $0 == " " }.hasPrefix("::"), String(line)) }
        let junitFile = repo.folder.write("junit.xml", junit)
        let parsed = runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import sys, xml.etree.ElementTree as ET
                messages = [f.get("message") for f in ET.parse(sys.argv[1]).iter("failure")]
                sys.exit(0 if any("CTRL-9\\n::error::link" in m for m in messages) else 1)
                """, junitFile,
            ])
        XCTAssertEqual(parsed.status, 0, "JUnit keeps the message exactly, line break included: \(parsed.stderr)")

        // diff: text, markdown, json.
        let diffText = run(["diff", "HEAD~1..HEAD"], in: repo, exits: [0]).stdout
        assertContained(diffText, "diff text")
        let markdown = run(["diff", "HEAD~1..HEAD", "--format", "markdown"], in: repo, exits: [0]).stdout
        assertSafeMarkdown(
            markdown,
            allowed: [
                "h3", "table", "thead", "tbody", "tr", "th", "td", "p", "strong", "code", "ul", "li",
                "details", "summary", "b",
            ], "diff markdown")
        let diffJSON = strings(json(run(["diff", "HEAD~1..HEAD", "--format", "json"], in: repo, exits: [0]).stdout))
        XCTAssertTrue(diffJSON.contains(Self.title), "diff JSON keeps the title exactly")
        let storedAuthor = repo.git("log", "-1", "--format=%an")
        XCTAssertTrue(diffJSON.contains(storedAuthor), "diff JSON keeps the author exactly")

        // history, blame, log: text and json.
        for command in [["history", "RISK-1"], ["blame", "RISK-1"], ["log"]] {
            let out = run(command, in: repo, exits: [0]).stdout
            assertContained(out, command.joined(separator: " "))
            XCTAssertTrue(out.contains("Mallory\\e[2K\\r0123456789"), "\(command): the author is shown escaped: \(out)")
            let values = strings(json(run(command + ["--format", "json"], in: repo, exits: [0]).stdout))
            XCTAssertTrue(values.contains(storedAuthor), "\(command) JSON keeps the author exactly")
        }

        // report: md, csv, html, json; the decision log too.
        for kind in ["register", "trace", "decisions"] {
            let md = run(["report", kind, "--format", "md"], in: repo, exits: [0]).stdout
            assertContained(md, "report \(kind) md")
            let rendered = renderMarkdown(md)
            XCTAssertEqual(rendered.tags.filter { $0 == "h1" }.count, 1, "report \(kind): one title")
            XCTAssertTrue(
                Set(rendered.tags).isSubset(of: ["h1", "h2", "p", "ul", "li", "strong", "table", "thead", "tbody", "tr", "th", "td"]),
                "report \(kind) md: \(Set(rendered.tags).sorted())")
            XCTAssertFalse(rendered.text.contains("@org"), "report \(kind) md mentions")
            let html = run(["report", kind, "--format", "html"], in: repo, exits: [0]).stdout
            assertContained(html, "report \(kind) html")
            XCTAssertFalse(
                html.contains("<h1>H</h1>") || html.contains("<img") || html.contains("href=\"javascript"), "report \(kind) html")
            XCTAssertFalse(strings(json(run(["report", kind, "--format", "json"], in: repo, exits: [0]).stdout)).isEmpty)
        }
        XCTAssertTrue(
            run(["report", "register", "--format", "html"], in: repo, exits: [0]).stdout.contains("&lt;/summary&gt;&lt;h1&gt;H&lt;/h1&gt;"))
        let csv = run(["report", "register", "--format", "csv"], in: repo, exits: [0]).stdout
        let csvFile = repo.folder.write("register.csv", csv)
        let cells = runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import csv, json, sys
                print(json.dumps([c for row in csv.reader(open(sys.argv[1], newline="")) for c in row]))
                """, csvFile,
            ])
        let values = (try? JSONSerialization.jsonObject(with: Data(cells.stdout.utf8))) as? [String] ?? []
        XCTAssertTrue(values.contains("'" + Self.formula), "the formula is neutralised: \(values)")
        for cell in values {
            XCTAssertFalse(["=", "+", "-", "@", "\t", "\r"].contains { cell.hasPrefix($0) }, "CSV cell \(cell.debugDescription)")
        }

        // export: the audit pack and OSCAL.
        XCTAssertEqual(run(["export", "--html", "pack.html"], in: repo, exits: [0]).status, 0)
        let pack = try XCTUnwrap(repo.folder.read("pack.html"))
        assertContained(pack, "audit pack")
        XCTAssertFalse(pack.contains("<h1>H</h1>") || pack.contains("<img"), "audit pack")
        _ = run(["export", "--oscal", "oscal.json", "--model", "assessment-results"], in: repo, exits: [0])
        XCTAssertTrue(
            strings(json(try XCTUnwrap(repo.folder.read("oscal.json")))).contains { $0.contains(Self.brokenID) },
            "OSCAL keeps the message exactly")

        // graph.
        for format in ["mermaid", "dot"] {
            assertContained(run(["graph", "--format", format], in: repo, exits: [0]).stdout, "graph \(format)")
        }
    }

    // MARK: one test per defect found

    /// A record's file name is the pull request's: its ESC and right-to-left override reached the CI log raw in the
    /// `file=` property of `--format github` (the message was escaped). They are escaped there too; a plain path stays
    /// exact, so GitHub still places its annotation.
    func testGitHubAnnotationPathsCarryNoControlOrBidiCharacters() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        for name in ["risks/plain.yaml", "risks/a\u{1B}[2Jb.yaml", "risks/c\u{202E}lmx.yaml"] {
            repo.write(name, hostileRisk("RISK-\(name.utf8.count)") + "colour: red\n")
        }
        repo.commit("Add", at: "2026-01-05T10:00:00+01:00")
        let github = isms(["check", "--format", "github", "--as-of", "2026-12-01"], in: repo.path).stdout
        XCTAssertFalse(github.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, github)
        XCTAssertTrue(github.contains("file=risks/plain.yaml,"), github)
        XCTAssertTrue(github.contains("file=risks/a\\e[2Jb.yaml,"), github)
    }

    func testCheckTextCannotStartAWorkflowCommand() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", Self.risk("RISK-1", title: "t", controls: ["CTRL-9\n::add-mask::x"]))
        repo.commit("Register", at: "2026-01-05T10:00:00+01:00")
        let result = run(["check"], in: repo)
        assertContained(result.stdout, "check text")
    }

    func testADuplicateKeyOnStandardErrorStaysOneLine() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + "\"k\\n::stop-commands::tok\": 1\n\"k\\n::stop-commands::tok\": 2\n")
        repo.commit("Config", at: "2026-01-05T10:00:00+01:00")
        for command in [["check"], ["report", "register"], ["graph"], ["check", "--format", "json"]] {
            let result = run(command, in: repo, exits: [0, 1, 2])
            assertContained(result.stdout, command.joined(separator: " "))
            XCTAssertFalse((result.stdout + result.stderr).contains("\n::stop-commands::"), command.joined(separator: " "))
        }
    }

    func testAnAuthorNameCannotPassForAnotherSignedAuthor() {
        let repo = Self.hostileRepository()
        for command in [["history", "RISK-1"], ["blame", "RISK-1"], ["log"], ["diff", "HEAD~1..HEAD"]] {
            let out = run(command, in: repo, exits: [0]).stdout
            XCTAssertFalse(out.contains("\u{1B}") || out.contains("\r"), "\(command): \(out.debugDescription)")
        }
    }

    func testDiffMarkdownKeepsEveryDecisionWhenItMustBeShortened() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Office flood\nowner: alice\ntreatment: reduce\n")
        repo.commit("Register", at: "2026-01-05T10:00:00+01:00")
        for n in 1...400 {
            repo.write(
                "assets/asset-\(n).yaml",
                "id: ASSET-\(n)\ntitle: Laptop number \(n) of the sales team in the Hamburg office, bought in 2025\nowner: bob\n"
                    + "description: One of the laptops the sales team uses on the road.\n")
        }
        repo.write("risks/risk-1.yaml", SelfApprovedAcceptanceRuleFixture.acceptance)
        repo.commit("Inventory, and accept the flood risk", by: .bob, at: "2026-01-06T10:00:00+01:00")
        let markdown = run(["diff", "HEAD~1..HEAD", "--format", "markdown"], in: repo, exits: [0]).stdout
        XCTAssertLessThanOrEqual(markdown.utf16.count, 65_000)
        XCTAssertTrue(
            markdown.contains("| RISK\\-1 | risk |") || markdown.contains("| RISK-1 | risk |"),
            "the acceptance is listed: \(markdown.suffix(3000))")
        XCTAssertTrue(markdown.contains("acceptance.approved\\_by") || markdown.contains("acceptance"), markdown.suffix(3000).description)
        // Each asset is a row or counted among those not shown.
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ASSET") }.count
        let counted =
            markdown.range(of: #"(\d+) more asset additions"#, options: .regularExpression)
            .flatMap { Int(markdown[$0].prefix { $0.isNumber }) } ?? 0
        XCTAssertEqual(rows + counted, 400, markdown.suffix(2000).description)
        assertSafeMarkdownStructure(markdown)
    }

    func testDiffMarkdownSaysHowManyDecisionsDidNotFit() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.commit("Start", at: "2026-01-05T10:00:00+01:00")
        for n in 1...800 {
            repo.write(
                "risks/risk-\(n).yaml",
                "id: RISK-\(n)\ntitle: Risk \(n) of a long list of risks found in the annual workshop\nowner: alice\n"
                    + "treatment: avoid\nlikelihood: 2\nimpact: 3\n")
        }
        repo.commit("The workshop's risks", at: "2026-01-06T10:00:00+01:00")
        let markdown = run(["diff", "HEAD~1..HEAD", "--format", "markdown"], in: repo, exits: [0]).stdout
        XCTAssertLessThanOrEqual(markdown.utf16.count, 65_000)
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| RISK") }.count
        let said = markdown.range(of: #"\*\*(\d+) more decisions not shown\*\*"#, options: .regularExpression).map { markdown[$0] }
        let left = Int(said?.split(separator: " ").first?.dropFirst(2) ?? "") ?? 0
        XCTAssertGreaterThan(rows, 100)
        XCTAssertEqual(rows + left, 800, "every decision is listed or counted: \(rows) listed, \(said ?? "none") said")
        XCTAssertTrue(markdown.contains("isms diff HEAD~1..HEAD"), "names the command that lists them all")
    }

    /// The rendered comment of the shortened form holds our tables and notes only.
    func assertSafeMarkdownStructure(_ markdown: String, file: StaticString = #filePath, line: UInt = #line) {
        let rendered = renderMarkdown(markdown)
        XCTAssertTrue(
            Set(rendered.tags).isSubset(of: [
                "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "p", "strong", "code", "ul", "li",
                "blockquote", "details", "summary", "b",
            ]), "\(Set(rendered.tags).sorted())", file: file, line: line)
    }

    func testDiffMarkdownRendersNoMarkupFromTheChange() {
        let repo = Self.hostileRepository()
        let markdown = run(["diff", "HEAD~1..HEAD", "--format", "markdown"], in: repo, exits: [0]).stdout
        assertSafeMarkdown(
            markdown,
            allowed: [
                "h3", "table", "thead", "tbody", "tr", "th", "td", "p", "strong", "code", "ul", "li",
                "details", "summary", "b",
            ], "diff markdown")
    }

    func testRegisterCSVNeutralisesFormulas() {
        let repo = Self.hostileRepository()
        let csv = run(["report", "register", "--format", "csv"], in: repo, exits: [0]).stdout
        XCTAssertTrue(csv.contains("\"'=cmd|' /C calc'!A0\""), csv)
        XCTAssertFalse(csv.contains(",=cmd") || csv.contains(",+1") || csv.contains(",@SUM"), csv)
    }

    func testSARIFURIsArePercentEncoded() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        for (path, id) in Self.oddFiles { repo.write(path, Self.risk(id, title: "t", controls: ["CTRL-404"])) }
        repo.commit("Odd names", at: "2026-01-05T10:00:00+01:00")
        let sarif = run(["check", "--format", "sarif"], in: repo).stdout
        let validation = validateSARIF(repo.folder.write("out.sarif", sarif))
        XCTAssertEqual(validation.status, 0, validation.stderr)
        XCTAssertTrue(sarif.contains("\"risks/risk%2391.yaml\""), sarif)
    }

    func testTheSARIFSchemaRefusesAnInvalidDocument() {
        let folder = TemporaryFolder()
        XCTAssertNotEqual(validateSARIF(folder.write("a.sarif", #"{"not": "sarif"}"#)).status, 0, "a document that is not SARIF")
        let badURI = """
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "isms"}}, "results": [{"message": {"text": "m"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "risks/risk 90 (copy).yaml"}}}]}]}]}
            """
        XCTAssertNotEqual(validateSARIF(folder.write("b.sarif", badURI)).status, 0, "a URI with a space")
        XCTAssertEqual(
            validateSARIF(folder.write("c.sarif", badURI.replacingOccurrences(of: "risk 90 (copy)", with: "risk%2090%20(copy)"))).status, 0)
    }

    func testOSCALAssessmentResultsCarryTheHistoryRules() throws {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + "require_signed_decisions: true\n")
        repo.write("risks/risk-1.yaml", SelfApprovedAcceptanceRuleFixture.acceptance)
        repo.commit("Accept the office flood risk", by: .carol, at: "2026-01-12T10:00:00+01:00")
        let check = json(run(["check", "--format", "json"], in: repo).stdout) as? [String: Any]
        let rules = (check?["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        XCTAssertTrue(rules.contains("unproven-approval"), "\(rules)")
        _ = run(["export", "--oscal", "out.json", "--model", "assessment-results"], in: repo, exits: [0])
        let text = try XCTUnwrap(repo.folder.read("out.json"))
        let document = try XCTUnwrap(json(text) as? [String: Any])
        let result = try XCTUnwrap(((document["assessment-results"] as? [String: Any])?["results"] as? [[String: Any]])?.first)
        let observations = result["observations"] as? [[String: Any]] ?? []
        XCTAssertEqual(observations.count, rules.count, "one observation per finding of isms check")
        XCTAssertTrue(text.contains("unproven-approval"))
    }

    func testJUnitUnderStrictFailsOnWarnings() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig + "rules:\n  unknown-field: warning\n")
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Flood\nowner: alice\ntreatment: avoid\ncolour: red\n")
        repo.commit("Register", at: "2026-01-05T10:00:00+01:00")
        let lenient = run(["check", "--format", "junit"], in: repo, exits: [0])
        XCTAssertTrue(lenient.stdout.contains("failures=\"0\""), lenient.stdout)
        let strict = run(["check", "--format", "junit", "--strict"], in: repo, exits: [1])
        XCTAssertTrue(strict.stdout.contains("<testsuites name=\"isms\" tests=\"1\" failures=\"1\">"), strict.stdout)
        XCTAssertTrue(strict.stdout.contains("<failure type=\"unknown-field\""), strict.stdout)
    }

    func testStagedPrintsItsDocumentWhenNothingIsStaged() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Flood\nowner: alice\ntreatment: avoid\n")
        repo.commit("Register", at: "2026-01-05T10:00:00+01:00")
        let document = json(run(["check", "--staged", "--format", "json"], in: repo, exits: [0]).stdout) as? [String: Any]
        XCTAssertEqual((document?["findings"] as? [Any])?.count, 0)
        XCTAssertEqual((document?["summary"] as? [String: Any])?["errors"] as? Int, 0)
        let sarif = run(["check", "--staged", "--format", "sarif"], in: repo, exits: [0]).stdout
        XCTAssertEqual(validateSARIF(repo.folder.write("staged.sarif", sarif)).status, 0, sarif)
        XCTAssertTrue(run(["check", "--staged", "--format", "junit"], in: repo, exits: [0]).stdout.contains("<testsuites"))
        XCTAssertEqual(run(["check", "--staged"], in: repo, exits: [0]).stdout, "", "people get the note on stderr alone")
    }
}

/// A risk accepted with approval by carol (unproven when the commit that records it is unsigned).
enum SelfApprovedAcceptanceRuleFixture {
    static let acceptance = """
        id: RISK-1
        title: Office flood
        owner: alice
        treatment: accept
        acceptance:
          approved_by: carol
          approved_on: 2026-01-10
          expires: 2027-01-10
          rationale: Third floor, no servers on site.

        """
}
