import CLibGit2
import Foundation

/// A check of loose objects before libgit2 reads them (`isms_git_add_loose_guard`, CLibGit2/shim.h).
///
/// libgit2 1.5, the version Debian ships, loops forever inflating a loose object whose zlib stream is cut short
/// (libgit2 #7342; fixed upstream after 1.5), so a command reading one never ended; and it writes past its buffer
/// reading one whose header declares fewer bytes than it holds (#7177). Both are reached only through a damaged
/// local object store (a clone receives packs, which git verifies as it indexes them). The guard is a backend of every
/// object database isms opens, one for its objects folder and one for each alternate store libgit2 reads
/// (`objects/info/alternates`), ranked after the packs and before the loose objects: an object in a pack never
/// reaches it; for one that is loose, it inflates the file first and refuses it with a zlib error (a damaged
/// repository: exit 2, "run `git fsck`") unless the stream ends and the size matches the header. It reads git's retired
/// "packlike" format too (a pack entry's header, then zlib), which libgit2 also reads and on which it loops the same,
/// stops inflating at the first byte past the declared size (a zlib bomb), and refuses a loose path that is not a
/// regular file, in libgit2's header read as well (opening a FIFO waits forever). A sound loose object
/// is then read by libgit2 as before, so it is inflated twice; loose objects are few where history is long (git packs
/// them), and small.
package enum LooseObjectGuard {
    /// libgit2 ranks loose objects 1 and packs 2 by default; packs are moved to 3 so that the guard fits between.
    package static let packedPriority: Int32 = 3
    static let priority: Int32 = 2
    /// How deep libgit2 follows alternates of alternates (`GIT_ALTERNATES_MAX_DEPTH`).
    static let alternatesDepth = 5

    static func add(to database: OpaquePointer, objects folder: String, depth: Int = 0) throws {
        try check(isms_git_add_loose_guard(database, folder, priority), "open object database \(folder)")
        // As libgit2 reads the file (odb.c, `load_alternates`): a path per line (`\r` or `\n`), `#` a comment, a path
        // starting with `.` relative to this folder in the repository's own list only, any other as it is given.
        guard depth <= alternatesDepth, let list = FileManager.default.contents(atPath: folder + "/info/alternates") else { return }
        for line in list.split(whereSeparator: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            let path = String(decoding: line, as: UTF8.self)
            guard !path.hasPrefix("#") else { continue }
            try add(to: database, objects: path.hasPrefix(".") && depth == 0 ? folder + "/" + path : path, depth: depth + 1)
        }
    }
}
