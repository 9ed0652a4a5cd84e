import Foundation

/// The history cache: every walked commit with what it did to each record, in one compact binary file under
/// the git folder (`<gitdir>/isms/`), so a second run reads only the commits that are new since.
///
/// Layout (little-endian, integers as LEB128 varints, signed ones zig-zagged):
///
///     "ISMSHIST" · u32 format version · header · string table · commits · u64 FNV-1a of everything before
///     header   = flags (bit 0: first-parent) · ISMS root path · isms.yaml blob id (20 zero bytes: none)
///                · shallow-file fingerprint (u64) · tip commit id
///     strings  = count · (length · UTF-8 bytes)…            every text below is an index into this table
///     commit   = id (20 bytes) · flags (bit 0: shallow boundary) · parent count · parent indices…
///                · author (name · email · time · offset) · committer (same) · summary · op count · ops…
///     op       = event · flags (own event, has old id/new id/old path/new path) · kind · the present ids and
///                paths · field count · (name · old value · new value · commit index − attribution)…
///     value    = tag (0 absent, 1 text, 2 integer, 3 false, 4 true, 5 date, 6 list) · payload
///
/// Commit and attribution indices point into the file's own commit list, where parents come first.
struct HistoryCacheHeader: Equatable {
    var firstParent: Bool
    var root: String
    var configBlob: ObjectID?
    var shallowFingerprint: UInt64
    var tip: ObjectID?
}

enum HistoryCache {
    /// Bump when the meaning of cached operations changes: an older file is then rebuilt, not misread.
    static let formatVersion: UInt32 = 1
    static let magic = Array("ISMSHIST".utf8)

    struct Corrupt: Error, CustomStringConvertible {
        let description: String
    }

    static func fileName(root: String, firstParent: Bool) -> String {
        let key = String(fnv1a(Array(root.utf8)), radix: 16)
        return "history-v\(formatVersion)-\(key)\(firstParent ? "-first-parent" : "").bin"
    }

    // MARK: Writing

    static func encode(_ graph: HistoryGraph, header: HistoryCacheHeader) -> [UInt8] {
        var strings = StringTable()
        var body = ByteWriter()
        body.varint(graph.commits.count)
        for (index, node) in graph.commits.enumerated() {
            body.id(node.info.id)
            body.byte(node.isShallowBoundary ? 1 : 0)
            body.varint(node.parents.count)
            for parent in node.parents { body.varint(Int(parent)) }
            for signature in [node.info.author, node.info.committer] {
                body.varint(strings.index(signature.name))
                body.varint(strings.index(signature.email))
                body.signed(signature.time)
                body.signed(Int64(signature.offsetMinutes))
            }
            body.varint(strings.index(node.info.summary))
            body.varint(node.ops.count)
            for op in node.ops {
                body.byte(eventCodes[op.event]!)
                var flags: UInt8 = op.ownEvent ? 1 : 0
                if op.oldID != nil { flags |= 2 }
                if op.newID != nil { flags |= 4 }
                if op.oldPath != nil { flags |= 8 }
                if op.newPath != nil { flags |= 16 }
                body.byte(flags)
                body.byte(kindCodes[op.kind]!)
                for text in [op.oldID, op.newID, op.oldPath, op.newPath] {
                    if let text { body.varint(strings.index(text)) }
                }
                body.varint(op.fields.count)
                for field in op.fields {
                    body.varint(strings.index(field.field))
                    value(field.old, into: &body, strings: &strings)
                    value(field.new, into: &body, strings: &strings)
                    body.signed(Int64(index) - Int64(field.attribution))
                }
            }
        }

        var out = ByteWriter()
        out.bytes.append(contentsOf: magic)
        withUnsafeBytes(of: formatVersion.littleEndian) { out.bytes.append(contentsOf: $0) }
        out.byte(header.firstParent ? 1 : 0)
        out.text(header.root)
        out.id(header.configBlob)
        withUnsafeBytes(of: header.shallowFingerprint.littleEndian) { out.bytes.append(contentsOf: $0) }
        out.id(header.tip)
        out.varint(strings.list.count)
        for text in strings.list { out.text(text) }
        out.bytes.append(contentsOf: body.bytes)
        let sum = fnv1a(out.bytes)
        withUnsafeBytes(of: sum.littleEndian) { out.bytes.append(contentsOf: $0) }
        return out.bytes
    }

    private static func value(_ value: FieldValue?, into out: inout ByteWriter, strings: inout StringTable) {
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

    /// Writes the file atomically: a temporary file in the same folder, then a rename over the old one.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    // MARK: Reading

    /// Reads a cache file. Throws `Corrupt` for anything that is not a whole, well-formed file of this version.
    static func decode(_ data: Data) throws -> (HistoryCacheHeader, HistoryGraph) {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard raw.count >= magic.count + 4 + 8, raw.prefix(magic.count).elementsEqual(magic) else {
                throw Corrupt(description: "not an isms history cache")
            }
            let version = raw.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self).littleEndian
            guard version == formatVersion else { throw Corrupt(description: "cache format \(version), expected \(formatVersion)") }
            let stored = raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self).littleEndian
            guard fnv1a(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 8)])) == stored else {
                throw Corrupt(description: "checksum mismatch")
            }
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: raw[(magic.count + 4)..<(raw.count - 8)]))
            let header = HistoryCacheHeader(firstParent: try r.byte() & 1 == 1, root: try r.text(), configBlob: try r.id(),
                                            shallowFingerprint: try r.u64(), tip: try r.id())
            let stringCount = try r.varint()
            var strings = [String]()
            strings.reserveCapacity(stringCount)
            for _ in 0..<stringCount { strings.append(try r.text()) }
            func string() throws -> String {
                let i = try r.varint()
                guard i < strings.count else { throw Corrupt(description: "bad string index") }
                return strings[i]
            }
            func value() throws -> FieldValue? {
                switch try r.byte() {
                case 0: return nil
                case 1: return .string(try string())
                case 2: return .integer(Int(try r.signed()))
                case 3: return .boolean(false)
                case 4: return .boolean(true)
                case 5: return .date(Day(ordinal: Int(try r.signed())))
                case 6:
                    let count = try r.varint()
                    var items = [FieldValue]()
                    for _ in 0..<count {
                        guard let item = try value() else { throw Corrupt(description: "absent list item") }
                        items.append(item)
                    }
                    return .list(items)
                default: throw Corrupt(description: "bad value tag")
                }
            }

            var graph = HistoryGraph()
            let commitCount = try r.varint()
            graph.commits.reserveCapacity(commitCount)
            for index in 0..<commitCount {
                guard let id = try r.id() else { throw Corrupt(description: "zero commit id") }
                let boundary = try r.byte() & 1 == 1
                var parents = [Int32]()
                for _ in 0..<(try r.varint()) {
                    let parent = try r.varint()
                    guard parent < index else { throw Corrupt(description: "parent after child") }
                    parents.append(Int32(parent))
                }
                var signatures = [Signature]()
                for _ in 0..<2 {
                    signatures.append(Signature(name: try string(), email: try string(), time: try r.signed(),
                                                offsetMinutes: Int(try r.signed())))
                }
                let summary = try string()
                var ops = [RecordOp]()
                let opCount = try r.varint()
                ops.reserveCapacity(opCount)
                for _ in 0..<opCount {
                    guard let event = events[Int(try r.byte())] else { throw Corrupt(description: "bad event") }
                    let flags = try r.byte()
                    let kindCode = Int(try r.byte())
                    guard kindCode < RecordKind.allCases.count else { throw Corrupt(description: "bad kind") }
                    let oldID = flags & 2 != 0 ? try string() : nil
                    let newID = flags & 4 != 0 ? try string() : nil
                    let oldPath = flags & 8 != 0 ? try string() : nil
                    let newPath = flags & 16 != 0 ? try string() : nil
                    var fields = [FieldOp]()
                    let fieldCount = try r.varint()
                    fields.reserveCapacity(fieldCount)
                    for _ in 0..<fieldCount {
                        let name = try string()
                        let old = try value(), new = try value()
                        let attribution = Int64(index) - (try r.signed())
                        guard attribution >= -1, attribution <= index else { throw Corrupt(description: "bad attribution") }
                        fields.append(FieldOp(field: name, old: old, new: new, attribution: Int32(attribution)))
                    }
                    ops.append(RecordOp(event: event, ownEvent: flags & 1 != 0, kind: RecordKind.allCases[kindCode],
                                        oldID: oldID, newID: newID, oldPath: oldPath, newPath: newPath, fields: fields))
                }
                graph.append(CommitNode(info: CommitInfo(id: id, author: signatures[0], committer: signatures[1], summary: summary),
                                        parents: parents, isShallowBoundary: boundary, ops: ops))
            }
            guard r.atEnd else { throw Corrupt(description: "trailing bytes") }
            return (header, graph)
        }
    }

    private static let events: [Int: HistoryEvent] = Dictionary(uniqueKeysWithValues: HistoryEvent.allCases.enumerated().map { ($0, $1) })
    private static let eventCodes: [HistoryEvent: UInt8] = Dictionary(uniqueKeysWithValues: HistoryEvent.allCases.enumerated().map { ($1, UInt8($0)) })
    private static let kindCodes: [RecordKind: UInt8] = Dictionary(uniqueKeysWithValues: RecordKind.allCases.enumerated().map { ($1, UInt8($0)) })

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash
    }
}

/// Strings written once, referred to by index.
private struct StringTable {
    var list = [String]()
    var indices = [String: Int]()
    mutating func index(_ text: String) -> Int {
        if let i = indices[text] { return i }
        indices[text] = list.count
        list.append(text)
        return list.count - 1
    }
}

private struct ByteWriter {
    var bytes = [UInt8]()
    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func varint(_ n: Int) { unsigned(UInt64(n)) }
    mutating func unsigned(_ n: UInt64) {
        var n = n
        while n >= 0x80 { bytes.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        bytes.append(UInt8(n))
    }
    mutating func signed(_ n: Int64) { unsigned(UInt64(bitPattern: (n << 1) ^ (n >> 63))) }
    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
    mutating func id(_ id: ObjectID?) {
        guard let id else { bytes.append(contentsOf: repeatElement(0, count: 20)); return }
        id.withBytes { bytes.append(contentsOf: $0) }
    }
}

private struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var position = 0
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var atEnd: Bool { position == buffer.count }

    mutating func byte() throws -> UInt8 {
        guard position < buffer.count else { throw HistoryCache.Corrupt(description: "truncated") }
        defer { position += 1 }
        return buffer[position]
    }
    mutating func unsigned() throws -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw HistoryCache.Corrupt(description: "bad number") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }
    mutating func varint() throws -> Int {
        let n = try unsigned()
        guard n <= UInt64(Int32.max) else { throw HistoryCache.Corrupt(description: "number out of range") }
        return Int(n)
    }
    mutating func signed() throws -> Int64 {
        let n = try unsigned()
        return Int64(bitPattern: n >> 1) ^ -Int64(bitPattern: n & 1)
    }
    mutating func u64() throws -> UInt64 {
        guard position + 8 <= buffer.count else { throw HistoryCache.Corrupt(description: "truncated") }
        defer { position += 8 }
        return buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian
    }
    mutating func text() throws -> String {
        let count = try varint()
        guard position + count <= buffer.count else { throw HistoryCache.Corrupt(description: "truncated text") }
        defer { position += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[position..<(position + count)]), as: UTF8.self)
    }
    /// A 20-byte id; nil for all zeros.
    mutating func id() throws -> ObjectID? {
        guard position + 20 <= buffer.count else { throw HistoryCache.Corrupt(description: "truncated id") }
        defer { position += 20 }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[position..<(position + 20)])
        return slice.allSatisfy({ $0 == 0 }) ? nil : ObjectID(bytes: slice)
    }
}
