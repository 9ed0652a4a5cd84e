import Foundation
import ISMSHistory

/// The history cache decoder as the fuzz target (`scripts/fuzz.sh cache`) and its regression tests drive it.
/// Not API: `@_spi(Fuzzing) import ISMSOutput`.
@_spi(Fuzzing) public enum HistoryCacheFuzzing {
    /// `bytes` with the trailing checksum recomputed, so the fuzzer explores files that pass the checksum and
    /// are malformed inside: what a buggy writer or a tampering hand would leave.
    public static func withValidChecksum(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= HistoryCache.magic.count + 4 + 8 else { return bytes }
        var fixed = bytes
        let sum = HistoryCache.checksum(fixed[..<(fixed.count - 8)]).littleEndian
        withUnsafeBytes(of: sum) { raw in
            for i in 0..<8 { fixed[fixed.count - 8 + i] = raw[i] }
        }
        return fixed
    }

    /// Decodes `data` as a cache file and, when it decodes, uses everything in it as runs do: each commit's
    /// metadata and operations, the snapshot, the queries and their output, a replay of the records, the
    /// pruning a force-push causes, and a re-encoding that must decode again. Returns whether it decoded.
    /// Never traps: that is what the fuzzer checks.
    @discardableResult
    public static func exercise(_ data: Data) -> Bool {
        guard let (header, graph) = try? HistoryCache.decode(data) else { return false }
        for i in 0..<graph.count {
            _ = graph.info(Int32(i))
            _ = graph.ops(Int32(i))
        }
        _ = graph.snapshot
        guard graph.count > 0 else { return true }
        for tip in Set([Int32(graph.count - 1), graph.snapshotCommit ?? 0, 0]) {
            let history = History(graph: graph, tip: tip, notices: [], commitsRead: 0, blobsParsed: 0, timings: PhaseTimings())
            let log = history.log()
            _ = HistoryJSON.log(log)
            _ = HistoryText.log(log)
            for id in history.knownIDs().prefix(4) {
                if let entries = history.entries(of: id) { _ = HistoryJSON.history(record: id, entries: entries) }
                if let lines = history.blame(id) { _ = HistoryText.blame(lines) }
            }
            _ = history.currentIDs()
            let kept = graph.keeping(graph.ancestors(of: tip))
            let again = HistoryCache.encode(kept, header: header)
            guard (try? HistoryCache.decode(Data(again))) != nil else {
                preconditionFailure("history cache: a re-encoded cache does not decode")
            }
        }
        // The cached sections are copied as they are when a run appends: the copy must decode too.
        guard (try? HistoryCache.decode(Data(HistoryCache.encode(graph, header: header)))) != nil else {
            preconditionFailure("history cache: a copied cache does not decode")
        }
        return true
    }
}
