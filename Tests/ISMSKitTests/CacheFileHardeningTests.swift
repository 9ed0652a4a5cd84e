import Foundation
import ISMSKit
import XCTest

/// The gate's caches under `<git dir>/isms` (base findings, reassessment answers, path changes, path blobs) are
/// read like the history cache: only a regular file of bounded size, so a FIFO or a device left there can
/// neither hang a run nor feed it endless bytes. The run reports what it reports without the cache.
final class CacheFileHardeningTests: XCTestCase {
    private let config = minimalConfig + "require_signed_decisions: true\n"

    /// main with a risk that depends on a supplier changed since (the reassessment rules ask the history), an
    /// allowed-signers file (its changes are looked up), and a feature branch adding a risk.
    private func repository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", config)
        repo.write("isms/.isms/allowed_signers", "# nobody yet\n")
        repo.write("isms/suppliers/sup-1.yaml", "id: SUP-1\ntitle: Hosting\nowner: alice\ncriticality: high\nhosting: A\n")
        repo.write(
            "isms/assets/asset-1.yaml", "id: ASSET-1\ntitle: Database\nowner: alice\nclassification: confidential\nsuppliers: [SUP-1]\n")
        repo.write(
            "isms/risks/risk-1.yaml",
            "id: RISK-1\ntitle: Outage\nowner: alice\ntreatment: avoid\nassets: [ASSET-1]\nreview:\n  last: 2026-01-10\n  every: yearly\n")
        repo.commit("Add ISMS", by: .alice, at: "2026-03-01T09:00:00+01:00")
        repo.write("isms/suppliers/sup-1.yaml", "id: SUP-1\ntitle: Hosting\nowner: alice\ncriticality: high\nhosting: B\n")
        repo.commit("Move SUP-1", by: .bob, at: "2026-03-02T09:00:00+01:00")
        repo.git("checkout", "-q", "-b", "feature")
        repo.write("isms/risks/risk-2.yaml", "id: RISK-2\ntitle: Flood\nowner: bob\ntreatment: avoid\n")
        repo.commit("Add RISK-2", by: .bob, at: "2026-03-03T09:00:00+01:00")
        return repo
    }

    /// The gate run once without caches (its result) and once with them: the repository (its folder lives as long as
    /// it does), the ISMS root, the cache folder, the arguments, the uncached result and the cache files written.
    func warmedGate() throws -> (
        repo: GitRepository, root: String, folder: String, arguments: [String], uncached: ProcessResult, names: [String]
    ) {
        let repo = repository()
        let root = repo.path + "/isms", folder = repo.path + "/.git/isms"
        let arguments = ["check", "--base", "main", "--as-of", "2026-03-10", "--format", "json"]
        let uncached = isms(arguments + ["--no-cache"], in: root)
        _ = isms(arguments, in: root)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            $0 == "base-findings-v1.cache" || $0 == "reassessment-v1.cache" || $0 == "path-changes-v1.cache"
                || $0.hasPrefix("path-blobs-v1-")
        }
        return (repo, root, folder, arguments, uncached, names)
    }

    func testAFIFOInPlaceOfACacheFileNeitherHangsNorChangesTheResult() throws {
        let (repo, root, folder, arguments, uncached, names) = try warmedGate()
        defer { withExtendedLifetime(repo) {} }
        XCTAssertEqual(Set(names.map { $0.hasPrefix("path-blobs-v1-") ? "path-blobs" : $0 }).count, 4, "\(names)")
        for name in names {
            let path = folder + "/" + name
            try FileManager.default.removeItem(atPath: path)
            XCTAssertEqual(mkfifo(path, 0o644), 0)
            let run = ismsBounded(arguments, in: root, timeout: 30)
            XCTAssertFalse(run.timedOut, name)
            XCTAssertEqual(run.status, uncached.status, name)
            XCTAssertEqual(run.stdout, uncached.stdout, name)
            try? FileManager.default.removeItem(atPath: path)
            _ = isms(arguments, in: root)
        }
    }
}

extension CacheFileHardeningTests {
    func testAHugeCacheFileIsNotReadIntoMemory() throws {
        let (repo, root, folder, arguments, uncached, names) = try warmedGate()
        defer { withExtendedLifetime(repo) {} }
        for name in names {
            let path = folder + "/" + name
            // 512 MiB that take no disk (a sparse file), over the cache files' bound: never read.
            XCTAssertTrue(FileManager.default.createFile(atPath: path + ".huge", contents: nil))
            XCTAssertEqual(truncate(path + ".huge", 512 << 20), 0)
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: path + ".huge", toPath: path)
            let (run, peak) = try peakMemory(arguments, in: root, timeout: 60)
            XCTAssertFalse(run.timedOut, name)
            XCTAssertEqual(run.stdout, uncached.stdout, name)
            XCTAssertLessThan(peak, 200_000, "\(name): peaked at \(peak) KB")
            try? FileManager.default.removeItem(atPath: path)
            _ = isms(arguments, in: root)
        }
    }
}
