@testable import ISMSKit
import XCTest

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
