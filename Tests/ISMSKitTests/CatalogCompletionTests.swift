import XCTest

@testable import ISMSKit

/// Issue 13: GDPR lacked Art. 6, 12–22, 37–39 and 44–49, NIS2 Art. 20, DORA Art. 20–27.
final class CatalogCompletionTests: XCTestCase {
    func testTheArticlesAnAuditorCitesAreCatalogued() {
        let expected: [(String, [String])] = [
            ("GDPR", ["6", "12", "15", "17", "20", "22", "37", "39", "44", "46", "49"]),
            ("NIS2", ["20", "22", "23"]),
            ("DORA", ["20", "23", "24", "26", "27", "30"]),
        ]
        for (source, articles) in expected {
            for article in articles {
                guard case .known = ReferenceResolver.resolve(source: source, ref: "Art. \(article)") else {
                    XCTFail("\(source) Art. \(article) is not catalogued")
                    continue
                }
            }
        }
        guard case .unknown = ReferenceResolver.resolve(source: "GDPR", ref: "Art. 100") else { return XCTFail("GDPR has 99 articles") }
    }

    /// The paragraphs of NIS2 Art. 20–23 as Directive (EU) 2022/2555 numbers them (checked against the published text:
    /// Art. 20 and 22 have two paragraphs, Art. 21 five with 21(2) in points (a) to (j), Art. 23 eleven; Implementing
    /// Regulation (EU) 2024/2690 cites Art. 23(11)). Art. 24 is not catalogued.
    func testNIS2ArticlesHaveTheDirectivesParagraphs() {
        let ids = Frameworks.nis2.entries.map(\.id)
        func paragraphs(_ article: String) -> [String] { ids.filter { $0.hasPrefix("\(article)(") } }
        XCTAssertEqual(paragraphs("20"), ["20(1)", "20(2)"])
        XCTAssertEqual(paragraphs("21"), ["21(1)"] + "abcdefghij".map { "21(2)(\($0))" } + ["21(3)", "21(4)", "21(5)"])
        XCTAssertEqual(paragraphs("22"), ["22(1)", "22(2)"])
        XCTAssertEqual(paragraphs("23"), (1...11).map { "23(\($0))" })
        XCTAssertEqual(ids.count, 29)
        guard case .known = ReferenceResolver.resolve(source: "NIS2", ref: "Art. 23(11)") else { return XCTFail("23(11)") }
        guard case .unknown = ReferenceResolver.resolve(source: "NIS2", ref: "Art. 23(12)") else { return XCTFail("no 23(12)") }
        guard case .unknown = ReferenceResolver.resolve(source: "NIS2", ref: "Art. 22(3)") else { return XCTFail("no 22(3)") }
    }
}

/// Issue 13: Annex A ids were sorted as text (A.5.1, A.5.10, … A.5.2); findings follow catalogue order.
final class CatalogueOrderTests: XCTestCase {
    func testSOAGapFindingsAreInCatalogueOrder() throws {
        let gaps = try findings(of: RuleExample([("isms.yaml", "name: x\nsoa_exclusions: {}\n")])).filter { $0.rule == "soa-gap" }
        let ids = gaps.compactMap { $0.message.split(separator: " ").dropFirst(2).first.map(String.init) }
        XCTAssertEqual(ids, AnnexA.controls.map(\.id))
    }

    /// Corrective actions were listed as text (CA-1, CA-10, CA-2) and audits of one day by id as text (AUD-10 before AUD-2).
    func testActionsAndAuditsOfOneDayAreInNumberOrder() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", "name: x\n")
        let actions = ["CA-10", "CA-2", "CA-1"].map { "  \($0): {action: Fix, owner: a, due: 2027-01-01}\n" }.joined()
        folder.write(
            "nonconformities/nc-1.yaml",
            "id: NC-1\ntitle: N\nowner: a\ntype: minor\nraised_on: 2026-10-01\nsource: {type: audit}\nactions:\n\(actions)")
        for id in ["AUD-10", "AUD-2"] {
            folder.write("audits/\(id.lowercased()).yaml", "id: \(id)\ntitle: A\nowner: a\ntype: internal\nplanned_on: 2026-10-01\n")
        }
        let isms = try Loader.load(from: WorkTreeSource(root: folder.path)).isms
        let asOf = Day("2026-12-01")!
        XCTAssertEqual(
            NonconformitiesReport.build(isms, asOf: asOf).tables[1].rows.map { $0[1].value },
            [.text("CA-1"), .text("CA-2"), .text("CA-10")])
        XCTAssertEqual(AuditsReport.build(isms, asOf: asOf).tables[0].rows.map { $0[0].value }, [.text("AUD-2"), .text("AUD-10")])
    }
}
