import Foundation
import GitKit
import ISMSKit
import ISMSModel
import ISMSRules
import XCTest

/// The reassessment rules' answers kept across runs (`ReassessmentCache`): a warm run finds what a run without
/// the cache finds, and an answer is only reused for the tip and the settings it was computed for.
final class ReassessmentCacheTests: XCTestCase {
    private let supplier = "id: SUP-1\ntitle: Cloud hosting\nowner: alice\ncriticality: high\nhosting: ExampleCloud\n"
    private let asset = "id: ASSET-1\ntitle: Customer database\nowner: alice\nclassification: confidential\nsuppliers: [SUP-1]\n"

    private func risk(_ id: String, reviewed: String = "2026-01-10", likelihood: Int = 2) -> String {
        "id: \(id)\ntitle: Risk \(id)\nowner: alice\nlikelihood: \(likelihood)\nimpact: 3\ntreatment: reduce\ncontrols: [CTRL-1]\n"
            + "assets: [ASSET-1]\nreview:\n  last: \(reviewed)\n  every: yearly\n"
    }

    /// Alice starts the ISMS, Bob moves the supplier (RISK-1 and RISK-2 are then due), Carol reassesses RISK-1.
    private func repository() -> GitRepository {
        let repo = supplierMoved()
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-05"))
        repo.commit("Reassess RISK-1", by: .carol, at: "2026-03-05T10:00:00Z")
        return repo
    }

    /// Alice starts the ISMS, Bob moves the supplier in a file that ends with `padding`.
    private func supplierMoved(padding: String = "") -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("suppliers/sup-1.yaml", supplier)
        repo.write("assets/asset-1.yaml", asset)
        repo.write("risks/risk-1.yaml", risk("RISK-1"))
        repo.write("risks/risk-2.yaml", risk("RISK-2"))
        repo.write("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Control\nowner: alice\nstatus: implemented\n")
        repo.commit("Start the ISMS", by: .alice, at: "2026-01-12T10:00:00Z")
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud", with: "OtherCloud") + padding)
        repo.commit("SUP-1 moves to OtherCloud", by: .bob, at: "2026-03-01T10:00:00Z")
        return repo
    }

    /// The reassessment findings of the work tree (or the index, or `revision` as `check --rev` reads it).
    private func reassessments(
        _ repo: GitRepository, useCache: Bool = true, staged: Bool = false, revision: String? = nil, trustRef: String? = nil
    ) throws
        -> [Finding]
    {
        let workspace = try Workspace(explicitRoot: repo.path)
        var notes = [String]()
        let source: any RecordSource
        if let revision {
            source = try workspace.source(at: revision)
        } else if staged {
            source = try workspace.stagedSource()
        } else {
            source = workspace.workTreeSource
        }
        let options = GovernanceOptions(revision: revision ?? "HEAD", trustRef: trustRef, useCache: useCache)
        return try workspace.check(source, asOf: Day("2026-03-10")!, options: options, notes: &notes)
            .findings.filter { $0.rule.hasPrefix("reassessment-") }
    }

    private var cacheName: String { ReassessmentCache.fileName }

    /// Plants "SUP-1 never changed materially" for the current tip and settings, and proves a run reads it.
    private func plant(_ repo: GitRepository) throws {
        let workspace = try Workspace(explicitRoot: repo.path)
        let config = try Loader.load(from: workspace.workTreeSource).isms.config
        let cache = ReassessmentCache(
            tip: try workspace.repository!.resolveCommit("HEAD"), prefix: "", repository: workspace.repository!,
            trusted: false, trustedConfigBlob: nil, config: config, folder: repo.path + "/.git/isms")
        cache.remember(newest: nil, of: "SUP-1", kind: .supplier)
        cache.save()
        XCTAssertEqual(try reassessments(repo), [], "a planted answer for the same key is what a run reads")
    }

    func testWarmRunsFindWhatUncachedRunsFind() throws {
        let repo = repository()
        let fresh = try reassessments(repo, useCache: false)
        XCTAssertEqual(fresh.map(\.record), ["RISK-2"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.path + "/.git/isms/" + cacheName), "--no-cache writes nothing")
        XCTAssertEqual(try reassessments(repo), fresh)
        XCTAssertTrue(FileManager.default.fileExists(atPath: repo.path + "/.git/isms/" + cacheName))
        XCTAssertEqual(try reassessments(repo), fresh)
        // An uncommitted reassessment of RISK-2 and a staged change of the asset are judged from the files, not the cache.
        repo.write("risks/risk-2.yaml", risk("RISK-2", reviewed: "2026-03-09"))
        XCTAssertEqual(try reassessments(repo), [])
        repo.git("checkout", "-q", "--", "risks/risk-2.yaml")
        repo.write("assets/asset-1.yaml", asset.replacingOccurrences(of: "confidential", with: "restricted"))
        repo.git("add", "-A")
        let staged = try reassessments(repo, staged: true)
        XCTAssertEqual(staged, try reassessments(repo, useCache: false, staged: true))
        XCTAssertEqual(Set(staged.map(\.record)), ["RISK-1", "RISK-2"])
        // The command line says the same, warm and cold.
        for arguments in [["check", "--as-of", "2026-03-10", "--format", "json"], ["check", "--staged", "--as-of", "2026-03-10"]] {
            let cold = isms(arguments + ["--no-cache"], in: repo.path), warm = isms(arguments, in: repo.path)
            XCTAssertEqual(warm.stdout, cold.stdout)
            XCTAssertEqual(warm.stderr, cold.stderr)
            XCTAssertEqual(warm.status, cold.status)
        }
    }

    func testANewCommitGivesFreshAnswers() throws {
        let repo = repository()
        try plant(repo)
        repo.write("risks/risk-2.yaml", risk("RISK-2", likelihood: 3))
        repo.commit("Raise RISK-2", by: .bob, at: "2026-03-06T10:00:00Z")
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud", with: "ThirdCloud"))
        repo.commit("SUP-1 moves again", by: .alice, at: "2026-03-07T10:00:00Z")
        XCTAssertEqual(try reassessments(repo).map(\.record), ["RISK-1", "RISK-2"])
        XCTAssertEqual(try reassessments(repo), try reassessments(repo, useCache: false))
    }

    func testOtherMaterialOrDecisionFieldsGiveFreshAnswers() throws {
        let repo = repository()
        try plant(repo)
        // Hosting is no longer material for suppliers, criticality is: no change of SUP-1 was material.
        repo.write("isms.yaml", minimalConfig + "material_fields:\n  supplier: [criticality]\n")
        XCTAssertEqual(try reassessments(repo), try reassessments(repo, useCache: false))
        // Back to the defaults, with the planted answer still stored for them; decision fields of risks changed.
        repo.write("isms.yaml", minimalConfig + "decision_fields:\n  risk: [treatment]\n")
        let fresh = try reassessments(repo, useCache: false)
        XCTAssertEqual(fresh.map(\.record), ["RISK-2"])
        XCTAssertEqual(try reassessments(repo), fresh)
    }

    func testADamagedFileIsIgnored() throws {
        let repo = repository()
        let fresh = try reassessments(repo, useCache: false)
        let file = repo.path + "/.git/isms/" + cacheName
        let damages: [(inout [UInt8]) -> Void] = [{ $0[$0.count - 2] ^= 1 }, { $0.removeLast(3) }, { $0[3] = UInt8(ascii: "X") }]
        for damage in damages {
            try plant(repo)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            damage(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            XCTAssertEqual(try reassessments(repo), fresh)
        }
        // A payload with a valid checksum that does not decode (a byte after the answers) is not read either.
        try plant(repo)
        let stored = KeyedCacheFile(path: file, header: "isms reassessment v1", maxEntries: 4)
        let entry = try XCTUnwrap(stored.entries()?.first)
        var payload = Array(entry.payload)
        payload.append(0)
        stored.store(payload, for: String(decoding: entry.key, as: UTF8.self))
        XCTAssertEqual(try reassessments(repo), fresh)
    }

    func testAnswersAboutRecordsANewCommitDoesNotTouchAreCarriedOver() throws {
        let repo = repository()
        try plant(repo)
        // A commit that touches neither SUP-1 nor the risks: the planted answer about SUP-1 stands at the new tip.
        repo.write("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Control\nowner: bob\nstatus: implemented\n")
        repo.commit("Add CTRL-2", by: .bob, at: "2026-03-06T10:00:00Z")
        XCTAssertEqual(try reassessments(repo), [], "carried over from the parent's tip")
        // A commit that touches SUP-1 (its data, a material field) drops every answer about it.
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud", with: "OtherCloud") + "data: [logs]\n")
        repo.commit("SUP-1 keeps logs", by: .carol, at: "2026-03-07T10:00:00Z")
        let fresh = try reassessments(repo, useCache: false)
        XCTAssertEqual(Set(fresh.map(\.record)), ["RISK-1", "RISK-2"])
        XCTAssertEqual(try reassessments(repo), fresh)
    }

    func testAnswersOfAnotherBranchOrAMergedChangeAreNotCarriedOver() throws {
        let repo = repository()
        try plant(repo)
        // An older revision, whose history the cached graph of the tip holds: the tip's answers are not its own.
        XCTAssertEqual(try reassessments(repo, revision: "HEAD~1"), try reassessments(repo, useCache: false, revision: "HEAD~1"))
        XCTAssertFalse(try reassessments(repo, revision: "HEAD~1").isEmpty)
        try plant(repo)
        // A sibling branch: the planted tip is not an ancestor of its tip.
        repo.git("checkout", "-q", "-b", "other", "HEAD~1")
        repo.write("controls/ctrl-2.yaml", "id: CTRL-2\ntitle: Control\nowner: bob\nstatus: implemented\n")
        repo.commit("Add CTRL-2", by: .bob, at: "2026-03-06T10:00:00Z")
        XCTAssertEqual(try reassessments(repo), try reassessments(repo, useCache: false))
        XCTAssertFalse(try reassessments(repo).isEmpty)
        // Back on main, plant again, then merge a branch whose commit touched SUP-1.
        repo.git("checkout", "-q", "main")
        try plant(repo)
        repo.git("checkout", "-q", "-b", "supplier", "main")
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud", with: "ThirdCloud"))
        repo.commit("SUP-1 moves again", by: .carol, at: "2026-03-08T10:00:00Z")
        repo.git("checkout", "-q", "main")
        repo.write("controls/ctrl-3.yaml", "id: CTRL-3\ntitle: Control\nowner: bob\nstatus: implemented\n")
        repo.commit("Add CTRL-3", by: .bob, at: "2026-03-08T11:00:00Z")
        repo.git(
            "merge", "-q", "--no-ff", "-m", "Merge the supplier change", "supplier",
            environment: ["GIT_AUTHOR_DATE": "2026-03-09T10:00:00Z", "GIT_COMMITTER_DATE": "2026-03-09T10:00:00Z"])
        let fresh = try reassessments(repo, useCache: false)
        XCTAssertEqual(Set(fresh.map(\.record)), ["RISK-1", "RISK-2"])
        XCTAssertEqual(try reassessments(repo), fresh)
    }

    /// The history is read with the tip's own isms.yaml (its limits) when no trusted revision pins them: a commit
    /// that only changes isms.yaml touches no record, yet the older commits read differently. Here SUP-1's move
    /// was made in a file over the new `limits.file_bytes`, so it now first shows in the later commit that trimmed
    /// the file, after the risks' reassessment: both are due, warm as cold.
    func testAnOwnIsmsYamlThatReadsTheHistoryDifferentlyGivesFreshAnswers() throws {
        let repo = supplierMoved(padding: "# " + String(repeating: "x", count: 3000) + "\n")
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-05"))
        repo.write("risks/risk-2.yaml", risk("RISK-2", reviewed: "2026-03-05"))
        repo.commit("Reassess both risks", by: .carol, at: "2026-03-05T10:00:00Z")
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud", with: "OtherCloud"))
        repo.commit("Trim SUP-1", by: .alice, at: "2026-03-06T10:00:00Z")
        XCTAssertEqual(try reassessments(repo), [], "warms the cache at this tip")
        repo.write("isms.yaml", minimalConfig + "limits:\n  file_bytes: 1024\n")
        repo.commit("Smaller record files", by: .bob, at: "2026-03-07T10:00:00Z")
        let fresh = try reassessments(repo, useCache: false)
        XCTAssertEqual(Set(fresh.map(\.record)), ["RISK-1", "RISK-2"])
        XCTAssertEqual(try reassessments(repo), fresh)
    }

    /// A trusted revision without an isms.yaml (the pull request that adds the ISMS) reads the history with the
    /// default limits; a check without a trusted revision reads it with the tip's own. Their answers differ here
    /// (SUP-1's move is in a file over the tip's own `limits.file_bytes`), so neither may be read for the other.
    func testAnswersWithoutATrustedRevisionAreNotThoseOfATrustedOneWithoutSettings() throws {
        let repo = GitRepository()
        repo.write("README.md", "Before the ISMS\n")
        repo.commit("Readme", by: .alice, at: "2026-01-02T10:00:00Z")
        repo.git("tag", "before")
        repo.write("isms.yaml", minimalConfig + "limits:\n  file_bytes: 1024\n")
        repo.write("suppliers/sup-1.yaml", supplier)
        repo.write("assets/asset-1.yaml", asset)
        repo.write("risks/risk-1.yaml", risk("RISK-1"))
        repo.write("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Control\nowner: alice\nstatus: implemented\n")
        repo.commit("Start the ISMS", by: .alice, at: "2026-01-12T10:00:00Z")
        let padding = "# " + String(repeating: "x", count: 3000) + "\n"
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud", with: "OtherCloud") + padding)
        repo.commit("SUP-1 moves to OtherCloud", by: .bob, at: "2026-03-01T10:00:00Z")
        repo.write("risks/risk-1.yaml", risk("RISK-1", reviewed: "2026-03-05"))
        repo.commit("Reassess RISK-1", by: .carol, at: "2026-03-05T10:00:00Z")
        repo.write("suppliers/sup-1.yaml", supplier.replacingOccurrences(of: "ExampleCloud", with: "OtherCloud"))
        repo.commit("Trim SUP-1", by: .alice, at: "2026-03-06T10:00:00Z")
        let untrusted = try reassessments(repo, useCache: false), trusted = try reassessments(repo, useCache: false, trustRef: "before")
        XCTAssertEqual(untrusted.map(\.record), ["RISK-1"], "the move first shows when the file is trimmed")
        XCTAssertEqual(trusted, [], "read with the default limits, the move was reassessed")
        XCTAssertEqual(try reassessments(repo), untrusted)
        XCTAssertEqual(try reassessments(repo, trustRef: "before"), trusted)
        XCTAssertEqual(try reassessments(repo), untrusted)
    }
}
