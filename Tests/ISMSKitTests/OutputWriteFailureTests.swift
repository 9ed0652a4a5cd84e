import Foundation
import XCTest

/// Output that cannot be written (a full disk, a closed descriptor) is a run that could not finish: exit 2 with one
/// line on stderr, never a crash (Foundation's `FileHandle.write` traps on a failed write) and never a pass.
final class OutputWriteFailureTests: XCTestCase {
    private func run(_ arguments: String, stdout redirect: String, in r: ISMSRepository) -> ProcessResult {
        runProcess("/bin/sh", ["-c", "\"$0\" \(arguments) \(redirect)", ismsExecutable], in: r.path)
    }

    func testOutputThatCannotBeWrittenExitsTwoWithOneLine() {
        let r = ISMSRepository()
        r.write("risks/r1.yaml", riskYAML("RISK-1"))
        r.commit("Add register", at: "2026-01-05T10:00:00+01:00")
        for arguments in [
            "log --root isms", "history RISK-1 --root isms", "blame RISK-1 --root isms", "check --root isms --as-of 2026-06-01",
            "check --root isms --format json --as-of 2026-06-01", "rules", "history --help",
        ] {
            for redirect in [">/dev/full", ">&-"] {
                let result = run(arguments, stdout: redirect, in: r)
                XCTAssertEqual(result.status, 2, "\(arguments) \(redirect): \(result.stderr)")
                let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                XCTAssertEqual(lines.count, 1, "\(arguments) \(redirect): \(result.stderr)")
                XCTAssertTrue(
                    result.stderr.hasPrefix("isms: error: cannot write the output: "), "\(arguments) \(redirect): \(result.stderr)")
            }
        }
    }
}
