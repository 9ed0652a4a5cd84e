import Foundation
import XCTest

/// The layering promises of CONTRIBUTING.md, checked on the sources themselves.
final class ArchitectureTests: XCTestCase {
    private let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    private func swiftFiles() -> [(path: String, text: String)] {
        let enumerator = FileManager.default.enumerator(atPath: sources.path)!
        var files = [(String, String)]()
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            files.append((path, try! String(contentsOfFile: sources.path + "/" + path, encoding: .utf8)))
        }
        XCTAssertGreaterThan(files.count, 20)
        return files
    }

    func testOnlyTheGitLayerCallsLibgit2() {
        for file in swiftFiles() where file.text.contains("import CLibGit2") {
            XCTAssertTrue(file.path.hasPrefix("GitKit/"), "\(file.path) imports libgit2; only Sources/GitKit may")
        }
    }

    /// The one sanctioned exception: OpenPGP signatures are verified by gpg, run from this file only.
    static let runsGPG = "ISMSHistory/Signatures/OpenPGPVerifier.swift"

    func testTheProductNeverRunsOtherPrograms() {
        var sanctioned = false
        for file in swiftFiles() {
            for forbidden in ["Process()", "posix_spawn", "system(", "popen(", "execv", "fork("] where file.text.contains(forbidden) {
                if file.path == Self.runsGPG && forbidden == "Process()" {
                    sanctioned = true
                    continue
                }
                XCTFail("\(file.path) runs a program (\(forbidden)); read git through the libgit2 layer (only \(Self.runsGPG) may run gpg)")
            }
        }
        XCTAssertTrue(sanctioned, "\(Self.runsGPG) no longer runs gpg: remove the exception")
    }
}
