import Foundation
import GitKit
import ISMSModel

/// Reading the history cache (layout in HistoryCache.swift).
extension HistoryCache {
    /// Reads a cache file: the header and commit graph at once, each commit's metadata and operations when
    /// asked. Throws `Corrupt` for anything that is not a whole, well-formed file of this version.
    ///
    /// Everything is bounds-checked, and every commit's metadata and operations are validated here (with the
    /// decoder the lazy reads use), so a file that passes its checksum yet is malformed (written by another
    /// version, or tampered with) is rebuilt with a warning and never traps later. `validatingCommits: false` leaves
    /// that check of the commits to the caller, before it reads any of them (`CachedCommits.validate`).
    package static func decode(_ data: Data) throws -> (HistoryCacheHeader, HistoryGraph) {
        try decode(CacheBytes(copying: data))
    }

    /// `validatingByDecoding`: check the commits the way `validate` used to (for the tests that compare the two).
    package static func decode(_ bytes: [UInt8], validatingByDecoding: Bool = false) throws -> (HistoryCacheHeader, HistoryGraph) {
        try decode(CacheBytes(copying: bytes), validatingByDecoding: validatingByDecoding)
    }

    package static func decode(
        _ file: CacheBytes, validatingCommits: Bool = true, validatingByDecoding: Bool = false
    ) throws -> (HistoryCacheHeader, HistoryGraph) {
        // `file` owns the memory `bytes` points into: it lives as long as the graph's `CachedCommits`.
        try withExtendedLifetime(file) {
            let bytes = file.raw
            // Offsets into the file are kept as Int32.
            guard bytes.count <= Int(Int32.max) else { throw Corrupt(description: "file too large") }
            guard bytes.count >= magic.count + 4 + 8, bytes.starts(with: magic) else {
                throw Corrupt(description: "not an isms history cache")
            }
            let version = bytes.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self).littleEndian
            guard version == formatVersion else { throw Corrupt(description: "cache format \(version), expected \(formatVersion)") }
            let stored = bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self).littleEndian
            guard checksum(file[0..<(bytes.count - 8)]) == stored else { throw Corrupt(description: "checksum mismatch") }

            var r = ByteReader(bytes, from: magic.count + 4, to: bytes.count - 8)
            let header = HistoryCacheHeader(
                firstParent: try r.byte() & 1 == 1, root: try r.text(), configBlob: try r.id(),
                shallowFingerprint: try r.u64(), tip: try r.id())
            let cached = try CachedCommits(file, strings: try r.section(), commits: try r.section())
            let index = try commitIndex(bytes, try r.section(), nodes: cached.nodes)
            cached.tipPlaces = try places(bytes, try r.section(), nodes: cached.nodes, tip: header.tip.flatMap { index[$0] })
            let mentionsSection = try r.section()
            try cached.setSnapshot(try r.section())
            guard r.atEnd else { throw Corrupt(description: "trailing bytes") }
            var m = ByteReader(bytes, from: mentionsSection.lowerBound, to: mentionsSection.upperBound)
            let mentionStrings = try m.stringTable()
            var mentions = [String: [Int32]]()
            let mentionCount = try m.count()
            mentions.reserveCapacity(mentionCount)
            for _ in 0..<mentionCount {
                let id = try m.string(in: mentionStrings)
                var commits = [Int32]()
                var commit = 0
                for _ in 0..<(try m.count()) {
                    commit += try m.varint()
                    guard commit < cached.nodes.count else { throw Corrupt(description: "bad commit index") }
                    commits.append(Int32(commit))
                }
                mentions[id] = commits
            }
            guard m.atEnd else { throw Corrupt(description: "trailing mention bytes") }
            if validatingByDecoding {
                try cached.validateByDecoding()
            } else if validatingCommits {
                try cached.validate()
            }
            // The snapshot is decoded when a run needs it; one that does not decode is replaced by a replay of the
            // commits (and rewritten by the next run that adds commits), so it is not checked here.
            return (header, HistoryGraph(cached: cached, index: index, mentions: mentions))
        }
    }

    /// The id order section: every commit's index (u32), in strictly ascending order of its id. Strictly ascending
    /// and as many as the commits, each in range, it is a permutation, and the ids are distinct.
    private static func commitIndex(_ raw: UnsafeRawBufferPointer, _ section: Range<Int>, nodes: [CommitNode]) throws -> CommitIndex {
        guard section.count == nodes.count * 4 else { throw Corrupt(description: "bad id order length") }
        var ids = [ObjectID](), indices = [Int32]()
        ids.reserveCapacity(nodes.count)
        indices.reserveCapacity(nodes.count)
        for k in 0..<nodes.count {
            let index = raw.loadUnaligned(fromByteOffset: section.lowerBound + 4 * k, as: UInt32.self).littleEndian
            guard index < nodes.count else { throw Corrupt(description: "bad commit index in the id order") }
            let id = nodes[Int(index)].id
            guard k == 0 || ids[k - 1] < id else { throw Corrupt(description: "commit ids out of order") }
            ids.append(id)
            indices.append(Int32(index))
        }
        return CommitIndex(sortedIDs: ids, indices: indices)
    }

    /// The places section (nil when empty): checked to be a newest-first order of the tip's ancestry, as far as a
    /// look at each commit tells: the places of the commits placed are 0, 1, 2… each once, the tip's is 0, each
    /// placed commit's parents are placed after it, and each placed commit but the tip is a placed commit's parent.
    private static func places(_ raw: UnsafeRawBufferPointer, _ section: Range<Int>, nodes: [CommitNode], tip: Int32?) throws -> [Int32]? {
        guard !section.isEmpty else { return nil }
        guard let tip, section.count == nodes.count * 4 else { throw Corrupt(description: "bad places length") }
        var places = [Int32](repeating: -1, count: nodes.count)
        var taken = [Bool](repeating: false, count: nodes.count)
        var placed = 0
        for k in 0..<nodes.count {
            let place = raw.loadUnaligned(fromByteOffset: section.lowerBound + 4 * k, as: UInt32.self).littleEndian
            guard place != .max else { continue }
            guard place < nodes.count, !taken[Int(place)] else { throw Corrupt(description: "bad place") }
            taken[Int(place)] = true
            places[k] = Int32(place)
            placed += 1
        }
        guard places[Int(tip)] == 0, taken.prefix(placed).allSatisfy({ $0 }) else { throw Corrupt(description: "bad places") }
        var childPlaced = [Bool](repeating: false, count: nodes.count)
        for (k, node) in nodes.enumerated() where places[k] >= 0 {
            for parent in node.parents {
                guard places[Int(parent)] > places[k] else { throw Corrupt(description: "a parent placed before its child") }
                childPlaced[Int(parent)] = true
            }
        }
        // Parent-closed and from the tip, the placed commits hold its ancestry; each one but the tip with a placed child
        // (placed before it, so that following children ends at the tip) holds nothing else: a commit of another branch
        // the file keeps is never counted in this one's history.
        for k in 0..<nodes.count where places[k] > 0 && !childPlaced[k] {
            throw Corrupt(description: "a placed commit the tip does not reach")
        }
        return places
    }

    /// The state saved at commit `tip`, read from the snapshot section's records (after the commit index).
    package static func decodeSnapshot(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, tip: Int) throws -> HistoryState {
        var r = ByteReader(bytes, from: range.lowerBound, to: range.upperBound)
        let strings = try r.stringTable()
        var records = [(String, TrackedRecord)]()
        let count = try r.count()
        records.reserveCapacity(count)
        for _ in 0..<count {
            let path = try r.string(in: strings), id = try r.string(in: strings)
            let kind = try r.kind()
            var fields = [String: Attributed]()
            let fieldCount = try r.count()
            fields.reserveCapacity(fieldCount)
            for _ in 0..<fieldCount {
                let name = try r.string(in: strings)
                guard let value = try r.value(strings) else { throw Corrupt(description: "absent snapshot value") }
                let shift = try r.signed()
                guard shift >= 0, shift <= Int64(tip) + 1 else { throw Corrupt(description: "bad attribution") }
                fields[name] = Attributed(value: value, commit: Int32(Int64(tip) - shift))
            }
            records.append((path, TrackedRecord(id: id, kind: kind, fields: fields)))
        }
        var gone = Set<String>()
        for _ in 0..<(try r.count()) { gone.insert(try r.string(in: strings)) }
        guard r.atEnd else { throw Corrupt(description: "trailing snapshot bytes") }
        return HistoryState(records: records, gone: gone)
    }
}

/// Reads within memory its caller keeps alive (a `CacheBytes`).
package struct ByteReader {
    package let bytes: UnsafeRawBufferPointer
    package private(set) var position: Int
    package let end: Int

    package init(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        self.bytes = bytes
        position = start
        self.end = end
    }

    package var atEnd: Bool { position == end }

    package mutating func byte() throws -> UInt8 {
        guard position < end else { throw HistoryCache.Corrupt(description: "truncated") }
        defer { position += 1 }
        return bytes[position]
    }
    package mutating func skip(_ count: Int) throws {
        guard count <= end - position else { throw HistoryCache.Corrupt(description: "truncated") }
        position += count
    }
    package mutating func unsigned() throws -> UInt64 {
        // Most numbers (string indices, counts, small deltas) take one byte.
        if position < end, bytes[position] < 0x80 {
            defer { position += 1 }
            return UInt64(bytes[position])
        }
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw HistoryCache.Corrupt(description: "bad number") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }
    package mutating func varint() throws -> Int {
        let n = try unsigned()
        guard n <= UInt64(Int32.max) else { throw HistoryCache.Corrupt(description: "number out of range") }
        return Int(n)
    }
    /// A count of items that follow, each at least one byte: never more than the bytes left, so a damaged
    /// count cannot make a reader reserve gigabytes or loop long.
    package mutating func count() throws -> Int {
        let n = try varint()
        guard n <= end - position else { throw HistoryCache.Corrupt(description: "count beyond the end") }
        return n
    }
    /// A time-zone offset in minutes, within what ±HH:MM can show.
    package mutating func offset() throws -> Int {
        let n = try signed()
        guard abs(n) <= 99 * 60 + 59 else { throw HistoryCache.Corrupt(description: "bad time-zone offset") }
        return Int(n)
    }
    package mutating func signed() throws -> Int64 {
        let n = try unsigned()
        return Int64(bitPattern: n >> 1) ^ -Int64(bitPattern: n & 1)
    }
    package mutating func u64() throws -> UInt64 {
        guard position + 8 <= end else { throw HistoryCache.Corrupt(description: "truncated") }
        defer { position += 8 }
        return bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian
    }
    package mutating func text() throws -> String {
        let count = try varint()
        guard count <= end - position else { throw HistoryCache.Corrupt(description: "truncated text") }
        defer { position += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)]), as: UTF8.self)
    }
    /// A 20-byte id; nil for all zeros.
    package mutating func id() throws -> ObjectID? {
        guard position + 20 <= end else { throw HistoryCache.Corrupt(description: "truncated id") }
        defer { position += 20 }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + 20)])
        return slice.allSatisfy({ $0 == 0 }) ? nil : ObjectID(bytes: slice)
    }
    package mutating func kind() throws -> RecordKind {
        let code = Int(try byte())
        guard code < HistoryCache.kinds.count, let kind = HistoryCache.kinds[code] else {
            throw HistoryCache.Corrupt(description: "bad kind")
        }
        return kind
    }
    /// A length-prefixed section's byte range; the reader moves past it.
    package mutating func section() throws -> Range<Int> {
        let length = try u64()
        guard length <= UInt64(end - position) else { throw HistoryCache.Corrupt(description: "truncated section") }
        let start = position
        position += Int(length)
        return start..<position
    }
    package mutating func stringTable() throws -> [String] {
        var table = [String]()
        let count = try self.count()
        table.reserveCapacity(count)
        for _ in 0..<count { table.append(try text()) }
        return table
    }
    package mutating func string(in table: [String]) throws -> String {
        let i = try varint()
        guard i < table.count else { throw HistoryCache.Corrupt(description: "bad string index") }
        return table[i]
    }
    package mutating func value(_ table: [String]) throws -> FieldValue? {
        try value { i in
            guard i < table.count else { throw HistoryCache.Corrupt(description: "bad string index") }
            return table[i]
        }
    }
    /// Record values are scalars or lists of scalars; `nested` refuses a list in a list (and so any recursion).
    package mutating func value(_ string: (Int) throws -> String, nested: Bool = false) throws -> FieldValue? {
        switch try byte() {
        case 0: return nil
        case 1: return .string(try string(try varint()))
        case 2: return .integer(Int(try signed()))
        case 3: return .boolean(false)
        case 4: return .boolean(true)
        case 5:
            // A record's dates have four-digit years (`Day.init?(_:)`).
            let ordinal = try signed()
            guard ByteReader.dayOrdinals.contains(ordinal) else { throw HistoryCache.Corrupt(description: "bad date") }
            return .date(Day(ordinal: Int(ordinal)))
        case 6 where !nested:
            var items = [FieldValue]()
            for _ in 0..<(try count()) {
                guard let item = try value(string, nested: true) else { throw HistoryCache.Corrupt(description: "absent list item") }
                items.append(item)
            }
            return .list(items)
        default: throw HistoryCache.Corrupt(description: "bad value tag")
        }
    }
    /// 0000-01-01 ... 9999-12-31.
    package static let dayOrdinals: ClosedRange<Int64> = -719_528...2_932_896
}
