import ISMSCore
import ISMSModel

/// The record operations of the commits a run computes, held as bytes (the history cache's layout of an operation)
/// with each distinct string once: ids, paths, field names and values repeat from commit to commit. As `RecordOp`s,
/// each with its own strings, boxed values and arrays, they were most of a cold run's memory (about 0.5 KB a commit).
/// Decoded on each use; only this run writes them, so they are not checked.
package struct CompactOps: Sendable {
    private var writer = ByteWriter()
    /// Per commit (from 0), where its operations are in `writer`; empty until set.
    private var starts = [Int](), ends = [Int]()
    /// Byte for byte: canonically equal spellings stay two strings (`ExactString`).
    private var strings = StringTable(base: 0)
    private var bytes: [UInt8] { writer.bytes }

    package init() {}

    package var count: Int { starts.count }

    /// Adds a commit with no operations yet.
    package mutating func append() {
        starts.append(writer.bytes.count)
        ends.append(writer.bytes.count)
    }

    /// Sets the operations of commit `i` (from 0), whose graph index is `commit` (attributions are kept relative to it).
    package mutating func set(_ ops: [RecordOp], at i: Int, commit: Int32) {
        starts[i] = writer.bytes.count
        if !ops.isEmpty { HistoryCache.encodeOps(ops, commit: commit, into: &writer, strings: &strings) }
        ends[i] = writer.bytes.count
    }

    /// The operations of commit `i` (from 0), whose graph index is `commit`.
    package func ops(_ i: Int, commit: Int32) -> [RecordOp] {
        var ops = [RecordOp]()
        forEachOp(i, commit: commit, wanted: { _, _ in true }) { op in
            ops.append(op)
            return true
        }
        return ops
    }

    /// Visits commit `i`'s operations in order: `wanted` sees each one's old and new id, and only an operation it
    /// wants is built and handed to `body` (false stops). A rule asks for the entries of every record, and a commit
    /// names many: building all of them for each was most of a cold `unsigned-decision`.
    package func forEachOp(
        _ i: Int, commit: Int32, wanted: (_ oldID: String?, _ newID: String?) -> Bool, _ body: (RecordOp) -> Bool
    ) {
        var r = Reader(start: starts[i])
        guard r.position < ends[i] else { return }
        let count = r.varint(bytes)
        for _ in 0..<count {
            let event = HistoryCache.events[Int(r.byte(bytes))]!
            let flags = r.byte(bytes)
            let kind = HistoryCache.kinds[Int(r.byte(bytes))]!
            let oldID = flags & 2 != 0 ? strings.list[r.varint(bytes)] : nil
            let newID = flags & 4 != 0 ? strings.list[r.varint(bytes)] : nil
            let oldPath = flags & 8 != 0 ? strings.list[r.varint(bytes)] : nil
            let newPath = flags & 16 != 0 ? strings.list[r.varint(bytes)] : nil
            let fieldCount = r.varint(bytes)
            guard wanted(oldID, newID) else {
                for _ in 0..<fieldCount {
                    _ = r.varint(bytes)
                    skipValue(&r)
                    skipValue(&r)
                    _ = r.signed(bytes)
                }
                continue
            }
            var fields = [FieldOp]()
            fields.reserveCapacity(fieldCount)
            for _ in 0..<fieldCount {
                let name = strings.list[r.varint(bytes)]
                let old = value(&r), new = value(&r)
                let shift = r.signed(bytes)
                fields.append(FieldOp(field: name, old: old, new: new, attribution: Int32(Int64(commit) - shift)))
            }
            let op = RecordOp(
                event: event, ownEvent: flags & 1 != 0, kind: kind, oldID: oldID, newID: newID, oldPath: oldPath,
                newPath: newPath, fields: fields)
            guard body(op) else { return }
        }
    }

    /// Whether commit `i` has operations, without decoding them.
    package func isEmpty(_ i: Int) -> Bool { starts[i] == ends[i] }

    private func value(_ r: inout Reader) -> FieldValue? {
        switch r.byte(bytes) {
        case 0: return nil
        case 1: return .string(strings.list[r.varint(bytes)])
        case 2: return .integer(Int(r.signed(bytes)))
        case 3: return .boolean(false)
        case 4: return .boolean(true)
        case 5: return .date(Day(ordinal: Int(r.signed(bytes))))
        default:
            let count = r.varint(bytes)
            var items = [FieldValue]()
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(value(&r)!) }
            return .list(items)
        }
    }

    /// Passes over a value `value(_:)` would read, building nothing.
    private func skipValue(_ r: inout Reader) {
        switch r.byte(bytes) {
        case 0, 3, 4: return
        case 1: _ = r.varint(bytes)
        case 2, 5: _ = r.signed(bytes)
        default:
            let count = r.varint(bytes)
            for _ in 0..<count { skipValue(&r) }
        }
    }

    /// Reads what `set` wrote.
    private struct Reader {
        var position: Int
        init(start: Int) { position = start }
        mutating func byte(_ bytes: [UInt8]) -> UInt8 {
            defer { position += 1 }
            return bytes[position]
        }
        mutating func unsigned(_ bytes: [UInt8]) -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = byte(bytes)
                result |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return result }
                shift += 7
            }
        }
        mutating func varint(_ bytes: [UInt8]) -> Int { Int(unsigned(bytes)) }
        mutating func signed(_ bytes: [UInt8]) -> Int64 {
            let n = unsigned(bytes)
            return Int64(bitPattern: n >> 1) ^ -Int64(bitPattern: n & 1)
        }
    }
}
