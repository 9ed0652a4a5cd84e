import Foundation
import GitKit
import ISMSKit
import XCTest

@testable import ISMSHistory

/// The record versions a history read has met, held as a set and sorted runs per kind (`SeenBlobs`): every version
/// inserted is found again, whatever the runs merged, and no other.
final class SeenBlobsTests: XCTestCase {
    /// It fails when a merge of two runs drops or duplicates an id, when a version is looked up under another kind,
    /// or when the newest versions are lost as they become a run.
    func testEveryVersionMetIsFoundAgainAndNoOther() {
        var generator = SystemRandomNumberGenerator()
        func id() -> ObjectID {
            ObjectID(hex: (0..<40).map { _ in String(Int.random(in: 0..<16, using: &generator), radix: 16) }.joined())!
        }
        let kinds: [RecordKind] = [.risk, .control, .asset]
        var inserted = [BlobKey]()
        for runSize in [1, 2, 3, 64] {
            var seen = SeenBlobs(runSize: runSize, mergeLimit: runSize * 8)
            inserted = []
            for n in 0..<2_000 {
                let key = BlobKey(kind: kinds[n % kinds.count], blob: id())
                XCTAssertTrue(seen.insert(key))
                inserted.append(key)
                // A version met again, at once and later: not new.
                XCTAssertFalse(seen.insert(key))
                if n % 7 == 0 { XCTAssertFalse(seen.insert(inserted[n / 2])) }
            }
            XCTAssertEqual(seen.count, inserted.count, "run size \(runSize)")
            for key in inserted { XCTAssertTrue(seen.contains(key), "run size \(runSize)") }
            // The same blob under another kind's folder is another version.
            for key in inserted.prefix(50) {
                let other = BlobKey(kind: key.kind == .risk ? .control : .risk, blob: key.blob)
                XCTAssertFalse(seen.contains(other))
            }
            for _ in 0..<500 { XCTAssertFalse(seen.contains(BlobKey(kind: .risk, blob: id()))) }
        }
    }
}
