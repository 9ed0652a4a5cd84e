import Foundation
import XCTest

@testable import ISMSKit

/// The audit pack opened in a real headless browser: it must parse into the sections and tables we wrote,
/// need nothing from the network, and print one report per page.
final class AuditPackBrowserTests: XCTestCase {
    private static let browserNames = ["chromium", "chromium-browser"]

    private func browser() throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for folder in path {
            for name in Self.browserNames where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        print("chromium is not installed; install it with `make browser-deps` (as root: apt-get update && apt-get install -y chromium)")
        throw XCTSkip("chromium is not installed: run `make browser-deps` (as root: apt-get update && apt-get install -y chromium)")
    }

    private func exportPack(_ folder: TemporaryFolder) -> String {
        let out = folder.path + "/audit-pack.html"
        let example = exampleISMSOutsideGit()
        let result = isms(["export", "--html", out, "--as-of", "2026-12-01"], in: example.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("wrote \(out)"), result.stdout)
        return out
    }

    private func chromium(_ browser: String, _ arguments: [String], profile: TemporaryFolder) -> ProcessResult {
        // A profile of its own, so parallel runs and the user's browser never share state.
        runProcess(
            browser,
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)/profile"] + arguments,
            environment: ["HOME": profile.path])
    }

    /// The text a reader sees: tags dropped, entities decoded, white space collapsed.
    private func text(_ html: Substring) -> String {
        var out = "", inTag = false
        for ch in html {
            if ch == "<" { inTag = true; out.append(" "); continue }
            if ch == ">" { inTag = false; continue }
            if !inTag { out.append(ch) }
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: character)
        }
        return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The part of the DOM from the report section `id` to the next report section.
    private func section(_ dom: String, _ id: String) throws -> Substring {
        let start = try XCTUnwrap(dom.range(of: "<section id=\"\(id)\" class=\"report"), "no section \(id)")
        let rest = dom[start.upperBound...]
        var search = rest.startIndex
        while let next = rest.range(of: "<section id=\"", range: search..<rest.endIndex) {
            if rest[next.upperBound...].prefix(while: { $0 != ">" }).contains("class=\"report") { return rest[..<next.lowerBound] }
            search = next.upperBound
        }
        return rest
    }

    private func rows(_ section: Substring, table id: String) throws -> Int {
        let start = try XCTUnwrap(section.range(of: "<section id=\"\(id)\""), "no table \(id)")
        let rest = section[start.upperBound...]
        let end = rest.range(of: "</table>")?.lowerBound ?? rest.endIndex
        return rest[..<end].components(separatedBy: "<tr>").count - 1
    }

    func testTheRenderedPackHoldsEveryReport() throws {
        let browser = try browser()
        let folder = TemporaryFolder()
        let pack = exportPack(folder)
        let result = chromium(browser, ["--dump-dom", "file://\(pack)"], profile: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let dom = result.stdout
        XCTAssertTrue(dom.contains("<title>Audit pack – Ledgerline GmbH ISMS – as of 2026-12-01</title>"), String(dom.prefix(600)))

        // Self-contained: nothing to fetch, nothing to run.
        for needle in ["<script", "<link", "src=", "@import", "url(", "<iframe", "<img"] {
            XCTAssertFalse(dom.contains(needle), "the pack must not contain \(needle)")
        }

        // The navigation reaches every report and every table it names.
        let nav = try XCTUnwrap(dom.range(of: "<nav id=\"contents\"")).lowerBound
        let navHTML = dom[nav..<(try XCTUnwrap(dom.range(of: "</nav>")).upperBound)]
        for kind in ["overview"] + Reports.kinds {
            XCTAssertTrue(navHTML.contains("href=\"#\(kind)\""), "nav links to \(kind)")
            XCTAssertTrue(dom.contains("<section id=\"\(kind)\""), "section \(kind) exists")
        }
        for anchor in navHTML.components(separatedBy: "href=\"#").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
            XCTAssertTrue(dom.contains("id=\"\(anchor)\""), "nav target \(anchor) exists")
        }

        let overview = text(try section(dom, "overview"))
        XCTAssertTrue(overview.contains("Audit pack: Ledgerline GmbH ISMS"), overview)
        XCTAssertTrue(overview.contains("hosted on AWS eu-central-1"), "the scope is shown")
        XCTAssertTrue(overview.contains("controls 58"), overview)

        let soa = try section(dom, "soa")
        let soaText = text(soa)
        XCTAssertEqual(try rows(soa, table: "soa-controls"), 94, "a header and the 93 Annex A controls")
        XCTAssertTrue(soaText.contains("A.5.15 Access control organizational yes"), soaText)
        XCTAssertTrue(soaText.contains("A.8.34 Protection of information systems during audit testing technological yes"))
        XCTAssertTrue(soaText.contains("A.7.4 Physical security monitoring physical no No premises in scope"))
        XCTAssertTrue(soaText.contains("Gaps (soa-gap) 0"))

        let register = try section(dom, "register")
        XCTAssertEqual(try rows(register, table: "register-risks"), 31)
        XCTAssertEqual(try rows(register, table: "register-heatmap_inherent"), 6)
        XCTAssertTrue(
            text(register).contains(
                "RISK-5 Exploitation of a vulnerable third-party dependency in the public API Priya Raman (praman) 4 4 16 critical"))
        XCTAssertTrue(register.contains("<td class=\"t-critical\">RISK-5</td>"), "RISK-5 sits in a critical heat-map cell")

        let trace = try section(dom, "trace")
        XCTAssertEqual(try rows(trace, table: "trace-chains"), 98)
        XCTAssertTrue(
            text(trace).contains(
                "CTRL-38 Vulnerability disclosure policy and security.txt planned n/a OBL-NIS2-21-2-e control only planned"))

        let evidence = text(try section(dom, "evidence"))
        XCTAssertTrue(
            evidence.contains(
                "CTRL-20 Monthly production database restore test Tobias Wendt (twendt) operating monthly EV-2026-11-restore-test 2026-11-18 fail 2026-12-18 failed"
            ), evidence)
        XCTAssertTrue(evidence.contains("excused by EXC-1 until 2027-01-31"))

        let coverage = text(try section(dom, "coverage"))
        // CTRL-20's failed restore test leaves the obligations it proves not proven (issue 13).
        XCTAssertTrue(coverage.contains("GDPR 12 12 10 2 0 0 0 83.3"), coverage)
        XCTAssertTrue(coverage.contains("DORA 8 7 6 1 0 0 1 85.7"), coverage)
    }

    func testThePackPrintsOneReportPerPage() throws {
        let browser = try browser()
        let folder = TemporaryFolder()
        let pack = exportPack(folder)
        let pdf = folder.path + "/audit-pack.pdf"
        let result = chromium(browser, ["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://\(pack)"], profile: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: pdf))
        let pages =
            String(decoding: data, as: UTF8.self).components(separatedBy: "/Type /Page").count - 1
            - (String(decoding: data, as: UTF8.self).components(separatedBy: "/Type /Pages").count - 1)
        // Contents, the overview, then each of the five reports from a new page (the SoA and trace span several).
        XCTAssertGreaterThanOrEqual(pages, 7, "pages: \(pages)")
    }
}
