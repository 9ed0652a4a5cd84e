import Foundation
import GitKit
import ISMSCore

/// The commits of a cache file: their graph decoded at once, their metadata and operations on first use.
/// `@unchecked`: `snapshotCommit` and `snapshotRecords` are set once, by the decoder, before the object is shared.
package final class CachedCommits: @unchecked Sendable {
    /// The file, and its bytes (which it keeps alive).
    package let file: CacheBytes
    private let bytes: UnsafeRawBufferPointer
    package let nodes: [CommitNode]
    package let stringCount: Int
    /// The string table's entries and the commits' bytes, after their counts: copied as they are on write.
    package let stringBytes: Range<Int>
    package let commitBytes: Range<Int>
    private let stringOffsets: [Int32]
    private let metaOffsets: [Int32], metaEnds: [Int32]
    private let opsOffsets: [Int32], opsEnds: [Int32]
    /// What has been decoded so far, shared by the threads that read the history.
    private struct Decoded {
        var strings: DecodedTable<String>
        var infos: DecodedTable<CommitInfo>
        var ops: [[RecordOp]?]
        var snapshot: HistoryState?
    }
    private let decoded: Locked<Decoded>
    /// Each commit's place in the newest-first order of the file's tip (-1: the tip does not reach it), from the places
    /// section; set once, by the decoder. Nil when the file has none.
    package internal(set) var tipPlaces: [Int32]?
    /// The commit whose state the snapshot section holds, and where its records are.
    package private(set) var snapshotCommit: Int32?
    private var snapshotRecords: Range<Int> = 0..<0

    package init(_ file: CacheBytes, strings stringSection: Range<Int>, commits commitSection: Range<Int>) throws {
        self.file = file
        let bytes = file.raw
        self.bytes = bytes
        var r = ByteReader(bytes, from: stringSection.lowerBound, to: stringSection.upperBound)
        stringCount = try r.count()
        stringBytes = r.position..<stringSection.upperBound
        var offsets = [Int32]()
        offsets.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            offsets.append(Int32(r.position))
            try r.skip(try r.varint())
        }
        guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing string bytes") }
        stringOffsets = offsets

        r = ByteReader(bytes, from: commitSection.lowerBound, to: commitSection.upperBound)
        let count = try r.count()
        commitBytes = r.position..<commitSection.upperBound
        var nodes = [CommitNode]()
        var metas = [Int32](), ops = [Int32](), metaEnds = [Int32](), opsEnds = [Int32]()
        nodes.reserveCapacity(count)
        metas.reserveCapacity(count)
        ops.reserveCapacity(count)
        for index in 0..<count {
            guard let id = try r.id() else { throw HistoryCache.Corrupt(description: "zero commit id") }
            let boundary = try r.byte() & 1 == 1
            var parents = [Int32]()
            for _ in 0..<(try r.count()) {
                let parent = try r.varint()
                guard parent < index else { throw HistoryCache.Corrupt(description: "parent after child") }
                parents.append(Int32(parent))
            }
            let time = try r.signed()
            let metaLength = try r.varint()
            metas.append(Int32(r.position))
            try r.skip(metaLength)
            metaEnds.append(Int32(r.position))
            let opsLength = try r.varint()
            ops.append(Int32(r.position))
            try r.skip(opsLength)
            opsEnds.append(Int32(r.position))
            nodes.append(CommitNode(id: id, parents: parents, isShallowBoundary: boundary, committerTime: time))
        }
        guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing commit bytes") }
        self.nodes = nodes
        metaOffsets = metas
        opsOffsets = ops
        self.metaEnds = metaEnds
        self.opsEnds = opsEnds
        decoded = Locked(
            Decoded(
                strings: DecodedTable(count: stringCount),
                infos: DecodedTable(count: count),
                ops: [[RecordOp]?](repeating: nil, count: count)))
    }

    package func setSnapshot(_ section: Range<Int>) throws {
        guard !section.isEmpty else { return }
        var r = ByteReader(bytes, from: section.lowerBound, to: section.upperBound)
        let commit = try r.varint()
        guard commit < nodes.count else { throw HistoryCache.Corrupt(description: "bad snapshot commit") }
        snapshotCommit = Int32(commit)
        snapshotRecords = r.position..<section.upperBound
    }

    /// The snapshot's state, decoded on first use (only runs that add commits, and blame, need it). Nil
    /// when there is none or it cannot be decoded: the caller then replays the history instead.
    package var snapshotState: HistoryState? {
        guard let commit = snapshotCommit else { return nil }
        return decoded.withLock { decoded in
            if decoded.snapshot == nil {
                decoded.snapshot = try? HistoryCache.decodeSnapshot(bytes, snapshotRecords, tip: Int(commit))
            }
            return decoded.snapshot
        }
    }

    private func string(_ i: Int, _ decoded: inout Decoded) throws -> String {
        guard i < stringCount else { throw HistoryCache.Corrupt(description: "bad string index") }
        if let known = decoded.strings[i] { return known }
        var r = ByteReader(bytes, from: Int(stringOffsets[i]), to: bytes.count)
        let text = try r.text()
        decoded.strings[i] = text
        return text
    }

    /// Checks every commit's metadata and operations exactly as `decodeInfo` and `decodeOps` read them (the same
    /// reads in the same order, so the same first error), so those cannot fail later. Nothing is built: on 20,000
    /// commits, building and freeing each commit's operations only to check them was a sixth of a warm `history`.
    package func validate() throws {
        for i in nodes.indices {
            try checkInfo(i)
            try checkOps(i)
        }
    }

    /// Checks, as `validate` does, the commits whose operations `History.forEachEntry(of: id)` can read, given
    /// `mentions` (record id → the commits that name it): those naming `id`, and, through every id change among them,
    /// those naming the record's other ids, over and over. A run that reads nothing but that record's entries from the
    /// cache checks those (a few dozen commits) rather than all 20,000; their first error is thrown. Returns the
    /// commits checked.
    @discardableResult
    package func validate(namingRecord id: String, mentions: [String: [Int32]]) throws -> Set<Int32> {
        var named: Set<String> = [id]
        var toFollow = [id]
        var checked = Set<Int32>()
        while let next = toFollow.popLast() {
            for commit in mentions[next] ?? [] where checked.insert(commit).inserted {
                try checkInfo(Int(commit))
                try checkOps(Int(commit))
                for op in ops(Int(commit)) where op.event == .idChanged {
                    for other in [op.oldID, op.newID].compactMap({ $0 }) where named.insert(other).inserted {
                        toFollow.append(other)
                    }
                }
            }
        }
        return checked
    }

    /// Where commit `i`'s operations are in the file (for the tests that damage them).
    package func opsBytes(_ i: Int) -> Range<Int> { Int(opsOffsets[i])..<Int(opsEnds[i]) }

    /// What `validate` stood for before it stopped building anything: every commit decoded, strings checked and
    /// not read. The tests hold `validate` to it, error for error.
    package func validateByDecoding() throws {
        let checked: (Int) throws -> String = { [stringCount] i in
            guard i < stringCount else { throw HistoryCache.Corrupt(description: "bad string index") }
            return ""
        }
        for i in nodes.indices {
            _ = try decodeInfo(i, string: checked)
            _ = try decodeOps(i, string: checked)
        }
    }

    /// A string index as `string` reads it, checked and not read.
    private func checkString(_ r: inout ByteReader) throws {
        guard try r.varint() < stringCount else { throw HistoryCache.Corrupt(description: "bad string index") }
    }

    /// `decodeInfo`'s reads and checks.
    private func checkInfo(_ i: Int) throws {
        var r = ByteReader(bytes, from: Int(metaOffsets[i]), to: Int(metaEnds[i]))
        try checkString(&r)
        try checkString(&r)
        _ = try r.signed()
        _ = try r.offset()
        try checkString(&r)
        try checkString(&r)
        _ = try r.offset()
        try checkString(&r)
        guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing metadata bytes") }
    }

    /// `decodeOps`'s reads and checks.
    private func checkOps(_ i: Int) throws {
        var r = ByteReader(bytes, from: Int(opsOffsets[i]), to: Int(opsEnds[i]))
        let count = try r.count()
        for _ in 0..<count {
            let code = Int(try r.byte())
            guard code < HistoryCache.events.count, HistoryCache.events[code] != nil else {
                throw HistoryCache.Corrupt(description: "bad event")
            }
            let flags = try r.byte()
            _ = try r.kind()
            // The old and new ids, then the old and new paths.
            if flags & 2 != 0 { try checkString(&r) }
            if flags & 4 != 0 { try checkString(&r) }
            if flags & 8 != 0 { try checkString(&r) }
            if flags & 16 != 0 { try checkString(&r) }
            let fieldCount = try r.count()
            for _ in 0..<fieldCount {
                try checkString(&r)
                _ = try checkValue(&r)
                _ = try checkValue(&r)
                let shift = try r.signed()
                guard shift >= 0, shift <= Int64(i) + 1 else { throw HistoryCache.Corrupt(description: "bad attribution") }
            }
        }
        guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing operation bytes") }
    }

    /// `ByteReader.value`'s reads and checks; false where it returns nil (an absent value).
    private func checkValue(_ r: inout ByteReader, nested: Bool = false) throws -> Bool {
        switch try r.byte() {
        case 0: return false
        case 1: try checkString(&r)
        case 2: _ = try r.signed()
        case 3, 4: break
        case 5:
            guard ByteReader.dayOrdinals.contains(try r.signed()) else { throw HistoryCache.Corrupt(description: "bad date") }
        case 6 where !nested:
            for _ in 0..<(try r.count()) {
                guard try checkValue(&r, nested: true) else { throw HistoryCache.Corrupt(description: "absent list item") }
            }
        default: throw HistoryCache.Corrupt(description: "bad value tag")
        }
        return true
    }

    /// Validated by `decode` (see `validate`): a failure here would be a bug, not damage.
    package func info(_ i: Int) -> CommitInfo {
        decoded.withLock { decoded in
            if let known = decoded.infos[i] { return known }
            do {
                let info = try decodeInfo(i, string: { try string($0, &decoded) })
                decoded.infos[i] = info
                return info
            } catch {
                preconditionFailure("history cache: commit \(i): \(error)")
            }
        }
    }

    /// Validated by `decode` (see `validate`): a failure here would be a bug, not damage.
    package func ops(_ i: Int) -> [RecordOp] {
        decoded.withLock { decoded in
            if let known = decoded.ops[i] { return known }
            do {
                let ops = try decodeOps(i, string: { try string($0, &decoded) })
                decoded.ops[i] = ops
                return ops
            } catch {
                preconditionFailure("history cache: commit \(i): \(error)")
            }
        }
    }

    private func decodeInfo(_ i: Int, string: (Int) throws -> String) throws -> CommitInfo {
        var r = ByteReader(bytes, from: Int(metaOffsets[i]), to: Int(metaEnds[i]))
        let author = GitIdentity(
            name: try string(try r.varint()), email: try string(try r.varint()), time: try r.signed(),
            offsetMinutes: try r.offset())
        let committer = GitIdentity(
            name: try string(try r.varint()), email: try string(try r.varint()), time: nodes[i].committerTime,
            offsetMinutes: try r.offset())
        let info = CommitInfo(id: nodes[i].id, author: author, committer: committer, summary: try string(try r.varint()))
        guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing metadata bytes") }
        return info
    }

    private func decodeOps(_ i: Int, string: (Int) throws -> String) throws -> [RecordOp] {
        var r = ByteReader(bytes, from: Int(opsOffsets[i]), to: Int(opsEnds[i]))
        var ops = [RecordOp]()
        let count = try r.count()
        ops.reserveCapacity(count)
        for _ in 0..<count {
            let code = Int(try r.byte())
            guard code < HistoryCache.events.count, let event = HistoryCache.events[code] else {
                throw HistoryCache.Corrupt(description: "bad event")
            }
            let flags = try r.byte()
            let kind = try r.kind()
            let oldID = flags & 2 != 0 ? try string(try r.varint()) : nil
            let newID = flags & 4 != 0 ? try string(try r.varint()) : nil
            let oldPath = flags & 8 != 0 ? try string(try r.varint()) : nil
            let newPath = flags & 16 != 0 ? try string(try r.varint()) : nil
            var fields = [FieldOp]()
            let fieldCount = try r.count()
            fields.reserveCapacity(fieldCount)
            for _ in 0..<fieldCount {
                let name = try string(try r.varint())
                let old = try r.value(string), new = try r.value(string)
                let shift = try r.signed()
                guard shift >= 0, shift <= Int64(i) + 1 else { throw HistoryCache.Corrupt(description: "bad attribution") }
                fields.append(FieldOp(field: name, old: old, new: new, attribution: Int32(Int64(i) - shift)))
            }
            ops.append(
                RecordOp(
                    event: event, ownEvent: flags & 1 != 0, kind: kind, oldID: oldID, newID: newID,
                    oldPath: oldPath, newPath: newPath, fields: fields))
        }
        guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing operation bytes") }
        return ops
    }
}

/// Values decoded on first use, by position: a 4-byte slot per position and the values decoded so far. An array of
/// optional strings took 16 bytes for each of the 35,000 strings of a 20,000-commit cache, which a warm `history`
/// (decoding a few commits) paid for in page faults.
private struct DecodedTable<Value> {
    private var slots: [Int32]
    private var values = [Value]()

    init(count: Int) { slots = [Int32](repeating: -1, count: count) }

    subscript(i: Int) -> Value? {
        get { slots[i] < 0 ? nil : values[Int(slots[i])] }
        set {
            guard let newValue else { return }
            if slots[i] >= 0 {
                values[Int(slots[i])] = newValue
            } else {
                slots[i] = Int32(values.count)
                values.append(newValue)
            }
        }
    }
}
