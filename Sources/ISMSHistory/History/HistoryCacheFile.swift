import Foundation
import ISMSLoading

/// The history cache's file.
extension HistoryCache {
    /// Writes the file through `AtomicFile`: a run killed meanwhile leaves the old file whole; a full disk or a
    /// read-only folder is an `AtomicFile.WriteFailure`.
    package static func write(_ bytes: [UInt8], to path: String) throws {
        try AtomicFile.write(bytes, to: path)
    }

    /// The cache file's bytes, mapped, or nil when there is none. Only a regular file is read (never a FIFO that
    /// would block, a link, or a folder), and not one over 2 GiB, which `decode` would refuse anyway.
    package static func read(_ path: String) throws -> CacheBytes? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            guard info.st_mode & S_IFMT == S_IFREG else { throw Corrupt(description: "not a regular file") }
            throw Corrupt(description: "cannot read it")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Corrupt(description: "cannot read it") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Corrupt(description: "not a regular file") }
        guard info.st_size <= off_t(Int32.max) else { throw Corrupt(description: "file too large") }
        guard let bytes = CacheBytes.map(fd, count: Int(info.st_size)) else { throw Corrupt(description: "cannot read it") }
        return bytes
    }
}
