import Foundation
import XCTest
import Yams

@testable import ISMSKit

/// The loader's fast paths (docs/performance.md) must give exactly what the plain ways give.
final class LoadingFastPathTests: XCTestCase {
    /// A Yams tree without its tags (the fast path resolves them differently, and nothing reads them).
    private func shape(_ node: Node?) -> String {
        guard let node else { return "nil" }
        let at = node.mark.map { "@\($0.line):\($0.column)" } ?? "@?"
        switch node {
        case .scalar(let s): return "s(\(s.string)|\(s.style))\(at)"
        case .sequence(let q): return "q[" + q.map { shape($0) }.joined(separator: ",") + "]\(at)"
        case .mapping(let m): return "m{" + m.map { shape($0.key) + ":" + shape($0.value) }.joined(separator: ",") + "}\(at)"
        case .alias: return "alias\(at)"
        }
    }

    private func outcome(_ body: () throws -> Node?) -> String {
        do { return shape(try body()) } catch { return "error: \(error)" }
    }

    func testComposeMatchesYamsWithTheDefaultResolver() {
        let cases = [
            "a: 1\nb: [x, 'y', \"z\"]\nc:\n  d: |\n    text\n",
            "a: 1\na: 2\n",
            "1: a\n\"1\": b\n",  // not duplicates for the default resolver
            "'a': 1\na: 2\n",  // duplicates for both
            "true: a\n'true': b\n",
            "~: a\nnull: b\n'': c\n",
            "!!int 1: a\n1: b\n",  // an explicit tag
            "!!str a: 1\na: 2\n",
            "x:\n  1: a\n  '1': b\nx2: 1\nx2: 2\n",  // nested: only the outer pair is a duplicate by default
            "x:\n  a: 1\n  a: 2\ny: [\n",  // duplicate, then a syntax error
            "a: [1, 2\n",
            "a: 1\n---\nb: 2\n",
            "",
            "# only a comment\n",
            "a: &x 1\nb: *x\n",
            "? [a, b]\n: 1\n? [a, b]\n: 2\n",
            "? {a: 1}\n: 1\n? {a: 1}\n: 2\n",
            "0x1: a\n1: b\n",
            "Title: café – ünïcödé\nnote: \"tab\\there\"\n",
        ]
        for text in cases {
            let fast = outcome { try YAMLReader.compose(text).1 }
            let plain = outcome { try Parser(yaml: text).singleRoot() }
            XCTAssertEqual(fast, plain, "for \(text.debugDescription)")
        }
    }

    /// The package's folder.
    private let packageTop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The files of example-isms and the templates that `keep` takes (given "folder/path"), as "folder/path", sorted.
    private func packageFiles(_ keep: (String) -> Bool) -> [String] {
        var files = [String]()
        for folder in ["example-isms", "templates"] {
            let enumerator = FileManager.default.enumerator(atPath: packageTop + "/" + folder)
            while let path = enumerator?.nextObject() as? String {
                if keep(path) { files.append(folder + "/" + path) }
            }
        }
        return files.sorted()
    }

    /// Every YAML file of the package: example-isms, the templates.
    private func packageYAMLFiles() -> [String] {
        packageFiles { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { packageTop + "/" + $0 }
    }

    func testDirectComposerGivesWhatYamsGives() throws {
        var cases = [
            "a: 1\nb: [x, 'y', \"z\"]\nc:\n  d: |\n    text\n  e: >-\n    folded\n    lines\n",
            "a: 1\na: 2\n", "'a': 1\na: 2\n", "1: a\n\"1\": b\n", "~: a\nnull: b\n'': c\n",
            "!!int 1: a\n1: b\n", "!!str a: 1\na: 2\n", "a: !custom x\n", "a: !!str 1\n", "! a: b\n",
            "a: &x 1\n", "a: &x 1\nb: *x\n", "a: *x\n", "? [a, b]\n: 1\n", "? {a: 1}\n: 1\n",
            "a: [1, 2\n", "a: 1\n---\nb: 2\n", "---\na: 1\n...\n", "%YAML 1.1\n---\na: 1\n", "", "# only a comment\n",
            "plain\n", "- a\n- b: c\n  d: [e, {f: g}]\n", "a:\n- 1\n- 2\nb: {}\nc: []\nd:\ne: ~\n",
            "a: \"nul \\0 inside\"\nb: 'it''s'\n", "Title: café – ünïcödé 𝄞\nnote: \"tab\\there\"\n",
            "a: 1\r\nb:\r\n  - x\r\n", "a:\n\tb: 1\n", "a: b: c\n", "a: 'unterminated\n", "- a\nb: c\n",
            "a: multi\n  line plain\n  scalar\n", "key with spaces: 1\n\"quoted key\": 2\n", "a: |+\n  keep\n\n",
            "{a: 1, b: [2, 3], c: {d: e}}\n", "[1, [2, [3, [4, [5]]]]]\n", "a: 0755\nb: 1:30\nc: no\nd: on\n",
        ]
        // A mapping longer than the linear key search, with and without a late duplicate.
        let long = (1...40).map { "k\($0): \($0)\n" }.joined()
        cases += [long, long + "k31: again\n"]
        let files = packageYAMLFiles()
        XCTAssertGreaterThan(files.count, 200)
        let texts = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }
        // Mutants of the example records: characters dropped, doubled or replaced, seeded.
        var generator = SeededGenerator(seed: 27002)
        let noise = Array(":-[]{}'\"#&*!|>? \n\t,%@`")
        var mutants = [String]()
        for _ in 0..<600 {
            var characters = Array(texts.randomElement(using: &generator)!)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !characters.isEmpty {
                let at = Int.random(in: 0..<characters.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: characters.remove(at: at)
                case 1: characters.insert(characters[at], at: at)
                default: characters[at] = noise.randomElement(using: &generator)!
                }
            }
            mutants.append(String(characters))
        }
        var direct = 0
        for depth in [32, 3] {
            var plain = YAMLReader(maxDepth: depth)
            plain.composesDirectly = false
            let reader = YAMLReader(maxDepth: depth)
            for text in cases + texts + mutants {
                let data = Data(text.utf8)
                XCTAssertEqual(reader.read(data), plain.read(data), "for \(text.debugDescription) at depth \(depth)")
                if DirectComposer.compose(text, maxDepth: depth) != nil { direct += 1 }
            }
        }
        // The direct path must really be the one taken for well-formed records, or this proves nothing.
        // (The templates hold `{{placeholders}}`, flow mappings as keys: those are Yams' to compose.)
        for (file, text) in zip(files, texts) where file.contains("/example-isms/") {
            XCTAssertNotNil(DirectComposer.compose(text, maxDepth: 32), file)
        }
        XCTAssertGreaterThan(direct, texts.count + 400)
    }

    /// `RecordParser.values`, the history's parse, keeps exactly what `parse` gives of each record: its id and its
    /// fields' values. Every record file of example-isms and the templates, and seeded mutants of them, read as their
    /// folder's kind and as another kind in turn (so every schema meets unknown, missing and mistyped fields), under the
    /// default settings and example-isms' own (its risk method bounds the scores).
    func testHistoryValuesAreWhatParseGives() throws {
        let top = packageTop
        let files = packageFiles { $0.contains("/") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".md")) }
        XCTAssertGreaterThan(files.count, 100)
        let texts = try files.map { try Data(contentsOf: URL(fileURLWithPath: top + "/" + $0)) }
        var generator = SeededGenerator(seed: 16007)
        let noise = Array(":-[]{}'\"#&*!|>? \n\t,%@`0123456789")
        var mutants = [(String, Data)]()
        for _ in 0..<800 {
            let pick = Int.random(in: 0..<files.count, using: &generator)
            var bytes = Array(texts[pick])
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(bytes[at], at: at)
                default: bytes[at] = noise.randomElement(using: &generator)!.asciiValue!
                }
            }
            mutants.append((files[pick], Data(bytes)))
        }
        let exampleConfig = try ConfigReader.read(
            Data(contentsOf: URL(fileURLWithPath: top + "/example-isms/isms.yaml")), path: "isms.yaml", ruleIDs: nil
        ).0
        var compared = 0, records = 0, withMarkdownBody = 0
        for config in [Config(), exampleConfig] {
            let matchedIDs = MatchedIDs()
            for (index, (path, data)) in (zip(files, texts) + mutants).enumerated() {
                let own = RecordKind(folder: String(path.split(separator: "/")[1]))
                for kind in [own, RecordKind.allCases[index % RecordKind.allCases.count]].compactMap({ $0 }) {
                    let full = RecordParser.parse(data, kind: kind, path: path, config: config).record
                    let values = RecordParser.values(.success(data), kind: kind, path: path, config: config, matchedIDs: matchedIDs)
                    XCTAssertEqual(values?.id, full?.id, "\(path) as \(kind)")
                    XCTAssertEqual(values?.fields, full?.fields.mapValues(\.value), "\(path) as \(kind)")
                    compared += 1
                    if full != nil { records += 1 }
                    if values?.fields[RecordFileFormat.bodyField] != nil { withMarkdownBody += 1 }
                }
            }
        }
        // Most reads give a record, or the comparison proves little.
        XCTAssertGreaterThan(records, compared / 2)
        XCTAssertGreaterThan(withMarkdownBody, 20)
        // What cannot be read gives nothing either way.
        let tooLarge = Result<Data, YAMLProblem>.failure(Limits.configTooLarge(1))
        XCTAssertNil(RecordParser.values(tooLarge, kind: .risk, path: "risks/x.yaml", config: Config(), matchedIDs: MatchedIDs()))
    }

    func testDecodeTextMatchesTheCheckedDecoding() {
        let cases: [[UInt8]] = [
            Array("id: RISK-1\n".utf8),
            [0xEF, 0xBB, 0xBF] + Array("id: RISK-1\n".utf8),
            [0xEF, 0xBB, 0xBF],
            [],
            [0xFF, 0xFE, 0x61, 0x00],
            [0xFE, 0xFF, 0x00, 0x61],
            Array("a: b\n".utf8) + [0x00] + Array("c\n".utf8),
            Array("a: caf".utf8) + [0xC3] + Array("\n".utf8),
            Array("a: caf".utf8) + [0xE9, 0x0A],
            Array("a: ".utf8) + [0xED, 0xA0, 0x80],  // a surrogate
            Array("a: ".utf8) + [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
            Array("a: ".utf8) + [0xC0, 0xAF],  // overlong
            Array("a: café ✓ 𝄞\n".utf8),
        ]
        for bytes in cases {
            let fast = YAMLReader.decodeText(Data(bytes))
            // The definition: a file is text when decoding it and encoding it again gives the same bytes.
            var body = bytes[...]
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            let decoded = String(decoding: body, as: UTF8.self)
            switch fast {
            case .success(let text):
                XCTAssertTrue(Array(decoded.utf8) == Array(body) && !body.contains(0), "\(bytes)")
                XCTAssertEqual(text, decoded)
            case .failure(let problem):
                XCTAssertTrue(
                    Array(decoded.utf8) != Array(body) || body.contains(0) || body.starts(with: [0xFF, 0xFE])
                        || body.starts(with: [0xFE, 0xFF]),
                    "\(bytes): \(problem.message)")
            }
        }
        XCTAssertEqual(try? YAMLReader.decodeText(Data([0x61, 0x0A, 0x62, 0x00])).get(), nil)
        if case .failure(let problem) = YAMLReader.decodeText(Data([0x61, 0x0A, 0x62, 0x00])) {
            XCTAssertEqual(problem.location, SourceLocation(line: 2, column: 2))
            XCTAssertEqual(problem.kind, .encoding)
        }
        if case .failure(let problem) = YAMLReader.decodeText(Data(Array("ab\ncd".utf8) + [0xFF])) {
            XCTAssertEqual(problem.message, "file is not valid UTF-8")
            XCTAssertEqual(problem.location, SourceLocation(line: 2, column: 3))
        } else {
            XCTFail("invalid UTF-8 accepted")
        }
    }

    func testWorkTreeReadsWholeFilesWhateverTheListedSize() {
        let folder = TemporaryFolder()
        let content = String(repeating: "description: text\n", count: 500)
        folder.write("risks/a.yaml", content)
        folder.write("risks/empty.yaml", "")
        let source = WorkTreeSource(root: folder.path)
        let exact = SourceEntry(path: "risks/a.yaml", kind: .file, size: content.utf8.count)
        let grown = SourceEntry(path: "risks/a.yaml", kind: .file, size: 10)  // the file grew after listing
        let shrunk = SourceEntry(path: "risks/a.yaml", kind: .file, size: 100_000)  // or shrank
        let empty = SourceEntry(path: "risks/empty.yaml", kind: .file, size: 0)
        for entry in [exact, grown, shrunk] {
            XCTAssertEqual(try source.readOne(entry, limit: 1 << 20).get(), Data(content.utf8))
        }
        XCTAssertEqual(try source.readOne(empty, limit: 1 << 20).get(), Data())
        // Over the limit by size, and grown over it after listing.
        if case .success = source.readOne(exact, limit: 1_024) { XCTFail("over the limit") }
        XCTAssertGreaterThan(try source.readOne(grown, limit: 1_024).get().count, 1_024)
        XCTAssertEqual(source.artifact(at: "risks/a.yaml"), Data(content.utf8))
    }

    /// `closest` as it was first written: every candidate, full edit distance.
    private func referenceClosest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let d = editDistance(lowered, candidate.lowercased())
            if d < (best?.1 ?? .max) { best = (candidate, d) }
        }
        if let (candidate, distance) = best, distance <= max(1, min(3, candidate.count / 3)) { return candidate }
        let prefix = word.lowercased()
        return prefix.count >= 4 ? candidates.first { $0.lowercased().hasPrefix(prefix) } : nil
    }

    func testClosestMatchesTheFullSearch() {
        var generator = SeededGenerator(seed: 27001)
        let alphabet = Array("CTRL-RISK0123456789abcXYZéÉİß")
        func word(_ length: Int) -> String { String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }) }
        let ids = (1...150).map { "CTRL-\($0)" } + (1...50).map { "RISK-\($0)" } + ["Ctrl-7", "ÉTÉ", "straße", "İD", ""]
        var queries = ["CTRL-2598", "ctrl-25", "RISK-9999", "risk-1", "", "CTRL-", "ete", "STRASSE", "id", "X"]
        queries += (0..<100).map { _ in word(Int.random(in: 0...12, using: &generator)) }
        // Near misses: an id with one to four random edits.
        for _ in 0..<200 {
            var characters = Array(ids.randomElement(using: &generator)!)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0...characters.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: characters.insert(alphabet.randomElement(using: &generator)!, at: at)
                case 1 where at < characters.count: characters.remove(at: at)
                default: if at < characters.count { characters[at] = alphabet.randomElement(using: &generator)! }
                }
            }
            queries.append(String(characters))
        }
        for query in queries {
            XCTAssertEqual(closest(to: query, in: ids), referenceClosest(to: query, in: ids), "for \(query)")
            XCTAssertEqual(closest(to: query, in: ids.reversed()), referenceClosest(to: query, in: ids.reversed()), "for \(query)")
        }
        let fields = Schema.of(.risk).fields.map(\.name)
        for typo in ["treatmnet", "titel", "ownr", "Likelihood", "x", "residuals", "review", "asets"] {
            XCTAssertEqual(closest(to: typo, in: fields), referenceClosest(to: typo, in: fields), "for \(typo)")
        }
    }

    /// The banded, capped distance is the full one whenever that is within the limit, and `limit + 1` otherwise.
    func testBoundedEditDistanceIsTheFullOneCapped() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("ab-1éİ".unicodeScalars)
        func word() -> [Unicode.Scalar] {
            (0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
        }
        for _ in 0..<3_000 {
            let a = word(), b = word()
            let full = editDistance(String(String.UnicodeScalarView(a)), String(String.UnicodeScalarView(b)))
            for limit in 0...4 {
                XCTAssertEqual(boundedEditDistance(a, b, limit: limit), min(full, limit + 1), "\(a) \(b) limit \(limit)")
            }
        }
    }

    /// The bit-parallel distance of did-you-mean is the full edit distance, for words of 1 to 64 scalars (ASCII and not)
    /// against words of any length.
    func testBitParallelDistanceIsTheFullOne() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("ab-1éİ".unicodeScalars)
        func word(_ range: ClosedRange<Int>) -> [Unicode.Scalar] {
            (0..<Int.random(in: range, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
        }
        for round in 0..<3_000 {
            let a = word(1...(round % 10 == 0 ? 64 : 12)), b = word(0...(round % 10 == 0 ? 70 : 14))
            let full = editDistance(String(String.UnicodeScalarView(a)), String(String.UnicodeScalarView(b)))
            let other = b.map(\.value)
            let fast = BitParallelDistance(a.map(\.value)).distance(to: other, in: 0..<other.count)
            XCTAssertEqual(fast, full, "\(a) \(b)")
            // With a limit it stops early, but only past the limit: the distance when within it, else more.
            let distance = BitParallelDistance(a.map(\.value))
            for limit in 0...3 {
                let bounded = other.withUnsafeBufferPointer { buffer in
                    distance.withTable { distance.distance(to: buffer, in: 0..<other.count, table: $0, limit: limit) }
                }
                if full <= limit {
                    XCTAssertEqual(bounded, full, "\(a) \(b) within \(limit)")
                } else {
                    XCTAssertGreaterThan(bounded, limit, "\(a) \(b)")
                }
            }
        }
    }

    func testParallelMapKeepsOrder() {
        let items = Array(0..<10_000)
        XCTAssertEqual(parallelMap(items) { $0 * 2 }, items.map { $0 * 2 })
        XCTAssertEqual(parallelMap(items, threads: 1) { $0 * 2 }, items.map { $0 * 2 })
        XCTAssertEqual(parallelMap(items, threads: 7) { $0 * 2 }, items.map { $0 * 2 })
    }

    /// The queue hands its workers items in batches and wakes its caller only for the result it waits for: every result
    /// comes back for its own item, asked for from another thread than the one submitting, while results are
    /// released before they are made (dropped when they come) and whatever the batch size.
    func testParallelQueueBatchesKeepEachResultWithItsItem() {
        for batch in [1, 7, 16, 1000] {
            let queue = ParallelQueue<Int, Int>(threads: 3, batch: batch) { $0 &* 31 &+ 7 }
            let count = 5_000
            let asker = DispatchQueue(label: "asker")
            let group = DispatchGroup()
            let mismatches = Locked(0)
            for item in 0..<count {
                queue.submit(item)
                if item % 3 == 0 { queue.release(item) }
                // Results asked for while items are still coming, from another thread.
                if item % 500 == 499 {
                    let upTo = item
                    asker.async(group: group) {
                        for index in stride(from: upTo - 499, through: upTo, by: 1) where index % 3 != 0 {
                            if queue.result(index) != index &* 31 &+ 7 { mismatches.withLock { $0 += 1 } }
                        }
                    }
                }
            }
            group.wait()
            queue.drain()
            XCTAssertEqual(mismatches.withLock { $0 }, 0, "batch \(batch)")
            for index in 0..<count where index % 3 != 0 { XCTAssertEqual(queue.result(index), index &* 31 &+ 7) }
        }
    }

    /// Fed a long run of items whose results are released soon after they are made, the queue keeps slots only for
    /// those in flight, while a few results held all along (the second item's among them) and results released before
    /// they are made come back right: it fails when the front of the results is cut with a result not yet released,
    /// or when nothing is cut.
    func testParallelQueueHoldsOnlyTheResultsInFlight() {
        let queue = ParallelQueue<Int, Int>(threads: 2, batch: 16) { $0 &* 31 &+ 7 }
        let count = 60_000, lag = 100
        func keptLong(_ index: Int) -> Bool { index % 997 == 1 }
        var mismatches = 0
        for item in 0..<count {
            queue.submit(item)
            if item % 5 == 0 { queue.release(item) }  // before it is made, most of the time
            let old = item - lag
            if old >= 0 && old % 5 != 0 && !keptLong(old) {
                if queue.result(old) != old &* 31 &+ 7 { mismatches += 1 }
                queue.release(old)
            }
        }
        queue.drain()
        XCTAssertEqual(mismatches, 0)
        for index in 0..<count where keptLong(index) && index % 5 != 0 {
            XCTAssertEqual(queue.result(index), index &* 31 &+ 7, "\(index)")
        }
        for index in count - lag..<count where index % 5 != 0 { XCTAssertEqual(queue.result(index), index &* 31 &+ 7) }
        XCTAssertLessThan(queue.heldSlots, count / 2, "the taken items and released results are cut off")
    }
}
