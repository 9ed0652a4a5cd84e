import XCTest
@testable import ISMSKit

/// The framework catalogs shipped in the binary and the lenient reading of references.
final class CatalogTests: XCTestCase {
    func testAnnexAHas93ControlsInFourThemes() {
        XCTAssertEqual(AnnexA.controls.count, 93)
        XCTAssertEqual(AnnexA.themes.map(\.name), ["organizational", "people", "physical", "technological"])
        XCTAssertEqual(AnnexA.themes.map(\.controls.count), [37, 8, 14, 34])
        XCTAssertEqual(AnnexA.controls.first?.id, "A.5.1")
        XCTAssertEqual(AnnexA.controls.last?.id, "A.8.34")
        XCTAssertEqual(Set(AnnexA.controls.map(\.id)).count, 93, "ids are unique")
        XCTAssertEqual(Set(AnnexA.controls.map(\.title)).count, 93, "titles are unique")
        for theme in AnnexA.themes {
            XCTAssertEqual(theme.controls.map(\.id), (1...theme.controls.count).map { "A.\(theme.clause).\($0)" })
            XCTAssertTrue(theme.controls.allSatisfy { $0.group == theme.name })
        }
    }

    func testAnnexAOfficialShortTitles() {
        let expected = [
            "A.5.1": "Policies for information security",
            "A.5.15": "Access control",
            "A.5.23": "Information security for use of cloud services",
            "A.5.37": "Documented operating procedures",
            "A.6.1": "Screening",
            "A.6.8": "Information security event reporting",
            "A.7.1": "Physical security perimeters",
            "A.7.14": "Secure disposal or re-use of equipment",
            "A.8.1": "User endpoint devices",
            "A.8.13": "Information backup",
            "A.8.28": "Secure coding",
            "A.8.34": "Protection of information systems during audit testing",
        ]
        for (id, title) in expected {
            XCTAssertEqual(AnnexA.control(id)?.title, title, id)
        }
    }

    func testAnnexAReferencesAreReadLeniently() {
        for written in ["A.5.15", "a.5.15", "A 5.15", "A5.15", "5.15", "A.05.15", " A.5.15 "] {
            XCTAssertEqual(AnnexA.resolve(written)?.id, "A.5.15", written)
        }
        XCTAssertEqual(AnnexA.canonical("A.8.35"), "A.8.35")
        XCTAssertNil(AnnexA.resolve("A.8.35"))
        XCTAssertNil(AnnexA.canonical("Access control"))
        XCTAssertNil(AnnexA.canonical("A.5"))
    }

    func testRegulationCatalogs() {
        let rights: [Int] = Array(12...22), security: [Int] = Array(32...39), transfers: [Int] = Array(44...49)
        let gdpr: [Int] = [5, 6] + rights + [24, 25, 28, 30] + security + transfers
        XCTAssertEqual(Frameworks.gdpr.entries.map(\.id), gdpr.map(String.init))
        XCTAssertEqual(Frameworks.nis2.entries.map(\.id), ["20"] + "abcdefghij".map { "21(2)(\($0))" } + ["22", "23"])
        XCTAssertEqual(Frameworks.dora.entries.map(\.id), Array(5...30).map(String.init))
        XCTAssertEqual(Frameworks.gdpr.entry("32")?.title, "Security of processing")
        XCTAssertEqual(Frameworks.nis2.entry("21(2)(d)")?.title, "Supply chain security")
        XCTAssertEqual(Frameworks.dora.entry("30")?.title, "Key contractual provisions")
        XCTAssertEqual(Frameworks.iso27001.entry("6.1.3")?.title, "Information security risk treatment")
    }

    func testObligationReferencesAreReadLeniently() {
        func known(_ source: String, _ ref: String) -> String? {
            if case .known(let entry) = ReferenceResolver.resolve(source: source, ref: ref) { return entry.id }
            return nil
        }
        XCTAssertEqual(known("GDPR", "Art. 32(1)(b)"), "32")
        XCTAssertEqual(known("GDPR", "Article 32"), "32")
        XCTAssertEqual(known("GDPR", "art.32 (1) (b)"), "32")
        XCTAssertEqual(known("gdpr", "32"), "32")
        XCTAssertEqual(known("GDPR", "Art. 30(1), 30(2)"), "30")
        XCTAssertEqual(known("GDPR", "Art. 5(1)(f)"), "5")
        XCTAssertEqual(known("NIS2", "Art. 21(2)(a)"), "21(2)(a)")
        XCTAssertEqual(known("NIS 2", "Article 21 (2) (j)"), "21(2)(j)")
        XCTAssertEqual(known("NIS2", "Art. 21"), "21")
        XCTAssertEqual(known("NIS2", "Art. 23(4)"), "23")
        XCTAssertEqual(known("DORA", "Art. 19(1)"), "19")
        XCTAssertEqual(known("DORA", "Art. 30(2), 30(3)"), "30")
        XCTAssertEqual(known("ISO27001", "Clause 6.1.3"), "6.1.3")
        XCTAssertEqual(known("ISO/IEC 27001", "9.2"), "9.2")
        XCTAssertEqual(known("ISO27001", "A.8.13"), "A.8.13")

        XCTAssertEqual(ReferenceResolver.resolve(source: "contract", ref: "MSA 9.3"), .notCatalogued)
        guard case .unknown(_, let suggestion) = ReferenceResolver.resolve(source: "GDPR", ref: "Art. 31") else {
            return XCTFail("Art. 31 is not in the GDPR catalog")
        }
        XCTAssertEqual(suggestion?.id, "30")
        guard case .unknown(let reason, _) = ReferenceResolver.resolve(source: "NIS2", ref: "Art. 21(2)(k)") else {
            return XCTFail("21(2)(k) does not exist")
        }
        XCTAssertTrue(reason.contains("(a) to (j)"), reason)
        guard case .unknown = ReferenceResolver.resolve(source: "DORA", ref: "Art. 31") else { return XCTFail("DORA Art. 31 is not catalogued") }
        guard case .unknown = ReferenceResolver.resolve(source: "DORA", ref: "Recital 4") else { return XCTFail("no article") }
        guard case .unknown(_, let clause) = ReferenceResolver.resolve(source: "ISO27001", ref: "Clause 9.4") else { return XCTFail("9.4") }
        XCTAssertNotNil(clause)
    }
}
