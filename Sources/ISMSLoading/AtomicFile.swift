import Foundation

/// Whole-file writes for the caches under the git folder (history, path blobs, signatures): readers see the
/// old file or the new one, never a part. The bytes go to a temporary file in the same folder, opened with
/// `O_NOFOLLOW` (a link planted at its name is refused, not written through), synced, then renamed over the
/// target (`rename` replaces a link at the target rather than following it). A failure removes the temporary
/// file; a run killed meanwhile leaves at worst its temporary file, which a later write of the same file
/// removes once it is an hour old.
package enum AtomicFile {
    /// Why the file could not be written, in the system's words ("No space left on device").
    package struct WriteFailure: Error, CustomStringConvertible {
        package let description: String
    }

    /// One cache file written at a time in this process: `check --base` judges its merge base beside the head, and two
    /// writes of one file would share the temporary name (it holds the process id). Re-entrant, so that a caller can
    /// hold it across reading a file and writing it back (`updating`).
    private static let writing = NSRecursiveLock()

    /// Runs `body` holding the write lock: a read-modify-write of a cache file that another check of this process
    /// may be writing too.
    package static func updating<R>(_ body: () throws -> R) rethrows -> R {
        writing.lock()
        defer { writing.unlock() }
        return try body()
    }

    package static func write(_ bytes: [UInt8], to path: String) throws(WriteFailure) {
        writing.lock()
        defer { writing.unlock() }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        func failure() -> WriteFailure { WriteFailure(description: String(cString: strerror(errno))) }
        guard makeFolder(folder) else { throw failure() }
        removeStaleTemporaries(in: folder, of: name)
        let temporary = folder + "/.\(name).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw failure() }
        var written = 0
        var problem: WriteFailure? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return n == 0 ? WriteFailure(description: "short write") : failure() }
                written += n
            }
            return nil
        }
        // Synced before the rename: otherwise a crash soon after can leave the new name on an empty file.
        if problem == nil, fsync(fd) != 0 { problem = failure() }
        let closed = close(fd) == 0 ? nil : failure()
        if let error = problem ?? closed {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure()
            unlink(temporary)
            throw error
        }
    }

    /// The folder, with any missing folders above it; false with `errno` set when one cannot be made.
    private static func makeFolder(_ folder: String) -> Bool {
        if mkdir(folder, 0o777) == 0 || errno == EEXIST { return true }
        guard errno == ENOENT else { return false }
        let parent = (folder as NSString).deletingLastPathComponent
        guard !parent.isEmpty, parent != folder, makeFolder(parent) else { return false }
        return mkdir(folder, 0o777) == 0 || errno == EEXIST
    }

    /// Temporary files of this file left by runs that were killed while writing, once an hour old (a younger
    /// one may belong to a run still writing).
    private static func removeStaleTemporaries(in folder: String, of name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let cutoff = time(nil) - 3600
        for entry in entries where entry.hasPrefix(".\(name).") && entry.hasSuffix(".tmp") {
            var info = stat()
            if lstat(folder + "/" + entry, &info) == 0, info.st_mtim.tv_sec < cutoff { unlink(folder + "/" + entry) }
        }
    }
}
