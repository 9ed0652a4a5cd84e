import Foundation
@_spi(Fuzzing) import ISMSOutput
import XCTest

@testable import ISMSKit

/// The history cache decoder against files that pass the checksum yet are malformed: every prefix, every
/// byte set to telling values, and the inputs the fuzzer (`scripts/fuzz.sh … cache`) kept. None may trap;
/// a malformed file is refused by `decode`, so a run rebuilds it with a warning and the same result.
final class HistoryCacheDecoderTests: XCTestCase {
    /// A real cache file, written by `isms log` for a small history with merges, moves, id changes and deletions.
    private static let sample: [UInt8] = {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.write("controls/c1.yaml", controlYAML("CTRL-1"))
        r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        _ = r.git("checkout", "-q", "-b", "side")
        r.write("risks/r1.yaml", riskYAML("RISK-1", treatment: "accept", controls: []))
        r.write("assets/a1.yaml", "id: ASSET-1\ntitle: Laptops\nowner: alice\ntags: [x, y]\n")
        r.commit("Accept", by: .bob, at: "2026-01-06T10:00:00+14:00")
        _ = r.git("checkout", "-q", "main")
        r.remove("controls/c1.yaml")
        r.write("controls/moved/c1.yaml", controlYAML("CTRL-9"))
        r.commit("Move and renumber", by: .carol, at: "2026-01-07T10:00:00-12:00")
        _ = r.git("merge", "-q", "--no-ff", "-m", "Merge side", "side")
        r.remove("assets/a1.yaml")
        r.commit("Drop the asset", at: "2026-01-08T10:00:00+01:00")
        XCTAssertEqual(r.isms(["log"]).status, 0)
        let folder = r.path + "/.git/isms"
        let file = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.first { $0.hasSuffix(".bin") } ?? "missing"
        return [UInt8](FileManager.default.contents(atPath: folder + "/" + file) ?? Data())
    }()

    func testTheSampleDecodesAndReencodes() {
        XCTAssertGreaterThan(Self.sample.count, 200)
        XCTAssertTrue(HistoryCacheFuzzing.exercise(Data(Self.sample)))
    }

    /// Every prefix, with its checksum made valid: decoded or refused, never a trap, never a hang.
    func testEveryTruncationIsRefusedOrUsedWithoutATrap() {
        for length in 0..<Self.sample.count {
            HistoryCacheFuzzing.exercise(Data(HistoryCacheFuzzing.withValidChecksum(Array(Self.sample.prefix(length)))))
        }
    }

    /// Every byte set to 0x00, 0x01, 0x7F, 0x80 and 0xFF in turn (counts, varint continuations, tags, indices,
    /// attributions, dates, offsets all pass through these), with the checksum made valid.
    func testEveryByteSetToTellingValuesIsRefusedOrUsedWithoutATrap() {
        var decoded = 0, refused = 0
        for position in 0..<(Self.sample.count - 8) {
            for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] where Self.sample[position] != value {
                var bytes = Self.sample
                bytes[position] = value
                if HistoryCacheFuzzing.exercise(Data(HistoryCacheFuzzing.withValidChecksum(bytes))) { decoded += 1 } else { refused += 1 }
            }
        }
        XCTAssertGreaterThan(refused, 0)
        XCTAssertGreaterThan(decoded, 0, "some changes (a name, a time) leave a well-formed file")
    }

    /// Runs of 0xFF (a varint that never ends, or ends in an enormous count or an Int64.min attribution) and
    /// of 0x80 inserted at every position.
    func testInsertedRunsAreRefusedWithoutATrap() {
        for position in stride(from: 12, to: Self.sample.count - 8, by: 3) {
            for run in [[UInt8](repeating: 0xFF, count: 9) + [0x01], [UInt8](repeating: 0x80, count: 4) + [0x08]] {
                var bytes = Self.sample
                bytes.insert(contentsOf: run, at: position)
                HistoryCacheFuzzing.exercise(Data(HistoryCacheFuzzing.withValidChecksum(bytes)))
            }
        }
    }

    /// Inputs the fuzzer found (Tests/ISMSKitTests/Fixtures/fuzz/cache-*), replayed as it fed them.
    func testFuzzerFindingsStayFixed() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("cache-") }
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
            HistoryCacheFuzzing.exercise(Data(HistoryCacheFuzzing.withValidChecksum(bytes)))
        }
    }

    /// End to end: a malformed file with a valid checksum in place of the cache is rebuilt with one warning, and
    /// the output is the same as without a cache.
    func testMalformedCacheWithValidChecksumIsRebuiltWithAWarning() throws {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.commit("Add", at: "2026-01-05T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2))
        r.commit("Edit", by: .bob, at: "2026-01-06T10:00:00+01:00")
        let fresh = r.isms(["log", "--format", "json", "--no-cache"]).stdout
        XCTAssertEqual(r.isms(["log", "--format", "json"]).stdout, fresh)
        let path = try Workspace(explicitRoot: r.path + "/isms").historyEngine().cachePath(firstParent: false)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var refusedOnce = false
        // Try positions until one yields a file the checksum accepts and the decoder refuses.
        for position in stride(from: good.count - 9, to: 20, by: -1) {
            var bytes = good
            bytes[position] = 0xFF
            let tampered = HistoryCacheFuzzing.withValidChecksum(bytes)
            guard (try? HistoryCache.decode(Data(tampered))) == nil else { continue }
            try Data(tampered).write(to: URL(fileURLWithPath: path))
            let result = r.isms(["log", "--format", "json"])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, fresh)
            XCTAssertTrue(result.stderr.hasPrefix("isms: warning: the history cache \(path) is unreadable ("), result.stderr)
            XCTAssertTrue(result.stderr.hasSuffix("); rebuilding it\n"), result.stderr)
            XCTAssertEqual(r.isms(["log", "--format", "json"]).stderr, "", "rebuilt")
            refusedOnce = true
            break
        }
        XCTAssertTrue(refusedOnce)

        // Not a regular file: a folder, and a FIFO that would block a plain read.
        for make in [
            { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) },
            { XCTAssertEqual(mkfifo(path, 0o644), 0) },
        ] as [() throws -> Void] {
            try? FileManager.default.removeItem(atPath: path)
            try make()
            let result = ismsBounded(["log", "--format", "json", "--root", "isms"], in: r.path, timeout: 30)
            XCTAssertFalse(result.timedOut)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, fresh)
            XCTAssertTrue(result.stderr.contains("is unreadable (not a regular file); rebuilding it"), result.stderr)
        }
    }

    /// The codes in the file are pinned: renumbering one misreads every cache already written, so it fails here.
    /// A new kind or event takes a new code, and the format version follows.
    func testTheStoredCodesArePinnedAndTheVersionFollowsThem() {
        XCTAssertEqual(
            HistoryEvent.allCases.map { "\($0.rawValue)=\($0.storageCode)" },
            ["created=0", "modified=1", "moved=2", "id-changed=3", "deleted=4", "restored=5", "boundary=6"])
        let kinds = Dictionary(uniqueKeysWithValues: RecordKind.allCases.map { ($0.rawValue, $0.storageCode) })
        XCTAssertEqual(
            kinds,
            [
                "risk": 0, "control": 1, "obligation": 2, "evidence": 3, "exception": 4, "supplier": 5, "asset": 6,
                "audit": 7, "nonconformity": 8, "management-review": 9, "objective": 10, "incident": 11, "party": 12,
                "document": 13,
            ])
        XCTAssertEqual(HistoryCache.events.compactMap { $0 }.count, HistoryEvent.allCases.count)
        XCTAssertEqual(HistoryCache.kinds.compactMap { $0 }.count, RecordKind.allCases.count)
        // The kinds enter as their digest (RecordKindTests pins it), the events by name and code.
        XCTAssertTrue(
            HistoryCache.layoutFingerprint.contains("kinds \(RecordKind.layoutFingerprint);")
                && HistoryCache.layoutFingerprint.contains("boundary=6"), HistoryCache.layoutFingerprint)
        XCTAssertTrue(HistoryCache.fileName(root: "isms", firstParent: false).hasPrefix("history-v\(HistoryCache.formatVersion)-"))
    }

    /// The cache keeps only the fields a record's schema accepts, so a field added to a kind (as `event` was to
    /// controls and evidence) must change the file's version, or a cache from the older build would hide the field's
    /// history. The schema enters the version as its digest.
    func testTheCacheVersionFollowsTheSchema() {
        XCTAssertTrue(HistoryCache.layoutFingerprint.contains("fields \(Schema.fingerprint);"), HistoryCache.layoutFingerprint)
        let control = Schema.of(.control).fields.map(\.name)
        XCTAssertTrue(control.contains("event"), "\(control)")
    }
}

extension HistoryCacheDecoderTests {
    /// `validate` checks the commits without building them; it must refuse exactly the files that decoding every
    /// commit refuses, with the same message (the warning quotes it), and accept the rest.
    func testValidatingWithoutBuildingRefusesWhatDecodingRefuses() {
        func outcome(_ bytes: [UInt8], byDecoding: Bool) -> String {
            do {
                _ = try HistoryCache.decode(bytes, validatingByDecoding: byDecoding)
                return "decoded"
            } catch {
                return "\(error)"
            }
        }
        var refused = 0
        for position in 0..<(Self.sample.count - 8) {
            for value: UInt8 in [0x00, 0x01, 0x02, 0x05, 0x06, 0x07, 0x7F, 0x80, 0xFF] where Self.sample[position] != value {
                var bytes = Self.sample
                bytes[position] = value
                bytes = HistoryCacheFuzzing.withValidChecksum(bytes)
                let expected = outcome(bytes, byDecoding: true)
                XCTAssertEqual(outcome(bytes, byDecoding: false), expected, "byte \(position) set to \(value)")
                if expected != "decoded" { refused += 1 }
            }
        }
        XCTAssertGreaterThan(refused, 0)
    }
}

extension HistoryCacheDecoderTests {
    /// The index from commit id to commit is read from the file's id order section, not built: it must find every
    /// commit of the file at its place, find no other id, and a section out of order must be refused.
    func testTheStoredIdOrderFindsEveryCommitAndAnUnsortedOneIsRefused() throws {
        let (_, graph) = try HistoryCache.decode(Self.sample)
        XCTAssertGreaterThan(graph.count, 3)
        for (i, node) in graph.nodes.enumerated() { XCTAssertEqual(graph.index[node.id], Int32(i), "commit \(i)") }
        XCTAssertNil(graph.index[ObjectID(hex: String(repeating: "ab", count: 20))!])
        // The section is the last graph.count u32s before the mentions section: find it by its content.
        var order = [UInt8]()
        for index in graph.index.indicesInIDOrder() { withUnsafeBytes(of: UInt32(index).littleEndian) { order += $0 } }
        let start = try XCTUnwrap(
            (0...(Self.sample.count - order.count)).first { Array(Self.sample[$0..<($0 + order.count)]) == order })
        var swapped = Self.sample
        swapped.replaceSubrange(start..<(start + 8), with: Array(order[4..<8] + order[0..<4]))
        XCTAssertThrowsError(try HistoryCache.decode(HistoryCacheFuzzing.withValidChecksum(swapped))) { error in
            XCTAssertEqual("\(error)", "commit ids out of order")
        }
        var outOfRange = Self.sample
        outOfRange.replaceSubrange(start..<(start + 4), with: [0xFF, 0, 0, 0])
        XCTAssertThrowsError(try HistoryCache.decode(HistoryCacheFuzzing.withValidChecksum(outOfRange))) { error in
            XCTAssertEqual("\(error)", "bad commit index in the id order")
        }
    }

    /// The schema's fingerprint (in the cache's version) spells requirements and field groups without reflection;
    /// the spelling must stay what reflection gives, or the version would change with no change to the schema.
    func testTheSchemaFingerprintSpellsAsReflectionDoes() {
        var requirements: [Requirement] = [
            .optional, .required, .requiredWhen(field: "status", equals: "closed"), .onlyWhen(field: "a \"b\"", equals: "c\\d\n"),
        ]
        func collect(_ specs: [FieldSpec]) {
            for spec in specs {
                requirements.append(spec.requirement)
                switch spec.type {
                case .object(let nested), .keyed(let nested): collect(nested)
                default: break
                }
            }
        }
        for kind in RecordKind.allCases {
            collect(Schema.of(kind).fields)
            XCTAssertEqual(Schema.fingerprintText(Schema.of(kind).oneOf), "\(Schema.of(kind).oneOf)")
        }
        for requirement in requirements { XCTAssertEqual(requirement.fingerprintText, "\(requirement)") }
        XCTAssertEqual(Schema.fingerprintText([["a", "b"], [], ["\"q\""]]), "\([["a", "b"], [], ["\"q\""]])")
    }
}
