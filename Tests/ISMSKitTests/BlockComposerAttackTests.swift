import Foundation
import XCTest

@testable import ISMSKit

/// Attacks on `BlockComposer`, the reader's path without libyaml: inputs a pull request may hold on which it
/// must give libyaml's tree (or give up), and must cost no more than libyaml does.
final class BlockComposerAttackTests: XCTestCase {
    private func render(_ node: YAMLNode?) -> String {
        guard let node else { return "nil" }
        var out = "@\(node.location.line):\(node.location.column)"
        switch node.value {
        case .scalar(let scalar): out += (scalar.isPlain ? "p" : "q") + Array(scalar.text.utf8).description
        case .sequence(let items): out += "[" + items.map(render).joined(separator: ",") + "]"
        case .mapping(let pairs):
            out +=
                "{"
                + pairs.map { Array($0.key.utf8).description + "@\($0.keyLocation.line):\($0.keyLocation.column)=" + render($0.value) }
                .joined(separator: ",") + "}"
        }
        return out
    }

    /// The reader's tree for `text`, and whether the block path gave exactly libyaml's.
    private func assertBlockPathMatchesLibyaml(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let block = BlockComposer.compose(text, maxDepth: Limits.defaultDepth)
        XCTAssertNotNil(block, "the block path should take this input", file: file, line: line)
        XCTAssertEqual(render(block), render(DirectComposer.compose(text, maxDepth: Limits.defaultDepth)), file: file, line: line)
    }

    /// A record of 50,000 keys (600 KB, within the default 1 MiB): each key was compared with every earlier one,
    /// 1.25 billion comparisons, over a minute a file where libyaml takes a tenth of a second.
    func testAMappingOfManyKeysCostsLinearTime() {
        let text = "id: X\n" + (0..<50_000).map { "k\($0): x\n" }.joined()
        let started = Date()
        guard case .success(let root) = YAMLReader().read(Data(text.utf8)) else { return XCTFail("the record should read") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the keys of one mapping must be checked for repeats in linear time")
        XCTAssertEqual(root.pairs?.count, 50_001)
        assertBlockPathMatchesLibyaml(text)
        // A repeat far down is still left to libyaml, which reports it.
        guard case .failure(let problem) = YAMLReader().read(Data((text + "k7: y\n").utf8)) else { return XCTFail("a repeated key") }
        XCTAssertEqual(problem.kind, .duplicateKey)
    }

    /// A one-line list of 100,000 items (300 KB): each item's column was counted from the start of the line, 5
    /// billion steps, over a minute where libyaml takes a tenth of a second.
    func testAOneLineListOfManyItemsCostsLinearTime() {
        let text = "id: X\nitems: [" + Array(repeating: "é", count: 100_000).joined(separator: ", ") + "]\n"
        let started = Date()
        guard case .success(let root) = YAMLReader().read(Data(text.utf8)) else { return XCTFail("the record should read") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the columns of a line's items must be counted in linear time")
        XCTAssertEqual(root.pairs?.last?.value.items?.last?.location, SourceLocation(line: 2, column: 9 + 3 * 99_999))
        assertBlockPathMatchesLibyaml(text)
    }
}
