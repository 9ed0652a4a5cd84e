import Foundation
import XCTest

@testable import ISMSKit

/// `isms export --oscal`: the structure of the component definition and the assessment results, and stable UUIDs.
/// scripts/validate-oscal.sh (make test-oscal) reads the same exports with compliance-trestle's OSCAL models.
final class OSCALTests: XCTestCase {
    private let asOf = "2026-12-01"

    private func export(_ arguments: [String], root: String) throws -> [String: Any] {
        let folder = TemporaryFolder()
        let out = folder.path + "/out.json"
        let result = isms(["export", "--oscal", out, "--as-of", asOf, "--root", root] + arguments, in: repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("wrote \(out): OSCAL 1.1.2 "), result.stdout)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: out))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testUUIDsAreVersion5AsRFC9562Computes() {
        // The RFC's DNS namespace and a well-known vector (Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")).
        let dns = UUIDv5(bytes: [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8])
        XCTAssertEqual(UUIDv5(namespace: dns, name: "python.org").description, "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        let python = runProcess(
            "/usr/bin/python3",
            [
                "-c",
                "import uuid; n = uuid.uuid5(uuid.NAMESPACE_URL, 'https://github.com/isms-tool/isms/oscal'); print(uuid.uuid5(n, 'implemented-requirement:A.5.15'))",
            ])
        XCTAssertEqual(python.stdout, OSCAL.uuid("implemented-requirement:A.5.15") + "\n")
    }

    func testComponentDefinitionOfExampleISMS() throws {
        let root = repositoryRoot + "/example-isms"
        let json = try export([], root: root)
        let document = try XCTUnwrap(json["component-definition"] as? [String: Any])
        XCTAssertEqual(Set(document.keys), ["uuid", "metadata", "components", "back-matter"])
        let metadata = try XCTUnwrap(document["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["oscal-version"] as? String, "1.1.2")
        XCTAssertEqual(metadata["last-modified"] as? String, "2026-12-01T00:00:00Z")
        XCTAssertEqual(metadata["title"] as? String, "Ledgerline GmbH ISMS: controls")
        let components = try XCTUnwrap(document["components"] as? [[String: Any]])
        XCTAssertEqual(components.count, 1)
        XCTAssertEqual(components[0]["type"] as? String, "this-system")
        XCTAssertEqual(components[0]["title"] as? String, "ISMS")
        let implementations = try XCTUnwrap(components[0]["control-implementations"] as? [[String: Any]])
        let resources = try XCTUnwrap((document["back-matter"] as? [String: Any])?["resources"] as? [[String: Any]])
        // Each control implementation names its framework through a back-matter resource.
        XCTAssertEqual(implementations.map { $0["source"] as? String }, resources.map { "#" + ($0["uuid"] as! String) })
        XCTAssertEqual(resources.first?["title"] as? String, "ISO/IEC 27001:2022 Annex A")

        // Annex A: one implemented requirement per applicable Annex A control of the Statement of Applicability.
        let isms = try Loader.load(from: WorkTreeSource(root: root)).isms
        let coverage = AnnexACoverage(isms)
        let applicable = AnnexA.controls.filter { !coverage.activeImplementers($0.id).isEmpty }.map { $0.id.lowercased() }
        let annexA = try XCTUnwrap(implementations.first?["implemented-requirements"] as? [[String: Any]])
        XCTAssertEqual(annexA.map { $0["control-id"] as? String }, applicable)
        XCTAssertEqual(annexA.count, 93 - isms.config.soaExclusions.count)
        let accessControl = try XCTUnwrap(annexA.first { $0["control-id"] as? String == "a.5.15" })
        XCTAssertEqual(accessControl["uuid"] as? String, OSCAL.uuid("implemented-requirement:A.5.15"))
        let implementers = (accessControl["props"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == "implemented-by" }
            .compactMap { $0["value"] as? String }
        XCTAssertEqual(implementers, coverage.activeImplementers("A.5.15").map(\.id))
        // Responsible roles are the owners, as parties of the metadata.
        let parties = try XCTUnwrap(metadata["parties"] as? [[String: Any]])
        let roles = try XCTUnwrap(accessControl["responsible-roles"] as? [[String: Any]])
        XCTAssertEqual(roles.first?["role-id"] as? String, "control-owner")
        let owners = Set(coverage.activeImplementers("A.5.15").compactMap(\.owner))
        let partyNames = Dictionary(uniqueKeysWithValues: parties.map { ($0["uuid"] as! String, $0["name"] as! String) })
        XCTAssertEqual(
            Set((roles.first?["party-uuids"] as? [String] ?? []).compactMap { partyNames[$0] }),
            Set(owners.map { isms.config.people[$0]?.name ?? $0 }))

        // Obligations: the applicable ones a control satisfies, keyed by their ids.
        let obligationRequirements = implementations.dropFirst().flatMap { $0["implemented-requirements"] as? [[String: Any]] ?? [] }
        let satisfied = isms.records(of: .obligation).filter { obligation in
            obligation.boolean("applies") != false
                && isms.graph.links(to: obligation.id, field: "satisfies").contains { isms.record($0.from)?.string("status") != "retired" }
        }
        XCTAssertEqual(Set(obligationRequirements.compactMap { $0["control-id"] as? String }), Set(satisfied.map { $0.id.lowercased() }))

        // Every UUID is unique, a version-5 UUID, and the same on the next run.
        let text = try XCTUnwrap(String(data: JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), encoding: .utf8))
        let uuids = text.matches(of: /"uuid":"([^"]+)"/).map { String($0.output.1) }
        XCTAssertGreaterThan(uuids.count, annexA.count)
        XCTAssertEqual(uuids.count, Set(uuids).count)
        for uuid in uuids {
            XCTAssertNotNil(uuid.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/), uuid)
        }
        let again = try export([], root: root)
        XCTAssertEqual(NSDictionary(dictionary: again), NSDictionary(dictionary: json))
    }

    func testAssessmentResultsCarryTheFindingsAndKeepUUIDsWhenRecordsChange() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write("risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1, CTRL-2]\n")
        folder.write(
            "controls/ctrl-1.yaml",
            "id: CTRL-1\ntitle: Disk encryption\nowner: bob\nevery: monthly\nannex_a: [A.8.24]\nsatisfies: [OBL-GDPR-32]\n")
        folder.write("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Access review\nowner: carol\nevery: quarterly\nannex_a: [A.5.18]\n")
        folder.write(
            "obligations/gdpr.yaml", "id: OBL-GDPR-32\ntitle: Security of processing\nowner: alice\nsource: GDPR\nref: Art. 32(1)(a)\n")
        folder.write("evidence/ev-1.yaml", "id: EV-1\ntitle: MDM export\ncontrol: CTRL-1\ncollected_on: 2026-11-20\nresult: fail\n")
        folder.write("evidence/ev-2.yaml", "id: EV-2\ntitle: Review\ncontrol: CTRL-2\ncollected_on: 2026-11-01\nresult: pass\n")

        let json = try export(["--model", "assessment-results"], root: folder.path)
        let document = try XCTUnwrap(json["assessment-results"] as? [String: Any])
        XCTAssertEqual(Set(document.keys), ["uuid", "metadata", "import-ap", "results", "back-matter"])
        let plan = try XCTUnwrap((document["import-ap"] as? [String: Any])?["href"] as? String)
        let resources = try XCTUnwrap((document["back-matter"] as? [String: Any])?["resources"] as? [[String: Any]])
        XCTAssertTrue(resources.contains { "#" + ($0["uuid"] as! String) == plan }, "import-ap names a back-matter resource")
        let result = try XCTUnwrap((document["results"] as? [[String: Any]])?.first)
        XCTAssertEqual(result["start"] as? String, "2026-12-01T00:00:00Z")
        let reviewed = try XCTUnwrap(
            ((result["reviewed-controls"] as? [String: Any])?["control-selections"] as? [[String: Any]])?.first?["include-controls"]
                as? [[String: String]])
        XCTAssertEqual(reviewed.map { $0["control-id"] }, ["a.5.18", "a.8.24", "obl-gdpr-32"])

        // The check's findings are observations: here the failed evidence of CTRL-1 and the soa-gap notes.
        let check = isms(["check", "--format", "json", "--as-of", asOf, "--root", folder.path], in: folder.path)
        let checkFindings = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        let observations = try XCTUnwrap(result["observations"] as? [[String: Any]])
        XCTAssertEqual(observations.count, checkFindings.count)
        XCTAssertEqual(observations.map { $0["description"] as? String }, checkFindings.map { $0["message"] as? String })
        let failed = try XCTUnwrap(observations.first { ($0["title"] as? String)?.hasPrefix("failed-evidence") == true })

        // One finding per reviewed control: CTRL-1's failed evidence leaves A.8.24 and the GDPR obligation unsatisfied.
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        func target(_ id: String) -> [String: Any]? { findings.first { ($0["target"] as? [String: Any])?["target-id"] as? String == id } }
        func state(_ id: String) -> String? {
            ((target(id)?["target"] as? [String: Any])?["status"] as? [String: Any])?["state"] as? String
        }
        XCTAssertEqual(state("a.8.24"), "not-satisfied")
        XCTAssertEqual(state("obl-gdpr-32"), "not-satisfied")
        XCTAssertEqual(state("a.5.18"), "satisfied")
        XCTAssertEqual(
            (target("a.8.24")?["related-observations"] as? [[String: String]])?.map { $0["observation-uuid"] }, [failed["uuid"] as? String])

        // UUIDs come from ids: adding a record and fixing the evidence changes states, not identities.
        folder.write("controls/ctrl-3.yaml", "id: CTRL-3\ntitle: Backups\nowner: bob\nevery: daily\nannex_a: [A.8.13]\n")
        folder.write("evidence/ev-1.yaml", "id: EV-1\ntitle: MDM export\ncontrol: CTRL-1\ncollected_on: 2026-11-20\nresult: pass\n")
        let later = try export(["--model", "assessment-results"], root: folder.path)
        let laterResult = try XCTUnwrap(((later["assessment-results"] as? [String: Any])?["results"] as? [[String: Any]])?.first)
        let laterFindings = try XCTUnwrap(laterResult["findings"] as? [[String: Any]])
        for id in ["a.8.24", "a.5.18", "obl-gdpr-32"] {
            let before = target(id)?["uuid"] as? String
            XCTAssertEqual(
                laterFindings.first { ($0["target"] as? [String: Any])?["target-id"] as? String == id }?["uuid"] as? String, before, id)
        }
        XCTAssertEqual(laterResult["uuid"] as? String, result["uuid"] as? String)
    }

    func testExportArguments() {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        XCTAssertEqual(isms(["export"], in: folder.path).status, 2)
        let both = isms(["export", "--html", "a.html", "--oscal", "a.json"], in: folder.path)
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("cannot be combined"), both.stderr)
        let model = isms(["export", "--oscal", "a.json", "--model", "ssp"], in: folder.path)
        XCTAssertEqual(model.status, 2)
        XCTAssertTrue(model.stderr.contains("'component-definition' and 'assessment-results'"), model.stderr)
        // An ISMS with nothing implemented is still a valid document: no control implementations, every control reviewed.
        let empty = isms(["export", "--oscal", "e.json", "--model", "assessment-results", "--as-of", "2026-12-01"], in: folder.path)
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertTrue(folder.read("e.json")?.contains("\"include-all\" : {") ?? false)
    }
}
