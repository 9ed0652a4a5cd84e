import Foundation
import XCTest

@testable import ISMSKit

/// `isms import ciso-assistant`: obligations from a framework library in CISO Assistant's format (docs/import.md).
final class ImportTests: XCTestCase {
    /// A small library written for the test, in the shape of CISO Assistant's libraries: a non-assessable group, a
    /// requirement with a name, one known only by its text and without ref_id, a numeric-looking ref, a multi-line
    /// description, a name with stray spaces, and keys isms ignores (translations, reference_controls, depth).
    static func library(policyName: String = "Security policy", frameworks: Int = 1) -> String {
        var text = """
            urn: urn:example:risk:library:acme-baseline
            locale: en
            ref_id: ACME-BASE
            name: Acme security baseline
            version: 2
            objects:
              framework:

            """
        let nodes = """
                requirement_nodes:
                - urn: urn:example:risk:req_node:acme-baseline:gov
                  assessable: false
                  depth: 1
                  ref_id: GOV
                  name: Governance
                  translations:
                    fr: {name: Gouvernance}
                - urn: urn:example:risk:req_node:acme-baseline:gov.1
                  assessable: true
                  depth: 2
                  parent_urn: urn:example:risk:req_node:acme-baseline:gov
                  ref_id: '1.10'
                  name: \(policyName)
                  description: Keep a security policy approved by management.
                  reference_controls:
                  - urn:example:risk:function:policy
                - urn: urn:example:risk:req_node:acme-baseline:node7
                  assessable: true
                  depth: 2
                  parent_urn: urn:example:risk:req_node:acme-baseline:gov
                  description: 'Review the policy every year: record the date and who approved it, in a sentence long enough to need cutting.'
                - urn: urn:example:risk:req_node:acme-baseline:gov.2
                  assessable: true
                  depth: 2
                  parent_urn: urn:example:risk:req_node:acme-baseline:gov
                  ref_id: GOV-2
                  name: ' Roles'
                  description: |
                    Assign security roles.
                    Write them down.

            """
        if frameworks == 1 {
            text += "    urn: urn:example:risk:framework:acme-baseline\n    ref_id: ACME-BASE\n    name: Acme security baseline\n"
            text += nodes
        } else {
            for n in 1...frameworks {
                text += "  - urn: urn:example:risk:framework:acme-\(n)\n    ref_id: ACME-\(n)\n    name: Acme part \(n)\n"
                text += nodes
            }
        }
        return text
    }

    private func ismsFolder() -> TemporaryFolder {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        return folder
    }

    private func files(_ folder: TemporaryFolder) -> [String: String] {
        var out = [String: String]()
        let enumerator = FileManager.default.enumerator(atPath: folder.path)!
        while let path = enumerator.nextObject() as? String {
            if let text = folder.read(path), path.hasSuffix(".yaml"), !path.hasPrefix("lib") { out[path] = text }
        }
        return out
    }

    func testImportWritesValidObligationsAndIsIdempotent() throws {
        let folder = ismsFolder()
        folder.write("lib.yaml", Self.library())
        let first = isms(["import", "ciso-assistant", "lib.yaml"], in: folder.path)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(
            first.stdout,
            """
            wrote 3 obligations of ACME-BASE (Acme security baseline), owner alice:
              obligations/acme-base/obl-acme-base-1.10.yaml  OBL-ACME-BASE-1.10
              obligations/acme-base/obl-acme-base-gov.yaml  OBL-ACME-BASE-GOV
              obligations/acme-base/obl-acme-base-gov-2.yaml  OBL-ACME-BASE-GOV-2

            """)
        XCTAssertEqual(
            folder.read("obligations/acme-base/obl-acme-base-1.10.yaml"),
            """
            # Imported by isms import ciso-assistant from urn:example:risk:req_node:acme-baseline:gov.1
            id: OBL-ACME-BASE-1.10
            title: Security policy
            owner: alice
            source: ACME-BASE
            ref: "1.10"
            description: Keep a security policy approved by management.

            """)
        let roles = try XCTUnwrap(folder.read("obligations/acme-base/obl-acme-base-gov-2.yaml"))
        XCTAssertTrue(
            roles.contains("title: Roles\n") && roles.contains("description: \"Assign security roles.\\nWrite them down.\"\n"), roles)
        // Known only by its text: the title is the text's start, the ref its parent's.
        let review = try XCTUnwrap(folder.read("obligations/acme-base/obl-acme-base-gov.yaml"))
        XCTAssertTrue(
            review.contains(
                "title: \"Review the policy every year: record the date and who approved it, in a sentence long enough to…\"\n"), review)
        XCTAssertTrue(review.contains("ref: GOV\n"), review)

        // The new records are well-formed: what is left is the work of satisfying them.
        let check = isms(["check", "--format", "json", "--as-of", "2026-12-01"], in: folder.path)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let rules = Set((json["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
        XCTAssertEqual(rules, ["uncovered-obligation"])
        XCTAssertEqual((json["summary"] as? [String: Int])?["records"], 3)

        // Again: nothing changes, and it says so.
        let before = files(folder)
        let again = isms(["import", "ciso-assistant", "lib.yaml"], in: folder.path)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(
            again.stdout, "nothing to import: all 3 assessable requirements of ACME-BASE (Acme security baseline) are already obligations\n"
        )
        XCTAssertEqual(again.stderr, "")
        XCTAssertEqual(files(folder), before)
    }

    func testChangedTextIsReportedNeverOverwritten() throws {
        let folder = ismsFolder()
        folder.write("lib.yaml", Self.library())
        XCTAssertEqual(isms(["import", "ciso-assistant", "lib.yaml"], in: folder.path).status, 0)
        let before = files(folder)
        folder.write("lib.yaml", Self.library(policyName: "Information security policy"))
        let changed = isms(["import", "ciso-assistant", "lib.yaml"], in: folder.path)
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertEqual(
            changed.stdout,
            """
            nothing to import: all 3 assessable requirements of ACME-BASE (Acme security baseline) are already obligations
            1 obligation differs from the library (changed there or edited here; not overwritten):
              OBL-ACME-BASE-1.10  obligations/acme-base/obl-acme-base-1.10.yaml  title

            """)
        XCTAssertEqual(changed.stderr, "isms: warning: 1 obligation not updated: compare them with the library\n")
        XCTAssertEqual(files(folder), before)
    }

    func testDryRunWritesNothingAndExistingObligationsAreSkipped() throws {
        let folder = ismsFolder()
        folder.write("lib.yaml", Self.library())
        // Already adopted by hand, with another id and file: matched by source (any case) and ref.
        folder.write("obligations/roles.yaml", "id: OBL-ROLES\ntitle: Roles\nowner: bob\nsource: acme-base\nref: GOV-2\n")
        let before = files(folder)
        let dry = isms(["import", "ciso-assistant", "lib.yaml", "--dry-run", "--owner", "carol"], in: folder.path)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(
            dry.stdout.hasPrefix("would write 2 obligations of ACME-BASE (Acme security baseline), owner carol; 1 already there:\n"),
            dry.stdout)
        XCTAssertFalse(dry.stdout.contains("GOV-2"), dry.stdout)
        // The hand-written one has no description: it differs, and is left alone.
        XCTAssertTrue(dry.stdout.contains("  OBL-ROLES  obligations/roles.yaml  description\n"), dry.stdout)
        XCTAssertEqual(files(folder), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path + "/obligations/acme-base"))
    }

    func testFrameworkChoiceOwnerAndBadInput() throws {
        let folder = ismsFolder()
        folder.write("two.yaml", Self.library(frameworks: 2))
        let ambiguous = isms(["import", "ciso-assistant", "two.yaml"], in: folder.path)
        XCTAssertEqual(ambiguous.status, 2)
        XCTAssertTrue(
            ambiguous.stderr.contains(
                "holds 2 frameworks; pick one with --framework: urn:example:risk:framework:acme-1, urn:example:risk:framework:acme-2"),
            ambiguous.stderr)
        let picked = isms(["import", "ciso-assistant", "two.yaml", "--framework", "urn:example:risk:framework:acme-2"], in: folder.path)
        XCTAssertEqual(picked.status, 0, picked.stderr)
        XCTAssertTrue(picked.stdout.contains("obligations/acme-2/obl-acme-2-1.10.yaml"), picked.stdout)
        XCTAssertNil(folder.read("obligations/acme-1/obl-acme-1-1.10.yaml"))
        let unknown = isms(["import", "ciso-assistant", "two.yaml", "--framework", "urn:nope"], in: folder.path)
        XCTAssertEqual(unknown.status, 2)

        folder.write("lib.yaml", Self.library())
        let owner = isms(["import", "ciso-assistant", "lib.yaml", "--owner", "alic"], in: folder.path)
        XCTAssertEqual(owner.status, 2)
        XCTAssertTrue(owner.stderr.contains("did you mean 'alice'?"), owner.stderr)

        folder.write("bad.yaml", "urn: x\nobjects:\n  framework:\n    urn: y\n    requirement_nodes: nope\n")
        let bad = isms(["import", "ciso-assistant", "bad.yaml"], in: folder.path)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasPrefix("isms: error: bad.yaml:4:5: framework y has no list of requirement_nodes"), bad.stderr)
        folder.write("notlib.yaml", "id: RISK-1\n")
        XCTAssertTrue(isms(["import", "ciso-assistant", "notlib.yaml"], in: folder.path).stderr.contains("not a CISO Assistant library"))

        // No roster and no --owner: ask for one.
        let bare = TemporaryFolder()
        bare.write("isms.yaml", "name: Bare\n")
        bare.write("lib.yaml", Self.library())
        let noOwner = isms(["import", "ciso-assistant", "lib.yaml"], in: bare.path)
        XCTAssertEqual(noOwner.status, 2)
        XCTAssertTrue(noOwner.stderr.contains("--owner"), noOwner.stderr)
    }

    func testIdsFollowACustomPattern() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig + "id_patterns:\n  obligation: '^OBL-[A-Z0-9-]+$'\n")
        folder.write("lib.yaml", Self.library())
        let result = isms(["import", "ciso-assistant", "lib.yaml"], in: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("OBL-ACME-BASE-1-10\n"), result.stdout)
        XCTAssertEqual(FrameworkImport.slug("ISO/IEC 27001:2022"), "ISO-IEC-27001-2022")
        XCTAssertEqual(FrameworkImport.scalar("no"), "\"no\"")
        XCTAssertEqual(FrameworkImport.scalar("4.1"), "\"4.1\"")
        XCTAssertEqual(FrameworkImport.scalar("Art. 32"), "Art. 32")
    }

    /// CISO Assistant's NIS2 library names its framework `NIS2-directive` and its requirements `21.2.a`; imported into
    /// example-isms it must meet isms's conventions (`source: NIS2`, `ref: Art. 21(2)(a)`, ids OBL-NIS2-21-2-a) and
    /// find the 11 NIS2 obligations already there instead of duplicating them.
    func testNIS2LibraryMeetsTheNIS2ConventionsAndDuplicatesNothing() throws {
        let folder = exampleISMSOutsideGit()
        let library = repositoryRoot + "/Tests/ISMSKitTests/Fixtures/ciso-assistant-nis2.yaml"
        func nis2() -> [(id: String, ref: String)] {
            let loaded = try! Loader.load(from: WorkTreeSource(root: folder.path))
            return loaded.isms.records(of: .obligation).filter { Frameworks.canonicalSource($0.string("source") ?? "") == "NIS2" }
                .map { ($0.id, $0.string("ref") ?? "") }
        }
        let before = nis2()
        XCTAssertEqual(before.count, 11)
        let run = isms(["import", "ciso-assistant", library], in: folder.path)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("wrote 2 obligations of NIS2 (Directive (EU) 2022/2555 (Directive NIS2))"), run.stdout)
        XCTAssertTrue(run.stdout.contains("10 already there") || run.stdout.contains("10 obligations differ"), run.stdout)
        let after = nis2()
        XCTAssertEqual(Set(after.map(\.id)).subtracting(before.map(\.id)), ["OBL-NIS2-20-1", "OBL-NIS2-23-1"])
        let refs = after.map { FrameworkImport.articleRef($0.ref) ?? $0.ref }
        XCTAssertEqual(refs.count, Set(refs).count, "no NIS2 obligation twice: \(after)")
        let written = try XCTUnwrap(folder.read("obligations/nis2/obl-nis2-20-1.yaml"))
        XCTAssertTrue(written.contains("source: NIS2\nref: Art. 20(1)\n"), written)
        XCTAssertEqual(isms(["import", "ciso-assistant", library], in: folder.path).stdout.hasPrefix("nothing to import"), true)
        XCTAssertEqual(FrameworkImport.articleRef("21.2.a"), "Art. 21(2)(a)")
        XCTAssertEqual(FrameworkImport.articleRef("Article 21 (2) (a)"), "Art. 21(2)(a)")
        XCTAssertNil(FrameworkImport.articleRef("GOV-2"))
        XCTAssertNil(FrameworkImport.articleRef("Art. 30(1), 30(2)"))
    }
}
