import Foundation
import XCTest

@testable import ISMSKit

/// Bad input becomes a located finding and the rest of the ISMS is still checked.
final class LoaderTests: XCTestCase {
    private let good = "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n"

    private func check(_ folder: TemporaryFolder, asOf: String = "2026-12-01") throws -> CheckReport {
        try Checker.check(WorkTreeSource(root: folder.path), asOf: Day(asOf)!)
    }

    private func ismsWith(_ files: [String: String]) -> TemporaryFolder {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        folder.write("risks/good.yaml", good)
        for (path, content) in files { folder.write(path, content) }
        return folder
    }

    private func assertOnlyFinding(
        _ report: CheckReport, rule: String, path: String, line: Int? = nil,
        containing text: String, file: StaticString = #filePath, lineNumber: UInt = #line
    ) {
        let matching = report.findings.filter { $0.path == path }
        XCTAssertEqual(matching.count, 1, "findings for \(path): \(matching)", file: file, line: lineNumber)
        guard let finding = matching.first else { return }
        XCTAssertEqual(finding.rule, rule, file: file, line: lineNumber)
        if let line { XCTAssertEqual(finding.line, line, file: file, line: lineNumber) }
        XCTAssertTrue(finding.message.contains(text), "message: \(finding.message)", file: file, line: lineNumber)
        // The good record is still loaded and checked.
        XCTAssertTrue(report.recordCount >= 1, file: file, line: lineNumber)
        XCTAssertFalse(report.findings.contains { $0.path == "risks/good.yaml" }, file: file, line: lineNumber)
    }

    func testBinaryFileIsAFinding() throws {
        let folder = ismsWith([:])
        folder.write("risks/binary.yaml", data: Data([0x69, 0x64, 0x3A, 0x00, 0xFF, 0x01]))
        assertOnlyFinding(try check(folder), rule: "parse-error", path: "risks/binary.yaml", containing: "NUL byte")
    }

    func testInvalidUTF8IsLocated() throws {
        let folder = ismsWith([:])
        folder.write("risks/latin1.yaml", data: Data("id: RISK-2\ntitle: Caf".utf8) + Data([0xE9, 0x0A]))
        assertOnlyFinding(try check(folder), rule: "parse-error", path: "risks/latin1.yaml", line: 2, containing: "not valid UTF-8")
    }

    func testUTF16IsRefusedWithAHint() throws {
        let folder = ismsWith([:])
        folder.write("risks/utf16.yaml", data: Data([0xFF, 0xFE]) + "id: RISK-2".data(using: .utf16LittleEndian)!)
        assertOnlyFinding(try check(folder), rule: "parse-error", path: "risks/utf16.yaml", containing: "UTF-16")
    }

    func testByteOrderMarkIsAccepted() throws {
        let folder = ismsWith([:])
        folder.write(
            "risks/bom.yaml", data: Data([0xEF, 0xBB, 0xBF]) + Data("id: RISK-2\ntitle: BOM\nowner: alice\ntreatment: avoid\n".utf8))
        let report = try check(folder)
        XCTAssertEqual(report.findings, [])
        XCTAssertEqual(report.recordCount, 2)
    }

    func testAliasBombIsRefusedQuickly() throws {
        var bomb =
            "id: RISK-2\ntitle: bomb\nowner: alice\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        let folder = ismsWith(["risks/bomb.yaml": bomb])
        let started = Date()
        let report = try check(folder)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "an alias bomb must not be expanded")
        assertOnlyFinding(report, rule: "parse-error", path: "risks/bomb.yaml", line: 5, containing: "anchors and aliases")
    }

    func testAliasBombUsedAsAMappingKeyIsRefusedQuickly() throws {
        var bomb = "id: RISK-2\ntitle: bomb\nowner: alice\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        bomb += "? *j\n: boom\n*j : again\n"
        let folder = ismsWith(["risks/bomb.yaml": bomb])
        let started = Date()
        let report = try check(folder)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "an alias used as a key must not be expanded")
        assertOnlyFinding(report, rule: "parse-error", path: "risks/bomb.yaml", line: 5, containing: "anchors and aliases")
    }

    func testAmpersandsAndAsterisksInProseAreNotAliases() throws {
        let folder = ismsWith([
            "risks/prose.yaml":
                "id: RISK-2\ntitle: R&D laptops & *important* data\nowner: alice\ntreatment: avoid\ndescription: \"costs 5 * 3 &amp; more\"\n"
        ])
        let report = try check(folder)
        XCTAssertEqual(report.findings, [])
    }

    func testHugeScalarIsOverTheSizeLimit() throws {
        let folder = ismsWith([:])
        folder.write(
            "risks/huge.yaml", "id: RISK-2\ntitle: huge\nowner: alice\ndescription: " + String(repeating: "x", count: 10_000_000) + "\n")
        assertOnlyFinding(try check(folder), rule: "parse-error", path: "risks/huge.yaml", line: 1, containing: "over the limit")
    }

    func testDeepNestingIsRefused() throws {
        let folder = ismsWith([
            "risks/flow.yaml": "id: RISK-2\ntitle: deep\nowner: alice\ndescription: " + String(repeating: "[", count: 10_000)
                + String(repeating: "]", count: 10_000) + "\n",
            "risks/block.yaml": "id: RISK-3\ntitle: deep\nowner: alice\ntags:\n  " + String(repeating: "- ", count: 10_000) + "x\n",
        ])
        let report = try check(folder)
        for path in ["risks/flow.yaml", "risks/block.yaml"] {
            let findings = report.findings.filter { $0.path == path }
            XCTAssertEqual(findings.map(\.rule), ["parse-error"], path)
            XCTAssertTrue(findings.first?.message.contains("nesting") ?? false, "\(findings)")
        }
    }

    func testModerateNestingBeyondTheLimitIsLocated() throws {
        // Passes the cheap pre-scan, then stopped by the exact depth check while converting.
        let nested = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let folder = ismsWith(["risks/nested.yaml": "id: RISK-2\ntitle: nested\nowner: alice\ntags: \(nested)\n"])
        assertOnlyFinding(try check(folder), rule: "parse-error", path: "risks/nested.yaml", line: 4, containing: "deeper than 32")
    }

    func testSymlinkOutsideIsReportedNotFollowed() throws {
        let outside = TemporaryFolder("outside")
        outside.write("secret.yaml", "id: RISK-99\ntitle: secret\nowner: alice\n")
        let folder = ismsWith([:])
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/risks/link.yaml", withDestinationPath: outside.path + "/secret.yaml")
        let report = try check(folder)
        assertOnlyFinding(report, rule: "parse-error", path: "risks/link.yaml", containing: "not followed")
        XCTAssertFalse(report.findings.contains { $0.record == "RISK-99" })
        XCTAssertEqual(report.recordCount, 1)
    }

    func testKindFolderThatIsALinkIsReportedNotFollowed() throws {
        let outside = TemporaryFolder("outside")
        outside.write("secret.yaml", "id: CTRL-99\ntitle: secret\nowner: alice\n")
        let folder = ismsWith([:])
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/controls", withDestinationPath: outside.path)
        let report = try check(folder)
        assertOnlyFinding(report, rule: "parse-error", path: "controls", containing: "the folder controls/ is a symbolic link to")
        XCTAssertFalse(report.findings.contains { $0.record == "CTRL-99" || $0.message.contains("CTRL-99") })
        XCTAssertEqual(report.recordCount, 1)
    }

    func testNestedRepositoryIsNotReadAsRecords() throws {
        let folder = ismsWith([:])
        // A checked-out submodule named like a record, and a nested clone under another name.
        folder.write("risks/vendor.yaml/.git", "gitdir: ../../.git/modules/vendor\n")
        folder.write("risks/vendor.yaml/risk-7.yaml", "id: RISK-7\ntitle: theirs\nowner: alice\ntreatment: avoid\n")
        try FileManager.default.createDirectory(atPath: folder.path + "/risks/clone/.git", withIntermediateDirectories: true)
        folder.write("risks/clone/risk-8.yaml", "id: RISK-8\ntitle: theirs\nowner: alice\ntreatment: avoid\n")
        let report = try check(folder)
        assertOnlyFinding(report, rule: "parse-error", path: "risks/vendor.yaml", containing: "a submodule is not a record")
        XCTAssertEqual(report.recordCount, 1)
    }

    func testOversizedConfigIsRefusedBeforeItIsRead() throws {
        let folder = ismsWith([:])
        folder.write("isms.yaml", minimalConfig + "scope: " + String(repeating: "x", count: 2 << 20) + "\n")
        XCTAssertThrowsError(try check(folder)) { error in
            XCTAssertEqual(
                "\(error)", "cannot read isms.yaml: isms.yaml is \(2 << 20 + minimalConfig.utf8.count + 8) bytes, over the limit of 1048576"
            )
        }
    }

    func testCatastrophicIDPatternIsGivenUpOnceAndReported() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig + "id_patterns:\n  risk: '^(a+)+$'\n")
        for n in 0..<40 {
            folder.write("risks/r\(n).yaml", "id: \(String(repeating: "a", count: 40 + n))b\ntitle: t\nowner: alice\ntreatment: avoid\n")
        }
        folder.write("risks/ok.yaml", "id: aaaa\ntitle: t\nowner: alice\ntreatment: avoid\n")
        let started = Date()
        let report = try check(folder)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "each id would take seconds without a budget")
        let invalid = report.findings.filter { $0.rule == "invalid-value" }
        XCTAssertEqual(invalid.map(\.path), ["isms.yaml"])
        XCTAssertEqual(invalid.first?.line, 7)
        XCTAssertTrue(invalid.first?.message.hasPrefix("id_patterns.risk took over 50 ms to match 'aaaa") ?? false, "\(invalid)")
        // Which ids were checked before the pattern was given up depends on timing: none is reported.
        XCTAssertEqual(report.findings.filter { $0.rule == "id-pattern" }, [])
        // A sane pattern is unaffected.
        folder.write("isms.yaml", minimalConfig + "id_patterns:\n  risk: '^a+b?$'\n")
        XCTAssertEqual(try check(folder).findings, [])
    }

    func testThousandsOfInventedLinksCostABoundedNumberOfSuggestions() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        for n in 0..<3000 { folder.write("controls/c\(n).yaml", "id: CTRL-\(n)\ntitle: c\nowner: alice\n") }
        let invented = (0..<3000).map { "CTRL-\(900_000 + $0)" }.joined(separator: ", ")
        folder.write("risks/r.yaml", "id: RISK-1\ntitle: t\nowner: alice\ntreatment: reduce\ncontrols: [\(invented)]\n")
        let started = Date()
        let report = try check(folder)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "a did-you-mean for each of 3,000 links against 3,000 ids")
        let broken = report.findings.filter { $0.rule == "broken-link" }
        XCTAssertEqual(broken.count, 3000)
        // At most the budget is spent on suggestions; some invented ids have no close match at all.
        let suggested = broken.filter { $0.message.contains("did you mean") }.count
        XCTAssertLessThanOrEqual(suggested, BrokenLinkRule.suggestionBudget)
        XCTAssertGreaterThan(suggested, 0)
        XCTAssertTrue(
            broken[0].message.hasSuffix("did you mean CTRL-900?") || broken[0].message.contains("did you mean"), broken[0].message)
    }

    func testThousandsOfInventedAnnexReferencesCostABoundedNumberOfSuggestions() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig)
        let invented = (0..<20_000).map { "A.\(9 + $0 % 7).\($0)" }.joined(separator: ", ")
        folder.write("controls/c.yaml", "id: CTRL-1\ntitle: c\nowner: alice\nannex_a: [\(invented)]\n")
        let unknown = try check(folder).findings.filter { $0.rule == "unknown-reference" }
        XCTAssertEqual(unknown.count, 20_000)
        let suggested = unknown.filter { $0.message.contains("did you mean") }.count
        XCTAssertGreaterThan(suggested, 0)
        XCTAssertLessThanOrEqual(suggested, BrokenLinkRule.suggestionBudget)
    }

    /// The bounded did-you-mean gives exactly what comparing every full edit distance gives.
    func testBoundedSuggestionsMatchFullEditDistances() {
        func reference(_ word: String, _ candidates: [String]) -> String? {
            let lowered = word.lowercased()
            var best: (String, Int)?
            for candidate in candidates {
                let d = editDistance(lowered, candidate.lowercased())
                if d < (best?.1 ?? .max) { best = (candidate, d) }
            }
            guard let (candidate, distance) = best else { return nil }
            if distance <= max(1, min(3, candidate.count / 3)) { return candidate }
            if lowered.count >= 4, let prefixed = candidates.first(where: { $0.lowercased().hasPrefix(lowered) }) {
                return prefixed
            }
            return nil
        }
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        let alphabet = Array("abAB-é1")
        func word() -> String { String((0..<(1 + next(12))).map { _ in alphabet[next(alphabet.count)] }) }
        for _ in 0..<3000 {
            let candidates = (0..<next(8)).map { _ in word() }
            let target = word()
            XCTAssertEqual(Suggester(candidates).closest(to: target), reference(target, candidates), "\(target) in \(candidates)")
        }
    }

    /// `GitObjectSource.topFolder` cuts an ASCII path at its first byte `/`: the same folder as splitting the path at
    /// its `/` bytes, for ASCII paths and for the others (a combining mark after `/` joins it into one character, but
    /// git still splits there: `risks/\u{301}x.yaml` is in `risks`).
    func testTopFolderOfAPathIsTheFirstComponent() {
        func reference(_ path: String) -> String? {
            guard path.utf8.contains(UInt8(ascii: "/")) else { return nil }
            return path.utf8.split(separator: UInt8(ascii: "/")).first.map { String(decoding: $0, as: UTF8.self) }
        }
        let paths = [
            "risks/risk-1.yaml", "risks/sub/risk-1.yaml", "isms.yaml", "/risks/x.yaml", "//x", "risks//x.yaml", "risks/",
            "/", "", "risks\u{301}/x.yaml", "risks/\u{301}x.yaml", "r\u{e9}sques/x.yaml", "a/\u{301}/b", "\r\n/x",
        ]
        for path in paths { XCTAssertEqual(GitObjectSource.topFolder(path), reference(path), path) }
    }

    /// Once a word one edit away is found, only an equal one (ignoring case) can be closer, and the rest of the list
    /// is searched for that alone: an equal word later in the list is still the answer, and the first one-edit word
    /// is when there is none.
    func testSuggestionAfterOneEditStillFindsAnEqualWord() {
        XCTAssertEqual(Suggester(["RISK-2", "RISK-3", "risk-1", "RISK-1"]).closest(to: "RISK-1"), "risk-1")
        XCTAssertEqual(Suggester(["RISK-2", "RISK-3", "RISK-10"]).closest(to: "RISK-1"), "RISK-2")
        XCTAssertEqual(Suggester(["RISK-12", "RISK-2", "RISK-1"]).closest(to: "risk-1"), "RISK-1")
    }

    /// Inputs scripts/fuzz.sh kept (Fixtures/fuzz/record-*), laid out as the fuzz target lays them out.
    func testFuzzerFindingsStayFixed() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).filter { $0.hasPrefix("record-") }
        let folders = ["risks", "controls", "obligations", "evidence", "exceptions", "suppliers", "assets"]
        for file in files {
            let bytes = try Data(contentsOf: fixtures.appendingPathComponent(file))
            guard let selector = bytes.first else { continue }
            let folder = ismsWith([:])
            if Int(selector) % 8 == 7 {
                folder.write("isms.yaml", data: bytes.dropFirst())
            } else {
                folder.write("\(folders[Int(selector) % 8])/fuzz.yaml", data: bytes.dropFirst())
            }
            _ = try? check(folder)
        }
    }

    func testDuplicateKeyIsAFindingAtItsLine() throws {
        let folder = ismsWith(["risks/dup.yaml": "id: RISK-2\ntitle: a\nowner: alice\ntitle: b\n"])
        assertOnlyFinding(try check(folder), rule: "parse-error", path: "risks/dup.yaml", line: 4, containing: "duplicate key 'title'")
    }

    func testYAML11LookAlikesStayStringsAndTypedFieldsAreStrict() throws {
        let folder = ismsWith([
            "assets/asset-1.yaml": "id: ASSET-1\ntitle: no\nowner: alice\ndescription: on\ntags: [1:30, 0755, yes, off]\nin_scope: yes\n",
            "risks/risk-2.yaml": "id: RISK-2\ntitle: x\nowner: alice\ntreatment: avoid\nlikelihood: 0x3\nimpact: '4'\n",
        ])
        let report = try check(folder)
        let loaded = try Loader.load(from: WorkTreeSource(root: folder.path))
        let asset = try XCTUnwrap(loaded.isms.record("ASSET-1"))
        XCTAssertEqual(asset.string("title"), "no")
        XCTAssertEqual(asset.string("description"), "on")
        XCTAssertEqual(asset.list("tags").map(\.value), ["1:30", "0755", "yes", "off"])
        XCTAssertNil(asset.fields["in_scope"])
        let invalid = report.findings.filter { $0.rule == "invalid-value" }.map { "\($0.path!):\($0.line!) \($0.field ?? "")" }
        XCTAssertEqual(invalid, ["assets/asset-1.yaml:6 in_scope", "risks/risk-2.yaml:5 likelihood", "risks/risk-2.yaml:6 impact"])
    }

    func testEmptyAndNonMappingFiles() throws {
        let folder = ismsWith(["risks/empty.yaml": "", "risks/list.yaml": "- a\n- b\n"])
        let report = try check(folder)
        XCTAssertEqual(report.findings.filter { $0.path == "risks/empty.yaml" }.map(\.rule), ["parse-error"])
        XCTAssertEqual(
            report.findings.filter { $0.path == "risks/list.yaml" }.map(\.message), ["a record must be a mapping of fields, not a list"])
    }

    func testFolderNamedLikeARecordIsNotRead() throws {
        let folder = ismsWith([:])
        try FileManager.default.createDirectory(atPath: folder.path + "/risks/x.yaml", withIntermediateDirectories: true)
        folder.write("risks/x.yaml/risk-5.yaml", "id: RISK-5\ntitle: nested folder\nowner: alice\ntreatment: avoid\n")
        let report = try check(folder)
        XCTAssertEqual(report.findings, [])
        XCTAssertEqual(report.recordCount, 2)
    }

    func testRecordInTheWrongFolderIsNamed() throws {
        let folder = ismsWith(["risks/ctrl.yaml": "id: CTRL-1\ntitle: misplaced\nowner: alice\n"])
        let finding = try XCTUnwrap(try check(folder).findings.first { $0.rule == "id-pattern" })
        XCTAssertTrue(finding.message.contains("belongs in controls/"), finding.message)
    }

    func testCustomIDPatternAndUnknownConfigKeys() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig + "id_patterns:\n  risk: '^R-[0-9]{3}$'\nevidence_grace: 3\nrules:\n  broken-lnk: off\n")
        folder.write("risks/r.yaml", "id: R-001\ntitle: custom\nowner: alice\ntreatment: avoid\n")
        let report = try check(folder)
        XCTAssertFalse(report.findings.contains { $0.rule == "id-pattern" })
        let unknown = report.findings.filter { $0.rule == "unknown-field" }.map(\.message)
        XCTAssertEqual(
            unknown,
            [
                "unknown field 'evidence_grace' in isms.yaml; did you mean 'evidence_grace_days'?",
                "unknown field 'broken-lnk' in the rules; did you mean 'broken-link'?",
            ])
    }

    func testSeverityOverridesAndOff() throws {
        let folder = TemporaryFolder()
        folder.write("isms.yaml", minimalConfig + "rules:\n  unknown-field: warning\n  missing-field: off\n")
        folder.write("risks/r.yaml", "id: RISK-1\ntreatment: avoid\nfoo: bar\n")
        let report = try check(folder)
        XCTAssertEqual(report.findings.map(\.rule), ["unknown-field"])
        XCTAssertEqual(report.findings.first?.severity, .warning)
    }
}
