import Foundation
import ISMSLoading

/// The history cache's file.
extension HistoryCache {
    /// Writes the file through `AtomicFile`: a run killed meanwhile leaves the old file whole; a full disk or a
    /// read-only folder is an `AtomicFile.WriteFailure`.
    package static func write(_ bytes: [UInt8], to path: String) throws {
        try AtomicFile.write(bytes, to: path)
    }

    /// The cache file's bytes, or nil when there is none. Only a regular file is read (never a FIFO that
    /// would block, a link, or a folder), and not one over 2 GiB, which `decode` would refuse anyway.
    package static func read(_ path: String) throws -> [UInt8]? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Corrupt(description: "not a regular file") }
        guard info.st_size <= off_t(Int32.max) else { throw Corrupt(description: "file too large") }
        guard let bytes = readFileBytes(path) else { throw Corrupt(description: "cannot read it") }
        return bytes
    }
}
