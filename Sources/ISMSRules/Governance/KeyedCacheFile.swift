import Foundation
import GitKit
import ISMSCore
import ISMSLoading
import ISMSModel

/// Parts of the keys of the caches whose answers come from the rules (`BaseFindingsCache`, `ReassessmentCache`).
package enum CacheKey {
    /// The build: the version, every rule's id, default severity and use of the history, and the executable's
    /// size, time and inode (a rebuild with the same version number is another build).
    package static let build: String = {
        var rules = ""
        for rule in RuleRegistry.all {
            let definition = type(of: rule).definition
            rules += "\(definition.id):\(definition.severity.rawValue):\(type(of: rule).history);"
        }
        var executable = "unknown"
        var info = stat()
        if let path = Bundle.main.executablePath, stat(path, &info) == 0 {
            executable = "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ino)"
        }
        return "\(ISMSVersion.current) rules \(String(fnv1a(Array(rules.utf8)), radix: 16)) exe \(executable)"
    }()

    /// What history a commit has here beyond its id: a shallow boundary or grafts cut or rewrite it.
    package static func historyShape(_ repository: Repository) -> [String] {
        let shallow = FileManager.default.contents(atPath: repository.commonDirectory + "/shallow") ?? Data()
        let grafts = FileManager.default.contents(atPath: repository.commonDirectory + "/info/grafts") ?? Data()
        return [
            "shallow \(String(fnv1a(shallow), radix: 16)) \(shallow.count)",
            "grafts \(String(fnv1a(grafts), radix: 16)) \(grafts.count)",
        ]
    }
}

/// A cache file of a few entries, each a key (a text naming everything its payload depends on) and a payload,
/// newest first: `<header line>`, then per entry `[key length u32][key][payload length u32][FNV-1a of both u64]
/// [payload]`. A file that does not parse whole is ignored (and rewritten by the next store); an entry is used only
/// when its checksum holds (only the entry used is summed: the gate's base findings are half a megabyte an entry),
/// and one whose checksum fails is dropped by the next store. A payload is then only as good as its decoder, which
/// must refuse what it does not read exactly. Written whole with `AtomicFile`; read back only from a regular file of at most `Limits.cacheFileBytes`.
package struct KeyedCacheFile {
    package let path: String
    package let header: [UInt8]
    package let maxEntries: Int

    package init(path: String, header: String, maxEntries: Int) {
        self.path = path
        self.header = Array((header + "\n").utf8)
        self.maxEntries = maxEntries
    }

    package struct Entry {
        package let key: ArraySlice<UInt8>
        package let payload: ArraySlice<UInt8>
        /// The checksum stored with it.
        let sum: UInt64

        /// Whether the key and payload are the bytes that were written.
        package var isWhole: Bool { KeyedCacheFile.checksum(key, payload) == sum }
    }

    /// The payload stored for `key`; nil when there is none or the file cannot be trusted.
    package func payload(for key: String) -> ArraySlice<UInt8>? {
        let wanted = Array(key.utf8)
        return entries()?.first { $0.key.elementsEqual(wanted) && $0.isWhole }?.payload
    }

    /// Stores `payload` for `key` before the other entries (the oldest beyond `maxEntries` dropped). A failure to
    /// write is not reported: the result of the run is whole, only the next is not faster.
    package func store(_ payload: [UInt8], for key: String) {
        let wanted = Array(key.utf8)
        // Read and written back under the write lock: the merge base's check of `check --base` stores beside the head's.
        AtomicFile.updating {
            let kept = (entries() ?? []).filter { !$0.key.elementsEqual(wanted) && $0.isWhole }.prefix(maxEntries - 1)
            var out = header
            append(Entry(key: ArraySlice(wanted), payload: ArraySlice(payload), sum: 0), to: &out)
            for entry in kept { append(entry, to: &out) }
            try? AtomicFile.write(out, to: path)
        }
    }

    /// The entries, newest first (check `isWhole` before using one); nil when the file is absent or does not parse
    /// whole.
    package func entries() -> [Entry]? {
        guard let bytes = readCacheFileBytes(path) else { return nil }
        guard bytes.count >= header.count, bytes[..<header.count].elementsEqual(header) else { return nil }
        var reader = CacheBytes.Reader(bytes: bytes, offset: header.count)
        var entries = [Entry]()
        while !reader.atEnd {
            guard entries.count < maxEntries, let keyLength = reader.u32(), let key = reader.bytes(Int(keyLength)),
                let payloadLength = reader.u32(), let sum = reader.u64(), let payload = reader.bytes(Int(payloadLength))
            else { return nil }
            entries.append(Entry(key: key, payload: payload, sum: sum))
        }
        return entries
    }

    private func append(_ entry: Entry, to out: inout [UInt8]) {
        CacheBytes.u32(UInt32(entry.key.count), &out)
        out += entry.key
        CacheBytes.u32(UInt32(entry.payload.count), &out)
        CacheBytes.u64(Self.checksum(entry.key, entry.payload), &out)
        out += entry.payload
    }

    package static func checksum(_ key: ArraySlice<UInt8>, _ payload: ArraySlice<UInt8>) -> UInt64 {
        fnv1a(key) ^ (fnv1a(payload) &* 31)
    }
}

/// Little-endian integers and length-prefixed UTF-8 for the keyed caches' payloads.
package enum CacheBytes {
    package static func u32(_ value: UInt32, _ out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
    package static func u64(_ value: UInt64, _ out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
    package static func string(_ value: String, _ out: inout [UInt8]) {
        u32(UInt32(value.utf8.count), &out)
        out += value.utf8
    }
    package static func optional(_ value: String?, _ out: inout [UInt8]) {
        guard let value else { return out.append(0) }
        out.append(1)
        string(value, &out)
    }

    package struct Reader {
        let bytes: [UInt8]
        var offset: Int
        package var atEnd: Bool { offset == bytes.count }

        package init(bytes: [UInt8], offset: Int) {
            self.bytes = bytes
            self.offset = offset
        }

        package mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
        package mutating func u32() -> UInt32? {
            bytes(4).map { $0.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        }
        package mutating func u64() -> UInt64? {
            bytes(8).map { $0.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        }
        package mutating func string() -> String? {
            guard let length = u32(), let raw = bytes(Int(length)) else { return nil }
            return String(validating: raw, as: UTF8.self)
        }
        /// `.some(nil)` for an absent value; nil when the bytes are not an optional string.
        package mutating func optional() -> String?? {
            guard let flag = bytes(1)?.first else { return nil }
            switch flag {
            case 0: return .some(nil)
            case 1: return string().map { .some($0) }
            default: return nil
            }
        }
    }
}
