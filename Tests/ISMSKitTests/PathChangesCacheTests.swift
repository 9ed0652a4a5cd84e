import Foundation
import GitKit
import ISMSKit
import ISMSModel
import ISMSRules
import XCTest

/// Which commits changed the allowed-signers file, kept per tip (`GovernanceContext.commitsChanging`): a warm run
/// reports what a run without the cache reports, and a new tip judges the commits the cached one lacks.
final class PathChangesCacheTests: XCTestCase {
    let alice = TestKeys.ed25519, bob = TestKeys.p256
    private let risk = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n"

    private func findings(_ repo: GitRepository, useCache: Bool = true) throws -> [Finding] {
        let workspace = try Workspace(explicitRoot: repo.path)
        var notes = [String]()
        return try workspace.check(
            workspace.workTreeSource, asOf: Day("2026-12-01")!, options: GovernanceOptions(useCache: useCache), notes: &notes
        ).findings.filter { $0.rule == "allowed-signers-changed" }
    }

    private var file: String { ".git/isms/path-changes-v1.cache" }

    /// Alice trusts herself in a signed commit; Bob adds his key unsigned (a finding); Carol edits a risk.
    private func repository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        repo.write("risks/risk-1.yaml", risk)
        repo.commitSigned("Trust Alice", by: .alice, at: "2026-01-12T10:00:00Z", key: alice)
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n" + bob.allowedSigner("bob@example.com") + "\n")
        repo.commit("Trust Bob too", by: .bob, at: "2026-02-01T10:00:00Z")
        repo.write("risks/risk-1.yaml", risk + "description: stolen laptops\n")
        repo.commit("Describe RISK-1", by: .carol, at: "2026-02-02T10:00:00Z")
        return repo
    }

    func testWarmRunsReportWhatUncachedRunsReport() throws {
        let repo = repository()
        let fresh = try findings(repo, useCache: false)
        XCTAssertEqual(fresh.count, 1, "\(fresh)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.path + "/" + file))
        XCTAssertEqual(try findings(repo), fresh)
        XCTAssertTrue(FileManager.default.fileExists(atPath: repo.path + "/" + file))
        XCTAssertEqual(try findings(repo), fresh)
        // A new tip: the cached answer of its parent, plus the new commits judged (one of them an unsigned change).
        repo.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        repo.commit("Distrust Bob", by: .carol, at: "2026-02-03T10:00:00Z")
        repo.write("risks/risk-1.yaml", risk)
        repo.commit("Shorten RISK-1", by: .alice, at: "2026-02-04T10:00:00Z")
        let later = try findings(repo, useCache: false)
        XCTAssertEqual(later.count, 2, "\(later)")
        XCTAssertEqual(try findings(repo), later)
        XCTAssertEqual(try findings(repo), later)
    }

    func testTheCacheIsReadAndADamagedOneIsIgnored() throws {
        let repo = repository()
        let fresh = try findings(repo, useCache: false)
        _ = try findings(repo)
        // Plant "no commit changed the file" for this tip: a run that reads it reports nothing.
        let path = repo.path + "/" + file
        let stored = KeyedCacheFile(path: path, header: "isms path-changes v1", maxEntries: 8)
        // The file also holds isms.yaml's changes (the scope, reassessment-due): the trust file's entry is planted.
        func trustFileEntry() throws -> KeyedCacheFile.Entry {
            try XCTUnwrap(stored.entries()?.first { String(decoding: $0.key, as: UTF8.self).contains("allowed_signers") })
        }
        let entry = try trustFileEntry()
        let key = String(decoding: entry.key, as: UTF8.self)
        stored.store([], for: key)
        XCTAssertEqual(try findings(repo), [], "the planted answer is read")
        // A commit that does not touch the file: the planted answer of its parent is carried over.
        repo.write("risks/risk-1.yaml", risk)
        repo.commit("Shorten RISK-1", by: .alice, at: "2026-02-04T10:00:00Z")
        XCTAssertEqual(try findings(repo), [], "carried over from the parent's tip")
        // The entry of this tip alone, then a byte of it damaged: it is not read.
        try FileManager.default.removeItem(atPath: path)
        _ = try findings(repo)
        let tipKey = String(decoding: try trustFileEntry().key, as: UTF8.self)
        try FileManager.default.removeItem(atPath: path)
        stored.store([], for: tipKey)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 1] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try findings(repo), fresh)
        // A payload that is not whole ids (a checksum that holds over 19 bytes) is not read either.
        let newest = try trustFileEntry()
        stored.store(Array(repeating: 7, count: 19), for: String(decoding: newest.key, as: UTF8.self))
        XCTAssertEqual(try findings(repo), fresh)
    }
}
