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

    /// Deep and ragged nesting (up to 40 levels, indentation steps of 1 to 8, lists at and past their key's column,
    /// blank lines of spaces) against the smallest and largest depth limits isms.yaml may set: the block path must
    /// stop where libyaml's composer stops.
    func testDeepNestingAgreesWithLibyamlAtEveryDepthLimit() {
        var seed: UInt64 = 88
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let words = ["x", "1", "a b", "é", "𝄞", "x:y", "a,b", "~", "0x1", "...", "x?y", "a  b", "\u{A0}x", "<<", "-", "x:", "[x]"]
        func mapping(indent: Int, depth: Int) -> String {
            var out = ""
            for index in 0..<(1 + next(3)) {
                out += String(repeating: " ", count: indent) + "k\(depth)_\(index):"
                switch next(10) {
                case 0..<5 where depth < 40:
                    out += "\n" + (next(8) == 0 ? String(repeating: " ", count: next(60)) + "\n" : "")
                    out += mapping(indent: indent + [1, 1, 2, 2, 3, 4, 8][next(7)], depth: depth + 1)
                case 5, 6:
                    let at = indent + [0, 0, 1, 2][next(4)]
                    out += "\n"
                    for _ in 0..<(1 + next(3)) { out += String(repeating: " ", count: at) + "- " + words[next(words.count)] + "\n" }
                case 7: out += " [" + (0..<next(3)).map { _ in words[next(words.count)] }.joined(separator: ", ") + "]\n"
                case 8: out += "\n"
                default: out += " " + words[next(words.count)] + "\n"
                }
            }
            return out
        }
        var composed = 0
        for _ in 0..<1_500 {
            let text = mapping(indent: 0, depth: 1)
            for limit in [Limits.depthRange.upperBound, Limits.defaultDepth, 12, Limits.depthRange.lowerBound] {
                guard let block = BlockComposer.compose(text, maxDepth: limit) else { continue }
                composed += 1
                XCTAssertEqual(render(block), render(DirectComposer.compose(text, maxDepth: limit)), "\(text.debugDescription) at \(limit)")
            }
        }
        XCTAssertGreaterThan(composed, 1_000)
    }
}
