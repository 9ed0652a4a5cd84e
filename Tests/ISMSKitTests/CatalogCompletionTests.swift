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
}

/// Issue 13: Annex A ids were sorted as text (A.5.1, A.5.10, … A.5.2); findings follow catalogue order.
final class CatalogueOrderTests: XCTestCase {
    func testSOAGapFindingsAreInCatalogueOrder() throws {
        let gaps = try findings(of: RuleExample([("isms.yaml", "name: x\nsoa_exclusions: {}\n")])).filter { $0.rule == "soa-gap" }
        let ids = gaps.compactMap { $0.message.split(separator: " ").dropFirst(2).first.map(String.init) }
        XCTAssertEqual(ids, AnnexA.controls.map(\.id))
    }
}
