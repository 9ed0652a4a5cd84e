import Foundation
import ISMSCore

/// The whole file at `path` as bytes, read straight into the array that is returned (the caches under the git
/// folder are megabytes, read on every history command: `Data` and a copy to `[UInt8]` doubled the cost).
/// Nil when it cannot be opened or read; a link is not followed.
package func readFileBytes(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    // One byte more than the size, so that the read that finds the end needs no larger buffer.
    var capacity = max(0, Int(info.st_size)) + 1
    // Read into uninitialised memory: zeroing megabytes first only to overwrite them cost as much as the read.
    var failed = false
    var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, filled in
        filled = 0
        while filled < capacity {
            let n = read(fd, buffer.baseAddress! + filled, capacity - filled)
            if n == 0 { return }
            if n < 0 {
                if errno == EINTR { continue }
                failed = true
                return
            }
            filled += n
        }
    }
    if failed { return nil }
    if bytes.count < capacity { return bytes }
    // The file grew while it was read.
    capacity += 65_536
    while true {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: capacity - start))
        var filled = start
        let failed = bytes.withUnsafeMutableBytes { buffer -> Bool in
            while filled < capacity {
                let n = read(fd, buffer.baseAddress! + filled, capacity - filled)
                if n == 0 { return false }
                if n < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                filled += n
            }
            return false
        }
        if failed { return nil }
        if filled < capacity {
            bytes.removeSubrange(filled...)
            return bytes
        }
        // The file grew while it was read.
        capacity += 65_536
    }
}

/// A cache file's bytes, read as the history cache's are: nil unless it is a regular file (a link is not followed,
/// a FIFO or a device is not read) of at most `maxBytes`, so a damaged or foreign file costs neither a hang nor
/// its size in memory. A cache not read only makes the run slower.
package func readCacheFileBytes(_ path: String, maxBytes: Int = Limits.cacheFileBytes) -> [UInt8]? {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= off_t(maxBytes),
        let bytes = readFileBytes(path), bytes.count <= maxBytes
    else { return nil }
    return bytes
}

/// Which version of a file was read: its inode, size and change time (nil: no file). A cache written by replacing
/// the file (`AtomicFile`) has another stamp once anyone wrote it, so a writer that read it earlier can tell that
/// another check of this process (`check --base` judges its merge base beside the head) wrote it meanwhile, and
/// read it again rather than drop that check's answers.
package struct FileStamp: Equatable, Sendable {
    let inode: UInt64, size: Int64, changedSeconds: Int, changedNanoseconds: Int

    package init?(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        changedSeconds = Int(info.st_ctim.tv_sec)
        changedNanoseconds = Int(info.st_ctim.tv_nsec)
    }
}
