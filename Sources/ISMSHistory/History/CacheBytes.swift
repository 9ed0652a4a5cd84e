import Foundation

/// A history cache file's bytes, read-only: mapped from the file, or copied (tests, the fuzzer). Mapping it saves a
/// warm run copying 4 MB out of the kernel's file cache into fresh pages, which cost more than checking the whole file.
/// The file is never changed in place (a new one is renamed over it), so the mapping keeps the bytes that were read.
package final class CacheBytes: @unchecked Sendable {
    package let raw: UnsafeRawBufferPointer
    private let mapped: Bool

    package init<Bytes: Collection<UInt8>>(copying bytes: Bytes) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        _ = memory.initializeMemory(as: UInt8.self, from: bytes)
        raw = UnsafeRawBufferPointer(memory)
        mapped = false
    }

    private init(mapping address: UnsafeMutableRawPointer, count: Int) {
        raw = UnsafeRawBufferPointer(start: address, count: count)
        mapped = true
    }

    /// The regular file open as `fd`, `count` bytes long (its size): mapped (an empty file, which cannot be mapped, as
    /// no bytes). Nil when the mapping fails: the caller takes the file as unreadable and rebuilds it.
    package static func map(_ fd: Int32, count: Int) -> CacheBytes? {
        if count > 0, let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED {
            return CacheBytes(mapping: address, count: count)
        }
        return count == 0 ? CacheBytes(copying: []) : nil
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: raw.baseAddress), raw.count)
        } else {
            raw.deallocate()
        }
    }

    package var count: Int { raw.count }

    package subscript(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: raw[range]) }
}
