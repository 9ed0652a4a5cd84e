import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// Writing the history cache (layout in HistoryCache.swift).
extension HistoryCache {
    /// `order`: `History.newestFirst` from the header's tip, when the caller has it already.
    package static func encode(_ graph: HistoryGraph, header: HistoryCacheHeader, order newestFirst: [Int32]? = nil) -> [UInt8] {
        var out = ByteWriter()
        // The cached bytes are most of the file: one allocation, and each copied once.
        out.bytes.reserveCapacity((graph.cached?.file.count ?? 0) + (graph.count - graph.cachedCount) * 256 + 65_536)
        out.bytes.append(contentsOf: magic)
        out.u32(formatVersion)
        out.byte(header.firstParent ? 1 : 0)
        out.text(header.root)
        out.id(header.configBlob)
        out.u64(header.shallowFingerprint)
        out.id(header.tip)

        // Cached commits are copied as they are; only this run's commits are encoded, their strings appended.
        let cached = graph.cached
        var strings = StringTable(base: cached?.stringCount ?? 0)
        var commits = ByteWriter()
        for i in graph.cachedCount..<graph.count {
            encodeCommit(Int32(i), of: graph, into: &commits, strings: &strings)
        }
        var newStrings = ByteWriter()
        for text in strings.list { newStrings.text(text) }
        out.section(
            count: (cached?.stringCount ?? 0) + strings.list.count,
            cached.map { $0.file[$0.stringBytes] } ?? UnsafeRawBufferPointer(start: nil, count: 0), newStrings.bytes)
        out.section(
            count: graph.count, cached.map { $0.file[$0.commitBytes] } ?? UnsafeRawBufferPointer(start: nil, count: 0), commits.bytes)
        var order = ByteWriter()
        order.bytes.reserveCapacity(graph.count * 4)
        for index in graph.index.indicesInIDOrder() { order.u32(UInt32(index)) }
        out.section(order)
        out.section(places(graph, tip: header.tip, order: newestFirst))

        var local = StringTable(base: 0)
        var body = ByteWriter()
        body.varint(graph.mentions.count)
        for (id, commits) in graph.mentions.sorted(by: { $0.key < $1.key }) {
            body.varint(local.index(id))
            body.varint(commits.count)
            var previous: Int32 = 0
            for commit in commits {
                body.varint(Int(commit - previous))
                previous = commit
            }
        }
        out.section(local.section(followedBy: body))

        local = StringTable(base: 0)
        body = ByteWriter()
        if let (tip, state) = graph.snapshot {
            body.varint(state.byPath.count)
            for (path, record) in state.byPath.sorted(by: { $0.key < $1.key }) {
                body.varint(local.index(path.string))
                body.varint(local.index(record.id))
                body.byte(record.kind.storageCode)
                body.varint(record.fields.count)
                for (name, field) in record.fields.sorted(by: { $0.key < $1.key }) {
                    body.varint(local.index(name))
                    value(field.value, into: &body, strings: &local)
                    body.signed(Int64(tip) - Int64(field.commit))
                }
            }
            body.varint(state.gone.count)
            for id in state.gone.sorted() { body.varint(local.index(id)) }
            var section = ByteWriter()
            section.varint(Int(tip))
            section.bytes.append(contentsOf: local.section(followedBy: body).bytes)
            out.section(section)
        } else {
            out.section(ByteWriter())
        }
        out.u64(checksum(out.bytes[...]))
        return out.bytes
    }

    /// The places section: empty when the tip is not in the graph.
    private static func places(_ graph: HistoryGraph, tip: ObjectID?, order newestFirst: [Int32]?) -> ByteWriter {
        var section = ByteWriter()
        guard let tip, let tipIndex = graph.index[tip] else { return section }
        var places = [UInt32](repeating: .max, count: graph.count)
        for (place, index) in (newestFirst ?? History.newestFirst(from: tipIndex, in: graph)).enumerated() {
            places[Int(index)] = UInt32(place)
        }
        section.bytes.reserveCapacity(graph.count * 4)
        for place in places { section.u32(place) }
        return section
    }

    private static func encodeCommit(_ i: Int32, of graph: HistoryGraph, into out: inout ByteWriter, strings: inout StringTable) {
        let node = graph.nodes[Int(i)], info = graph.info(i)
        out.id(node.id)
        out.byte(node.isShallowBoundary ? 1 : 0)
        out.varint(node.parents.count)
        for parent in node.parents { out.varint(Int(parent)) }
        out.signed(node.committerTime)
        var meta = ByteWriter()
        meta.varint(strings.index(info.author.name))
        meta.varint(strings.index(info.author.email))
        meta.signed(info.author.time)
        meta.signed(Int64(info.author.offsetMinutes))
        meta.varint(strings.index(info.committer.name))
        meta.varint(strings.index(info.committer.email))
        meta.signed(Int64(info.committer.offsetMinutes))
        meta.varint(strings.index(info.summary))
        out.varint(meta.bytes.count)
        out.bytes.append(contentsOf: meta.bytes)
        var ops = ByteWriter()
        encodeOps(graph.ops(i), commit: i, into: &ops, strings: &strings)
        out.varint(ops.bytes.count)
        out.bytes.append(contentsOf: ops.bytes)
    }

    /// A commit's operations in the cache's layout; `commit` is its graph index (attributions are kept relative to
    /// it). `CompactOps` holds a run's operations in the same layout.
    package static func encodeOps(_ list: [RecordOp], commit: Int32, into ops: inout ByteWriter, strings: inout StringTable) {
        ops.varint(list.count)
        for op in list {
            ops.byte(op.event.storageCode)
            var flags: UInt8 = op.ownEvent ? 1 : 0
            if op.oldID != nil { flags |= 2 }
            if op.newID != nil { flags |= 4 }
            if op.oldPath != nil { flags |= 8 }
            if op.newPath != nil { flags |= 16 }
            ops.byte(flags)
            ops.byte(op.kind.storageCode)
            if let text = op.oldID { ops.varint(strings.index(text)) }
            if let text = op.newID { ops.varint(strings.index(text)) }
            if let text = op.oldPath { ops.varint(strings.index(text)) }
            if let text = op.newPath { ops.varint(strings.index(text)) }
            ops.varint(op.fields.count)
            for field in op.fields {
                ops.varint(strings.index(field.field))
                value(field.old, into: &ops, strings: &strings)
                value(field.new, into: &ops, strings: &strings)
                ops.signed(Int64(commit) - Int64(field.attribution))
            }
        }
    }

    package static func value(_ value: FieldValue?, into out: inout ByteWriter, strings: inout StringTable) {
        switch value {
        case nil: out.byte(0)
        case .string(let s)?: out.byte(1); out.varint(strings.index(s))
        case .integer(let i)?: out.byte(2); out.signed(Int64(i))
        case .boolean(let b)?: out.byte(b ? 4 : 3)
        case .date(let d)?: out.byte(5); out.signed(Int64(d.ordinal))
        case .list(let items)?:
            out.byte(6)
            out.varint(items.count)
            for item in items { self.value(item, into: &out, strings: &strings) }
        }
    }
}

/// Strings written once, referred to by index (from `base`, when appended to an existing table).
///
/// Byte for byte: canonically equal spellings of a path stay two strings. Looked up through an open-addressing
/// table of its own, hashed a word at a time over the UTF-8 bytes: a `[ExactString: Int]` (a seeded SipHash per
/// lookup, and its equality a byte at a time through the UTF-8 views) was most of the cost of keeping a run's
/// operations (`CompactOps`), which interns every id, path, field name and value of every commit.
package struct StringTable {
    package let base: Int
    package private(set) var list = [String]()
    /// Per slot, 0 where empty, else the string's hash's high 32 bits and its index into `list` + 1 (the low 32 bits):
    /// a slot whose hash differs is passed without reading the string. A power of two long, at most half full.
    private var slots = [UInt64](repeating: 0, count: 64)

    package init(base: Int) { self.base = base }

    package mutating func index(_ text: String) -> Int {
        var bytesOf = text
        let (found, slot, hash) = bytesOf.withUTF8 { bytes -> (Int?, Int, UInt64) in
            let hash = Self.hash(bytes)
            let tag = hash & 0xFFFF_FFFF_0000_0000
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { return (nil, slot, hash) }
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    let i = Int(entry & 0xFFFF_FFFF) - 1
                    var known = list[i]
                    let same = known.withUTF8 { other in
                        other.count == bytes.count
                            && (bytes.isEmpty || memcmp(other.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
                    }
                    if same { return (i, slot, hash) }
                }
                slot = (slot + 1) & mask
            }
        }
        if let found { return base + found }
        list.append(text)
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(list.count)
        if list.count * 2 > slots.count { grow() }
        return base + list.count - 1
    }

    /// Twice the slots, every string placed again (its hash computed again: keeping each string's hash would cost
    /// 8 bytes a string for the whole run, to save work done about twice per string in all).
    private mutating func grow() {
        var wider = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = wider.count - 1
        for i in list.indices {
            var text = list[i]
            let hash = text.withUTF8 { Self.hash($0) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while wider[slot] != 0 { slot = (slot + 1) & mask }
            wider[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(i + 1)
        }
        slots = wider
    }

    /// FNV-1a-like over 8-byte words, then the tail; finished so that the low bits (the slot) depend on every byte.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325 ^ UInt64(bytes.count)
        let raw = UnsafeRawBufferPointer(bytes)
        var i = 0
        while i + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100000001b3
            hash ^= hash >> 32
            i += 8
        }
        while i < raw.count {
            hash = (hash ^ UInt64(raw[i])) &* 0x100000001b3
            i += 1
        }
        hash ^= hash >> 29
        hash &*= 0xbf58476d1ce4e5b9
        return hash ^ (hash >> 32)
    }

    /// A self-contained section: this table, then `body`.
    package func section(followedBy body: ByteWriter) -> ByteWriter {
        var out = ByteWriter()
        out.varint(list.count)
        for text in list { out.text(text) }
        out.bytes.append(contentsOf: body.bytes)
        return out
    }
}

package struct ByteWriter {
    package var bytes = [UInt8]()
    package mutating func byte(_ b: UInt8) { bytes.append(b) }
    package mutating func varint(_ n: Int) { unsigned(UInt64(n)) }
    package mutating func unsigned(_ n: UInt64) {
        var n = n
        while n >= 0x80 { bytes.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        bytes.append(UInt8(n))
    }
    package mutating func signed(_ n: Int64) { unsigned(UInt64(bitPattern: (n << 1) ^ (n >> 63))) }
    package mutating func u32(_ n: UInt32) { withUnsafeBytes(of: n.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func u64(_ n: UInt64) { withUnsafeBytes(of: n.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
    package mutating func id(_ id: ObjectID?) {
        guard let id else { bytes.append(contentsOf: repeatElement(0, count: 20)); return }
        id.withBytes { bytes.append(contentsOf: $0) }
    }
    /// A length-prefixed section.
    package mutating func section(_ section: ByteWriter) {
        u64(UInt64(section.bytes.count))
        bytes.append(contentsOf: section.bytes)
    }
    /// A length-prefixed section of a count and two runs of bytes, written without building it first.
    package mutating func section(count: Int, _ first: UnsafeRawBufferPointer, _ second: [UInt8]) {
        var prefix = ByteWriter()
        prefix.varint(count)
        u64(UInt64(prefix.bytes.count + first.count + second.count))
        bytes.append(contentsOf: prefix.bytes)
        bytes.append(contentsOf: first)
        bytes.append(contentsOf: second)
    }
}
