import Foundation
import XCTest

/// A damaged local object store: loose objects cut short or holding another size than their header says. libgit2 1.5
/// loops forever inflating a cut-short loose object (libgit2 #7342) and writes past its buffer reading one whose header
/// declares fewer bytes (#7177); isms checks a loose object before libgit2 reads it and stops with one line.
final class DamagedLooseObjectTests: XCTestCase {
    func testACutShortLooseBlobStopsEveryCommandThatReadsItInsteadOfHanging() {
        let repo = Self.repositoryOfTwoCommits()
        let blob = repo.git("rev-parse", "HEAD:risks/risk-1.yaml")
        Self.cutShort(blob, in: repo)
        for command in Commands.reading(id: "RISK-1") {
            // The work tree's and the index's check read files, not this blob, unless a history rule needs it.
            let readsTheBlob = command.first != "check" || command.contains("--rev")
            let result = assertHeld(command, in: repo.path, exits: readsTheBlob ? [2] : [0, 1, 2], timeout: 30)
            if result.status == 2 {
                XCTAssertTrue(result.stderr.contains("loose object \(blob) cannot be read whole"), "\(command): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("run `git fsck`"), result.stderr)
            }
        }
    }

    func testACutShortLooseCommitOrTreeStopsTheHistoryInsteadOfHanging() {
        for object in ["HEAD~1", "HEAD~1^{tree}"] {
            let repo = Self.repositoryOfTwoCommits()
            let id = repo.git("rev-parse", object)
            Self.cutShort(id, in: repo)
            for command in [
                ["log", "--no-cache"], ["history", "RISK-1", "--no-cache"], ["check", "--base", "HEAD~1", "--as-of", "2026-12-01"],
            ] {
                let result = assertHeld(command, in: repo.path, exits: [2], timeout: 30)
                XCTAssertTrue(result.stderr.contains("cannot be read whole"), "\(object), \(command): \(result.stderr)")
            }
        }
    }

    /// A short id is looked up among the loose files it could name; each is checked before libgit2 reads one.
    func testAShortIdOfACutShortLooseCommitStopsInsteadOfHanging() {
        let repo = Self.repositoryOfTwoCommits()
        let id = repo.git("rev-parse", "HEAD~1")
        Self.cutShort(id, in: repo)
        let result = assertHeld(["check", "--rev", String(id.prefix(9)), "--as-of", "2026-12-01"], in: repo.path, exits: [2], timeout: 30)
        XCTAssertTrue(result.stderr.contains("loose object \(id) cannot be read whole"), result.stderr)
    }

    /// A loose blob whose header says 5 bytes but which holds more: libgit2 copies the excess past its buffer.
    func testALooseBlobLongerThanItsHeaderSaysIsRefused() {
        let repo = Self.repositoryOfTwoCommits()
        let blob = repo.git("rev-parse", "HEAD:risks/risk-1.yaml")
        Self.replaceLooseObject(blob, in: repo, with: Self.zlibStored(Array("blob 5\0id: RISK-1\ntitle: longer than five bytes\n".utf8)))
        let result = assertHeld(["log", "--no-cache"], in: repo.path, exits: [2], timeout: 30)
        XCTAssertTrue(result.stderr.contains("loose object \(blob) cannot be read whole"), result.stderr)
        // The same bytes with the right size read as any other version.
        let content = "id: RISK-1\ntitle: longer than five bytes\n"
        Self.replaceLooseObject(blob, in: repo, with: Self.zlibStored(Array("blob \(content.utf8.count)\0\(content)".utf8)))
        let sound = assertHeld(["log", "--no-cache"], in: repo.path, exits: [0], timeout: 30)
        XCTAssertTrue(sound.stdout.contains("RISK-1"), sound.stdout)
    }

    /// A clone made with `--shared` reads its objects from the original's store (`objects/info/alternates`), where
    /// libgit2 reads loose objects with backends of its own: the guard is added for each alternate store too.
    func testACutShortLooseObjectInAnAlternateStoreStopsInsteadOfHanging() {
        let original = Self.repositoryOfTwoCommits()
        let clone = TemporaryFolder("isms-shared")
        let cloned = runProcess(GitRepository.git, ["clone", "-q", "--shared", original.path, clone.path + "/c"], in: clone.path)
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        let blob = original.git("rev-parse", "HEAD~1:risks/risk-1.yaml")
        Self.cutShort(blob, in: original)
        let result = assertHeld(["log", "--no-cache"], in: clone.path + "/c", exits: [2], timeout: 30)
        XCTAssertTrue(result.stderr.contains("loose object \(blob) cannot be read whole"), result.stderr)
    }

    /// Loose objects that are sound read as the same objects packed do.
    /// A loose object's path that holds a FIFO (or a device): opening it for reading waits for a writer forever, in
    /// libgit2's header read as in its full read; the guard refuses any loose file that is not a regular file.
    func testALooseObjectThatIsAFifoStopsInsteadOfHanging() {
        let repo = Self.repositoryOfTwoCommits()
        let blob = repo.git("rev-parse", "HEAD:risks/risk-1.yaml")
        let path = Self.loosePath(blob, in: repo)
        XCTAssertNoThrow(try FileManager.default.removeItem(atPath: path))
        XCTAssertEqual(mkfifo(path, 0o644), 0)
        for command in [["log", "--no-cache"], ["history", "RISK-1", "--no-cache"], ["blame", "RISK-1", "--no-cache"]] {
            let result = assertHeld(command, in: repo.path, exits: [2], timeout: 30)
            XCTAssertTrue(result.stderr.contains("loose object \(blob) cannot be read whole"), "\(command): \(result.stderr)")
        }
    }

    /// A loose blob whose header says 5 bytes and whose stream inflates to gigabytes of zeros: the guard stops at the
    /// first bytes past the declared size instead of inflating the rest (about 2 GiB here, seconds of CPU).
    func testALooseObjectInflatingFarPastItsHeaderIsRefusedAtOnce() {
        let repo = Self.repositoryOfTwoCommits()
        let blob = repo.git("rev-parse", "HEAD:risks/risk-1.yaml")
        Self.replaceLooseObject(blob, in: repo, with: Self.zlibBomb(header: Array("blob 5\0id: X".utf8), copies: 8 << 20))
        let result = assertHeld(["log", "--no-cache"], in: repo.path, exits: [2], timeout: 5)
        XCTAssertTrue(result.stderr.contains("loose object \(blob) cannot be read whole"), result.stderr)
    }

    /// git's retired "packlike" loose format (a pack entry's header, then zlib of the content), which libgit2 still
    /// reads: cut short, libgit2 looped forever on it as on the other format; whole, it reads as before.
    func testACutShortPacklikeLooseBlobStopsInsteadOfHanging() {
        let repo = Self.repositoryOfTwoCommits()
        let blob = repo.git("rev-parse", "HEAD:risks/risk-1.yaml")
        let sound = assertHeld(["log", "--no-cache"], in: repo.path, exits: [0], timeout: 30)
        let content = Array(hostileRisk("RISK-1", title: "second").utf8)
        // Type 3 (a blob) and the size, 4 bits then 7 per byte, lowest first.
        var header: [UInt8] = [0x30 | UInt8(content.count & 15)]
        var rest = content.count >> 4
        while rest > 0 {
            header[header.count - 1] |= 0x80
            header.append(UInt8(rest & 0x7F))
            rest >>= 7
        }
        let whole = Data(header) + Self.zlibStored(content)
        Self.replaceLooseObject(blob, in: repo, with: whole)
        let packlike = assertHeld(["log", "--no-cache"], in: repo.path, exits: [0], timeout: 30)
        XCTAssertEqual(packlike.stdout, sound.stdout)
        Self.replaceLooseObject(blob, in: repo, with: whole.prefix(whole.count / 2))
        let result = assertHeld(["log", "--no-cache"], in: repo.path, exits: [2], timeout: 30)
        XCTAssertTrue(result.stderr.contains("loose object \(blob) cannot be read whole"), result.stderr)
    }

    func testSoundLooseObjectsReadAsTheSameObjectsPacked() {
        let repo = Self.repositoryOfTwoCommits()
        let loose = assertHeld(["log", "--no-cache", "--format", "json"], in: repo.path, exits: [0])
        repo.git("repack", "-q", "-a", "-d")
        repo.git("prune-packed")
        let packed = assertHeld(["log", "--no-cache", "--format", "json"], in: repo.path, exits: [0])
        XCTAssertEqual(loose.stdout, packed.stdout)
        XCTAssertFalse(loose.stdout.isEmpty)
    }

    private static func repositoryOfTwoCommits() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/risk-1.yaml", hostileRisk("RISK-1", title: "first"))
        repo.commit("Start", at: "2026-01-01T10:00:00Z")
        repo.write("risks/risk-1.yaml", hostileRisk("RISK-1", title: "second"))
        repo.commit("Retitle", by: .bob, at: "2026-01-02T10:00:00Z")
        return repo
    }

    private static func loosePath(_ id: String, in repo: GitRepository) -> String {
        repo.path + "/.git/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
    }

    /// Keeps the first half of the loose object's zlib stream.
    private static func cutShort(_ id: String, in repo: GitRepository) {
        let path = loosePath(id, in: repo)
        guard let data = FileManager.default.contents(atPath: path) else { return XCTFail("\(id) is not a loose object") }
        replace(path, with: data.prefix(data.count / 2))
    }

    private static func replaceLooseObject(_ id: String, in repo: GitRepository, with data: Data) {
        replace(loosePath(id, in: repo), with: data)
    }

    private static func replace(_ path: String, with data: Data) {
        try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: data))
    }

    /// A zlib stream of `header` (a stored block) then a zero and about `copies` copies of the 258 bytes before it
    /// (a fixed-Huffman block: 13 bits for each 258 zeros), cut there: it never ends, as a bomb need not.
    private static func zlibBomb(header: [UInt8], copies: Int) -> Data {
        let length = UInt16(header.count)
        var out: [UInt8] = [0x78, 0x01, 0x00, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        out += header
        // Deflate packs bits from each byte's lowest; a Huffman code goes in from its highest bit.
        var bits = [UInt8](), filled = 0
        func put(_ value: UInt32, _ count: Int, huffman: Bool) {
            for i in 0..<count {
                let bit = huffman ? (value >> UInt32(count - 1 - i)) & 1 : (value >> UInt32(i)) & 1
                if filled % 8 == 0 { bits.append(0) }
                bits[bits.count - 1] |= UInt8(bit) << UInt8(filled % 8)
                filled += 1
            }
        }
        put(1, 1, huffman: false)  // the last block
        put(1, 2, huffman: false)  // fixed Huffman codes
        put(0x30, 8, huffman: true)  // the literal 0
        // 8 copies (length 258: code 285, 0xC5; distance 1: code 0) fill 13 bytes; 3 rounds make one whole period.
        for _ in 0..<24 {
            put(0xC5, 8, huffman: true)
            put(0, 5, huffman: true)
        }
        let period = Array(bits[2..<15])
        out += bits[0..<2]
        out.reserveCapacity(out.count + copies / 8 * 13)
        for _ in 0..<(copies / 8) { out += period }
        return Data(out)
    }

    /// `bytes` as a zlib stream of one stored (uncompressed) deflate block, which any inflater reads.
    private static func zlibStored(_ bytes: [UInt8]) -> Data {
        precondition(bytes.count < 65_536)
        var out: [UInt8] = [0x78, 0x01, 0x01]
        let length = UInt16(bytes.count)
        out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        out += bytes
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        let adler = b << 16 | a
        out += [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
        return Data(out)
    }
}
