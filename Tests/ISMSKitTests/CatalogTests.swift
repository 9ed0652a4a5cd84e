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

    /// `canonical` returns a reference already written canonically as it is, and reads an ASCII one on its bytes:
    /// the same answers as reading it by characters, for canonical, almost canonical and random references.
    func testAnnexACanonicalShortcutMatchesParsing() {
        var written = [
            "A.5.15", "A.0.0", "A.0.1", "A.00.1", "A.05.15", "A.5.015", "A.123456789.1", "A.1234567890.1",
            "A.99999999999999999999.1", "A.5.", "A..5", "A.5.1.2", "A.+5.1", "A.-5.1", "A.5.1 ", "A. 5.1", "a.5.1",
            "A.\u{FF15}.1", "A.\u{0665}.1", "A.5.1\n", "A", "A.", "",
        ]
        var generator = SystemRandomNumberGenerator()
        written += ["  A .5 . 15\t", "A..5.15", "a 5.15", "5.15", "A.5\r\n.1", "A.5.1\u{0B}", "\u{0C}A.5.1", "A.5.0000000000000000000001"]
        let alphabet = Array("A.a 0123456789+-\t\r\n\u{0B}\u{0C}\u{A0}\u{FF15}")
        for _ in 0..<5_000 {
            let tail = String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            written.append(Bool.random(using: &generator) ? "A." + tail : tail)
        }
        for text in written {
            // The shortcut for canonical text, and the reading of ASCII text on its bytes, against the reading by characters.
            XCTAssertEqual(AnnexA.canonical(text), AnnexA.parsedByCharacters(text), text)
        }
    }

    func testRegulationCatalogs() {
        let rights: [Int] = Array(12...22), security: [Int] = Array(32...39), transfers: [Int] = Array(44...49)
        let gdpr: [Int] = [5, 6] + rights + [24, 25, 28, 30] + security + transfers
        XCTAssertEqual(Frameworks.gdpr.entries.map(\.id), gdpr.map(String.init))
        func paragraphs(_ article: Int, _ count: Int) -> [String] { count == 0 ? ["\(article)"] : (1...count).map { "\(article)(\($0))" } }
        XCTAssertEqual(
            Frameworks.nis2.entries.map(\.id),
            paragraphs(20, 2) + ["21(1)"] + "abcdefghij".map { "21(2)(\($0))" }
                + ["21(3)", "21(4)", "21(5)"] + paragraphs(22, 2) + paragraphs(23, 11))
        // DORA Art. 5–30 by paragraph (the numbers of CISO Assistant's dora.yaml); 7, 15, 20 and 23 are one paragraph.
        let dora = [
            (5, 4), (6, 10), (7, 0), (8, 7), (9, 4), (10, 4), (11, 11), (12, 7), (13, 7), (14, 3), (15, 0), (16, 3), (17, 3),
            (18, 4), (19, 8), (20, 0), (21, 3), (22, 3), (23, 0), (24, 6), (25, 3), (26, 11), (27, 3), (28, 10), (29, 2), (30, 5),
        ]
        XCTAssertEqual(Frameworks.dora.entries.map(\.id), dora.flatMap { paragraphs($0.0, $0.1) })
        XCTAssertEqual(Frameworks.dora.entry("30(2)")?.title, "Key contractual provisions")
        XCTAssertEqual(Frameworks.gdpr.entry("32")?.title, "Security of processing")
        XCTAssertEqual(Frameworks.nis2.entry("21(2)(d)")?.title, "Supply chain security")
        XCTAssertEqual(Frameworks.dora.entry("7")?.title, "ICT systems, protocols and tools")
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
        XCTAssertEqual(known("NIS2", "Art. 21(2)"), "21(2)")
        XCTAssertEqual(known("NIS2", "Art. 21(3)"), "21(3)")
        XCTAssertEqual(known("NIS2", "Art. 23(4)"), "23(4)")
        XCTAssertEqual(known("NIS2", "Art. 23(4)(a)"), "23(4)")
        XCTAssertEqual(known("NIS2", "Art. 23"), "23")
        XCTAssertEqual(known("NIS2", "Art. 20(2)"), "20(2)")
        XCTAssertEqual(known("DORA", "Art. 19(1)"), "19(1)")
        XCTAssertEqual(known("DORA", "Art. 19"), "19")
        XCTAssertEqual(known("DORA", "Art. 30(2), 30(3)"), "30(2)")
        XCTAssertEqual(known("DORA", "Art. 28(4)(a)"), "28(4)")
        XCTAssertEqual(known("DORA", "Art. 7(a)"), "7")
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
        guard case .unknown(_, let near) = ReferenceResolver.resolve(source: "DORA", ref: "Art. 31") else {
            return XCTFail("DORA Art. 31 is not catalogued")
        }
        XCTAssertEqual(near?.id, "30")
        guard case .unknown(let paragraphReason, let paragraph) = ReferenceResolver.resolve(source: "DORA", ref: "Art. 5(7)") else {
            return XCTFail("DORA Art. 5 has four paragraphs")
        }
        XCTAssertEqual(paragraphReason, "DORA Art. 5 has paragraphs 1 to 4, not 7")
        XCTAssertEqual(paragraph?.id, "5(4)")
        guard case .unknown(let nis2Reason, _) = ReferenceResolver.resolve(source: "NIS2", ref: "Art. 20(3)") else {
            return XCTFail("NIS2 20(3)")
        }
        XCTAssertEqual(nis2Reason, "NIS2 Art. 20 has paragraphs 1 and 2, not 3")
        guard case .unknown = ReferenceResolver.resolve(source: "DORA", ref: "Recital 4") else { return XCTFail("no article") }
        guard case .unknown(_, let clause) = ReferenceResolver.resolve(source: "ISO27001", ref: "Clause 9.4") else { return XCTFail("9.4") }
        XCTAssertNotNil(clause)
    }
}
