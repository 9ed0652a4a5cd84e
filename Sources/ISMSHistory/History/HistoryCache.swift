import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// The history cache: every walked commit with what it did to each record, in one compact binary file under
/// the git folder (`<gitdir>/isms/`), so a second run reads only the commits that are new since.
///
/// Layout (little-endian; integers are LEB128 varints, signed ones zig-zagged; "text" is an index into the
/// section's string table):
///
///     "ISMSHIST" · u32 format version (`formatVersion`: the revision and the kind and event codes)
///     header    flags (bit 0: first-parent) · ISMS root (length, UTF-8) · isms.yaml blob id (20 zero bytes:
///               none) · u64 fingerprint of the shallow file · tip commit id
///     strings   u64 byte length · count · (length · UTF-8)…            used by the commits section
///     commits   u64 byte length · count · commit…
///       commit  id (20 bytes) · flags (bit 0: shallow boundary) · parent count · parent indices… ·
///               committer time · meta length · meta · ops length · ops
///       meta    author (name · email · time · offset) · committer (name · email · offset) · summary
///       ops     count · (event code · flags (own event, has old id, new id, old path, new path) · kind · the ids
///               and paths present · field count · (name · old value · new value · index − attribution)…)…
///       value   tag (0 absent, 1 text, 2 integer, 3 false, 4 true, 5 date, 6 list) · payload
///     id order  u64 byte length · every commit's index as a u32, in ascending order of its id (the index
///               from id to commit, read by binary search rather than built)
///     places    u64 byte length · (empty, or: every commit's place in the newest-first order of the tip's ancestry
///               as a u32, 0xFFFFFFFF for a commit the tip does not reach: what `History.newestFirst` gives, kept so
///               that a warm run does not order every commit again)
///     mentions  u64 byte length · its own strings · count · (record id · count · ascending commit index
///               deltas…)…
///     snapshot  u64 byte length · (empty, or: commit index · its own strings · record count · (path · id ·
///               kind · field count · (name · value · commit index − attribution)…)… · gone count · ids…)
///     u64 checksum of everything before
///
/// Commit indices point into the file's own commit list, where parents come first. A run that only adds
/// commits copies the strings and commits sections and appends to them, so cached operations are never
/// decoded just to be written again; only the small mentions and snapshot sections are rewritten.
package struct HistoryCacheHeader: Equatable {
    package var firstParent: Bool
    package var root: String
    package var configBlob: ObjectID?
    package var shallowFingerprint: UInt64
    package var tip: ObjectID?
}

package enum HistoryCache {
    /// Bump when the meaning of cached operations changes: an older file is then rebuilt, not misread.
    /// 2: merges judged by what they produce; 3: six record kinds added; 4: the id order section; 5: the places section;
    /// 6: a record file name that is not UTF-8 stops the history (an older file may hold commits read past one); 7: a
    /// merge's contested paths told apart byte for byte (an older file may hold a merge judged on one of two spellings).
    package static let formatRevision: UInt32 = 7
    /// The codes the file stores for record kinds and events, and the fields the schema accepts. A kind, an event
    /// or a field added, or a code changed, changes it and so `formatVersion`: a new kind never reads an old cache
    /// as complete, and a new field is never missing from an old cache's records.
    package static let layoutFingerprint =
        "kinds \(RecordKind.layoutFingerprint); fields \(Schema.fingerprint); events " + HistoryEvent.layoutFingerprint
    /// What the file's first bytes and name carry: derived from the revision and the layout, never set by hand.
    package static let formatVersion: UInt32 = {
        let hash = fnv1a(Array("\(formatRevision) \(layoutFingerprint)".utf8))
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }()
    package static let magic = Array("ISMSHIST".utf8)

    package struct Corrupt: Error, CustomStringConvertible {
        package let description: String
    }

    package static func fileName(root: String, firstParent: Bool) -> String {
        let key = String(fnv1a(Array(root.utf8)), radix: 16)
        return "history-v\(formatVersion)-\(key)\(firstParent ? "-first-parent" : "").bin"
    }

    /// Code → event and code → kind, for the decoder; nil where no event or kind has the code.
    package static let events = byCode(HistoryEvent.allCases, \.storageCode)
    package static let kinds = byCode(RecordKind.allCases, \.storageCode)

    private static func byCode<T>(_ all: [T], _ code: (T) -> UInt8) -> [T?] {
        var table = [T?](repeating: nil, count: Int(all.map(code).max() ?? 0) + 1)
        for item in all {
            precondition(table[Int(code(item))] == nil, "two history cache codes \(code(item))")
            table[Int(code(item))] = item
        }
        return table
    }

    /// FNV-1a over 8-byte words (then the tail byte by byte): it catches torn and damaged files at a fraction
    /// of a byte-wise hash's cost. The words go to four lanes in turn, folded into one hash at the end, so that the
    /// multiplications overlap: one chain of them took a millisecond over a 4 MB file, on every warm run. Each step
    /// is one-to-one in the hash and in the word, so a change within one word always changes the sum.
    package static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    package static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var a: UInt64 = 0xcbf29ce484222325, b: UInt64 = 0x84222325cbf29ce4
        var c: UInt64 = 0x9ce484222325cbf2, d: UInt64 = 0x2325cbf29ce48422
        var i = 0
        while i + 32 <= raw.count {
            a = mix(a, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            b = mix(b, raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            c = mix(c, raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            d = mix(d, raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            i += 32
        }
        var hash = mix(mix(mix(a, b), c), d)
        while i + 8 <= raw.count {
            hash = mix(hash, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        while i < raw.count {
            hash = (hash ^ UInt64(raw[i])) &* 0x100000001b3
            i += 1
        }
        return hash
    }

    @inline(__always)
    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let multiplied = (hash ^ word) &* 0x100000001b3
        return multiplied ^ (multiplied >> 29)
    }
}

extension HistoryEvent {
    /// The event's code in the history cache, pinned: never renumber or reuse one; a new event takes the next
    /// free code (and changes the cache's `formatVersion` through `layoutFingerprint`).
    package var storageCode: UInt8 {
        switch self {
        case .created: return 0
        case .modified: return 1
        case .moved: return 2
        case .idChanged: return 3
        case .deleted: return 4
        case .restored: return 5
        case .boundary: return 6
        }
    }

    /// Every event with its code, for the cache's version.
    package static var layoutFingerprint: String { allCases.map { "\($0.rawValue)=\($0.storageCode)" }.joined(separator: ",") }
}
