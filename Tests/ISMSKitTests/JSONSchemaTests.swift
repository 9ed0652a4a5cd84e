import Foundation
import XCTest

@testable import ISMSKit

/// `isms schema`: the JSON Schema generated from `Schema` and `Config.settings` must never disagree with the
/// validator. A real JSON Schema validator (Debian's python3-jsonschema, Draft7Validator) judges every record of
/// example-isms and a corpus of planted defects; the validator judges the same files.
///
/// YAML → JSON: the instances are made by `YAMLJSON`, which types YAML the way isms does (only plain `true`/`false`
/// are booleans, only plain digits that read back the same are numbers, `no`/`on`/`0x3`/`03`/`3.0` are strings).
/// A YAML 1.1 loader (PyYAML) would type `no` as false and `2026-01-05` as a date, and a YAML 1.2 loader `03` as 3:
/// neither is what isms reads. example-isms is also loaded with PyYAML's SafeLoader (dates turned back into text) as
/// a cross-check that an ordinary loader agrees on real records.
final class JSONSchemaTests: XCTestCase {
    /// The validator's verdict on one record file: the findings of reading and validating it (every one of them is a
    /// schema-level finding: invalid-value, missing-field, unknown-field, id-pattern, parse-error).
    private func validatorFindings(_ kind: RecordKind, _ text: String) -> [Finding] {
        switch YAMLReader().read(Data(text.utf8)) {
        case .failure: return [Finding(rule: "parse-error", severity: .error, message: "", path: nil, location: nil, record: nil)]
        case .success(let node):
            var validator = RecordValidator(kind: kind, path: "x.yaml", config: Config())
            _ = validator.validate(node)
            return validator.findings
        }
    }

    private func configFindings(_ text: String) -> [Finding] {
        (try? ConfigReader.read(Data(text.utf8), path: "isms.yaml").1) ?? [
            Finding(rule: "parse-error", severity: .error, message: "", path: nil, location: nil, record: nil)
        ]
    }

    /// Validates each (instance, schema file) with python3-jsonschema; returns the error messages per instance.
    private func jsonSchemaErrors(_ items: [(instance: JSONValue, schema: String)], schemas: String, folder: TemporaryFolder) throws
        -> [[String]]
    {
        let manifest = JSONValue.array(items.map { .object(["instance": $0.instance, "schema": .string(schemas + "/" + $0.schema)]) })
        let path = folder.write("manifest.json", manifest.rendered())
        let result = runProcess("/usr/bin/python3", ["-c", Self.validateScript, path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let decoded = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String]]
        return try XCTUnwrap(decoded, result.stdout + result.stderr)
    }

    private static let validateScript = """
        import json, sys, jsonschema
        items = json.load(open(sys.argv[1]))
        schemas = {}
        out = []
        for item in items:
            path = item["schema"]
            if path not in schemas:
                schema = json.load(open(path))
                jsonschema.Draft7Validator.check_schema(schema)
                schemas[path] = jsonschema.Draft7Validator(schema)
            out.append([e.message for e in schemas[path].iter_errors(item["instance"])])
        print(json.dumps(out))
        """

    private func writeSchemas(_ folder: TemporaryFolder) -> String {
        let out = folder.path + "/schemas"
        let result = isms(["schema", "--out", out], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        return out
    }

    // MARK: the corpus

    /// (name, kind, YAML, valid): each planted defect is one the validator rejects at the schema level.
    static let recordCorpus: [(String, RecordKind, String, Bool)] = {
        let risk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\n"
        let control = "id: CTRL-1\ntitle: Disk encryption\nowner: alice\n"
        let obligation = "id: OBL-GDPR-32\ntitle: Security of processing\nowner: alice\n"
        let evidence = "id: EV-1\ntitle: Export\ncontrol: CTRL-1\ncollected_on: 2026-01-05\n"
        let exception = "id: EXC-1\ntitle: Legacy host\nowner: alice\nexpires: 2026-06-30\n"
        let supplier = "id: SUP-1\ntitle: AWS\nowner: alice\n"
        let asset = "id: ASSET-1\ntitle: Laptops\nowner: alice\n"
        var cases: [(String, RecordKind, String, Bool)] = [
            // Valid records, including the values isms reads as text.
            (
                "risk, every field", .risk,
                """
                id: RISK-7
                title: Customer data exposed through a compromised support account
                owner: dana
                description: Support staff can read tenant data.
                tags: [gdpr, support]
                likelihood: 3
                impact: 5
                treatment: reduce
                controls: [CTRL-3, CTRL-12]
                acceptance: {approved_by: dana, approved_on: 2026-01-05, expires: 2027-01-05, rationale: Low residual}
                transfer: {to: SUP-4, rationale: Insured}
                residual: {likelihood: 1, impact: 5}
                assets: [ASSET-2]
                review: {last: 2026-09-15, every: quarterly}

                """, true
            ),
            ("empty optional values count as absent", .risk, risk + "description:\nlikelihood: ~\ntags: null\nreview:\ntreatment:\n", true),
            (
                "number, boolean and YAML 1.1 words as text", .risk,
                "id: RISK-2\ntitle: 2024\nowner: no\ndescription: on\ntags: [true, 3, off, 0x3]\n", true
            ),
            ("quoted date and n-day cadence", .risk, risk + "review: {last: '2026-09-15', every: 30d}\n", true),
            ("score boundaries", .risk, risk + "likelihood: 1\nimpact: 5\nresidual: {likelihood: 5, impact: 1}\n", true),
            (
                "control, every field", .control,
                control + """
                    operation: automated
                    status: operating
                    every: 36600d
                    satisfies: [OBL-GDPR-32]
                    annex_a: [A.8.24, 5.15]
                    evidence_expected: {record: MDM export, location: s3://evidence, retention: 3 years}

                    """, true
            ),
            (
                "obligation that does not apply, justified", .obligation,
                obligation + "source: GDPR\nref: Art. 32\napplies: false\njustification: No personal data\n", true
            ),
            ("obligation that applies", .obligation, obligation + "applies: true\n", true),
            (
                "evidence with a digest and no owner", .evidence,
                evidence + "kind: system\nresult: pass\nlocation: artifacts/x.pdf\nsha256: \(String(repeating: "0a", count: 32))\n", true
            ),
            ("evidence with an all-digit digest", .evidence, evidence + "sha256: \(String(repeating: "1", count: 64))\n", true),
            ("exception on a risk", .exception, exception + "risk: RISK-1\ncompensating: [CTRL-2]\n", true),
            ("exception on a control", .exception, exception + "control: CTRL-1\nreason: Vendor EOL\napproved_by: bob\n", true),
            (
                "supplier", .supplier,
                supplier + "criticality: high\nservices: [hosting]\nassurance: [EV-1]\nreview: {last: 2024-02-29, every: yearly}\n", true
            ),
            (
                "asset out of scope, justified", .asset, asset + "in_scope: false\nexclusion_reason: Marketing only\nsuppliers: [SUP-1]\n",
                true
            ),
            ("asset in scope", .asset, asset + "in_scope: true\n", true),
            (
                "audit, performed", .audit,
                "id: AUD-1\ntitle: x\nowner: alice\ntype: internal\nstatus: performed\nplanned_on: 2026-03-01\nperformed_on: 2026-03-02\nscope: {clauses: ['9.2', 10], annex_a: [A.5]}\nnonconformities: [NC-1]\n",
                true
            ),
            (
                "nonconformity with actions", .nonconformity,
                "id: NC-1\ntitle: x\nowner: alice\nsource: {type: audit, record: AUD-1}\ntype: minor\nactions:\n  CA-1: {action: Fix, owner: bob, due: 2026-05-01, done_on: 2026-04-01}\n  ca_2: {action: Check, owner: bob, due: 2026-06-01}\neffectiveness: {checked_by: carol, checked_on: 2026-07-01, result: effective, evidence: [EV-1]}\nstatus: closed\n",
                true
            ),
            (
                "objective, decimal target", .objective,
                "id: OBJ-1\ntitle: x\nowner: alice\nmeasure: m\ntarget: {value: 99.5, comparison: at-least, unit: '%'}\nevery: quarterly\n",
                true
            ),
            (
                "objective, whole and negative targets", .objective,
                "id: OBJ-1\ntitle: x\nowner: alice\nmeasure: m\ntarget: {value: -3, comparison: at-most}\n", true
            ),
            ("measurement", .evidence, "id: EV-M1\ntitle: x\nobjective: OBJ-1\nvalue: 97.25\ncollected_on: 2026-01-05\n", true),
            (
                "incident with notifications", .incident,
                "id: INC-1\ntitle: x\nowner: alice\ndetected_at: 2026-03-02T14:05:00+01:00\npersonal_data_breach: true\nnotifications:\n  gdpr_authority: {sent_at: 2026-03-03T09:00Z, to: BfDI}\n",
                true
            ),
            (
                "management review", .managementReview,
                "id: MR-1\ntitle: x\nowner: alice\ndate: 2026-11-01\nattendees: [alice]\ninputs: {previous_actions: a, risks: f}\nactions:\n  A-1: {action: x, owner: bob, due: 2027-01-01, link: OBJ-1}\n",
                true
            ),
            ("party", .party, "id: PARTY-1\ntitle: x\nowner: alice\nrequirements:\n  gdpr: {need: privacy, obligations: [OBL-1]}\n", true),
        ]
        let defects: [(String, RecordKind, String)] = [
            // Wrong type.
            ("quoted integer", .risk, risk + "likelihood: '4'\n"),
            ("word for an integer", .risk, risk + "likelihood: three\n"),
            ("decimal integer", .risk, risk + "likelihood: 3.0\n"),
            ("hexadecimal integer", .risk, risk + "likelihood: 0x3\n"),
            ("signed integer", .risk, risk + "likelihood: +3\n"),
            ("zero-padded integer", .risk, risk + "impact: 03\n"),
            ("yes for a boolean", .obligation, obligation + "applies: yes\n"),
            ("quoted boolean", .obligation, obligation + "applies: 'true'\n"),
            ("on for a boolean", .asset, asset + "in_scope: on\n"),
            ("scalar for a list", .risk, risk + "tags: gdpr\n"),
            ("mapping for a list", .risk, risk + "controls: {a: 1}\n"),
            ("list for text", .risk, "id: RISK-1\ntitle: [a, b]\nowner: alice\n"),
            ("mapping for text", .control, "id: CTRL-1\ntitle: x\nowner: {name: alice}\n"),
            ("scalar for a mapping", .risk, risk + "review: weekly\n"),
            ("list for a mapping", .risk, risk + "acceptance: [dana]\n"),
            ("empty list item", .risk, risk + "controls: [CTRL-1, ~]\n"),
            ("nested list item", .risk, risk + "tags: [a, [b]]\n"),
            // Out of range.
            ("score 0", .risk, risk + "likelihood: 0\n"),
            ("score 6", .risk, risk + "impact: 6\n"),
            ("negative score", .risk, risk + "likelihood: -1\n"),
            ("residual out of range", .risk, risk + "residual: {impact: 9}\n"),
            ("huge number", .risk, risk + "impact: 99999999999999999999999\n"),
            // Unknown field.
            ("unknown field", .risk, risk + "colour: red\n"),
            ("unknown nested field", .risk, risk + "review: {last: 2026-01-01, every: weekly, colour: red}\n"),
            ("owner on evidence is fine, but not approver", .evidence, evidence + "approver: bob\n"),
            // Bad enum value.
            ("misspelt treatment", .risk, risk + "treatment: reduse\n"),
            ("status not in the list", .control, control + "status: done\n"),
            ("evidence kind", .evidence, evidence + "kind: log\n"),
            ("evidence result", .evidence, evidence + "result: passed\n"),
            ("capitalised choice", .supplier, supplier + "criticality: High\n"),
            // Missing required.
            ("no title", .risk, "id: RISK-1\nowner: alice\n"),
            ("empty title", .risk, "id: RISK-1\ntitle:\nowner: alice\n"),
            ("no owner", .control, "id: CTRL-1\ntitle: x\n"),
            ("no id", .asset, "title: x\nowner: alice\n"),
            ("evidence without control", .evidence, "id: EV-1\ntitle: x\ncollected_on: 2026-01-05\n"),
            ("evidence without date", .evidence, "id: EV-1\ntitle: x\ncontrol: CTRL-1\n"),
            ("exception without expiry", .exception, "id: EXC-1\ntitle: x\nowner: alice\nrisk: RISK-1\n"),
            ("review without cadence", .risk, risk + "review: {last: 2026-01-01}\n"),
            ("review with an empty cadence", .risk, risk + "review: {last: 2026-01-01, every: }\n"),
            ("transfer without a party", .risk, risk + "transfer: {rationale: Insured}\n"),
            ("obligation not applying, unjustified", .obligation, obligation + "applies: false\n"),
            ("obligation not applying, empty justification", .obligation, obligation + "applies: false\njustification:\n"),
            ("asset out of scope, no reason", .asset, asset + "in_scope: false\n"),
            ("exception on nothing", .exception, exception),
            ("exception on an empty control", .exception, exception + "control:\n"),
            // Bad date shape.
            ("single-digit month and day", .evidence, "id: EV-1\ntitle: x\ncontrol: CTRL-1\ncollected_on: 2026-1-5\n"),
            ("slashes in a date", .evidence, "id: EV-1\ntitle: x\ncontrol: CTRL-1\ncollected_on: 2026/01/05\n"),
            ("30 February", .evidence, "id: EV-1\ntitle: x\ncontrol: CTRL-1\ncollected_on: 2026-02-30\n"),
            ("29 February of a common year", .exception, "id: EXC-1\ntitle: x\nowner: a\nrisk: RISK-1\nexpires: 2025-02-29\n"),
            ("29 February 1900", .exception, "id: EXC-1\ntitle: x\nowner: a\nrisk: RISK-1\nexpires: 1900-02-29\n"),
            ("date as a number", .evidence, "id: EV-1\ntitle: x\ncontrol: CTRL-1\ncollected_on: 20260105\n"),
            ("date as a word", .exception, "id: EXC-1\ntitle: x\nowner: a\nrisk: RISK-1\nexpires: tomorrow\n"),
            ("date with a time", .risk, risk + "acceptance: {approved_on: 2026-01-05T10:00:00}\n"),
            // Cadence, digest, id shape.
            ("unknown cadence", .control, control + "every: fortnightly\n"),
            ("zero days", .control, control + "every: 0d\n"),
            ("zero-padded days", .control, control + "every: 01d\n"),
            ("too many days", .control, control + "every: 36601d\n"),
            ("days without a unit", .control, control + "every: 7\n"),
            // An on-event control's event, and the evidence citing one.
            ("unknown event kind", .control, control + "event: {kind: joiner}\n"),
            ("event in words without words", .control, control + "event: {kind: other}\n"),
            ("event as a bare word", .control, control + "event: incident\n"),
            ("unknown event severity", .control, control + "event: {kind: incident, severity: [urgent]}\n"),
            ("severity of an event in words", .control, control + "event: {kind: other, description: A person leaves, severity: [high]}\n"),
            ("evidence citing a list of events", .evidence, evidence + "event: [INC-4]\n"),
            ("upper-case digest", .evidence, evidence + "sha256: \(String(repeating: "0A", count: 32))\n"),
            ("short digest", .evidence, evidence + "sha256: \(String(repeating: "a", count: 63))\n"),
            ("id of the wrong shape", .risk, "id: RISK-x\ntitle: x\nowner: alice\n"),
            ("id of another kind", .risk, "id: CTRL-1\ntitle: x\nowner: alice\n"),
            ("numeric id", .supplier, "id: 5\ntitle: x\nowner: alice\n"),
            // The operating rhythm's values: a time with its zone, a number, a mapping of named entries.
            ("time without a zone", .incident, "id: INC-1\ntitle: x\nowner: a\ndetected_at: 2026-03-02T14:05:00\n"),
            ("date for a time", .incident, "id: INC-1\ntitle: x\nowner: a\ndetected_at: 2026-03-02\n"),
            ("time with a bad hour", .incident, "id: INC-1\ntitle: x\nowner: a\ndetected_at: 2026-03-02T25:05Z\n"),
            ("word for a number", .evidence, "id: EV-1\ntitle: x\nobjective: OBJ-1\nvalue: high\ncollected_on: 2026-01-05\n"),
            (
                "number with a comma", .objective,
                "id: OBJ-1\ntitle: x\nowner: a\nmeasure: m\ntarget: {value: '99,5', comparison: at-least}\n"
            ),
            ("measurement of nothing", .evidence, "id: EV-1\ntitle: x\nvalue: 3\ncollected_on: 2026-01-05\n"),
            (
                "named entry with a dot", .nonconformity,
                "id: NC-1\ntitle: x\nowner: a\nsource: {type: audit}\ntype: minor\nactions:\n  CA.1: {action: x, owner: b, due: 2026-01-01}\n"
            ),
            (
                "named entry that is text", .nonconformity,
                "id: NC-1\ntitle: x\nowner: a\nsource: {type: audit}\ntype: minor\nactions:\n  CA-1: fix it\n"
            ),
            (
                "named entry without its due date", .nonconformity,
                "id: NC-1\ntitle: x\nowner: a\nsource: {type: audit}\ntype: minor\nactions:\n  CA-1: {action: x, owner: b}\n"
            ),
            (
                "list for named entries", .managementReview,
                "id: MR-1\ntitle: x\nowner: a\ndate: 2026-01-01\nattendees: [a]\ninputs: {risks: x}\nactions: [x]\n"
            ),
            (
                "audit performed without a date", .audit,
                "id: AUD-1\ntitle: x\nowner: a\ntype: internal\nstatus: performed\nplanned_on: 2026-01-01\n"
            ),
        ]
        cases += defects.map { ($0.0, $0.1, $0.2, false) }
        cases += [
            ("event of incidents", .control, control + "every: on-event\nevent: {kind: incident, severity: [high, critical]}\n", true),
            ("event in words", .control, control + "every: on-event\nevent: {kind: other, description: A person leaves}\n", true),
            (
                "event in words, severity left empty", .control,
                control + "every: on-event\nevent: {kind: other, description: A person leaves, severity: }\n", true
            ),
            ("evidence citing an event", .evidence, evidence + "event: INC-4\n", true),
        ]
        return cases
    }()

    static let configCorpus: [(String, String, Bool)] = [
        (
            "every setting",
            """
            name: Ledgerline GmbH ISMS
            scope: |
              Everything.
            people:
              dana: {name: Dana Weber, email: dana@ledgerline.example, role: CISO}
              eve:
            rules:
              overdue-review: warning
              stale-evidence: 'off'
            id_patterns:
              obligation: '^OBL-[A-Z0-9-]+$'
            evidence_grace_days: 14
            limits: {file_bytes: 2048, depth: 8}
            soa_exclusions:
              A.7.4: No premises in scope.
              A.8.30: 2024

            """, true
        ),
        ("empty soa_exclusions", "soa_exclusions:\n", true),
        (
            "context, programme and review cadence",
            "context:\n  internal: [Small team]\n  external: [NIS2]\n  climate_change: {relevant: false, reason: No premises}\naudit_programme: {cycle: 730d}\nmanagement_review: {every: yearly}\n",
            true
        ),
        ("climate change without a reason", "context: {climate_change: {relevant: true, reason: ' '}}\n", false),
        ("climate change answered yes", "context: {climate_change: {relevant: yes, reason: x}}\n", false),
        ("unknown context key", "context: {risks: [a]}\n", false),
        ("context as text", "context: we are small\n", false),
        ("audit cycle as a word", "audit_programme: {cycle: sometimes}\n", false),
        ("unknown review key", "management_review: {last: 2026-01-01}\n", false),
        ("boundaries", "evidence_grace_days: 0\nlimits: {file_bytes: 1024, depth: 64}\n", true),
        ("unknown setting", "colour: red\n", false),
        ("negative grace", "evidence_grace_days: -1\n", false),
        ("grace over ten years", "evidence_grace_days: 3651\n", false),
        ("quoted grace", "evidence_grace_days: '14'\n", false),
        ("zero-padded grace", "evidence_grace_days: 05\n", false),
        ("signed grace", "evidence_grace_days: +5\n", false),
        ("empty grace", "evidence_grace_days:\n", false),
        ("unknown rule", "rules: {no-such-rule: error}\n", false),
        ("unknown severity", "rules: {overdue-review: loud}\n", false),
        ("empty severity", "rules: {overdue-review: }\n", false),
        ("tiny file limit", "limits: {file_bytes: 10}\n", false),
        ("deep limit", "limits: {depth: 100}\n", false),
        ("unknown limit", "limits: {pages: 3}\n", false),
        ("unknown person detail", "people: {dana: {nick: d}}\n", false),
        ("person as text", "people: {dana: Dana}\n", false),
        ("empty person name", "people: {dana: {name: }}\n", false),
        ("people as a list", "people: [dana]\n", false),
        ("name as a list", "name: [a]\n", false),
        ("empty name", "name:\n", false),
        ("blank justification", "soa_exclusions: {A.7.4: '   '}\n", false),
        ("empty justification", "soa_exclusions: {A.7.4: }\n", false),
        ("soa_exclusions as a list", "soa_exclusions: [A.7.4]\n", false),
        ("unknown kind in id_patterns", "id_patterns: {robot: '^R$'}\n", false),
        ("empty id pattern", "id_patterns: {risk: }\n", false),
    ]

    // MARK: tests

    func testSchemaAndValidatorAgreeOnPlantedDefects() throws {
        let folder = TemporaryFolder()
        let schemas = writeSchemas(folder)
        var items = [(instance: JSONValue, schema: String)]()
        var validator = [Bool]()
        var names = [String]()
        for (name, kind, text, _) in Self.recordCorpus {
            guard case .success(let instance) = YAMLJSON.instance(of: Data(text.utf8)) else { XCTFail("\(name): not YAML"); continue }
            items.append((instance, JSONSchema.fileName(kind)))
            validator.append(validatorFindings(kind, text).isEmpty)
            names.append("\(kind.rawValue): \(name)")
        }
        for (name, text, _) in Self.configCorpus {
            guard case .success(let instance) = YAMLJSON.instance(of: Data(text.utf8)) else { XCTFail("\(name): not YAML"); continue }
            items.append((instance, JSONSchema.configFileName))
            validator.append(configFindings(text).isEmpty)
            names.append("isms.yaml: \(name)")
        }
        let expected = Self.recordCorpus.map(\.3) + Self.configCorpus.map(\.2)
        let errors = try jsonSchemaErrors(items, schemas: schemas, folder: folder)
        XCTAssertEqual(errors.count, items.count)
        for index in items.indices where index < errors.count {
            let schemaValid = errors[index].isEmpty
            XCTAssertEqual(validator[index], expected[index], "\(names[index]): the validator's verdict")
            XCTAssertEqual(
                schemaValid, validator[index],
                "\(names[index]): JSON Schema says \(schemaValid ? "valid" : "invalid (\(errors[index].joined(separator: "; ")))"), the validator \(validator[index] ? "valid" : "invalid")"
            )
        }
        XCTAssertGreaterThan(expected.filter { !$0 }.count, 80, "the corpus plants defects of every sort")
    }

    func testSchemaAcceptsEveryRecordOfExampleISMS() throws {
        let folder = TemporaryFolder()
        let schemas = writeSchemas(folder)
        let root = repositoryRoot + "/example-isms"
        var items = [(instance: JSONValue, schema: String)]()
        var paths = [String]()
        for kind in RecordKind.allCases {
            let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: root + "/" + kind.folder))
            while let relative = enumerator.nextObject() as? String {
                guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
                let path = root + "/" + kind.folder + "/" + relative
                let data = try XCTUnwrap(FileManager.default.contents(atPath: path))
                XCTAssertTrue(validatorFindings(kind, String(decoding: data, as: UTF8.self)).isEmpty, path)
                guard case .success(let instance) = YAMLJSON.instance(of: data) else { XCTFail(path); continue }
                items.append((instance, JSONSchema.fileName(kind)))
                paths.append(path)
            }
        }
        let config = try XCTUnwrap(FileManager.default.contents(atPath: root + "/isms.yaml"))
        guard case .success(let configInstance) = YAMLJSON.instance(of: config) else { return XCTFail("isms.yaml") }
        items.append((configInstance, JSONSchema.configFileName))
        paths.append(root + "/isms.yaml")
        XCTAssertEqual(items.count, 259, "258 records and isms.yaml")
        let errors = try jsonSchemaErrors(items, schemas: schemas, folder: folder)
        for (path, messages) in zip(paths, errors) {
            XCTAssertEqual(messages, [], path)
        }

        // The same files through an ordinary YAML loader (PyYAML's SafeLoader, YAML 1.1), dates written back as text.
        let list = folder.write(
            "files.json",
            JSONValue.array(
                paths.map { path in
                    .object([
                        "path": .string(path),
                        "schema": .string(
                            schemas + "/"
                                + (path.hasSuffix("isms.yaml")
                                    ? JSONSchema.configFileName
                                    : JSONSchema.fileName(RecordKind.allCases.first { path.contains("/example-isms/\($0.folder)/") }!))),
                    ])
                }
            ).rendered())
        let pyyaml = runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import datetime, json, sys, jsonschema, yaml
                def plain(v):
                    if isinstance(v, (datetime.date, datetime.datetime)): return v.isoformat()
                    if isinstance(v, dict): return {str(k): plain(x) for k, x in v.items()}
                    if isinstance(v, list): return [plain(x) for x in v]
                    return v
                bad = 0
                for f in json.load(open(sys.argv[1])):
                    doc = plain(yaml.load(open(f["path"], encoding="utf-8-sig"), Loader=yaml.SafeLoader))
                    for e in jsonschema.Draft7Validator(json.load(open(f["schema"]))).iter_errors(doc):
                        bad += 1
                        print(f["path"], e.message)
                print("checked", bad)
                """, list,
            ])
        XCTAssertEqual(pyyaml.status, 0, pyyaml.stderr)
        XCTAssertTrue(pyyaml.stdout.hasSuffix("checked 0\n"), pyyaml.stdout)
    }

    /// The date and cadence patterns in the schema accept exactly what the parsers accept.
    func testPatternsMatchTheParsers() throws {
        let day = try Pattern(Day.pattern)
        var texts = ["", "2026-1-05", "2026-01-5", "26-01-05", "2026/01/05", "2026-01-05 ", "20260105", "2026-001-05", "２０２６-01-05"]
        for year in ["0000", "0004", "1900", "1996", "2000", "2023", "2024", "2100", "2400", "9999"] {
            for month in 0...13 {
                for d in 0...32 {
                    texts.append("\(year)-\(month < 10 ? "0" : "")\(month)-\(d < 10 ? "0" : "")\(d)")
                }
            }
        }
        for text in texts {
            XCTAssertEqual(day.matches(text), Day(text) != nil, "date '\(text)'")
        }
        let cadence = try Pattern(Cadence.pattern)
        var cadences =
            Cadence.names.filter { $0 != "<n>d" } + [
                "", "d", "0d", "00d", "01d", "+1d", "-1d", "1D", "1", "1dd", " 1d", "Weekly", "on_event",
            ]
        cadences += (0...40_000).map { "\($0)d" }
        for text in cadences {
            XCTAssertEqual(cadence.matches(text), Cadence(text) != nil, "cadence '\(text)'")
        }
        let digest = try Pattern(SHA256.hexPattern)
        XCTAssertTrue(digest.matches(String(repeating: "0123456789abcdef", count: 4)))
        XCTAssertFalse(digest.matches(String(repeating: "0123456789ABCDEF", count: 4)))
    }

    func testEveryFieldHasItsDescriptionAndTheCommandPrintsOneKind() throws {
        for kind in RecordKind.allCases {
            guard case .object(let schema) = JSONSchema.record(kind), case .object(let properties)? = schema["properties"] else {
                return XCTFail(kind.rawValue)
            }
            XCTAssertEqual(Set(properties.keys), Set(Schema.writtenFields(kind).map(\.name)), kind.rawValue)
            for field in Schema.writtenFields(kind) {
                guard case .object(let property)? = properties[field.name] else { return XCTFail(field.name) }
                XCTAssertEqual(property["description"], .string(field.summary))
            }
        }
        guard case .object(let config) = JSONSchema.config(), case .object(let settings)? = config["properties"] else { return XCTFail() }
        XCTAssertEqual(Set(settings.keys), Set(Config.keys.map(\.key)))

        let folder = TemporaryFolder()
        let one = isms(["schema", "--kind", "evidence"], in: folder.path)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(one.stdout, JSONSchema.record(.evidence).rendered() + "\n")
        let settingsSchema = isms(["schema", "--kind", "isms"], in: folder.path)
        XCTAssertTrue(settingsSchema.stdout.contains("\"soa_exclusions\""), settingsSchema.stdout)
        let unknown = isms(["schema", "--kind", "risc"], in: folder.path)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'risk'?"), unknown.stderr)
        XCTAssertEqual(isms(["schema"], in: folder.path).status, 2)
        let written = isms(["schema", "--out", "s"], in: folder.path)
        XCTAssertEqual(written.status, 0, written.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/s").sorted()
        XCTAssertEqual(files, (RecordKind.allCases.map(JSONSchema.fileName) + ["isms.schema.json", "catalog.schema.json"]).sorted())
        // The hidden converter prints what the schema judges.
        folder.write("r.yaml", "id: RISK-1\ntitle: no\nlikelihood: 3\nimpact: 03\napplies: true\ndescription:\n")
        let json = isms(["schema", "--yaml-to-json", "r.yaml"], in: folder.path)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["title"] as? String, "no")
        XCTAssertEqual(object["likelihood"] as? Int, 3)
        XCTAssertEqual(object["impact"] as? String, "03")
        XCTAssertEqual(object["applies"] as? Bool, true)
        XCTAssertTrue(object["description"] is NSNull)
    }
}

/// `isms init` wires the schemas for yaml-language-server.
final class EditorSchemaTests: XCTestCase {
    func testInitWritesTheSchemasAndTheVSCodeMappingAndTheStarterMatchesThem() throws {
        let folder = TemporaryFolder()
        let result = isms(["init", "acme"], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let root = folder.path + "/acme"
        XCTAssertTrue(result.stdout.contains(".vscode/settings.json"), result.stdout)
        for schema in JSONSchema.all {
            XCTAssertEqual(folder.read("acme/.isms/schemas/\(schema.name)"), schema.schema.rendered() + "\n", schema.name)
        }
        let settings = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(XCTUnwrap(folder.read("acme/.vscode/settings.json")).utf8)) as? [String: Any])
        let mapping = try XCTUnwrap(settings["yaml.schemas"] as? [String: [String]])
        // The YAML kinds' folders; a document's front matter sits in a Markdown file, which the YAML extension does not read.
        let yamlKinds = RecordKind.allCases.filter { $0.fileFormat == .yaml }
        XCTAssertEqual(mapping.count, yamlKinds.count + 2)
        for kind in yamlKinds {
            XCTAssertEqual(
                mapping["./.isms/schemas/\(kind.rawValue).schema.json"], ["\(kind.folder)/**/*.yaml", "\(kind.folder)/**/*.yml"])
        }
        XCTAssertNil(mapping["./.isms/schemas/document.schema.json"])
        XCTAssertEqual(mapping["./.isms/schemas/isms.schema.json"], ["isms.yaml"])
        XCTAssertEqual(mapping["./.isms/schemas/catalog.schema.json"], ["catalogs/**/*.yaml", "catalogs/**/*.yml"])

        // Every file the globs match validates against its schema (as an editor would see it), and a typo does not.
        folder.write("acme/risks/typo.yaml", "id: RISK-9\ntitle: x\nowner: y\ntreatment: reduse\nlikelyhood: 3\n")
        let script = """
            import fnmatch, glob, json, os, sys, jsonschema
            root = sys.argv[1]
            mapping = json.load(open(os.path.join(root, ".vscode/settings.json")))["yaml.schemas"]
            for schema, globs in sorted(mapping.items()):
                validator = jsonschema.Draft7Validator(json.load(open(os.path.join(root, schema))))
                for pattern in globs:
                    for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
                        instance = json.load(open(path + ".json"))
                        errors = sorted(e.message for e in validator.iter_errors(instance))
                        print(os.path.relpath(path, root), "ok" if not errors else "; ".join(errors))
            """
        // The instances as isms types them, next to each YAML file.
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
        var yamlFiles = [String]()
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".yaml") { yamlFiles.append(relative) }
        }
        for relative in yamlFiles {
            let data = try XCTUnwrap(FileManager.default.contents(atPath: root + "/" + relative))
            if case .success(let instance) = YAMLJSON.instance(of: data) {
                folder.write("acme/" + relative + ".json", instance.rendered())
            }
        }
        let run = runProcess("/usr/bin/python3", ["-c", script, root])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        // One example record per YAML kind (a document's front matter is in Markdown, which editors do not map), the typo, isms.yaml.
        XCTAssertEqual(lines.count, RecordKind.allCases.filter { $0.fileFormat == .yaml }.count + 2, run.stdout)
        for line in lines where !line.hasPrefix("risks/typo.yaml") {
            XCTAssertTrue(line.hasSuffix(" ok"), line)
        }
        let typo = try XCTUnwrap(lines.first { $0.hasPrefix("risks/typo.yaml") })
        XCTAssertTrue(typo.contains("'reduse' is not one of"), typo)
        XCTAssertTrue(typo.contains("'likelyhood' was unexpected"), typo)
    }

    func testInitStillRefusesAnExistingEditorSetting() {
        let folder = TemporaryFolder()
        folder.write(".vscode/settings.json", "{}\n")
        let result = isms(["init"], in: folder.path)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains(".vscode/settings.json"), result.stderr)
        XCTAssertEqual(folder.read(".vscode/settings.json"), "{}\n")
        XCTAssertNil(folder.read("isms.yaml"))
    }
}
