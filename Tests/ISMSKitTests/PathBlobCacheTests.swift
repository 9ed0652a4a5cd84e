import Foundation
import GitKit
import ISMSRules
import XCTest

/// `PathBlobCache` searches its file for the first commits asked about and indexes the file after a few: every
/// answer is the file's, none is computed again, and a save after a search keeps every entry of the file.
final class PathBlobCacheTests: XCTestCase {
    private func id(_ n: Int) -> ObjectID { ObjectID(hex: String(format: "%040x", n))! }

    /// Commit `n` holds blob `1000 + n`, or no file when `n` is a multiple of 3.
    private func blob(_ n: Int) -> ObjectID? { n % 3 == 0 ? nil : id(1000 + n) }

    func testAnswersComeFromTheFileWhetherSearchedOrIndexed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("path-blobs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "isms/isms.yaml"
        let written = PathBlobCache(path: path, folder: folder)
        for n in 0..<20 { XCTAssertEqual(written.blob(in: id(n)) { blob(n) }, blob(n)) }
        XCTAssertNil(written.save())

        // More questions than are searched before indexing, none computed again.
        let read = PathBlobCache(path: path, folder: folder)
        for n in (0..<20).reversed() {
            XCTAssertEqual(
                read.blob(in: id(n)) {
                    XCTFail("commit \(n) computed again"); return nil
                }, blob(n), "commit \(n)")
        }

        // One search, then a new answer saved: the file keeps all twenty-one.
        let searched = PathBlobCache(path: path, folder: folder)
        XCTAssertEqual(
            searched.blob(in: id(4)) {
                XCTFail("commit 4 computed again"); return nil
            }, blob(4))
        XCTAssertEqual(searched.blob(in: id(20)) { blob(20) }, blob(20))
        XCTAssertNil(searched.save())
        let reread = PathBlobCache(path: path, folder: folder)
        for n in 0...20 {
            XCTAssertEqual(
                reread.blob(in: id(n)) {
                    XCTFail("commit \(n) lost by the save"); return nil
                }, blob(n), "commit \(n)")
        }
        // Another path's file is not this one's.
        var computed = false
        XCTAssertEqual(
            PathBlobCache(path: "isms/other.yaml", folder: folder).blob(in: id(1)) {
                computed = true; return nil
            }, nil)
        XCTAssertTrue(computed)
    }

    /// Two caches of one path opened before either saves (the head's and the merge base's checks of `check --base`,
    /// which run side by side): the second save keeps the first's answers. It wrote only its own before.
    func testASaveKeepsWhatAnotherCacheOfThePathSavedSinceItWasRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("path-blobs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "isms/.isms/allowed_signers"
        let head = PathBlobCache(path: path, folder: folder), base = PathBlobCache(path: path, folder: folder)
        for n in 0..<10 { XCTAssertEqual(head.blob(in: id(n)) { blob(n) }, blob(n)) }
        for n in 5..<15 { XCTAssertEqual(base.blob(in: id(n)) { blob(n) }, blob(n)) }
        XCTAssertNil(head.save())
        XCTAssertNil(base.save())
        let reread = PathBlobCache(path: path, folder: folder)
        for n in 0..<15 {
            XCTAssertEqual(
                reread.blob(in: id(n)) {
                    XCTFail("commit \(n) lost by the other save"); return nil
                }, blob(n), "commit \(n)")
        }
    }
}
