import Foundation
import ISMSCore
import ISMSHistory
import ISMSLoading
import ISMSRules

extension HistoryText {
    /// The text log of `pieces`, rendered a piece at a time on `threads` threads and handed to `write` in order, each
    /// piece whole lines already guarded against workflow commands (`SafeText.guardingWorkflowCommands`, which reads
    /// line by line): the bytes `render` of every item gives. Rendering the log of a million commits (decoding each
    /// commit's operations, building its lines) took seven seconds on one core while the other idled.
    ///
    /// `mark` is asked for a commit's signature mark once per commit, as `Writer` asks, from the rendering threads: one
    /// call at a time (the caller's verifier is not thread-safe), in no set order. Fewer than two threads, or a single
    /// piece, render on the caller's thread. At most `2 × threads` rendered pieces wait to be written.
    package static func streamLog(
        _ pieces: LogPieces, threads: Int, mark: @escaping (CommitInfo) -> String?, write: (String) -> Void
    ) {
        let serial = SerialMarks(mark)
        @Sendable func render(_ piece: Int) -> String {
            var writer = Writer(withRecord: true, capacity: 1 << 16) { serial.mark($0) }
            pieces.forEachItem(inPiece: piece) { writer.append($0) }
            return SafeText.guardingWorkflowCommands(writer.out.string)
        }
        guard threads > 1, pieces.count > 1 else {
            for piece in 0..<pieces.count { write(render(piece)) }
            return
        }
        let queue = ParallelQueue<Int, String>(threads: threads, batch: 1, render)
        let ahead = 2 * threads
        var submitted = 0
        for piece in 0..<pieces.count {
            while submitted < min(pieces.count, piece + ahead) {
                queue.submit(submitted)
                submitted += 1
            }
            write(queue.result(piece))
            queue.release(piece)
        }
        queue.drain()
    }
}

/// A mark function called from several threads, one call at a time. `@unchecked`: `body` (and what it holds, the
/// verifier) runs only with `lock` held.
private final class SerialMarks: @unchecked Sendable {
    private let lock = NSLock()
    private let body: (CommitInfo) -> String?

    init(_ body: @escaping (CommitInfo) -> String?) { self.body = body }

    func mark(_ commit: CommitInfo) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return body(commit)
    }
}
