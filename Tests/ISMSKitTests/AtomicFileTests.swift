import Foundation
import XCTest

@testable import ISMSKit

/// The one writer of the caches under the git folder.
final class AtomicFileTests: XCTestCase {
    private func temporaries(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    func testWritesAWholeFileAndMakesItsFolders() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/a/b/cache.bin"
        try AtomicFile.write(Array("one".utf8), to: path)
        try AtomicFile.write(Array("two".utf8), to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("two".utf8))
        XCTAssertEqual(temporaries(in: folder.path + "/a/b"), [])
    }

    func testALinkAtTheTargetIsReplacedNotFollowed() throws {
        let folder = TemporaryFolder()
        let victim = folder.write("victim", "keep")
        let path = folder.path + "/cache.bin"
        XCTAssertEqual(symlink(victim, path), 0)
        try AtomicFile.write(Array("cache".utf8), to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: victim), Data("keep".utf8), "the link's target is untouched")
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG, "the link itself is replaced by the file")
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("cache".utf8))
    }

    func testALinkAtTheTemporaryNameIsRefusedNotWrittenThrough() throws {
        let folder = TemporaryFolder()
        let victim = folder.write("victim", "keep")
        let path = folder.path + "/cache.bin"
        XCTAssertEqual(symlink(victim, folder.path + "/.cache.bin.\(getpid()).tmp"), 0)
        XCTAssertThrowsError(try AtomicFile.write(Array("cache".utf8), to: path))
        XCTAssertEqual(FileManager.default.contents(atPath: victim), Data("keep".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testAFailedRenameLeavesNoTemporaryFile() throws {
        let folder = TemporaryFolder()
        // A folder holding a file at the target's name: the rename over it fails.
        folder.write("cache.bin/inside", "x")
        XCTAssertThrowsError(try AtomicFile.write(Array("cache".utf8), to: folder.path + "/cache.bin")) { error in
            XCTAssertFalse("\(error)".isEmpty)
        }
        XCTAssertEqual(temporaries(in: folder.path), [])
    }

    func testAnOldTemporaryFileOfAKilledRunIsRemoved() throws {
        let folder = TemporaryFolder()
        let stale = folder.write(".cache.bin.1.tmp", "partial")
        var old = [timespec(tv_sec: time(nil) - 7200, tv_nsec: 0), timespec(tv_sec: time(nil) - 7200, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, stale, &old, 0), 0)
        let young = folder.write(".cache.bin.2.tmp", "still writing")
        try AtomicFile.write(Array("cache".utf8), to: folder.path + "/cache.bin")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
        XCTAssertTrue(FileManager.default.fileExists(atPath: young), "a younger one may belong to a run still writing")
    }
}
