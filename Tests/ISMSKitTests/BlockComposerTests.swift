import Foundation
import XCTest

@testable import ISMSKit

/// `BlockComposer`, the reader's path without libyaml, must give exactly the tree libyaml's events give
/// (`DirectComposer`), byte for byte, wherever it gives one: a difference would make the history read a record
/// version otherwise than `check` reads it. Where it gives up, libyaml decides.
final class BlockComposerTests: XCTestCase {
    private static let top = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The tree as bytes: every text by its UTF-8 bytes (String equality is canonical, this is not), every location.
    private func render(_ node: YAMLNode, into out: inout [UInt8]) {
        func text(_ string: String) { out += Array("\(string.utf8.count):".utf8) + Array(string.utf8) }
        out += Array("@\(node.location.line):\(node.location.column)".utf8)
        switch node.value {
        case .scalar(let scalar):
            out += Array((scalar.isPlain ? "p" : "q").utf8)
            text(scalar.text)
        case .sequence(let items):
            out += Array("[\(items.count)".utf8)
            for item in items { render(item, into: &out) }
        case .mapping(let pairs):
            out += Array("{\(pairs.count)".utf8)
            for pair in pairs {
                text(pair.key)
                out += Array("@\(pair.keyLocation.line):\(pair.keyLocation.column)".utf8)
                render(pair.value, into: &out)
            }
        }
    }

    private func rendered(_ node: YAMLNode?) -> [UInt8]? {
        guard let node else { return nil }
        var out = [UInt8]()
        render(node, into: &out)
        return out
    }

    /// Runs both composers over `texts`; fails on any tree the block path gives that libyaml does not give alike.
    /// Returns how many texts the block path composed.
    @discardableResult
    private func assertSameTrees(_ texts: [String], file: StaticString = #filePath, line: UInt = #line) -> Int {
        var composed = 0
        for text in texts {
            for depth in [32, 3, 2] {
                guard let block = BlockComposer.compose(text, maxDepth: depth) else { continue }
                composed += 1
                let events = DirectComposer.compose(text, maxDepth: depth)
                XCTAssertNotNil(
                    events, "libyaml refuses what the block path took: \(text.debugDescription) at depth \(depth)",
                    file: file, line: line)
                XCTAssertEqual(rendered(block), rendered(events), "for \(text.debugDescription) at depth \(depth)", file: file, line: line)
            }
        }
        return composed
    }

    /// Every text file under Tests/ (fixtures, and each multi-line string literal of the Swift tests, most of them
    /// YAML), every file of example-isms and the templates (a Markdown file's front matter too), and the clean
    /// clone of example-isms the benchmarks use when it is there.
    private func corpus() throws -> [String] {
        var texts = [String]()
        func add(folder: String) {
            let enumerator = FileManager.default.enumerator(atPath: folder)
            while let path = enumerator?.nextObject() as? String {
                let full = folder + "/" + path
                guard let data = FileManager.default.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
                    continue
                }
                texts.append(text)
                if path.hasSuffix(".md"), case .success(let file) = MarkdownFile.split(data, maxBytes: 1 << 24),
                    let front = String(data: file.frontMatter, encoding: .utf8)
                {
                    texts.append(front)
                }
                if path.hasSuffix(".swift") { texts += literals(in: text) }
            }
        }
        for folder in ["Tests", "example-isms", "templates"] { add(folder: Self.top + "/" + folder) }
        if FileManager.default.fileExists(atPath: "/tmp/example-85b5656/example-isms") { add(folder: "/tmp/example-85b5656/example-isms") }
        return texts
    }

    /// The multi-line string literals of a Swift file, as the compiler reads them (indentation of the closing
    /// delimiter removed; escapes are left as written, which only makes them more varied).
    private func literals(in source: String) -> [String] {
        var found = [String]()
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var body: [Substring]?
        for line in lines {
            let trimmed = line.drop { $0 == " " }
            if body == nil {
                if trimmed.hasSuffix("\"\"\"") && trimmed.filter({ $0 == "\"" }).count == 3 { body = [] }
            } else if trimmed.hasPrefix("\"\"\"") {
                let indent = line.count - trimmed.count
                found.append(body!.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n") + "\n")
                body = nil
            } else {
                body!.append(line)
            }
        }
        return found
    }

    func testBlockPathGivesLibyamlsTreeOnEveryFileAndLiteral() throws {
        let texts = try corpus()
        XCTAssertGreaterThan(texts.count, 400)
        let composed = assertSameTrees(texts)
        // The block path must really be taken, or this proves nothing.
        XCTAssertGreaterThan(composed, 200)
    }

    /// Hand-written edges of the subset: each either composed alike or left to libyaml.
    func testBlockPathEdges() {
        let cases = [
            "a: 1\n", "a: 1", "---\na: 1\n", "--- \na: 1\n", "---\n", "a:\n", "a:", "a:   \nb: 2\n", "a:\nb:\n",
            "a:\n  b:\n  c: 1\n", "a:\n  b:\nc:\n", "a:\n  b:\n    c:\n", "a: 1\n  b: 2\n", "a: 1\n   \n  b\n",
            "a: 1\n\n\nb: 2\n\n", "a: x y  z  \n", "a: x:y\n", "a: x: y\n", "a: x:\n", "a: x :\n", "a: http://x.y/z?q=1\n",
            "a: - x\n", "a: -x\n", "a: -1\n", "a: ?x\n", "a: :x\n", "a: [x]\n", "a: [x, y,z ,  w  ]\n", "a: []\n", "a: [ ]\n",
            "a: [x,]\n", "a: [,x]\n", "a: [x, , y]\n", "a: [x\n", "a: [x] y\n", "a: [x]  \n", "a: [x:y]\n", "a: [x: y]\n",
            "a: [x?]\n", "a: [[x]]\n", "a: [{x}]\n", "a: [x y  z]\n", "a: [-x]\n", "a: [x-, 'y']\n", "a: [x\"y]\n",
            "a: {x: 1}\n", "a: 'q'\n", "a: \"q\"\n", "a: x'y\"z\n", "a: x, y\n", "a: x [y] {z}\n", "a: ]x\n",
            "a: |\n  x\n", "a: >-\n  x\n", "a: &x 1\n", "a: *x\n", "a: !t 1\n", "a: x!y&z*w\n", "a: %x\n", "a: @x\n",
            "a: `x\n", "a: ~\n", "a: null\n", "a: x # c\n", "# c\na: 1\n", "a: x\n# c\n", "a:\n- x\n- y\nb: 1\n",
            "a:\n  - x\n  - y\nb: 1\n", "a:\n  - x\n - y\n", "a:\n  - x\n    - y\n", "a:\n  - x\n  b: 1\n", "a:\n- x\n  y\n",
            "a:\n  - x\n    y\n", "a:\n-\n", "a:\n- \n", "a:\n-   x  \n", "a:\n- - x\n", "a:\n- b: c\n", "a:\n- [x]\n",
            "a:\n- x\n-y\n", "a:\n  b: 1\n c: 2\n", "a:\n    b: 1\n  c: 2\n", " a: 1\n", "a: 1\nb: 1\na: 2\n",
            "a: 1\n...\n", "a: 1\n---\nb: 2\n", "a: 1\n--- \n", "a: 1\n- x\n", "- x\n", "x\n", "", "\n", "   \n",
            "a\tb: 1\n", "a: 1\r\n", "a: x\u{85}y\n", "a: x\u{2028}y\n", "a: \u{FEFF}x\n", "a: x\u{FEFF}\n", "a: \u{7F}\n",
            "a: caf\u{E9} \u{1D11E}\n", "a: [caf\u{E9}, \u{1D11E}x, y]\n", "k\u{E9}y: 1\n", "a: x\u{A0}y\n", "a: \u{A0}\n",
            "a_b-c.d: 1\n", "_a: 1\n", "1: a\n2: b\n", "-a: 1\n", ".a: 1\n", "a : 1\n", "a:b\n", "a:  \n  - x\n",
            "a: 1\nb:\n  c:\n    d: [x]\n    e:\n    - y\n  f: z\n", String(repeating: "k", count: 129) + ": 1\n",
            String(repeating: "k", count: 128) + ": 1\n", "a:\n" + String(repeating: " ", count: 40) + "b: 1\n",
            "a: 1\n b: 2\n", "a:\n  b: 1\n   c: 2\n", "a: \"x\n", "a: 'x\n", "a: x\n  # c\n",
        ]
        assertSameTrees(cases)
        XCTAssertGreaterThan(cases.filter { BlockComposer.compose($0, maxDepth: 32) != nil }.count, 40)
    }

    /// Seeded random records in and around the subset (keys, nesting, lists in both styles, odd spacing, indicators,
    /// non-ASCII), and mutants of the example's records, through both paths.
    func testBlockPathOnGeneratedAndMutatedRecords() throws {
        var generator = SeededGenerator(seed: 16_707)
        let words = [
            "x", "CTRL-1", "2026-03-02", "a b", "ünï", "𝄞", "x:y", "x: y", "[x]", "-x", "- x", "a,b", "~", "", "  ", "'q'",
            "\"q\"", "x ]", "?", "x #y", "&a", "*a", "!t", "|", ">", "%", "@", "`", "{x}", "\t", "x\r", "...",
        ]
        let keys = ["id", "title", "a", "b.c", "d-e", "_f", "1", "x y", "-", "?", "k:", "\"q\"", "ké"]
        func random<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
        func spaces(_ max: Int) -> String { String(repeating: " ", count: Int.random(in: 0...max, using: &generator)) }
        func mapping(indent: Int, depth: Int) -> String {
            var out = ""
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                let pad = String(repeating: " ", count: indent + (Int.random(in: 0..<20, using: &generator) == 0 ? 1 : 0))
                out += pad + random(keys) + ":"
                switch Int.random(in: 0..<6, using: &generator) {
                case 0 where depth < 4:
                    out += spaces(1) + "\n" + mapping(indent: indent + Int.random(in: 1...3, using: &generator), depth: depth + 1)
                case 1:
                    let at = indent + Int.random(in: 0...2, using: &generator)
                    out += "\n"
                    for _ in 0..<Int.random(in: 1...3, using: &generator) {
                        out += String(repeating: " ", count: at) + "-" + spaces(2) + random(words) + spaces(1) + "\n"
                    }
                case 2:
                    let items = (0..<Int.random(in: 0...3, using: &generator)).map { _ in spaces(1) + random(words) + spaces(1) }
                    out += " [" + items.joined(separator: ",") + "]" + spaces(1) + "\n"
                case 3:
                    out += "\n"
                default:
                    out += " " + spaces(1) + random(words) + spaces(1) + "\n"
                }
                if Int.random(in: 0..<15, using: &generator) == 0 { out += spaces(3) + "\n" }
            }
            return out
        }
        var texts = (0..<3000).map { _ in (Int.random(in: 0..<5, using: &generator) == 0 ? "---\n" : "") + mapping(indent: 0, depth: 0) }
        // Mutants of the example's records: characters dropped, doubled or replaced.
        let records = try corpus().filter { BlockComposer.compose($0, maxDepth: 32) != nil }
        XCTAssertFalse(records.isEmpty)
        let noise = Array(" \n-:[],#'\"&*!|>?{}%@`\t\rxé")
        for _ in 0..<3000 {
            var characters = Array(random(records))
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !characters.isEmpty {
                let at = Int.random(in: 0..<characters.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: characters.remove(at: at)
                case 1: characters.insert(characters[at], at: at)
                default: characters[at] = random(noise)
                }
            }
            texts.append(String(characters))
        }
        let composed = assertSameTrees(texts)
        XCTAssertGreaterThan(composed, 3000)
    }
}

extension BlockComposerTests {
    /// A list of 120,000 items on one line and a mapping of 40,000 keys are composed in linear time (placing each
    /// item by counting from the line's start, or searching every earlier key, took minutes), and alike.
    func testLongListsAndMappingsAreComposedInLinearTime() {
        let list = "controls: [" + (0..<120_000).map { "CTRL-\($0)" }.joined(separator: ", ") + "]\n"
        let keys = (0..<40_000).map { "k\($0): v\($0)\n" }.joined() + "last:\n"
        for text in [list, keys] {
            let started = Date()
            let block = BlockComposer.compose(text, maxDepth: 32)
            XCTAssertLessThan(Date().timeIntervalSince(started), 10)
            XCTAssertNotNil(block)
            XCTAssertEqual(rendered(block), rendered(DirectComposer.compose(text, maxDepth: 32)))
        }
        // A key repeated past the linear search is still found, and left to libyaml.
        XCTAssertNil(BlockComposer.compose(keys + "k30000: again\n", maxDepth: 32))
    }

    /// The reader's nesting estimate skips its byte-by-byte scan when a bound (every open bracket plus the longest
    /// indentation) stays within the limit; it must find what the scan finds, where the scan finds it.
    func testNestingBoundFindsWhatTheScanFinds() {
        var generator = SeededGenerator(seed: 4)
        let pieces = [" ", "  ", "-", "- ", "[", "{", "]", "}", "\n", "a", "é", ": "]
        var exceeded = 0
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...60, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            for limit in [0, 1, 2, 4, 8] {
                let found = YAMLReader.nestingEstimateExceeds(text, limit: limit)
                XCTAssertEqual(
                    found, YAMLReader.nestingEstimateExceedsByteByByte(text, limit: limit), "\(text.debugDescription) at \(limit)")
                if found != nil { exceeded += 1 }
            }
        }
        XCTAssertGreaterThan(exceeded, 10_000)
        XCTAssertLessThan(exceeded, 90_000)
    }
}
