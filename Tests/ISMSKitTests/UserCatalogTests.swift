import Foundation
import XCTest

@testable import ISMSKit

/// Catalogues of the ISMS's own (`catalogs/*.yaml`): read from real folders and git trees, checked by
/// unknown-reference, counted by coverage, written by `isms import ciso-assistant --catalog`.
final class UserCatalogTests: XCTestCase {
    static let bsig = """
        id: BSIG
        title: BSI-Gesetz (BSIG)
        description: Obligations of operators of critical facilities
        requirements:
          - id: "30(1)"
            title: Risk-management measures
            group: Part 3
            annex_a: [A.5.1, A.8.8]
          - id: "30(2)"
            title: State of the art
            group: Part 3
          - id: "32(1)"
            title: Reporting obligations
            group: Part 3

        """

    private let config = "name: Catalogue example\npeople:\n  alice: {name: Alice Adler, email: alice@example.com}\n"

    private func write(_ files: [(String, String)]) -> TemporaryFolder {
        let folder = TemporaryFolder()
        if !files.contains(where: { $0.0 == "isms.yaml" }) { folder.write("isms.yaml", config) }
        for (path, content) in files { folder.write(path, content) }
        return folder
    }

    private func check(_ files: [(String, String)]) throws -> CheckReport {
        let folder = write(files)
        return try withExtendedLifetime(folder) { try Checker.check(WorkTreeSource(root: folder.path), asOf: Day("2026-12-01")!) }
    }

    private func obligation(_ id: String, source: String, ref: String) -> (String, String) {
        ("obligations/\(id.lowercased()).yaml", "id: \(id)\ntitle: \(id)\nowner: alice\nsource: \(source)\nref: \"\(ref)\"\n")
    }

    func testAFolderOfCataloguesIsLoadedAndReferencesAreCheckedAgainstIt() throws {
        let report = try check([
            ("catalogs/bsig.yaml", Self.bsig),
            obligation("OBL-BSIG-30-1", source: "BSIG", ref: "§ 30 (1)"),  // lenient: § and spaces
            obligation("OBL-BSIG-30", source: "bsig", ref: "30"),  // a part: 30(1) and 30(2)
            obligation("OBL-BSIG-32", source: "BSIG", ref: "32(1) sentence 2"),  // more specific than 32(1)
            obligation("OBL-BSIG-31", source: "BSIG", ref: "31(1)"),  // not in the catalogue
            obligation("OBL-CONTRACT", source: "contract", ref: "31(1)"),  // not catalogued: not checked
        ])
        let unknown = report.findings.filter { $0.rule == "unknown-reference" }
        XCTAssertEqual(unknown.count, 1, unknown.map(\.message).joined(separator: "\n"))
        let typo = try XCTUnwrap(unknown.first)
        XCTAssertEqual(typo.path, "obligations/obl-bsig-31.yaml")
        XCTAssertEqual(typo.line, 5)
        XCTAssertEqual(typo.record, "OBL-BSIG-31")
        XCTAssertTrue(typo.message.contains("'31(1)' is not a requirement of BSIG (3 requirements in catalogs/bsig.yaml)"), typo.message)
        XCTAssertTrue(typo.message.hasSuffix("did you mean 30(1) (Risk-management measures)?"), typo.message)

        // Without the catalogue, BSIG is not catalogued and nothing is checked.
        let without = try check([obligation("OBL-BSIG-31", source: "BSIG", ref: "31(1)")])
        XCTAssertFalse(without.findings.contains { $0.rule == "unknown-reference" })

        // A ref missing for a source that is a catalogue.
        let missing = try check([
            ("catalogs/bsig.yaml", Self.bsig),
            ("obligations/o.yaml", "id: OBL-X\ntitle: x\nowner: alice\nsource: BSIG\n"),
        ])
        let message = try XCTUnwrap(missing.findings.first { $0.rule == "unknown-reference" }).message
        XCTAssertTrue(message.contains("source is BSIG but ref is missing: name one of its requirements"), message)
    }

    func testBadCatalogueFilesAreLocatedFindings() throws {
        let report = try check([
            (
                "catalogs/a.yaml",
                "id: ACME\ntitle: Acme schedule\nrequirements:\n  - id: S1\n    title: One\n    colour: red\n  - id: s 1\n    title: Again\n  - title: No id\n  - id: S3\n    title: Three\n    annex_a: [A.8.35]\n"
            ),
            ("catalogs/b.yaml", "id: acme\ntitle: Same id\nrequirements:\n  - {id: X, title: x}\n"),
            ("catalogs/c.yaml", "id: GDPR\ntitle: Shadowing\nrequirements:\n  - {id: X, title: x}\n"),
            ("catalogs/d.yaml", "id: D\ntitle: [not, text]\nrequirements: none\n"),
            ("catalogs/e.yaml", "id: E\ntitle: e\nrequirements:\n  - id: [x\n"),
            ("catalogs/f.yaml", "id: 'has space'\ntitle: f\nrequirements: []\n"),
        ])
        func at(_ path: String) -> [String] {
            report.findings.filter { $0.path == path }.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.rule)" }
        }
        XCTAssertEqual(at("catalogs/a.yaml"), ["6:5 unknown-field", "7:9 duplicate-id", "9:5 missing-field", "12:15 unknown-reference"])
        XCTAssertEqual(at("catalogs/b.yaml"), ["1:5 duplicate-id"])
        XCTAssertEqual(at("catalogs/c.yaml"), ["1:5 invalid-value"])
        XCTAssertEqual(at("catalogs/d.yaml"), ["2:8 invalid-value", "3:15 invalid-value"])
        XCTAssertEqual(at("catalogs/e.yaml").map { $0.hasSuffix("parse-error") }, [true])
        XCTAssertEqual(at("catalogs/f.yaml"), ["1:5 invalid-value", "3:15 invalid-value"])
        let messages = report.findings.filter { $0.path?.hasPrefix("catalogs/") == true }.map(\.message)
        XCTAssertTrue(
            messages.contains { $0.contains("did you mean 'group'?") || $0.contains("unknown field 'colour'") },
            messages.joined(separator: "\n"))
        XCTAssertTrue(
            messages.contains { $0.contains("catalogue id 'acme' is already used by catalogs/a.yaml:1") }, messages.joined(separator: "\n"))
        XCTAssertTrue(messages.contains { $0.contains("names the shipped catalogue GDPR") }, messages.joined(separator: "\n"))
        XCTAssertTrue(
            messages.contains { $0.contains("requirement 's 1' is already listed at catalogs/a.yaml:4") }, messages.joined(separator: "\n"))
        XCTAssertTrue(
            messages.contains { $0.contains("A.8.35 is not an ISO/IEC 27001:2022 Annex A control") && $0.contains("did you mean A.8.34") },
            messages.joined(separator: "\n"))
        // The catalogue with defects in some requirements still stands; the command says where each defect is.
        let one = write([("catalogs/a.yaml", "id: ACME\ntitle: x\nrequirements:\n  - {id: S1, title: One, colour: red}\n")])
        let cli = isms(["check", "--as-of", "2026-12-01"], in: one.path)
        XCTAssertEqual(cli.status, 1)
        XCTAssertTrue(cli.stdout.contains("catalogs/a.yaml:4:26: error: unknown field 'colour' in requirement 1"), cli.stdout)
    }

    func testCataloguesAreHeldToTheLimitsOfRecords() throws {
        let big = "id: BIG\ntitle: Big\nrequirements:\n" + String(repeating: "  - {id: R, title: x}\n", count: 100)
        let limited = "name: x\nlimits: {file_bytes: 1024}\n"
        let report = try check([("isms.yaml", limited), ("catalogs/big.yaml", big)])
        let tooLarge = report.findings.filter { $0.path == "catalogs/big.yaml" }
        XCTAssertEqual(tooLarge.map(\.rule), ["parse-error"])
        XCTAssertTrue(tooLarge.first?.message.contains("over the limit of 1024") ?? false, tooLarge.first?.message ?? "")

        // The catalogue files count with the records.
        let folder = write([
            ("isms.yaml", "name: x\nlimits: {records: 2}\n"), ("catalogs/a.yaml", Self.bsig), ("catalogs/b.yaml", Self.bsig),
            ("obligations/o.yaml", "id: OBL-1\ntitle: x\nowner: a\n"),
        ])
        XCTAssertThrowsError(try Checker.check(WorkTreeSource(root: folder.path), asOf: Day("2026-12-01")!)) { error in
            XCTAssertTrue("\(error)".contains("3 record and catalogue files, over the limit of 2"), "\(error)")
        }

        // A catalogue folder that is a link is reported, not followed.
        let linked = write([])
        let outside = TemporaryFolder()
        outside.write("x.yaml", Self.bsig)
        try FileManager.default.createSymbolicLink(atPath: linked.path + "/catalogs", withDestinationPath: outside.path)
        let linkReport = try Checker.check(WorkTreeSource(root: linked.path), asOf: Day("2026-12-01")!)
        XCTAssertEqual(linkReport.findings.filter { $0.path == "catalogs" }.map(\.rule), ["parse-error"])
    }

    func testCommittedCataloguesAreReadFromGit() throws {
        let repository = GitRepository()
        repository.write("isms.yaml", config)
        repository.write("catalogs/bsig.yaml", Self.bsig)
        repository.write("obligations/o.yaml", "id: OBL-1\ntitle: x\nowner: alice\nsource: BSIG\nref: \"33\"\n")
        _ = repository.commit("Add BSIG", at: "2026-11-01T10:00:00Z")
        repository.remove("catalogs/bsig.yaml")
        let atHead = isms(["check", "--rev", "HEAD", "--as-of", "2026-12-01", "--format", "json"], in: repository.path)
        XCTAssertTrue(atHead.stdout.contains("'33' is not a requirement of BSIG"), atHead.stdout + atHead.stderr)
        let workTree = isms(["check", "--as-of", "2026-12-01", "--format", "json"], in: repository.path)
        XCTAssertFalse(workTree.stdout.contains("is not a requirement of BSIG"), workTree.stdout)
        // The index (the pre-commit hook's view): a catalogue staged with a requirement 33 added.
        repository.write("catalogs/bsig.yaml", Self.bsig + "  - {id: \"33\", title: Registration}\n")
        repository.write("obligations/p.yaml", "id: OBL-2\ntitle: y\nowner: alice\nsource: BSIG\nref: \"34\"\n")
        repository.git("add", "-A")
        let staged = isms(["check", "--staged", "--as-of", "2026-12-01", "--format", "json"], in: repository.path)
        XCTAssertFalse(staged.stdout.contains("'33' is not a requirement of BSIG"), staged.stdout + staged.stderr)
        XCTAssertTrue(staged.stdout.contains("'34' is not a requirement of BSIG"), staged.stdout + staged.stderr)
    }

    func testCoverageCountsTheCatalogueAsTheDenominator() throws {
        let folder = write([
            ("catalogs/bsig.yaml", Self.bsig),
            ("catalogs/soc2.yaml", "id: SOC2\ntitle: SOC 2 (2017 TSC)\nrequirements:\n  - {id: CC6.1, title: Logical access}\n"),
            obligation("OBL-BSIG-30", source: "BSIG", ref: "30"),
            obligation("OBL-BSIG-32", source: "BSIG", ref: "32(1)"),
            (
                "controls/ctrl-1.yaml",
                "id: CTRL-1\ntitle: Risk management\nowner: alice\nstatus: operating\nevery: yearly\nsatisfies: [OBL-BSIG-30]\n"
            ),
            ("evidence/ev-1.yaml", "id: EV-1\ntitle: Review\ncontrol: CTRL-1\ncollected_on: 2026-10-01\nresult: pass\n"),
        ])
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        XCTAssertEqual(isms.catalogs.map(\.id), ["BSIG", "SOC2"])
        let document = CoverageReport.build(isms, asOf: Day("2026-12-01")!)
        let frameworks = try XCTUnwrap(document.tables.first { $0.id == "frameworks" })
        func row(_ name: String) -> [String] { frameworks.rows.first { $0.first?.value.text == name }?.map(\.value.text) ?? [] }
        XCTAssertEqual(row("BSIG").last, "BSI-Gesetz (BSIG): 2 of 3 covered")
        XCTAssertEqual(row("BSIG")[1], "2")
        // A catalogue no obligation cites yet still shows what it holds.
        XCTAssertEqual(row("SOC2").last, "SOC 2 (2017 TSC): 0 of 1 covered")
        let requirements = try XCTUnwrap(document.tables.first { $0.id == "requirements" })
        XCTAssertEqual(
            requirements.rows.map { $0.map(\.value.text) },
            [
                ["BSIG", "30(1)", "Risk-management measures", "Part 3", "A.5.1, A.8.8", "OBL-BSIG-30 (covered)", "covered"],
                ["BSIG", "30(2)", "State of the art", "Part 3", "", "OBL-BSIG-30 (covered)", "covered"],
                ["BSIG", "32(1)", "Reporting obligations", "Part 3", "", "OBL-BSIG-32 (uncovered)", "not covered"],
                ["SOC2", "CC6.1", "Logical access", "", "", "", "not covered"],
            ])
        // Without catalogues of its own, the report has no such table (the golden files hold the rest).
        let empty = write([])
        let plain = try Loader.load(from: WorkTreeSource(root: empty.path)).isms
        XCTAssertNil(CoverageReport.build(plain, asOf: Day("2026-12-01")!).tables.first { $0.id == "requirements" })
    }

    func testReferencesAreMatchedWithoutCasePunctuationOrALeadingWord() {
        XCTAssertEqual(UserCatalogReference.key("§ 30 (1) Nr. 2"), ["30", "1", "nr", "2"])
        XCTAssertEqual(UserCatalogReference.key("Art. 30.1"), ["30", "1"])
        XCTAssertEqual(UserCatalogReference.key("CC6.1"), ["cc", "6", "1"])
        XCTAssertEqual(UserCatalogReference.key("cc 6-1"), ["cc", "6", "1"])
        XCTAssertEqual(UserCatalogReference.key("Section"), ["section"])
        XCTAssertEqual(UserCatalogReference.key("--"), [])
    }

    func testImportWritesACatalogueFromACISOAssistantLibrary() throws {
        let folder = write([])
        let library = repositoryRoot + "/Tests/ISMSKitTests/Fixtures/ciso-assistant-nis2.yaml"
        let dry = isms(["import", "ciso-assistant", library, "--catalog", "--dry-run"], in: folder.path)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(
            dry.stdout.hasPrefix("would write catalogue NIS2-directive with 12 requirements: catalogs/nis2-directive.yaml"), dry.stdout)
        XCTAssertNil(folder.read("catalogs/nis2-directive.yaml"))

        let written = isms(["import", "ciso-assistant", library, "--catalog"], in: folder.path)
        XCTAssertEqual(written.status, 0, written.stderr)
        let text = try XCTUnwrap(folder.read("catalogs/nis2-directive.yaml"))
        XCTAssertTrue(text.contains("id: NIS2-directive\ntitle: Directive (EU) 2022/2555 (Directive NIS2)\nrequirements:\n"), text)
        XCTAssertTrue(
            text.contains(
                "  - id: 21.2.a\n    title: policies on risk analysis and information system security;\n    group: 21 Cybersecurity risk-management measures\n"
            ), text)
        XCTAssertFalse(text.contains("obligations/"))
        XCTAssertNil(folder.read("obligations"))

        // What it wrote is a valid catalogue that obligations cite and the check reads.
        folder.write("obligations/a.yaml", "id: OBL-A\ntitle: a\nowner: alice\nsource: NIS2-directive\nref: 21.2.a\n")
        folder.write("obligations/b.yaml", "id: OBL-B\ntitle: b\nowner: alice\nsource: NIS2-directive\nref: 21.2.k\n")
        let report = try Checker.check(WorkTreeSource(root: folder.path), asOf: Day("2026-12-01")!)
        XCTAssertEqual(report.findings.filter { $0.path?.hasPrefix("catalogs/") == true }, [])
        let unknown = report.findings.filter { $0.rule == "unknown-reference" }
        XCTAssertEqual(unknown.map(\.record), ["OBL-B"])
        XCTAssertTrue(unknown.first?.message.contains("did you mean 21.2.a") ?? false, unknown.first?.message ?? "")

        // Again: nothing to do; a file that differs is never overwritten; a shipped catalogue's id is refused.
        let again = isms(["import", "ciso-assistant", library, "--catalog"], in: folder.path)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix("nothing to import"), again.stdout)
        folder.write("catalogs/nis2-directive.yaml", text + "  - {id: X, title: mine}\n")
        let differs = isms(["import", "ciso-assistant", library, "--catalog"], in: folder.path)
        XCTAssertEqual(differs.status, 2)
        XCTAssertTrue(differs.stderr.contains("exists and differs"), differs.stderr)
        XCTAssertTrue(folder.read("catalogs/nis2-directive.yaml")!.hasSuffix("mine}\n"))
        let shipped = isms(["import", "ciso-assistant", library, "--catalog-id", "NIS2"], in: folder.path)
        XCTAssertEqual(shipped.status, 2)
        XCTAssertTrue(shipped.stderr.contains("is the shipped catalogue NIS2"), shipped.stderr)
        let named = isms(["import", "ciso-assistant", library, "--catalog-id", "NIS2-EU"], in: folder.path)
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertTrue(folder.read("catalogs/nis2-eu.yaml")?.contains("id: NIS2-EU\n") ?? false)
    }

    func testTheSchemaCommandPrintsTheCatalogueSchemaAndItAgreesWithTheReader() throws {
        let folder = TemporaryFolder()
        let printed = isms(["schema", "--kind", "catalog"], in: folder.path)
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertEqual(printed.stdout, JSONSchema.catalog().rendered() + "\n")
        folder.write("catalog.schema.json", printed.stdout)
        let cases: [(String, Bool)] = [
            (Self.bsig, true),
            ("id: 2024\ntitle: 2024\nrequirements:\n  - {id: 1, title: true, annex_a: A.5.1}\n", true),
            ("id: X\ntitle: x\nrequirements:\n  - {id: R, title: r, group: }\n", true),
            ("id: X\ntitle: x\nrequirements: []\n", false),
            ("id: X\ntitle: x\n", false),
            ("id: X Y\ntitle: x\nrequirements:\n  - {id: R, title: r}\n", false),
            ("id: X\ntitle: x\nrequirements:\n  - {id: R}\n", false),
            ("id: X\ntitle: x\nrequirements:\n  - {id: R, title: r, colour: red}\n", false),
            ("id: X\ntitle: x\nextra: 1\nrequirements:\n  - {id: R, title: r}\n", false),
            ("id: X\ntitle: '  '\nrequirements:\n  - {id: R, title: r}\n", false),
            ("id: X\ntitle: x\nrequirements:\n  - {id: '--', title: r}\n", false),
        ]
        var manifest = [JSONValue]()
        for (text, _) in cases {
            guard case .success(let instance) = YAMLJSON.instance(of: Data(text.utf8)) else { return XCTFail(text) }
            manifest.append(instance)
        }
        let path = folder.write("instances.json", JSONValue.array(manifest).rendered())
        let run = runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, sys, jsonschema
                schema = json.load(open(sys.argv[1]))
                jsonschema.Draft7Validator.check_schema(schema)
                v = jsonschema.Draft7Validator(schema)
                print(json.dumps([not list(v.iter_errors(i)) for i in json.load(open(sys.argv[2]))]))
                """, folder.path + "/catalog.schema.json", path,
            ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let verdicts = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [Bool])
        for ((text, valid), schemaValid) in zip(cases, verdicts) {
            guard case .success(let node) = YAMLReader().read(Data(text.utf8)) else { return XCTFail(text) }
            let read = UserCatalogReader.read(node, path: "catalogs/x.yaml")
            XCTAssertEqual(read.findings.isEmpty, valid, "the reader on:\n\(text)\n\(read.findings.map(\.message))")
            XCTAssertEqual(schemaValid, valid, "the schema on:\n\(text)")
        }
    }
}
