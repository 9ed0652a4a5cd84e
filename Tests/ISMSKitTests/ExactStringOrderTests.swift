import ISMSCore
import XCTest

/// `ExactString` orders by bytes (git's order of names), whatever compares them.
final class ExactStringOrderTests: XCTestCase {
    func testOrderIsTheBytesOrder() {
        let parts = ["", "a", "b", "risks/", "risks/a", "é", "e\u{301}", "\u{7f}", "\u{80}", "z/", "Z", "0"]
        var generator = SystemRandomNumberGenerator()
        var strings = parts
        for _ in 0..<300 {
            strings.append((0..<Int.random(in: 0...4, using: &generator)).map { _ in parts.randomElement(using: &generator)! }.joined())
        }
        for a in strings {
            for b in strings.prefix(60) {
                let expected = a.utf8.lexicographicallyPrecedes(b.utf8)
                XCTAssertEqual(ExactString(a) < ExactString(b), expected, "\(Array(a.utf8)) < \(Array(b.utf8))")
            }
        }
    }
}
