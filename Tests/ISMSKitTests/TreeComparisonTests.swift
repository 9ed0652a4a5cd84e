import Foundation
import GitKit
import ISMSKit
import XCTest

@testable import ISMSHistory

/// The shortcuts of a cold history read's tree comparison give what the plain code gives: the common start and end of
/// two raw trees found a block at a time, and the kind of a changed path found with a byte search.
final class TreeComparisonTests: XCTestCase {
    /// Buffers of every length up to a few blocks, differing at one or two places (around the block and word
    /// boundaries too): the lengths equal a byte-by-byte count. It fails when a block or word step overshoots a
    /// difference or stops short of one.
    func testCommonStartAndEndMatchAByteByByteCount() {
        func naivePrefix(_ a: [UInt8], _ b: [UInt8]) -> Int {
            var i = 0
            while i < min(a.count, b.count), a[i] == b[i] { i += 1 }
            return i
        }
        func naiveSuffix(_ a: [UInt8], _ b: [UInt8]) -> Int {
            var i = 0
            while i < min(a.count, b.count), a[a.count - 1 - i] == b[b.count - 1 - i] { i += 1 }
            return i
        }
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for length in [0, 1, 7, 8, 9, 127, 128, 129, 255, 256, 257, 300, 512, 1000] {
            let base = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var places = Set([0, 1, 7, 8, 63, 64, 120, 127, 128, 129, 136, 255, 256, 257, length / 2, length - 1, length - 2])
            for _ in 0..<8 { places.insert(Int.random(in: 0..<max(1, length), using: &generator)) }
            for place in places where place >= 0 && place < length {
                var other = base
                other[place] ^= 0x5A
                // Two differences, and the same bytes with one more (a longer buffer) or one fewer at either end.
                var two = other
                two[length - 1 - place] ^= 0xA5
                let variants = [other, two, base + [1], [1] + base, Array(base.dropFirst()), Array(base.dropLast())]
                for variant in variants {
                    base.withUnsafeBytes { a in
                        variant.withUnsafeBytes { b in
                            XCTAssertEqual(
                                RawTreeCursor.commonPrefixLength(a, b), naivePrefix(base, variant), "length \(length), at \(place)")
                            XCTAssertEqual(
                                RawTreeCursor.commonSuffixLength(a, b), naiveSuffix(base, variant), "length \(length), at \(place)")
                            XCTAssertEqual(
                                RawTreeCursor.commonPrefixLength(b, a), naivePrefix(variant, base), "length \(length), at \(place)")
                            XCTAssertEqual(
                                RawTreeCursor.commonSuffixLength(b, a), naiveSuffix(variant, base), "length \(length), at \(place)")
                        }
                    }
                    checked += 1
                }
            }
            base.withUnsafeBytes { a in
                XCTAssertEqual(RawTreeCursor.commonPrefixLength(a, a), length)
                XCTAssertEqual(RawTreeCursor.commonSuffixLength(a, a), length)
            }
        }
        XCTAssertGreaterThan(checked, 500)
    }

    /// Paths of every shape a committer can give (kind folders and others, files at the root named like a kind's
    /// folder, non-record names, non-ASCII names, a combining mark after the slash that joins it into one character,
    /// a folder that is canonically but not byte for byte a kind's): `RecordFolders` answers as a search for the byte
    /// `/` does (git's separator; a search of the characters missed one that a combining mark follows).
    func testRecordFoldersSplitPathsAtTheByteSlash() {
        var paths = [
            "", "/", "risks", "risks/", "risks/RISK-1.yaml", "risks/RISK-1.yml", "risks/notes.txt", "risks/a/b.yaml",
            "README.md", "isms.yaml", ".isms", ".isms/keys/a.asc", "controls/CTRL-1.yaml", "documents/POL-1.md",
            "documents/POL-1.yaml", "nothing/RISK-1.yaml", "Risks/RISK-1.yaml", "risks /RISK-1.yaml",
            "risks/\u{301}RISK-1.yaml", "ri\u{301}sks/RISK-1.yaml", "rísks/RISK-1.yaml", "risks/RÍSK-1.yaml",
            "ris\u{212A}s/RISK-1.yaml", "ris\u{212A}s", "risks\r\n/RISK-1.yaml", "risks/RISK-1.yaml\u{301}", "\u{600}/x.yaml",
            "risks/\r\n.yaml", "risks//RISK-1.yaml",
        ]
        for kind in RecordKind.allCases {
            paths += [kind.folder, kind.folder + "/X-1.yaml", kind.folder + "/X-1.md", kind.folder + "/X-1", kind.folder + "x/X-1.yaml"]
        }
        let folders = RecordFolders()
        for path in paths {
            // Split at the byte `/`, as git splits: a combining mark after it leaves it a separator.
            let bytes = Array(path.utf8)
            let slash = bytes.firstIndex(of: UInt8(ascii: "/"))
            let isRead = slash != nil || RecordKind(folder: path) != nil
            XCTAssertEqual(folders.isRead(folder: path), isRead, path.debugDescription)
            let topLevel = slash == nil && RecordKind(folder: path) == nil
            var record: RecordKind?
            if let slash, let kind = RecordKind(folder: String(decoding: bytes[..<slash], as: UTF8.self)), isRecordFileName(path) {
                record = kind
            }
            if path == "risks/\u{301}RISK-1.yaml" { XCTAssertEqual(record, .risk, "the byte after `risks` is a separator") }
            let got = folders.classify(path)
            XCTAssertEqual(got.topLevel, topLevel, path.debugDescription)
            XCTAssertEqual(got.record, record, path.debugDescription)
        }
    }
}

/// The results a history read releases (parsed records the tracked commits alone named) are freed by the parsing
/// workers, not by the thread comparing trees that releases them, and none is lost or freed early.
final class ParallelQueueReleaseTests: XCTestCase {
    /// A result that counts where it is freed.
    private final class Counted: Sendable {
        let value: Int
        let freed: Locked<(onCaller: Int, elsewhere: Int)>
        let caller: pthread_t
        init(_ value: Int, freed: Locked<(onCaller: Int, elsewhere: Int)>, caller: pthread_t) {
            self.value = value
            self.freed = freed
            self.caller = caller
        }
        deinit {
            let onCaller = pthread_equal(pthread_self(), caller) != 0
            freed.withLock { onCaller ? ($0.onCaller += 1) : ($0.elsewhere += 1) }
        }
    }

    /// It fails when a released result is freed on the releasing thread (most of them, as before), when one is freed
    /// before it is released (a wrong value read back), or when one is never freed.
    func testReleasedResultsAreFreedByTheWorkers() {
        let freed = Locked((onCaller: 0, elsewhere: 0))
        let caller = pthread_self()
        let count = 20_000, lag = 50
        var mismatches = 0
        do {
            let queue = ParallelQueue<Int, Counted>(threads: 2, batch: 16) { Counted($0, freed: freed, caller: caller) }
            for item in 0..<count {
                queue.submit(item)
                let old = item - lag
                guard old >= 0 else { continue }
                if queue.result(old).value != old { mismatches += 1 }
                queue.release(old)
            }
            for old in count - lag..<count {
                if queue.result(old).value != old { mismatches += 1 }
            }
            queue.drain()
        }
        XCTAssertEqual(mismatches, 0)
        // The queue goes when its last worker thread lets it go, which may be just after `drain` returned.
        let deadline = Date().addingTimeInterval(10)
        while freed.withLock({ $0.onCaller + $0.elsewhere }) < count && Date() < deadline { usleep(1000) }
        let counts = freed.withLock { $0 }
        XCTAssertEqual(counts.onCaller + counts.elsewhere, count, "every result is freed once the queue is")
        // The last few released, and those held to the end, go with the queue (on the caller's thread, most often).
        XCTAssertLessThan(counts.onCaller, count / 10, "released results are freed by the workers")
    }
}
