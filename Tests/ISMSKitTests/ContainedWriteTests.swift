import Foundation
import XCTest

/// The commands that write (`new`, `import`, `init`, `schema --out`, `export`) never write through a symbolic
/// link: a repository can commit `risks -> /elsewhere`, and a clone of it must not turn `isms new` into a write
/// outside the ISMS. Each refusal is exit 2 with one line naming the path and why, and nothing appears outside.
final class ContainedWriteTests: XCTestCase {
    /// Every path below `folder`, links included (not followed), so a write into it shows.
    private func contents(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    }

    /// A repository with an ISMS at its top, and a folder outside it that links may point to.
    private func repository() -> (GitRepository, TemporaryFolder) {
        let repo = GitRepository()
        repo.write("isms.yaml", minimalConfig)
        repo.write("controls/c1.yaml", controlYAML("CTRL-1", status: "implemented"))
        repo.commit("Start", at: "2026-01-05T10:00:00+01:00")
        return (repo, TemporaryFolder("outside"))
    }

    private func link(_ path: String, to target: String, in repo: GitRepository) {
        try! FileManager.default.createDirectory(
            atPath: ((repo.path + "/" + path) as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try! FileManager.default.createSymbolicLink(atPath: repo.path + "/" + path, withDestinationPath: target)
        repo.commit("Link \(path)", at: "2026-01-06T10:00:00+01:00")
    }

    func testNewRefusesALinkedKindFolderAndALinkAtTheFileName() {
        let (repo, outside) = repository()
        link("risks", to: outside.path, in: repo)
        let result = assertHeld(
            ["new", "risk", "--title", "Theft", "--owner", "alice"], in: repo.path, exits: [2],
            stderrContains: "refusing to write risks/risk-1.yaml: risks is a symbolic link to '\(outside.path)'")
        XCTAssertEqual(contents(outside.path), [], result.stderr)

        // A relative link, and a link at the file name itself (dangling: O_CREAT alone would create its target).
        let (repo2, outside2) = repository()
        link("risks", to: "../" + (outside2.path as NSString).lastPathComponent, in: repo2)
        XCTAssertEqual(contents(outside2.path), [])
        let relative = assertHeld(
            ["new", "risk", "--title", "Theft", "--owner", "alice"], in: repo2.path, exits: [2],
            stderrContains: "risks is a symbolic link")
        XCTAssertEqual(contents(outside2.path), [], relative.stderr)
        let (repo3, outside3) = repository()
        link("risks/risk-1.yaml", to: outside3.path + "/stolen.yaml", in: repo3)
        assertHeld(
            ["new", "risk", "--title", "Theft", "--owner", "alice", "--id", "RISK-1"], in: repo3.path, exits: [2],
            stderrContains: "risks/risk-1.yaml")
        XCTAssertEqual(contents(outside3.path), [])

        // A real folder is written as before.
        let (repo4, _) = repository()
        let written = assertHeld(["new", "risk", "--title", "Theft", "--owner", "alice"], in: repo4.path, exits: [0])
        XCTAssertEqual(written.stdout, "risks/risk-1.yaml\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: repo4.path + "/risks/risk-1.yaml"))
    }

    func testImportRefusesALinkedKindFolderAndALinkedFolderBelowIt() {
        for linked in ["obligations", "obligations/acme-base"] {
            let (repo, outside) = repository()
            repo.write("lib.yaml", ImportTests.library())
            link(linked, to: outside.path, in: repo)
            let result = assertHeld(
                ["import", "ciso-assistant", "lib.yaml"], in: repo.path, exits: [2],
                stderrContains: "\(linked) is a symbolic link to '\(outside.path)', which isms does not follow when writing")
            XCTAssertEqual(contents(outside.path), [], result.stderr)
        }
        // A link at one obligation's file name stops the import before any obligation is written.
        let (repo, outside) = repository()
        repo.write("lib.yaml", ImportTests.library())
        link("obligations/acme-base/obl-acme-base-gov.yaml", to: outside.path + "/gov.yaml", in: repo)
        assertHeld(
            ["import", "ciso-assistant", "lib.yaml"], in: repo.path, exits: [2],
            stderrContains: "refusing to write obligations/acme-base/obl-acme-base-gov.yaml")
        XCTAssertEqual(contents(outside.path), [])
        XCTAssertEqual(contents(repo.path + "/obligations"), ["acme-base", "acme-base/obl-acme-base-gov.yaml"])
    }

    func testInitSchemaAndExportRefuseLinkedFolders() {
        // init into a clone whose .github is a link: refused before any file is written.
        let clone = GitRepository(), outside = TemporaryFolder("outside")
        clone.write("notes.txt", "x\n")
        clone.commit("Start", at: "2026-01-05T10:00:00+01:00")
        link(".github", to: outside.path, in: clone)
        assertHeld(["init"], in: clone.path, exits: [2], stderrContains: ".github is a symbolic link to '\(outside.path)'")
        XCTAssertEqual(contents(outside.path), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: clone.path + "/isms.yaml"))

        // schema --out into a linked folder of the repository, and export --html into one.
        let (repo, elsewhere) = repository()
        link(".isms", to: elsewhere.path, in: repo)
        assertHeld(
            ["schema", "--out", ".isms/schemas"], in: repo.path, exits: [2],
            stderrContains: "refusing to write .isms/schemas/")
        link("reports", to: elsewhere.path, in: repo)
        assertHeld(
            ["export", "--html", "reports/isms.html", "--as-of", "2026-12-01"], in: repo.path, exits: [2],
            stderrContains: "refusing to write reports/isms.html: reports is a symbolic link")
        XCTAssertEqual(contents(elsewhere.path), [])

        // Real folders, created when missing, and a file replaced whole.
        assertHeld(["schema", "--out", "schemas/out"], in: repo.path, exits: [0])
        assertHeld(["schema", "--out", "schemas/out"], in: repo.path, exits: [0])
        XCTAssertTrue(contents(repo.path + "/schemas/out").contains("risk.schema.json"))
        XCTAssertFalse(contents(repo.path + "/schemas/out").contains { $0.hasPrefix(".") }, "a temporary file was left")
        assertHeld(["export", "--html", "out/isms.html", "--as-of", "2026-12-01"], in: repo.path, exits: [0])
        XCTAssertTrue(FileManager.default.fileExists(atPath: repo.path + "/out/isms.html"))
    }
}
