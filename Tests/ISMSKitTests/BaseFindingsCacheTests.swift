import Foundation
import GitKit
import ISMSKit
import ISMSModel
import ISMSOutput
import ISMSRules
import XCTest

/// The cache of the findings at a merge base (`check --base`, `BaseFindingsCache`): it may only make the gate
/// faster, never change what it reports.
final class BaseFindingsCacheTests: XCTestCase {
    private let asOf = Day("2026-12-01")!
    private static let config = minimalConfig + "require_signed_decisions: true\n"

    /// main: three commits by alice, bob and carol, with a broken link, an unknown field and unsigned decisions;
    /// `feature` branches from main's tip and adds a change by bob.
    private func repository() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", Self.config)
        repo.write("isms/risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")
        repo.commit("Add ISMS", by: .alice, at: "2026-03-01T09:00:00+01:00")
        repo.write(
            "isms/risks/risk-2.yaml", "id: RISK-2\ntitle: Phishing\nowner: bob\ntreatment: reduce\ncontrols: [CTRL-404]\ncolour: red\n")
        repo.commit("Add RISK-2", by: .bob, at: "2026-03-02T09:00:00+01:00")
        repo.write("isms/risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: carol\ntreatment: accept\n")
        repo.commit("Accept RISK-1", by: .carol, at: "2026-03-03T09:00:00+01:00")
        repo.git("checkout", "-q", "-b", "feature")
        repo.write("isms/risks/risk-3.yaml", "id: RISK-3\ntitle: Flood\nowner: bob\ntreatment: avoid\nlikelihood: 9\n")
        repo.commit("Add RISK-3", by: .bob, at: "2026-03-04T09:00:00+01:00")
        return repo
    }

    private func workspace(_ repo: GitRepository) throws -> Workspace { try Workspace(explicitRoot: repo.path + "/isms") }

    private func cacheFile(_ repo: GitRepository) -> String { repo.path + "/.git/isms/" + BaseFindingsCache.fileName }

    /// The findings at the merge base of main and HEAD, as the gate computes them.
    private func baseFindings(_ repo: GitRepository, trust: String = "main", asOf day: Day? = nil, useCache: Bool = true) throws
        -> [Finding]
    {
        let workspace = try workspace(repo)
        return try workspace.findings(
            atCommit: try workspace.mergeBase(of: "main"), label: "main", asOf: day ?? asOf, trustRef: trust, useCache: useCache)
    }

    /// The key the gate uses for the merge base of main and HEAD, judged with `trust`.
    private func key(_ repo: GitRepository, trust: String = "main", asOf day: Day? = nil) throws -> BaseFindingsCache.Key {
        let workspace = try workspace(repo)
        let trusted = try workspace.trustedRevision(trust)
        return BaseFindingsCache.Key(
            baseCommit: try workspace.mergeBase(of: "main"), label: "main", prefix: "isms", trustName: trust,
            trustCommit: trusted.commit, trustConfigBlob: trusted.configBlob, asOf: day ?? asOf, repository: workspace.repository!)
    }

    /// A finding no check gives: when a run returns it, the run read the cache.
    private let planted = [
        Finding(rule: "broken-link", severity: .error, message: "planted in the cache", path: "risks/x.yaml", location: nil, record: "X")
    ]

    /// Plants `planted` under the key of the current gate and proves a run reads it, so that a fresh answer in the
    /// tests below means the cache was passed over, not that it was never read.
    private func plant(_ repo: GitRepository) throws {
        _ = try baseFindings(repo)
        BaseFindingsCache.store(planted, for: try key(repo), in: repo.path + "/.git/isms")
        XCTAssertEqual(try baseFindings(repo), planted, "a stored entry for the same key is what the gate reads")
    }

    func testTheGateReportsTheSameWithAndWithoutTheCache() throws {
        let repo = repository()
        let root = repo.path + "/isms"
        for format in ["text", "json", "sarif"] {
            let arguments = ["check", "--base", "main", "--as-of", "2026-12-01", "--format", format]
            let uncached = isms(arguments + ["--no-cache"], in: root)
            XCTAssertFalse(FileManager.default.fileExists(atPath: cacheFile(repo)), "--no-cache writes no cache")
            let cold = isms(arguments, in: root)
            XCTAssertTrue(FileManager.default.fileExists(atPath: cacheFile(repo)), "the first run stores the base's findings")
            let warm = isms(arguments, in: root)
            for run in [cold, warm] {
                XCTAssertEqual(run.status, uncached.status, format)
                XCTAssertEqual(run.stdout, uncached.stdout, format)
                XCTAssertEqual(run.stderr, uncached.stderr, format)
            }
            XCTAssertTrue(warm.stderr.contains("2 new since main"), warm.stderr)
            try? FileManager.default.removeItem(atPath: repo.path + "/.git/isms")
        }
        // In-process: the stored findings are the fresh ones, in the same order.
        let fresh = try baseFindings(repo, useCache: false)
        XCTAssertTrue(fresh.contains { $0.rule == "unsigned-decision" }, "the base's history rules are judged: \(fresh)")
        XCTAssertEqual(try baseFindings(repo), fresh)
        XCTAssertEqual(BaseFindingsCache.findings(for: try key(repo), in: repo.path + "/.git/isms"), fresh)
        XCTAssertEqual(try baseFindings(repo), fresh)
    }

    func testADamagedOrForeignFileIsIgnored() throws {
        let repo = repository()
        let fresh = try baseFindings(repo, useCache: false)
        let file = cacheFile(repo)
        let damages: [(String, (inout [UInt8]) -> Void)] = [
            ("a byte of the findings changed", { $0[$0.count - 3] ^= 0x20 }),
            ("cut short", { $0.removeLast(7) }),
            ("another format's header", { $0[20] = UInt8(ascii: "2") }),
            ("bytes appended", { $0 += [1, 0, 0, 0, 0x41] }),
            ("emptied", { $0 = [] }),
        ]
        for (what, damage) in damages {
            try plant(repo)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            damage(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            XCTAssertEqual(try baseFindings(repo), fresh, what)
            XCTAssertEqual(BaseFindingsCache.findings(for: try key(repo), in: repo.path + "/.git/isms"), fresh, "\(what): rewritten")
        }
        // A checksum that holds over a payload that does not decode (an unknown severity) is not trusted either.
        try plant(repo)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let error = Array("error".utf8), bogus = Array("panic".utf8)
        let at = try XCTUnwrap((0..<bytes.count - error.count).first { bytes[$0..<$0 + error.count].elementsEqual(error) })
        bytes.replaceSubrange(at..<at + error.count, with: bogus)
        let keyLength = Int(bytes[22]) | Int(bytes[23]) << 8
        let payloadAt = 22 + 4 + keyLength + 4 + 8
        let sum = KeyedCacheFile.checksum(bytes[26..<26 + keyLength], bytes[payloadAt...])
        for i in 0..<8 { bytes[payloadAt - 8 + i] = UInt8(truncatingIfNeeded: sum >> UInt64(8 * i)) }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(BaseFindingsCache.file(in: repo.path + "/.git/isms").entries()?.first?.isWhole, true, "the checksum holds")
        XCTAssertEqual(try baseFindings(repo), fresh)
        // A link planted at the cache's name is not followed when writing, and is read as any other file.
        try? FileManager.default.removeItem(atPath: file)
        let target = repo.folder.write("elsewhere.bin", "isms base-findings v1\n")
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: target)
        XCTAssertEqual(try baseFindings(repo), fresh)
        XCTAssertEqual(repo.folder.read("elsewhere.bin"), "isms base-findings v1\n")
    }

    func testAnotherDayGivesFreshFindings() throws {
        let repo = repository()
        try plant(repo)
        let later = Day("2027-06-01")!
        XCTAssertEqual(try baseFindings(repo, asOf: later), try baseFindings(repo, asOf: later, useCache: false))
        XCTAssertNotEqual(try baseFindings(repo, asOf: later), planted)
    }

    func testChangedSeveritiesOnTheTrustRevisionGiveFreshFindings() throws {
        let repo = repository()
        try plant(repo)
        // main moves on: the policy makes broken links warnings. The merge base is the same commit.
        repo.git("checkout", "-q", "main")
        repo.write("isms/isms.yaml", Self.config + "rules:\n  broken-link: warning\n")
        repo.commit("Broken links are warnings", by: .carol, at: "2026-03-05T09:00:00+01:00")
        repo.git("checkout", "-q", "feature")
        let findings = try baseFindings(repo)
        XCTAssertEqual(findings, try baseFindings(repo, useCache: false))
        XCTAssertEqual(findings.first { $0.rule == "broken-link" }?.severity, .warning, "\(findings)")
    }

    func testAnotherTrustRevisionGivesFreshFindings() throws {
        let repo = repository()
        try plant(repo)
        // The same merge base judged with the policy of an older commit of main.
        repo.git("tag", "older", "main~1")
        let findings = try baseFindings(repo, trust: "older")
        XCTAssertEqual(findings, try baseFindings(repo, trust: "older", useCache: false))
        XCTAssertNotEqual(findings, planted)
    }

    func testTheKeyNamesWhatTheFindingsDependOn() throws {
        let repo = repository()
        let base = try key(repo)
        XCTAssertEqual(base, try key(repo), "the same inputs give the same key")
        XCTAssertNotEqual(base, try key(repo, asOf: Day("2026-12-02")!))
        repo.git("tag", "older", "main~1")
        XCTAssertNotEqual(base, try key(repo, trust: "older"))
        // A shallow boundary changes what history there is to read.
        repo.write(".git/shallow", try workspace(repo).mergeBase(of: "main").hex + "\n")
        XCTAssertNotEqual(base, try key(repo))
    }

    func testAResultThatDependsOnTheMachineIsNotStored() throws {
        // A pattern given up after its time budget: which ids it judged first depends on the machine's speed.
        let repo = GitRepository()
        repo.write("isms/isms.yaml", minimalConfig + "id_patterns:\n  risk: '^(a+)+$'\n")
        for n in 0..<3 {
            repo.write("isms/risks/r\(n).yaml", "id: \(String(repeating: "a", count: 40 + n))b\ntitle: t\nowner: alice\ntreatment: avoid\n")
        }
        repo.commit("Add ISMS", by: .alice, at: "2026-03-01T09:00:00+01:00")
        repo.git("checkout", "-q", "-b", "feature")
        repo.write("isms/risks/ok.yaml", "id: aaaa\ntitle: t\nowner: bob\ntreatment: avoid\n")
        repo.commit("Add a risk", by: .bob, at: "2026-03-02T09:00:00+01:00")
        let findings = try baseFindings(repo)
        XCTAssertTrue(findings.contains { $0.message.hasPrefix("id_patterns.risk took over") }, "\(findings)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cacheFile(repo)), "nothing stored")
        // The same gate with a sane pattern is stored.
        repo.git("checkout", "-q", "main")
        repo.write("isms/isms.yaml", minimalConfig)
        repo.commit("A sane pattern", by: .carol, at: "2026-03-03T09:00:00+01:00")
        repo.git("checkout", "-q", "feature")
        repo.git("rebase", "-q", "main")
        _ = try baseFindings(repo)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cacheFile(repo)))
    }

    func testAReferencePatternGivenUpIsNotStored() throws {
        // reference_pattern has the same time budget as the id patterns: once given up, every later decision's message
        // "does not match", so which commits are reported depends on the machine's speed.
        let repo = GitRepository()
        repo.write("isms/isms.yaml", minimalConfig + "reference_pattern: '^(a+)+$'\n")
        repo.write("isms/risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n")
        repo.commit("aaaa", by: .alice, at: "2026-03-01T09:00:00+01:00")
        repo.write("isms/risks/risk-1.yaml", "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\n")
        repo.commit(String(repeating: "a", count: 40) + "b", by: .alice, at: "2026-03-02T09:00:00+01:00")
        repo.git("checkout", "-q", "-b", "feature")
        repo.write("isms/risks/risk-2.yaml", "id: RISK-2\ntitle: Flood\nowner: bob\ntreatment: avoid\n")
        repo.commit("aaaa", by: .bob, at: "2026-03-03T09:00:00+01:00")
        let findings = try baseFindings(repo)
        XCTAssertTrue(findings.contains { $0.rule == "decision-without-reference" }, "\(findings)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cacheFile(repo)), "nothing stored")
    }
}
