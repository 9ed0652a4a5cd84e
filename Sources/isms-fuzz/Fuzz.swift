import Foundation
import ISMSKit
@_spi(Fuzzing) import ISMSOutput

/// What is fuzzed: records and isms.yaml through the checker (the default), or with ISMS_FUZZ_MODE=cache the
/// history cache decoder, fed files whose checksum is made to match (scripts/fuzz.sh).
let fuzzesCache = ProcessInfo.processInfo.environment["ISMS_FUZZ_MODE"] == "cache"

/// An ISMS held in memory: the fuzzer's bytes as one record (or as isms.yaml) beside a small valid ISMS.
struct MemorySource: RecordSource {
    let files: [String: Data]
    var label: String { "fuzz input" }

    func readConfig() throws -> Data? { files["isms.yaml"] }
    func recordEntries() throws -> [SourceEntry] {
        files.keys.filter { $0 != "isms.yaml" }.sorted().map { SourceEntry(path: $0, kind: .file, size: files[$0]!.count) }
    }
    func catalogEntries() throws -> [SourceEntry] { [] }
    func read(_ entries: [SourceEntry], limit: Int) throws -> [Result<Data, YAMLProblem>] {
        entries.map { .success(files[$0.path]!) }
    }
    func artifact(at path: String) -> Data? { files[path] }
}

let config = Data("name: Fuzz\npeople:\n  alice: {name: Alice, email: alice@example.com}\n".utf8)
let neighbours: [String: Data] = [
    "risks/risk-1.yaml": Data("id: RISK-1\ntitle: t\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\n".utf8),
    "controls/ctrl-1.yaml": Data("id: CTRL-1\ntitle: c\nowner: alice\nstatus: operating\nevery: monthly\nsatisfies: [OBL-1]\n".utf8),
    "obligations/obl-1.yaml": Data("id: OBL-1\ntitle: o\nowner: alice\nsource: GDPR\nref: Art. 32\n".utf8),
    "evidence/ev-1.yaml": Data(
        "id: EV-1\ntitle: e\ncontrol: CTRL-1\ncollected_on: 2026-11-01\nresult: fail\nlocation: artifacts/a.txt\n".utf8),
]
let folders = ["risks", "controls", "obligations", "evidence", "exceptions", "suppliers", "assets"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    if fuzzesCache {
        HistoryCacheFuzzing.exercise(Data(HistoryCacheFuzzing.withValidChecksum(Array(UnsafeBufferPointer(start: bytes, count: size)))))
        return 0
    }
    // The first byte picks where the input goes: as isms.yaml, or as a record of one of the kinds.
    let selector = Int(bytes[0]) % (folders.count + 1)
    let input = Data(bytes: bytes + 1, count: size - 1)
    var files = neighbours
    if selector == folders.count {
        files["isms.yaml"] = input
    } else {
        files["isms.yaml"] = config
        files["\(folders[selector])/fuzz.yaml"] = input
    }
    _ = try? Checker.check(MemorySource(files: files), asOf: Day("2026-12-01")!)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

// SwiftPM links an executable's entry point as `<target>_main`; hand control to libFuzzer's driver.
@_cdecl("isms_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
