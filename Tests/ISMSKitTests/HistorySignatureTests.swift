import Foundation
import XCTest

/// `isms history`, `blame` and `log` name each commit's signature: a `signature` object in JSON, a mark in text.
final class HistorySignatureTests: XCTestCase {
    let alice = TestKeys.ed25519, mallory = TestKeys.stranger
    private var r: ISMSRepository!
    private var commits: [String] = []

    /// Alice signs the start; Bob edits unsigned; Mallory signs with a key nobody trusts.
    override func setUp() {
        r = ISMSRepository()
        r.write(".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n")
        r.write("risks/r1.yaml", riskYAML("RISK-1", controls: []))
        commits.append(r.repo.commitSigned("Add RISK-1", by: .alice, at: "2026-01-05T10:00:00+01:00", key: alice))
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2, controls: []))
        commits.append(r.commit("Lower the likelihood", by: .bob, at: "2026-02-01T10:00:00+01:00"))
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 2, impact: 2, controls: []))
        commits.append(r.repo.commitSigned("Lower the impact", by: .carol, at: "2026-03-01T10:00:00+01:00", key: mallory))
    }

    override func tearDown() { r = nil }

    func testHistoryJSONCarriesTheSignatureObject() throws {
        let entries = r.history("RISK-1")
        let signatures = entries.map { $0["signature"] as? [String: Any] ?? [:] }
        XCTAssertEqual(signatures.map { $0["status"] as? String }, ["unknown-key", "unsigned", "good"])
        XCTAssertEqual(signatures.map { $0["format"] as? String }, ["ssh", nil, "ssh"])
        XCTAssertEqual(signatures[2]["principal"] as? String, "alice@example.com")
        XCTAssertEqual(signatures[2]["key"] as? String, alice.fingerprint)
        XCTAssertEqual(signatures[0]["key"] as? String, mallory.fingerprint)
        XCTAssertTrue(signatures[0]["principal"] is NSNull)
        XCTAssertTrue(signatures[1]["key"] is NSNull)

        let blame = try XCTUnwrap(r.json(["blame", "RISK-1"])["fields"] as? [[String: Any]])
        let byField = Dictionary(
            uniqueKeysWithValues: blame.map { ($0["field"] as! String, ($0["signature"] as? [String: Any])?["status"] as? String) })
        XCTAssertEqual(byField["id"], "good")
        XCTAssertEqual(byField["likelihood"], "unsigned")
        XCTAssertEqual(byField["impact"], "unknown-key")
        let log = try XCTUnwrap(r.json(["log"])["entries"] as? [[String: Any]])
        XCTAssertEqual(log.map { ($0["signature"] as? [String: Any])?["status"] as? String }, ["unknown-key", "unsigned", "good"])
    }

    func testTextShowsAMarkAfterTheAuthor() {
        let text = r.isms(["history", "RISK-1"]).stdout
        XCTAssertTrue(text.contains("2026-03-01 Carol Example ?unknown  modified  impact: 4 → 2"), text)
        XCTAssertTrue(text.contains("2026-02-01 Bob Example -  modified  likelihood: 3 → 2"), text)
        XCTAssertTrue(text.contains("2026-01-05 Alice Example ✓alice  created"), text)
        let blame = r.isms(["blame", "RISK-1"]).stdout
        XCTAssertTrue(blame.contains("Alice Example ✓alice  Add RISK-1"), blame)
    }

    func testTrustComesFromTheTrustRefNotFromTheChange() {
        r.git("checkout", "-q", "-b", "pull-request")
        r.write(
            ".isms/allowed_signers", alice.allowedSigner("alice@example.com") + "\n" + mallory.allowedSigner("carol@example.com") + "\n")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 1, impact: 2, controls: []))
        r.repo.commitSigned("Trust my key and lower the likelihood again", by: .carol, at: "2026-03-02T10:00:00+01:00", key: mallory)
        func statuses(_ extra: [String]) -> [String?] {
            r.history("RISK-1", extra).map { ($0["signature"] as? [String: Any])?["status"] as? String }
        }
        XCTAssertEqual(statuses(["--trust-ref", "main"]), ["unknown-key", "unknown-key", "unsigned", "good"])
        XCTAssertEqual(statuses([]), ["good", "good", "unsigned", "good"], "by default the revision read is trusted")
        XCTAssertEqual(r.isms(["log", "--trust-ref", "no-such-ref"]).status, 2)
    }

    func testVerdictsAreCachedUnderTheGitFolder() throws {
        XCTAssertEqual(r.isms(["log"]).status, 0)
        let cache = r.path + "/.git/isms/signatures-v1.cache"
        let text = try XCTUnwrap(FileManager.default.contents(atPath: cache).map { String(decoding: $0, as: UTF8.self) })
        XCTAssertEqual(text.split(separator: "\n").count, 2 + 3, text)
        XCTAssertEqual(r.isms(["log", "--no-cache"]).stdout, r.isms(["log"]).stdout)
    }

    func testOpenPGPWithAndWithoutGpg() throws {
        try XCTSkipUnless(OpenPGPKey.available, "gpg is not installed")
        let key = OpenPGPKey("Alice Example <alice@example.com>")
        r.write(".isms/openpgp/alice.asc", key.armoredPublicKey)
        r.commit("Trust Alice's OpenPGP key", by: .alice, at: "2026-03-05T10:00:00+01:00")
        r.write("risks/r1.yaml", riskYAML("RISK-1", likelihood: 5, impact: 2, controls: []))
        r.repo.commitSigned("Raise the likelihood", by: .alice, at: "2026-03-06T10:00:00+01:00", openPGP: key)
        let signature = r.history("RISK-1").first?["signature"] as? [String: Any] ?? [:]
        XCTAssertEqual(signature["status"] as? String, "good")
        XCTAssertEqual(signature["format"] as? String, "openpgp")
        XCTAssertEqual(signature["principal"] as? String, "alice@example.com")
        XCTAssertEqual(signature["key"] as? String, key.fingerprint)

        // No gpg on PATH: not-verified, with the reason on stderr, and never cached as such.
        let bare = runProcess(
            ismsExecutable, ["history", "RISK-1", "--root", "isms", "--format", "json", "--no-cache"], in: r.path,
            environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(bare.status, 0, bare.stderr)
        XCTAssertTrue(bare.stderr.contains("isms: note: 1 signature not verified: gpg is not installed"), bare.stderr)
        let entries =
            (try JSONSerialization.jsonObject(with: Data(bare.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual((entries.first?["signature"] as? [String: Any])?["status"] as? String, "not-verified")
        let text = runProcess(
            ismsExecutable, ["history", "RISK-1", "--root", "isms", "--no-cache"], in: r.path, environment: ["PATH": "/nonexistent"])
        XCTAssertTrue(
            text.stdout.hasPrefix(String(r.git("rev-parse", "HEAD").prefix(10)) + " 2026-03-06 Alice Example ?unverified  modified"),
            text.stdout)
    }
}
