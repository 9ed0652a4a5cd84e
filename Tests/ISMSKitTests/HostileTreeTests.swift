import Foundation
import ISMSKit
import XCTest

/// Hostile trees: links out of the repository, submodules and nested repositories where records belong,
/// renames that only change case or Unicode normalisation, a file split in two, two files with one id.
/// Each is read the same way in the work tree, the index and a commit, and by the history.
final class HostileTreeTests: XCTestCase {
    private func findings(_ result: BoundedResult) -> [(path: String, rule: String, message: String)] {
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (json["findings"] as? [[String: Any]] ?? []).map {
            ($0["path"] as? String ?? "", $0["rule"] as? String ?? "", $0["message"] as? String ?? "")
        }
    }

    /// A repository whose one commit holds isms.yaml and RISK-1: where each hostile case starts.
    private func repositoryWithOneRisk() -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-1"))
        repo.commit("Add RISK-1", at: "2026-01-05T10:00:00+01:00")
        return repo
    }

    /// `check` as JSON in the three modes that read files: the work tree, the index and HEAD.
    private func checkAllModes(_ repo: GitRepository, exits: Set<Int32> = [1]) -> [String: [(path: String, rule: String, message: String)]]
    {
        var byMode = [String: [(path: String, rule: String, message: String)]]()
        for (mode, extra) in [("work tree", [String]()), ("HEAD", ["--rev", "HEAD"])] {
            byMode[mode] = findings(
                assertHeld(["check", "--format", "json", "--as-of", "2026-12-01"] + extra, in: repo.path, exits: exits))
        }
        return byMode
    }

    /// Stages every change and checks the index, then commits it (Bob, 2026-01-06) and checks the work tree and HEAD:
    /// the findings of all three modes.
    private func checkStagedAndCommitted(_ repo: GitRepository, _ message: String) -> [String: [(
        path: String, rule: String, message: String
    )]] {
        repo.git("add", "-A")
        let staged = findings(assertHeld(["check", "--staged", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1]))
        repo.commit(message, by: .bob, at: "2026-01-06T10:00:00+01:00")
        var byMode = checkAllModes(repo)
        byMode["index"] = staged
        return byMode
    }

    /// A repository with one risk and evidence EV-1 whose `location:` is `location` (YAML as written), beside the
    /// artifacts `artifacts` writes, all committed.
    private func repositoryWithEvidence(at location: String, artifacts: (GitRepository) -> Void) -> GitRepository {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-1"))
        repo.write(
            "evidence/ev-1.yaml",
            "id: EV-1\ntitle: Restore test\ncontrol: CTRL-1\ncollected_on: 2026-11-20\nresult: pass\nlocation: \(location)\n")
        artifacts(repo)
        repo.git("add", "-A")
        repo.commit("Evidence", at: "2026-11-20T10:00:00+01:00")
        return repo
    }

    /// EV-1's artifact is `missing-artifact`, with a message `saying` accepts, in every mode `checkAllModes` runs.
    private func assertEvidenceArtifactMissingInEveryMode(
        _ repo: GitRepository, file: StaticString = #filePath, line: UInt = #line, saying: (String) -> Bool
    ) {
        for (mode, found) in checkAllModes(repo) {
            let missing = found.filter { $0.rule == "missing-artifact" }
            XCTAssertEqual(missing.map(\.path), ["evidence/ev-1.yaml"], "\(mode): \(found)", file: file, line: line)
            XCTAssertTrue(missing.allSatisfy { saying($0.message) }, "\(mode): \(missing)", file: file, line: line)
        }
    }

    /// A symbolic link named like a record, to a file outside the repository (absolute and relative), and a kind
    /// folder that is a link out of it: reported where they stand, never followed, in every mode and in the history.
    func testLinksOutOfTheRepositoryAreReportedNeverFollowed() throws {
        let outside = TemporaryFolder("isms-outside")
        outside.write("secret.yaml", hostileRisk("RISK-99", title: "SECRET-FROM-OUTSIDE"))
        outside.write("controls/c.yaml", "id: CTRL-99\ntitle: SECRET-FROM-OUTSIDE\nowner: alice\n")
        let repo = repositoryWithOneRisk()
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: repo.path + "/risks/absolute.yaml", withDestinationPath: outside.path + "/secret.yaml")
        try fm.createSymbolicLink(
            atPath: repo.path + "/risks/relative.yaml",
            withDestinationPath: "../../" + (outside.path as NSString).lastPathComponent + "/secret.yaml")
        try fm.createSymbolicLink(atPath: repo.path + "/controls", withDestinationPath: outside.path + "/controls")
        for (mode, found) in checkStagedAndCommitted(repo, "Add links") {
            XCTAssertEqual(found.map(\.path), ["controls", "risks/absolute.yaml", "risks/relative.yaml"], mode)
            XCTAssertEqual(Set(found.map(\.rule)), ["parse-error"], mode)
            XCTAssertTrue(found[0].message.hasPrefix("the folder controls/ is a symbolic link to "), "\(mode): \(found[0].message)")
            XCTAssertTrue(found[1].message.contains("is not followed"), "\(mode): \(found[1].message)")
        }
        for command in Commands.reading(id: "RISK-1") + [
            ["report", "register", "--format", "csv"], ["graph"], ["export", "--html", outside.path + "/pack.html"],
        ] {
            let result = assertHeld(command, in: repo.path, exits: [0, 1])
            XCTAssertFalse(
                result.stdout.contains("SECRET-FROM-OUTSIDE") || result.stdout.contains("RISK-99"),
                "\(command) read outside: \(result.stdout)")
        }
        XCTAssertFalse(try String(contentsOfFile: outside.path + "/pack.html", encoding: .utf8).contains("SECRET-FROM-OUTSIDE"))
        assertHeld(["history", "RISK-99"], in: repo.path, exits: [2], stderrContains: "no record 'RISK-99'")
        assertHeld(["blame", "CTRL-99"], in: repo.path, exits: [2], stderrContains: "no record 'CTRL-99'")
    }

    /// A submodule (a gitlink) where a record would be, in the index and in commits, and a checked-out nested
    /// repository in the work tree: a finding, never read as records; the history has no entry for it.
    func testSubmoduleAtARecordPath() throws {
        let vendor = GitRepository()
        vendor.write("risk-7.yaml", hostileRisk("RISK-7", title: "vendor's"))
        let vendorCommit = vendor.commit("Vendor", at: "2026-01-01T10:00:00+01:00")
        let repo = repositoryWithOneRisk()
        repo.git("update-index", "--add", "--cacheinfo", "160000,\(vendorCommit),risks/vendor.yaml")
        let staged = findings(assertHeld(["check", "--staged", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1]))
        repo.git("commit", "-q", "-m", "Add a submodule where a record belongs")
        // Its checkout: a folder with a `.git` file, holding the vendor's records.
        repo.folder.write("risks/vendor.yaml/.git", "gitdir: \(vendor.path)/.git\n")
        repo.folder.write("risks/vendor.yaml/risk-7.yaml", hostileRisk("RISK-7", title: "vendor's"))
        var modes = checkAllModes(repo)
        modes["index"] = staged
        for (mode, found) in modes {
            XCTAssertEqual(found.map(\.path), ["risks/vendor.yaml"], mode)
            XCTAssertEqual(found.first?.message, "a submodule is not a record", mode)
        }
        for command in Commands.reading(id: "RISK-1") { assertHeld(command, in: repo.path, exits: [0, 1]) }
        XCTAssertEqual((repo.json(["log"])["entries"] as? [[String: Any]] ?? []).strings("record"), ["RISK-1"])
        assertHeld(["diff", "HEAD~1..HEAD", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
    }

    /// A rename that only changes case, and one that only changes Unicode normalisation (NFC `é` to NFD `e` +
    /// U+0301): git sees a new path, the history a move of the same record. Two files whose names differ only
    /// in normalisation are two files in every mode (a dictionary keyed by Swift strings once kept one).
    func testCaseOnlyAndNormalisationOnlyRenames() {
        let nfc = "risks/caf\u{E9}.yaml", nfd = "risks/cafe\u{301}.yaml"
        XCTAssertNotEqual(Array(nfc.utf8), Array(nfd.utf8))
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-1"))
        repo.write(nfc, hostileRisk("RISK-5", title: "Cafe"))
        let created = repo.commit("Add", at: "2026-01-05T10:00:00+01:00")
        repo.git("mv", "risks/r1.yaml", "risks/R1.yaml")
        let caseRename = repo.commit("Case-only rename", by: .bob, at: "2026-01-06T10:00:00+01:00")
        repo.git("mv", nfc, nfd)
        let normalisationRename = repo.commit("Normalisation-only rename", by: .carol, at: "2026-01-07T10:00:00+01:00")
        XCTAssertEqual(
            repo.json(["history", "RISK-1"])["entries"].map { ($0 as? [[String: Any]] ?? []).strings("event") }, ["moved", "created"])
        let cafe = repo.json(["history", "RISK-5"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(cafe.strings("event"), ["moved", "created"])
        XCTAssertEqual(cafe.strings("commit"), [normalisationRename, created])
        XCTAssertEqual(cafe.first.map { Array(($0["path"] as? String ?? "").utf8) }, Array(nfd.utf8), "the new spelling")
        XCTAssertNotEqual(caseRename, created)

        // Both spellings at once, with different records: both are read, in every mode and in the history.
        repo.write(nfc, hostileRisk("RISK-6", title: "Cafe again"))
        repo.git("add", "-A")
        let staged = assertHeld(["check", "--staged", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        XCTAssertTrue(staged.stdout.hasPrefix("3 records checked"), staged.stdout)
        repo.commit("Both spellings", by: .alice, at: "2026-01-08T10:00:00+01:00")
        for extra in [[String](), ["--rev", "HEAD"]] {
            let result = assertHeld(["check", "--as-of", "2026-12-01"] + extra, in: repo.path, exits: [0])
            XCTAssertTrue(result.stdout.hasPrefix("3 records checked"), "\(extra): \(result.stdout)")
        }
        // Dropping one spelling deletes its record only; the cache agrees with a fresh run.
        repo.remove(nfd)
        repo.commit("Drop the NFD spelling", by: .bob, at: "2026-01-09T10:00:00+01:00")
        XCTAssertEqual(
            repo.json(["history", "RISK-5"])["entries"].map { ($0 as? [[String: Any]] ?? []).strings("event") },
            ["deleted", "moved", "created"])
        XCTAssertEqual(repo.json(["blame", "RISK-6"])["record"] as? String, "RISK-6")
        for command in Commands.reading(id: "RISK-6") { assertHeld(command, in: repo.path, exits: [0]) }
        XCTAssertEqual(
            assertHeld(["log", "--format", "json"], in: repo.path, exits: [0]).stdout,
            assertHeld(["log", "--format", "json", "--no-cache"], in: repo.path, exits: [0]).stdout)
    }

    /// Record file names that are not UTF-8 (`\xFE`, `\xFF`) both decode to `risks/\u{FFFD}.yaml`: the work tree once
    /// dropped both records silently, a commit kept one, and the history read a rename of one as the other's deletion
    /// and an id change. Each mode now reports them where records are read, and the history refuses to follow them.
    func testRecordNamesThatAreNotUTF8AreRefusedNeverMerged() {
        let repo = repositoryWithOneRisk()
        writeRawName(in: repo, "risks/", [0xFE], ".yaml", hostileRisk("RISK-2"))
        writeRawName(in: repo, "risks/", [0xFF], ".yaml", hostileRisk("RISK-3"))
        repo.git("add", "-A")
        let mangled = "risks/\u{FFFD}.yaml"
        let staged = assertHeld(["check", "--staged", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1])
        let workTree = assertHeld(["check", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1])
        for (mode, result) in [("index", staged), ("work tree", workTree)] {
            let found = findings(result)
            // The index, keyed by path, holds one of the two; either way nothing under the name is read as a record.
            XCTAssertFalse(found.isEmpty, mode)
            XCTAssertTrue(found.allSatisfy { $0.path == mangled }, "\(mode): \(found)")
            let summary = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["summary"]
            XCTAssertEqual((summary as? [String: Any])?["records"] as? Int, 1, mode)
            XCTAssertEqual(Set(found.map(\.rule)), ["parse-error"], mode)
            XCTAssertTrue(found.allSatisfy { $0.message.hasPrefix("this name is not UTF-8") }, "\(mode): \(found)")
        }
        let added = repo.commit("Add two records with names that are not UTF-8", by: .bob, at: "2026-01-06T10:00:00+01:00")
        renameRaw(in: repo, "risks/", [0xFE], [0xFD], ".yaml")
        repo.git("add", "-A")
        repo.commit("Move RISK-2", by: .carol, at: "2026-01-07T10:00:00+01:00")
        let line = "commit \(added.prefix(10)) in the history of "
        for command in [
            ["log"], ["log", "--no-cache"], ["history", "RISK-2"], ["blame", "RISK-1"], ["diff", "HEAD~2..HEAD"],
            ["check", "--base", "HEAD~2", "--as-of", "2026-12-01"], ["check", "--rev", "HEAD", "--base", "HEAD~2"],
        ] {
            let result = assertHeld(command, in: repo.path, exits: [2], stderrContains: line)
            XCTAssertTrue(result.stderr.contains("the file name \(mangled) is not UTF-8"), "\(command): \(result.stderr)")
        }
        // A check without a base judges the records it can read and says the history rules did not run.
        let local = assertHeld(["check", "--as-of", "2026-12-01"], in: repo.path, exits: [1])
        XCTAssertTrue(local.stderr.contains("the history rules were not run"), local.stderr)
    }

    /// The audit pack of a repository whose history cannot be read (here: a record name that is not UTF-8) is still
    /// written from the records, but it lacked the decision log without a word, exit 0: an auditor's copy short of
    /// its proof. It now says what it leaves out and why.
    func testTheAuditPackSaysWhatItLeavesOutWhenTheHistoryCannotBeRead() {
        let repo = repositoryWithOneRisk()
        let out = TemporaryFolder()
        let whole = assertHeld(["export", "--html", out.path + "/pack.html", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        XCTAssertTrue(whole.stdout.contains("Decision log"), whole.stdout)
        XCTAssertFalse(whole.stderr.contains("leaves out"), whole.stderr)
        writeRawName(in: repo, "risks/", [0xFE], ".yaml", hostileRisk("RISK-2"))
        repo.git("add", "-A")
        repo.commit("Add a record whose name is not UTF-8", by: .bob, at: "2026-01-06T10:00:00+01:00")
        let short = assertHeld(["export", "--html", out.path + "/pack.html", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        XCTAssertFalse(short.stdout.contains("Decision log"), short.stdout)
        XCTAssertTrue(short.stderr.contains("the pack leaves out what the history gives (the decision log"), short.stderr)
        XCTAssertTrue(short.stderr.contains("the file name risks/\u{FFFD}.yaml is not UTF-8"), short.stderr)
    }

    /// A record whose name starts with a combining mark (`risks/\u{301}a.yaml`): the mark joins the `/` before it into
    /// one character, so a search for the character `/` found no folder. The work tree's check crashed (a force
    /// unwrap), and a commit, the index and the history passed the record by unread. Git's separator is the byte.
    func testARecordNameStartingWithACombiningMarkIsReadInEveryMode() {
        let repo = repositoryWithOneRisk()
        let path = "risks/\u{301}a.yaml"
        repo.write(path, "id: RISK-9\ntitle: t\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-99]\n")
        for (mode, found) in checkStagedAndCommitted(repo, "Add RISK-9") {
            XCTAssertTrue(found.contains { $0.rule == "broken-link" && $0.path.utf8.elementsEqual(path.utf8) }, "\(mode): \(found)")
        }
        let entries = repo.json(["history", "RISK-9"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.strings("event"), ["created"])
    }

    /// An evidence location `../\u{301}x/secret.txt`: split by characters it had no `..` part, so it passed as a path
    /// inside the ISMS root, and the work tree read the file beside the root.
    func testAnArtifactLocationCannotClimbOutOfTheRootThroughACombiningMark() {
        let repo = GitRepository()
        repo.write("isms/isms.yaml", minimalConfig)
        repo.write("isms/risks/r1.yaml", hostileRisk("RISK-1"))
        repo.write("\u{301}x/secret.txt", "outside the ISMS root\n")
        let location = "../\u{301}x/secret.txt"
        repo.write(
            "isms/evidence/ev-1.yaml",
            "id: EV-1\ntitle: t\ncontrol: CTRL-1\ncollected_on: 2026-11-20\nresult: pass\nlocation: \(location)\n")
        repo.commit("Evidence", at: "2026-11-20T10:00:00+01:00")
        let result = assertHeld(["check", "--format", "json", "--as-of", "2026-12-01"], in: repo.path + "/isms", exits: [1])
        let missing = findings(result).filter { $0.rule == "missing-artifact" }
        XCTAssertEqual(missing.map(\.message), ["location '\(location)' of EV-1 is not a path inside the ISMS root"])
    }

    /// An ISMS root named `café` (NFC) beside a folder `cafe` + U+0301 (NFD): `check --staged` took the index entries
    /// under the root with `hasPrefix`, which compares characters canonically, so the sibling's records were read as
    /// the ISMS's own.
    func testTheIndexIsReadBelowTheRootByteForByte() {
        let repo = GitRepository()
        let root = "caf\u{E9}", sibling = "cafe\u{301}"
        repo.write(root + "/isms.yaml", minimalConfig)
        repo.write(root + "/risks/r1.yaml", hostileRisk("RISK-1"))
        repo.write(sibling + "/risks/r9.yaml", "id: RISK-9\ntitle: t\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-99]\n")
        repo.commit("Two folders", at: "2026-01-05T10:00:00+01:00")
        repo.write(root + "/risks/r1.yaml", hostileRisk("RISK-1", title: "edited"))
        repo.git("add", "-A")
        let staged = assertHeld(["check", "--staged", "--format", "json", "--as-of", "2026-12-01"], in: repo.path + "/" + root, exits: [0])
        XCTAssertEqual(findings(staged).map(\.rule), [])
        let summary = (try? JSONSerialization.jsonObject(with: Data(staged.stdout.utf8)) as? [String: Any])?["summary"]
        XCTAssertEqual((summary as? [String: Any])?["records"] as? Int, 1)
    }

    /// Two files claiming one id, one named in NFD (`e` + U+0301, which git lists before `f`; as text, `é` sorts after
    /// it): the work tree sorted its files as text and a commit as bytes, so the first claimant, the record the rules
    /// judge as that id, and the file the duplicate-id finding names, differed between the two. Both now follow git.
    func testTheWorkTreeListsRecordsInGitsOrder() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/f.yaml", hostileRisk("RISK-1"))
        repo.write("risks/e\u{301}.yaml", hostileRisk("RISK-1", title: "other"))
        repo.commit("Two claimants", at: "2026-01-05T10:00:00+01:00")
        for (mode, found) in checkAllModes(repo) {
            XCTAssertEqual(found.filter { $0.rule == "duplicate-id" }.map(\.path), ["risks/f.yaml"], mode)
        }
    }

    /// An evidence location holding NUL (YAML spells it `\0`): the file system ends a path at NUL, so the work tree
    /// found `artifacts/a.txt` for `artifacts/a.txt\0 forged.pdf` while a commit's tree found nothing. No file name
    /// holds NUL, so the location is no path in any mode.
    func testAnArtifactLocationHoldingNULIsNoPath() {
        let repo = repositoryWithEvidence(at: "\"artifacts/a.txt\\0 forged.pdf\"") { repo in
            repo.write("artifacts/a.txt", "the restore passed\n")
        }
        assertEvidenceArtifactMissingInEveryMode(repo) { $0.hasSuffix("is not a path inside the ISMS root") }
    }

    /// A tree listing one record name twice (`git mktree` writes it; `git fsck` calls it duplicateEntries): a checkout
    /// writes the second entry, `check --rev` read the first, so the commit passed with a record git does not give.
    func testATreeListingARecordTwiceIsRefused() {
        let repo = repositoryWithOneRisk()
        let good = repo.git("rev-parse", "HEAD:risks/r1.yaml")
        let bad = repo.git(
            "hash-object", "-w", "--stdin", input: "id: RISK-1\ntitle: t\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-99]\n")
        let risks = repo.git("mktree", input: "100644 blob \(good)\tr1.yaml\n100644 blob \(bad)\tr1.yaml\n")
        let config = repo.git("rev-parse", "HEAD:isms.yaml")
        let root = repo.git("mktree", input: "100644 blob \(config)\tisms.yaml\n040000 tree \(risks)\trisks\n")
        let commit = repo.git("commit-tree", root, "-p", "HEAD", "-m", "Twice", input: "")
        repo.git("update-ref", "refs/heads/twice", commit)
        assertHeld(
            ["check", "--rev", "twice", "--as-of", "2026-12-01"], in: repo.path, exits: [2],
            stderrContains: "corrupt tree object: two entries for risks/r1.yaml")
    }

    /// A key file whose name is not UTF-8 in the OpenPGP keys folder: two such names would decode alike, so one key
    /// could stand in for another. The gate refuses to judge a pull request that adds one.
    func testKeyNamesThatAreNotUTF8FailTheGateClosed() {
        let repo = repositoryWithOneRisk()
        repo.git("checkout", "-q", "-b", "pr")
        writeRawName(in: repo, ".isms/openpgp/", [0xFF], ".asc", "not a key\n")
        repo.git("add", "-A")
        repo.commit("Add a key", by: .carol, at: "2026-01-06T10:00:00+01:00")
        assertHeld(
            ["check", "--base", "main", "--as-of", "2026-12-01"], in: repo.path, exits: [2],
            stderrContains: "the file name .isms/openpgp/\u{FFFD}.asc is not UTF-8")
    }

    /// Evidence whose location spells U+FFFD, beside two artifacts named `\xFE` and `\xFF`: a commit's tree read both
    /// names as that path and the gate found an artifact (the first of the two), while the work tree found none. The
    /// path names no one file, so it is missing in every mode.
    func testAnArtifactLocationSpellingUFFFDIsMissingInEveryMode() {
        let repo = repositoryWithEvidence(at: "artifacts/\u{FFFD}.txt") { repo in
            writeRawName(in: repo, "artifacts/", [0xFE], ".txt", "the restore passed\n")
            writeRawName(in: repo, "artifacts/", [0xFF], ".txt", "another file\n")
        }
        assertEvidenceArtifactMissingInEveryMode(repo) { $0.contains("spells U+FFFD") }
    }

    /// A merge whose parents differ on two files whose names are canonically equal (`café` in NFC and in NFD) and
    /// which keeps the first parent's value of one (a branch's change dropped): the contested paths were keyed as
    /// text, so one spelling went unjudged and the dropped change kept the old commit's attribution.
    func testAMergeJudgesBothSpellingsOfAContestedPath() {
        let nfc = "risks/caf\u{E9}.yaml", nfd = "risks/cafe\u{301}.yaml"
        func risk(_ id: String, _ treatment: String) -> String { "id: \(id)\ntitle: t\nowner: alice\ntreatment: \(treatment)\n" }
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write(nfc, risk("RISK-1", "avoid"))
        repo.write(nfd, risk("RISK-2", "avoid"))
        let start = repo.commit("Two risks", at: "2026-01-05T10:00:00+01:00")
        repo.git("checkout", "-q", "-b", "branch")
        repo.write(nfc, risk("RISK-1", "transfer"))
        repo.write(nfd, risk("RISK-2", "transfer"))
        repo.commit("Transfer both", by: .bob, at: "2026-01-06T10:00:00+01:00")
        repo.git("checkout", "-q", "main")
        repo.write("README.md", "x\n")
        repo.commit("Readme", at: "2026-01-07T10:00:00+01:00")
        gitAllowingFailure(["merge", "-q", "--no-ff", "--no-commit", "branch"], in: repo.path)
        repo.write(nfc, risk("RISK-1", "avoid"))
        let merge = repo.commit("Merge, dropping the transfer of RISK-1", by: .carol, at: "2026-01-08T10:00:00+01:00")
        XCTAssertEqual(repo.git("rev-list", "--parents", "-n", "1", "HEAD").split(separator: " ").count, 3)
        for cache in [[String](), ["--no-cache"]] {
            let fields = repo.json(["blame", "RISK-1"] + cache)["fields"] as? [[String: Any]] ?? []
            let treatment = fields.first { $0["field"] as? String == "treatment" }?["commit"] as? String
            XCTAssertEqual(treatment, merge, "\(cache): the merge dropped the branch's change, not \(start.prefix(10))")
        }
    }

    /// The allowed-signers file and the settings the history reads are looked up by name in a commit's tree: by text,
    /// a file spelled `e` + U+0301 (listed first by git) stood in for the `é` the settings name.
    func testSettingsFilesAreFoundByTheirExactName() throws {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write(".isms/signers-caf\u{E9}", "the named file\n")
        repo.write(".isms/signers-cafe\u{301}", "a decoy\n")
        let commit = repo.commit("Signers", at: "2026-01-05T10:00:00+01:00")
        let repository = try XCTUnwrap(try Repository.discover(containing: repo.path))
        let root = try repository.treeOfCommit(try XCTUnwrap(ObjectID(hex: commit)))
        let data = try repository.file(at: ".isms/signers-caf\u{E9}", below: root)
        XCTAssertEqual(data.map { String(decoding: $0, as: UTF8.self) }, "the named file\n")
        let blob = try repository.blobID(at: ".isms/signers-caf\u{E9}", inCommit: try XCTUnwrap(ObjectID(hex: commit)))
        XCTAssertEqual(blob?.hex, repo.git("rev-parse", "HEAD:.isms/signers-caf\u{E9}"))
    }

    /// A value and an id rewritten in the other Unicode normalisation form (NFC `é` to NFD `e` + U+0301): the same
    /// text to every rule, so the history has no entry for it and the id stays the same record (docs/history.md).
    func testANormalisationOnlyChangeOfAValueOrAnIDIsNoChange() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-CAF\u{C9}", title: "Caf\u{E9} laptops"))
        let created = repo.commit("Add", at: "2026-01-05T10:00:00+01:00")
        repo.write("risks/r1.yaml", hostileRisk("RISK-CAFE\u{301}", title: "Cafe\u{301} laptops"))
        repo.commit("Rewrite in NFD", by: .bob, at: "2026-01-06T10:00:00+01:00")
        repo.write("risks/r1.yaml", hostileRisk("RISK-CAFE\u{301}", title: "Cafe\u{301} phones"))
        let edited = repo.commit("Edit", by: .carol, at: "2026-01-07T10:00:00+01:00")
        let entries = repo.json(["history", "RISK-CAF\u{C9}"])["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.strings("commit"), [edited, created])
        XCTAssertEqual(entries.strings("event"), ["modified", "created"])
    }

    /// One record file split into two records, a file holding two YAML documents, and two files claiming one
    /// id: the checks say which, and the history keeps one record per id (a duplicate leaving is no deletion).
    func testSplitFilesAndTwoFilesClaimingOneID() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-1", title: "Laptops and phones"))
        let created = repo.commit("Add RISK-1", at: "2026-01-05T10:00:00+01:00")
        repo.write("risks/r1.yaml", hostileRisk("RISK-1", title: "Laptops"))
        repo.write("risks/r2.yaml", hostileRisk("RISK-2", title: "Phones"))
        let split = repo.commit("Split RISK-1", by: .bob, at: "2026-01-06T10:00:00+01:00")
        XCTAssertEqual((repo.json(["history", "RISK-1"])["entries"] as? [[String: Any]] ?? []).strings("commit"), [split, created])
        XCTAssertEqual((repo.json(["history", "RISK-2"])["entries"] as? [[String: Any]] ?? []).strings("event"), ["created"])

        repo.write("risks/both.yaml", hostileRisk("RISK-3") + "---\n" + hostileRisk("RISK-4"))
        repo.write("risks/copy.yaml", hostileRisk("RISK-1", title: "Laptops"))
        repo.git("add", "-A")
        let staged = findings(assertHeld(["check", "--staged", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [1]))
        repo.commit("A two-document file and a copy", by: .carol, at: "2026-01-07T10:00:00+01:00")
        var modes = checkAllModes(repo)
        modes["index"] = staged
        for (mode, found) in modes {
            XCTAssertEqual(found.map(\.path), ["risks/both.yaml", "risks/r1.yaml"], mode)
            XCTAssertEqual(found.map(\.rule), ["parse-error", "duplicate-id"], mode)
            XCTAssertTrue(found[1].message.contains("risks/copy.yaml"), "\(mode): \(found[1].message)")
        }
        for command in Commands.reading(id: "RISK-1") { assertHeld(command, in: repo.path, exits: [0, 1]) }
        // The copy leaving is not RISK-1's deletion; it is still there.
        repo.remove("risks/copy.yaml")
        repo.commit("Drop the copy", at: "2026-01-08T10:00:00+01:00")
        let history = repo.json(["history", "RISK-1"])["entries"] as? [[String: Any]] ?? []
        XCTAssertFalse(history.strings("event").contains("deleted"), "\(history.strings("event"))")
        XCTAssertEqual(repo.json(["blame", "RISK-1"])["record"] as? String, "RISK-1")
    }

    /// Commit trees no work tree can hold: a kind folder that is a file, a record that is a folder, an
    /// executable record, and a merge commit listing one parent twice.
    func testTreesNoWorkTreeHolds() {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("risks/r1.yaml", hostileRisk("RISK-1"))
        let first = repo.commit("Add RISK-1", at: "2026-01-05T10:00:00+01:00")
        let config = repo.git("rev-parse", "HEAD:isms.yaml")
        let record = repo.git("rev-parse", "HEAD:risks/r1.yaml")
        let inner = repo.rawObject(type: "blob", hostileRisk("RISK-2"))
        let folderNamedYAML = repo.git("mktree", "--missing", input: "100644 blob \(inner)\tinner.yaml\n")
        let risks = repo.git("mktree", "--missing", input: "100755 blob \(record)\tr1.yaml\n040000 tree \(folderNamedYAML)\tx.yaml\n")
        let tree = repo.git(
            "mktree", "--missing", input: "100644 blob \(config)\tisms.yaml\n100644 blob \(record)\tcontrols\n040000 tree \(risks)\trisks\n"
        )
        let commit = repo.rawCommit(
            tree: tree, parents: [first, first], author: "Bob Example <bob@example.com> 1767690000 +0100",
            message: "Odd tree, one parent twice")
        repo.git("update-ref", "refs/heads/odd", commit)
        let check = findings(assertHeld(["check", "--rev", "odd", "--format", "json", "--as-of", "2026-12-01"], in: repo.path, exits: [0]))
        XCTAssertEqual(check.map(\.path), [])
        let records = assertHeld(["check", "--rev", "odd", "--as-of", "2026-12-01"], in: repo.path, exits: [0]).stdout
        XCTAssertTrue(records.hasPrefix("2 records checked"), records)
        for command in Commands.reading(id: "RISK-2", rev: "odd").filter({
            !$0.contains("--staged") && $0 != ["check", "--as-of", "2026-12-01"]
        }) {
            assertHeld(command, in: repo.path, exits: [0])
        }
        XCTAssertEqual((repo.json(["log", "--rev", "odd"])["entries"] as? [[String: Any]] ?? []).strings("record"), ["RISK-2", "RISK-1"])
        assertHeld(["diff", "main..odd", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
    }

    // MARK: Limits

    /// A commit whose tree nests 13,000 folders (made with `git fast-import`, as `git checkout` itself crashes
    /// on it), with a commit on top: every command reading it exits 2 naming `limits.tree_depth`, none crashes
    /// (the recursive tree walks overflowed the stack). Raised to 16,384 in isms.yaml, it is read.
    func testThirteenThousandLevelTreeIsRefusedNotACrash() {
        let repo = repositoryWithOneRisk()
        let deep = "risks/" + Array(repeating: "a", count: 13_000).joined(separator: "/") + "/r.yaml"
        let record = hostileRisk("RISK-9"), edited = hostileRisk("RISK-1", title: "edited")
        let stream = """
            commit refs/heads/main
            committer Alice Example <alice@example.com> 1767603600 +0100
            data 4
            deep
            from refs/heads/main^0
            M 100644 inline \(deep)
            data \(record.utf8.count)
            \(record)
            commit refs/heads/main
            committer Alice Example <alice@example.com> 1767607200 +0100
            data 3
            top
            M 100644 inline risks/r1.yaml
            data \(edited.utf8.count)
            \(edited)

            """
        let imported = runProcess(GitRepository.git, ["fast-import", "--quiet"], in: repo.path, stdin: stream)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let line = "holds folders nested more than 4096 deep (risks/a/a/…"
        for command in [
            ["check", "--as-of", "2026-12-01"], ["check", "--rev", "HEAD", "--as-of", "2026-12-01"],
            ["check", "--staged", "--as-of", "2026-12-01"], ["log"], ["log", "--no-cache"], ["history", "RISK-1"],
            ["blame", "RISK-1"], ["diff", "HEAD~2..HEAD"],
        ] {
            let result = assertHeld(command, in: repo.path, exits: [2], timeout: 30, stderrContains: line)
            XCTAssertTrue(result.stderr.contains("(limits.tree_depth in isms.yaml)"), result.stderr)
        }

        repo.write("isms.yaml", minimalConfig + "limits:\n  tree_depth: 16384\n")
        _ = repo.git("add", "isms.yaml")
        _ = repo.git("commit", "-q", "-m", "Allow deep trees")
        let log = assertHeld(["log", "--no-cache"], in: repo.path, exits: [0], timeout: 30)
        XCTAssertTrue(log.stdout.contains("RISK-9  created"), log.stdout.prefix(500).description)
        assertHeld(["check", "--rev", "HEAD", "--as-of", "2026-12-01"], in: repo.path, exits: [0, 1], timeout: 30)
    }
}

extension GitRepository {
    /// Runs git with `input` on stdin, returning its trimmed output.
    func git(_ arguments: String..., input: String) -> String {
        let result = runProcess(Self.git, arguments, in: path, environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": path], stdin: input)
        XCTAssertEqual(result.status, 0, "git \(arguments): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Writes `content` to the file `folder` + `name` + `suffix` below the repository, `name` being raw bytes that need
/// not be UTF-8 (a Swift string cannot spell such a path, so the file is made with `open` on the bytes).
private func writeRawName(in repo: GitRepository, _ folder: String, _ name: [UInt8], _ suffix: String, _ content: String) {
    try? FileManager.default.createDirectory(atPath: repo.path + "/" + folder, withIntermediateDirectories: true)
    let path = Array((repo.path + "/" + folder).utf8) + name + Array(suffix.utf8) + [0]
    let fd = path.withUnsafeBytes { open($0.baseAddress!.assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
    XCTAssertGreaterThanOrEqual(fd, 0, "open: errno \(errno)")
    let bytes = Array(content.utf8)
    XCTAssertEqual(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, bytes.count)
    close(fd)
}

/// Renames `folder` + `from` + `suffix` to `folder` + `to` + `suffix`, the names being raw bytes.
private func renameRaw(in repo: GitRepository, _ folder: String, _ from: [UInt8], _ to: [UInt8], _ suffix: String) {
    let lead = Array((repo.path + "/" + folder).utf8), tail = Array(suffix.utf8) + [0]
    let old = lead + from + tail, new = lead + to + tail
    let status = old.withUnsafeBytes { o in
        new.withUnsafeBytes { n in
            rename(o.baseAddress!.assumingMemoryBound(to: CChar.self), n.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
    }
    XCTAssertEqual(status, 0, "rename: errno \(errno)")
}
