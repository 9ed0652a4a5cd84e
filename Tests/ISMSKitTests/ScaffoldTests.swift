import Foundation
import XCTest

@testable import ISMSKit

/// `isms init`, `isms new` and the templates shipped in the binary.
final class ScaffoldTests: XCTestCase {
    /// The generated Swift file must hold exactly what templates/ holds: rerun scripts/generate-templates.sh.
    func testEmbeddedTemplatesAreNotStale() throws {
        let folder = repositoryRoot + "/templates"
        var onDisk = [String: String]()
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: folder))
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory), path)
            if !isDirectory.boolValue {
                onDisk[path] = String(decoding: FileManager.default.contents(atPath: folder + "/" + path)!, as: UTF8.self)
            }
        }
        let embedded = Dictionary(uniqueKeysWithValues: Templates.all.map { ($0.path, $0.content) })
        XCTAssertEqual(Set(embedded.keys), Set(onDisk.keys), "the file set differs: run scripts/generate-templates.sh")
        for (path, content) in onDisk where embedded[path] != content {
            XCTFail("templates/\(path) differs from the embedded copy: run scripts/generate-templates.sh")
        }
    }

    func testTemplatesHaveEverythingTheStarterNeeds() {
        let paths = Set(Templates.starter.map(\.path))
        for required in ["isms.yaml", ".isms/allowed_signers", ".pre-commit-config.yaml", ".github/workflows/isms.yml"] {
            XCTAssertTrue(paths.contains(required), required)
        }
        for kind in RecordKind.allCases {
            XCTAssertTrue(paths.contains { $0.hasPrefix(kind.folder + "/") }, "an example \(kind.rawValue)")
            let template = Templates.record(kind)
            XCTAssertTrue(template.contains("id: {{id}}") && template.contains("title: {{title}}"), kind.rawValue)
            XCTAssertTrue(template.contains("{{owner}}"), kind.rawValue)
        }
        let signers = Templates.starter.first { $0.path == ".isms/allowed_signers" }!.content
        XCTAssertTrue(signers.split(separator: "\n").allSatisfy { $0.hasPrefix("#") }, "allowed_signers holds comments only")
        let hook = Templates.starter.first { $0.path == ".pre-commit-config.yaml" }!.content
        XCTAssertTrue(hook.contains("repo: local") && hook.contains("entry: isms check --staged") && hook.contains("language: system"))
        let workflow = Templates.starter.first { $0.path == ".github/workflows/isms.yml" }!.content
        XCTAssertTrue(workflow.contains("isms check"))
        // Every setting of isms.yaml is there, each under a comment.
        let config = Templates.starter.first { $0.path == "isms.yaml" }!.content.split(separator: "\n").map(String.init)
        for key in Config.keys.map(\.key) {
            let line = config.firstIndex { $0.hasPrefix(key + ":") }
            XCTAssertNotNil(line, "isms.yaml sets \(key)")
            if let line { XCTAssertTrue(config[line - 1].hasPrefix("#"), "\(key) has a comment") }
        }
    }

    func testInitThenCheckPasses() throws {
        let folder = TemporaryFolder()
        let result = isms(["init", "acme", "--name", "Acme: GmbH & Co. KG"], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("isms.yaml"), result.stdout)
        XCTAssertEqual(folder.read("acme/isms.yaml")?.contains("name: \"Acme: GmbH & Co. KG\"\n"), true)
        let check = isms(["check"], in: folder.path + "/acme")
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.hasSuffix("14 records checked: 0 errors, 0 warnings, 91 notes\n"), check.stdout)
        XCTAssertFalse(check.stdout.contains("warning:") || check.stdout.contains("error:"), check.stdout)
        // The notes are the Statement of Applicability still to write.
        XCTAssertTrue(check.stdout.split(separator: "\n").dropLast().allSatisfy { $0.hasSuffix("[soa-gap]") })
        // The starter's reports work too.
        let soa = isms(["report", "soa", "--format", "json"], in: folder.path + "/acme")
        XCTAssertEqual(soa.status, 0, soa.stderr)
        XCTAssertEqual(isms(["export", "--html", "pack.html"], in: folder.path + "/acme").status, 0)
    }

    func testInitRefusesAnExistingISMSAndNeverOverwrites() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", "name: Mine\n")
        let again = isms(["init"], in: folder.path)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.hasPrefix("isms: error: "), again.stderr)
        XCTAssertTrue(again.stderr.contains("already holds an isms.yaml"), again.stderr)
        XCTAssertEqual(folder.read("isms.yaml"), "name: Mine\n")

        let other = TemporaryFolder()
        other.write("risks/risk-1.yaml", "id: RISK-1\n")
        let clash = isms(["init", "."], in: other.path)
        XCTAssertEqual(clash.status, 2)
        XCTAssertTrue(clash.stderr.contains("risks/risk-1.yaml"), clash.stderr)
        XCTAssertNil(other.read("isms.yaml"), "nothing is written when one file would be overwritten")
    }

    func testNewTakesTheHighestNumberPlusOne() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write("risks/a.yaml", "id: RISK-2\ntitle: a\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n")
        folder.write("risks/b/c.yaml", "id: RISK-17\ntitle: b\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n")
        let first = isms(["new", "risk", "--title", "Supplier insolvency: loss of hosting", "--owner", "bob"], in: folder.path)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, "risks/risk-18.yaml\n")
        let text = try XCTUnwrap(folder.read("risks/risk-18.yaml"))
        XCTAssertTrue(text.hasPrefix("id: RISK-18\ntitle: \"Supplier insolvency: loss of hosting\"\nowner: bob\n"), text)
        let second = isms(["new", "risk", "--title", "Another", "--owner", "alice"], in: folder.path)
        XCTAssertEqual(second.stdout, "risks/risk-19.yaml\n")
        let control = isms(["new", "control", "--title", "First control", "--owner", "carol"], in: folder.path)
        XCTAssertEqual(control.stdout, "controls/ctrl-1.yaml\n", control.stderr)
        // The new records are well-formed; what remains is the work the user must do: decide the new risks'
        // treatment and say why the new control exists.
        let check = isms(["check", "--as-of", Day.today().description, "--format", "json"], in: folder.path)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let rules = (json["findings"] as? [[String: Any]] ?? []).map { "\($0["record"] ?? "") \($0["rule"] ?? "")" }
        XCTAssertEqual(rules, ["CTRL-1 untraced-control", "RISK-18 untreated-risk", "RISK-19 untreated-risk"])
    }

    func testNewHonoursCustomPatternsAndAsksForNonNumericIDs() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig + "id_patterns:\n  risk: '^R-([0-9]{3})$'\n  asset: '^IT\\.ASSET\\.[0-9]+-DE$'\n")
        folder.write("risks/r.yaml", "id: R-009\ntitle: a\nowner: alice\n")
        folder.write("risks/s.yaml", "id: R-041\ntitle: a\nowner: alice\n")
        XCTAssertEqual(isms(["new", "risk", "--title", "x", "--owner", "alice"], in: folder.path).stdout, "risks/r-042.yaml\n")
        XCTAssertEqual(isms(["new", "asset", "--title", "x", "--owner", "alice"], in: folder.path).stdout, "assets/it.asset.1-de.yaml\n")
        XCTAssertTrue(folder.read("assets/it.asset.1-de.yaml")?.hasPrefix("id: IT.ASSET.1-DE\n") ?? false)

        let obligation = isms(["new", "obligation", "--title", "x", "--owner", "alice"], in: folder.path)
        XCTAssertEqual(obligation.status, 2)
        XCTAssertTrue(obligation.stderr.contains("give one with --id"), obligation.stderr)
        let withID = isms(["new", "obligation", "--title", "x", "--owner", "alice", "--id", "OBL-GDPR-32"], in: folder.path)
        XCTAssertEqual(withID.stdout, "obligations/obl-gdpr-32.yaml\n", withID.stderr)
        let again = isms(["new", "obligation", "--title", "y", "--owner", "alice", "--id", "OBL-GDPR-32"], in: folder.path)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("already used by obligations/obl-gdpr-32.yaml"), again.stderr)
        let badID = isms(["new", "risk", "--title", "x", "--owner", "alice", "--id", "RISK-1"], in: folder.path)
        XCTAssertEqual(badID.status, 2)
        XCTAssertTrue(badID.stderr.contains("does not match the risk id pattern"), badID.stderr)
        let badOwner = isms(["new", "risk", "--title", "x", "--owner", "alic"], in: folder.path)
        XCTAssertEqual(badOwner.status, 2)
        XCTAssertTrue(badOwner.stderr.contains("did you mean 'alice'?"), badOwner.stderr)
        let badKind = isms(["new", "risc", "--title", "x"], in: folder.path)
        XCTAssertEqual(badKind.status, 2)
        XCTAssertTrue(badKind.stderr.contains("did you mean 'risk'?"), badKind.stderr)
    }

    func testNewRefusesToOverwriteAFile() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        // A file that is not a record (it failed to parse) still blocks its name.
        folder.write("risks/risk-1.yaml", "not: [valid\n")
        let result = isms(["new", "risk", "--title", "x", "--owner", "alice"], in: folder.path)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("risks/risk-1.yaml already exists; refusing to overwrite it"), result.stderr)
        XCTAssertEqual(folder.read("risks/risk-1.yaml"), "not: [valid\n")
    }

    func testTitlesReadBackAsWritten() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        let titles = ["Risk: \"quoted\" #3 \\ path", "- starts like a list", "yes", "ünïcödé – dash", "trailing space "]
        for title in titles {
            XCTAssertEqual(isms(["new", "asset", "--title=\(title)", "--owner", "alice"], in: folder.path).status, 0, title)
        }
        let loaded = try Loader.load(from: WorkTreeSource(root: folder.path))
        XCTAssertEqual(loaded.findings, [])
        XCTAssertEqual(loaded.isms.records.sorted { naturalOrder($0.id, $1.id) }.map(\.title), titles)
    }

    func testNumberedPatterns() {
        let risk = NumberedIDPattern("^RISK-[0-9]+$")
        XCTAssertEqual(risk?.prefix, "RISK-")
        XCTAssertEqual(risk?.number(in: "RISK-12"), 12)
        XCTAssertNil(risk?.number(in: "RISK-1a"))
        XCTAssertEqual(risk?.id(7), "RISK-7")
        let padded = NumberedIDPattern("^R-\\d{3}$")
        XCTAssertEqual(padded?.id(7), "R-007")
        XCTAssertNil(padded?.id(1000), "no room left")
        XCTAssertEqual(NumberedIDPattern("^SEC-(?:[0-9]{2,})-X$")?.id(3), "SEC-03-X")
        XCTAssertNil(NumberedIDPattern("^OBL-[A-Za-z0-9][A-Za-z0-9._-]*$"))
        XCTAssertNil(NumberedIDPattern("^R[0-9]+-[0-9]+$"), "two numbers")
        XCTAssertNil(NumberedIDPattern("^R.[0-9]+$"), "an unescaped dot is not fixed text")
        XCTAssertNil(NumberedIDPattern("^(RISK|RSK)-[0-9]+$"))
    }

    func testYAMLScalars() {
        XCTAssertEqual(Templates.yamlScalar("Laptop theft"), "Laptop theft")
        XCTAssertEqual(Templates.yamlScalar("Risk: theft"), "\"Risk: theft\"")
        XCTAssertEqual(Templates.yamlScalar("#1 risk"), "\"#1 risk\"")
        XCTAssertEqual(Templates.yamlScalar("say \"hi\""), "say \"hi\"", "quotes inside a plain scalar are text")
        XCTAssertEqual(Templates.yamlScalar("\"Quoted\": C:\\temp"), "\"\\\"Quoted\\\": C:\\\\temp\"")
        XCTAssertEqual(
            Templates.fill("title: {{title}}\nscope: |\n  of {{title}}\n", ["title": "A: B"]), "title: \"A: B\"\nscope: |\n  of A: B\n")
    }
}
