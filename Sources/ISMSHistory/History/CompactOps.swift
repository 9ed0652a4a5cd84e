import ISMSCore
import ISMSModel

/// The record operations of the commits a run computes, held as bytes (the history cache's layout of an operation)
/// with each distinct string once: ids, paths, field names and values repeat from commit to commit. As `RecordOp`s,
/// each with its own strings, boxed values and arrays, they were most of a cold run's memory (about 0.5 KB a commit).
/// Decoded on each use; only this run writes them, so they are not checked.
package struct CompactOps: Sendable {
    private var bytes = [UInt8]()
    /// Per commit (from 0), where its operations are in `bytes`; empty until set.
    private var starts = [Int](), ends = [Int]()
    private var strings = [String]()
    /// Byte for byte: canonically equal spellings stay two strings (`ExactString`).
    private var indices = [ExactString: Int]()

    package init() {}

    package var count: Int { starts.count }

    /// Adds a commit with no operations yet.
    package mutating func append() {
        starts.append(bytes.count)
        ends.append(bytes.count)
    }

    /// Sets the operations of commit `i` (from 0), whose graph index is `commit` (attributions are kept relative to it).
    package mutating func set(_ ops: [RecordOp], at i: Int, commit: Int32) {
        guard !ops.isEmpty else {
            starts[i] = bytes.count
            ends[i] = bytes.count
            return
        }
        starts[i] = bytes.count
        varint(ops.count)
        for op in ops {
            bytes.append(op.event.storageCode)
            var flags: UInt8 = op.ownEvent ? 1 : 0
            if op.oldID != nil { flags |= 2 }
            if op.newID != nil { flags |= 4 }
            if op.oldPath != nil { flags |= 8 }
            if op.newPath != nil { flags |= 16 }
            bytes.append(flags)
            bytes.append(op.kind.storageCode)
            // An operation's old and new id (and path) are mostly the same string: looked up once.
            var oldID: Int?, oldPath: Int?
            if let text = op.oldID { oldID = index(text) }
            if let text = op.oldPath { oldPath = index(text) }
            if let oldID { varint(oldID) }
            if let text = op.newID {
                if let oldID, op.oldID?.isExactly(text) == true { varint(oldID) } else { varint(index(text)) }
            }
            if let oldPath { varint(oldPath) }
            if let text = op.newPath {
                if let oldPath, op.oldPath?.isExactly(text) == true { varint(oldPath) } else { varint(index(text)) }
            }
            varint(op.fields.count)
            for field in op.fields {
                varint(index(field.field))
                value(field.old)
                value(field.new)
                signed(Int64(commit) - Int64(field.attribution))
            }
        }
        ends[i] = bytes.count
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
            let oldID = flags & 2 != 0 ? strings[r.varint(bytes)] : nil
            let newID = flags & 4 != 0 ? strings[r.varint(bytes)] : nil
            let oldPath = flags & 8 != 0 ? strings[r.varint(bytes)] : nil
            let newPath = flags & 16 != 0 ? strings[r.varint(bytes)] : nil
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
                let name = strings[r.varint(bytes)]
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

    private mutating func index(_ text: String) -> Int {
        if let i = indices[ExactString(text)] { return i }
        indices[ExactString(text)] = strings.count
        strings.append(text)
        return strings.count - 1
    }

    private mutating func varint(_ n: Int) { unsigned(UInt64(n)) }

    private mutating func unsigned(_ n: UInt64) {
        var n = n
        while n >= 0x80 {
            bytes.append(UInt8(n & 0x7F) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    private mutating func signed(_ n: Int64) { unsigned(UInt64(bitPattern: (n << 1) ^ (n >> 63))) }

    /// Any value a record holds, lists in lists too.
    private mutating func value(_ value: FieldValue?) {
        switch value {
        case nil: bytes.append(0)
        case .string(let s)?:
            bytes.append(1)
            varint(index(s))
        case .integer(let i)?:
            bytes.append(2)
            signed(Int64(i))
        case .boolean(let b)?: bytes.append(b ? 4 : 3)
        case .date(let d)?:
            bytes.append(5)
            signed(Int64(d.ordinal))
        case .list(let items)?:
            bytes.append(6)
            varint(items.count)
            for item in items { self.value(item) }
        }
    }

    private func value(_ r: inout Reader) -> FieldValue? {
        switch r.byte(bytes) {
        case 0: return nil
        case 1: return .string(strings[r.varint(bytes)])
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
