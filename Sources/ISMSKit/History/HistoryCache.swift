import Foundation

/// The history cache: every walked commit with what it did to each record, in one compact binary file under
/// the git folder (`<gitdir>/isms/`), so a second run reads only the commits that are new since.
///
/// Layout (little-endian; integers are LEB128 varints, signed ones zig-zagged; "text" is an index into the
/// section's string table):
///
///     "ISMSHIST" · u32 format version
///     header    flags (bit 0: first-parent) · ISMS root (length, UTF-8) · isms.yaml blob id (20 zero bytes:
///               none) · u64 fingerprint of the shallow file · tip commit id
///     strings   u64 byte length · count · (length · UTF-8)…            used by the commits section
///     commits   u64 byte length · count · commit…
///       commit  id (20 bytes) · flags (bit 0: shallow boundary) · parent count · parent indices… ·
///               committer time · meta length · meta · ops length · ops
///       meta    author (name · email · time · offset) · committer (name · email · offset) · summary
///       ops     count · (event · flags (own event, has old id, new id, old path, new path) · kind · the ids
///               and paths present · field count · (name · old value · new value · index − attribution)…)…
///       value   tag (0 absent, 1 text, 2 integer, 3 false, 4 true, 5 date, 6 list) · payload
///     mentions  u64 byte length · its own strings · count · (record id · count · ascending commit index
///               deltas…)…
///     snapshot  u64 byte length · (empty, or: commit index · its own strings · record count · (path · id ·
///               kind · field count · (name · value · commit index − attribution)…)… · gone count · ids…)
///     u64 checksum of everything before
///
/// Commit indices point into the file's own commit list, where parents come first. A run that only adds
/// commits copies the strings and commits sections and appends to them, so cached operations are never
/// decoded just to be written again; only the small mentions and snapshot sections are rewritten.
struct HistoryCacheHeader: Equatable {
    var firstParent: Bool
    var root: String
    var configBlob: ObjectID?
    var shallowFingerprint: UInt64
    var tip: ObjectID?
}

enum HistoryCache {
    /// Bump `format` when the meaning of cached operations changes: an older file is then rebuilt, not misread
    /// (2: merges judged by what they produce; 3: six record kinds added). The record kinds' layout is mixed in,
    /// so a kind added or recoded never reads an old cache as complete.
    static let formatVersion: UInt32 = version(format: 3, kinds: RecordKind.layoutFingerprint)

    static func version(format: UInt32, kinds: UInt64) -> UInt32 {
        var bytes = [UInt8]()
        withUnsafeBytes(of: format.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: kinds.littleEndian) { bytes.append(contentsOf: $0) }
        return UInt32(truncatingIfNeeded: fnv1a(bytes))
    }
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
        var out = ByteWriter()
        // The cached bytes are most of the file: one allocation, and each copied once.
        out.bytes.reserveCapacity((graph.cached?.bytes.count ?? 0) + (graph.count - graph.cachedCount) * 256 + 65_536)
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
        out.section(count: (cached?.stringCount ?? 0) + strings.list.count, cached.map { $0.bytes[$0.stringBytes] } ?? [], newStrings.bytes)
        out.section(count: graph.count, cached.map { $0.bytes[$0.commitBytes] } ?? [], commits.bytes)

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
        let list = graph.ops(i)
        ops.varint(list.count)
        for op in list {
            ops.byte(eventCodes[op.event]!)
            var flags: UInt8 = op.ownEvent ? 1 : 0
            if op.oldID != nil { flags |= 2 }
            if op.newID != nil { flags |= 4 }
            if op.oldPath != nil { flags |= 8 }
            if op.newPath != nil { flags |= 16 }
            ops.byte(flags)
            ops.byte(op.kind.storageCode)
            for text in [op.oldID, op.newID, op.oldPath, op.newPath] {
                if let text { ops.varint(strings.index(text)) }
            }
            ops.varint(op.fields.count)
            for field in op.fields {
                ops.varint(strings.index(field.field))
                value(field.old, into: &ops, strings: &strings)
                value(field.new, into: &ops, strings: &strings)
                ops.signed(Int64(i) - Int64(field.attribution))
            }
        }
        out.varint(ops.bytes.count)
        out.bytes.append(contentsOf: ops.bytes)
    }

    fileprivate static func value(_ value: FieldValue?, into out: inout ByteWriter, strings: inout StringTable) {
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

    /// Why the cache could not be written, in the system's words ("No space left on device").
    struct WriteFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Writes the file atomically: a temporary file in the same folder, then a rename over the old one. A run
    /// killed meanwhile leaves the old file whole (and at worst its temporary file, which a later write of the
    /// same file removes once it is an hour old); a full disk or a read-only folder is a `WriteFailure`.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        func failure() -> WriteFailure { WriteFailure(description: String(cString: strerror(errno))) }
        if mkdir(folder, 0o777) != 0 && errno != EEXIST { throw failure() }
        removeStaleTemporaries(in: folder, of: name)
        let temporary = folder + "/.\(name).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw failure() }
        var written = 0
        let result: WriteFailure? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return n == 0 ? WriteFailure(description: "short write") : failure() }
                written += n
            }
            return nil
        }
        let closed = close(fd) == 0 ? nil : failure()
        if let error = result ?? closed {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure()
            unlink(temporary)
            throw error
        }
    }

    /// Temporary files of this cache file left by runs that were killed while writing, once an hour old (a
    /// younger one may belong to a run still writing).
    private static func removeStaleTemporaries(in folder: String, of name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let cutoff = time(nil) - 3600
        for entry in entries where entry.hasPrefix(".\(name).") && entry.hasSuffix(".tmp") {
            var info = stat()
            if lstat(folder + "/" + entry, &info) == 0, info.st_mtim.tv_sec < cutoff { unlink(folder + "/" + entry) }
        }
    }

    /// The cache file's bytes, or nil when there is none. Only a regular file is read (never a FIFO that
    /// would block, a link, or a folder), and not one over 2 GiB, which `decode` would refuse anyway.
    static func read(_ path: String) throws -> [UInt8]? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Corrupt(description: "not a regular file") }
        guard info.st_size <= off_t(Int32.max) else { throw Corrupt(description: "file too large") }
        guard let bytes = readFileBytes(path) else { throw Corrupt(description: "cannot read it") }
        return bytes
    }

    // MARK: Reading

    /// Reads a cache file: the header and commit graph at once, each commit's metadata and operations when
    /// asked. Throws `Corrupt` for anything that is not a whole, well-formed file of this version.
    ///
    /// Everything is bounds-checked, and every commit's metadata and operations are validated here (with the
    /// decoder the lazy reads use), so a file that passes its checksum yet is malformed (written by another
    /// version, or tampered with) is rebuilt with a warning and never traps later.
    static func decode(_ data: Data) throws -> (HistoryCacheHeader, HistoryGraph) {
        try decode([UInt8](data))
    }

    static func decode(_ bytes: [UInt8]) throws -> (HistoryCacheHeader, HistoryGraph) {
        // Offsets into the file are kept as Int32.
        guard bytes.count <= Int(Int32.max) else { throw Corrupt(description: "file too large") }
        guard bytes.count >= magic.count + 4 + 8, bytes.starts(with: magic) else { throw Corrupt(description: "not an isms history cache") }
        let version = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self).littleEndian }
        guard version == formatVersion else { throw Corrupt(description: "cache format \(version), expected \(formatVersion)") }
        let stored = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self).littleEndian }
        guard checksum(bytes[..<(bytes.count - 8)]) == stored else { throw Corrupt(description: "checksum mismatch") }

        var r = ByteReader(bytes, from: magic.count + 4, to: bytes.count - 8)
        let header = HistoryCacheHeader(firstParent: try r.byte() & 1 == 1, root: try r.text(), configBlob: try r.id(),
                                        shallowFingerprint: try r.u64(), tip: try r.id())
        let cached = try CachedCommits(bytes, strings: try r.section(), commits: try r.section())
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
        try cached.validate()
        // The snapshot is decoded when a run needs it; one that does not decode is replaced by a replay of the
        // commits (and rewritten by the next run that adds commits), so it is not checked here.
        return (header, HistoryGraph(cached: cached, mentions: mentions))
    }

    /// The state saved at commit `tip`, read from the snapshot section's records (after the commit index).
    fileprivate static func decodeSnapshot(_ bytes: [UInt8], _ range: Range<Int>, tip: Int) throws -> HistoryState {
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

    fileprivate static let events: [HistoryEvent] = HistoryEvent.allCases
    private static let eventCodes: [HistoryEvent: UInt8] = Dictionary(uniqueKeysWithValues: HistoryEvent.allCases.enumerated().map { ($1, UInt8($0)) })

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash
    }

    /// FNV-1a over 8-byte words (then the tail byte by byte): it catches torn and damaged files at a fraction
    /// of a byte-wise hash's cost.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var hash: UInt64 = 0xcbf29ce484222325
            var i = 0
            while i + 8 <= raw.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100000001b3
                hash ^= hash >> 29
                i += 8
            }
            while i < raw.count {
                hash = (hash ^ UInt64(raw[i])) &* 0x100000001b3
                i += 1
            }
            return hash
        }
    }
}

/// The commits of a cache file: their graph decoded at once, their metadata and operations on first use.
/// Used from one thread at a time; the lock only keeps the memo consistent.
final class CachedCommits: @unchecked Sendable {
    let bytes: [UInt8]
    let nodes: [CommitNode]
    let stringCount: Int
    /// The string table's entries and the commits' bytes, after their counts: copied as they are on write.
    let stringBytes: Range<Int>
    let commitBytes: Range<Int>
    private let stringOffsets: [Int32]
    private let metaOffsets: [Int32], metaEnds: [Int32]
    private let opsOffsets: [Int32], opsEnds: [Int32]
    private var strings: [String?]
    private var infos: [CommitInfo?]
    private var decodedOps: [[RecordOp]?]
    /// The commit whose state the snapshot section holds, and where its records are.
    private(set) var snapshotCommit: Int32?
    private var snapshotRecords: Range<Int> = 0..<0
    private var decodedSnapshot: HistoryState?
    private let lock = NSLock()

    init(_ bytes: [UInt8], strings stringSection: Range<Int>, commits commitSection: Range<Int>) throws {
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
        strings = [String?](repeating: nil, count: stringCount)

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
        infos = [CommitInfo?](repeating: nil, count: count)
        decodedOps = [[RecordOp]?](repeating: nil, count: count)
    }

    func setSnapshot(_ section: Range<Int>) throws {
        guard !section.isEmpty else { return }
        var r = ByteReader(bytes, from: section.lowerBound, to: section.upperBound)
        let commit = try r.varint()
        guard commit < nodes.count else { throw HistoryCache.Corrupt(description: "bad snapshot commit") }
        snapshotCommit = Int32(commit)
        snapshotRecords = r.position..<section.upperBound
    }

    /// The snapshot's state, decoded on first use (only runs that add commits, and blame, need it). Nil
    /// when there is none or it cannot be decoded: the caller then replays the history instead.
    var snapshotState: HistoryState? {
        lock.lock(); defer { lock.unlock() }
        guard let commit = snapshotCommit else { return nil }
        if decodedSnapshot == nil {
            decodedSnapshot = try? HistoryCache.decodeSnapshot(bytes, snapshotRecords, tip: Int(commit))
        }
        return decodedSnapshot
    }

    private func string(_ i: Int) throws -> String {
        guard i < stringCount else { throw HistoryCache.Corrupt(description: "bad string index") }
        if let known = strings[i] { return known }
        var r = ByteReader(bytes, from: Int(stringOffsets[i]), to: bytes.count)
        let text = try r.text()
        strings[i] = text
        return text
    }

    /// Walks every commit's metadata and operations once, building nothing, with the checks the lazy `info`
    /// and `ops` decoders make (the fuzz target proves they agree), so those cannot fail later.
    func validate() throws {
        func string(_ r: inout ByteReader) throws {
            guard try r.varint() < stringCount else { throw HistoryCache.Corrupt(description: "bad string index") }
        }
        func value(_ r: inout ByteReader, nested: Bool) throws -> Bool {
            switch try r.byte() {
            case 0: return false
            case 1: try string(&r)
            case 2: _ = try r.signed()
            case 3, 4: break
            case 5: guard ByteReader.dayOrdinals.contains(try r.signed()) else { throw HistoryCache.Corrupt(description: "bad date") }
            case 6 where !nested:
                for _ in 0..<(try r.count()) {
                    guard try value(&r, nested: true) else { throw HistoryCache.Corrupt(description: "absent list item") }
                }
            default: throw HistoryCache.Corrupt(description: "bad value tag")
            }
            return true
        }
        for i in nodes.indices {
            var r = ByteReader(bytes, from: Int(metaOffsets[i]), to: Int(metaEnds[i]))
            try string(&r); try string(&r); _ = try r.signed(); _ = try r.offset()
            try string(&r); try string(&r); _ = try r.offset()
            try string(&r)
            guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing metadata bytes") }
            r = ByteReader(bytes, from: Int(opsOffsets[i]), to: Int(opsEnds[i]))
            for _ in 0..<(try r.count()) {
                guard Int(try r.byte()) < HistoryCache.events.count else { throw HistoryCache.Corrupt(description: "bad event") }
                let flags = try r.byte()
                _ = try r.kind()
                for bit: UInt8 in [2, 4, 8, 16] where flags & bit != 0 { try string(&r) }
                for _ in 0..<(try r.count()) {
                    try string(&r)
                    _ = try value(&r, nested: false)
                    _ = try value(&r, nested: false)
                    let shift = try r.signed()
                    guard shift >= 0, shift <= Int64(i) + 1 else { throw HistoryCache.Corrupt(description: "bad attribution") }
                }
            }
            guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing operation bytes") }
        }
    }

    /// Validated by `decode` (see `validate`): a failure here would be a bug, not damage.
    func info(_ i: Int) -> CommitInfo {
        lock.lock(); defer { lock.unlock() }
        if let known = infos[i] { return known }
        do {
            let info = try decodeInfo(i, string: string)
            infos[i] = info
            return info
        } catch {
            preconditionFailure("history cache: commit \(i): \(error)")
        }
    }

    /// Validated by `decode` (see `validate`): a failure here would be a bug, not damage.
    func ops(_ i: Int) -> [RecordOp] {
        lock.lock(); defer { lock.unlock() }
        if let known = decodedOps[i] { return known }
        do {
            let ops = try decodeOps(i, string: string)
            decodedOps[i] = ops
            return ops
        } catch {
            preconditionFailure("history cache: commit \(i): \(error)")
        }
    }

    private func decodeInfo(_ i: Int, string: (Int) throws -> String) throws -> CommitInfo {
        var r = ByteReader(bytes, from: Int(metaOffsets[i]), to: Int(metaEnds[i]))
        let author = GitIdentity(name: try string(try r.varint()), email: try string(try r.varint()), time: try r.signed(),
                               offsetMinutes: try r.offset())
        let committer = GitIdentity(name: try string(try r.varint()), email: try string(try r.varint()), time: nodes[i].committerTime,
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
            guard code < HistoryCache.events.count else { throw HistoryCache.Corrupt(description: "bad event") }
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
            ops.append(RecordOp(event: HistoryCache.events[code], ownEvent: flags & 1 != 0, kind: kind, oldID: oldID, newID: newID,
                                oldPath: oldPath, newPath: newPath, fields: fields))
        }
        guard r.atEnd else { throw HistoryCache.Corrupt(description: "trailing operation bytes") }
        return ops
    }
}

/// Strings written once, referred to by index (from `base`, when appended to an existing table).
private struct StringTable {
    let base: Int
    var list = [String]()
    /// Byte for byte: canonically equal spellings of a path stay two strings (`ExactString`).
    var indices = [ExactString: Int]()
    init(base: Int) { self.base = base }
    mutating func index(_ text: String) -> Int {
        if let i = indices[ExactString(text)] { return i }
        indices[ExactString(text)] = base + list.count
        list.append(text)
        return base + list.count - 1
    }
    /// A self-contained section: this table, then `body`.
    func section(followedBy body: ByteWriter) -> ByteWriter {
        var out = ByteWriter()
        out.varint(list.count)
        for text in list { out.text(text) }
        out.bytes.append(contentsOf: body.bytes)
        return out
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
    mutating func u32(_ n: UInt32) { withUnsafeBytes(of: n.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ n: UInt64) { withUnsafeBytes(of: n.littleEndian) { bytes.append(contentsOf: $0) } }
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
    /// A length-prefixed section.
    mutating func section(_ section: ByteWriter) {
        u64(UInt64(section.bytes.count))
        bytes.append(contentsOf: section.bytes)
    }
    /// A length-prefixed section of a count and two runs of bytes, written without building it first.
    mutating func section(count: Int, _ first: ArraySlice<UInt8>, _ second: [UInt8]) {
        var prefix = ByteWriter()
        prefix.varint(count)
        u64(UInt64(prefix.bytes.count + first.count + second.count))
        bytes.append(contentsOf: prefix.bytes)
        bytes.append(contentsOf: first)
        bytes.append(contentsOf: second)
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        position = start
        self.end = end
    }

    var atEnd: Bool { position == end }

    mutating func byte() throws -> UInt8 {
        guard position < end else { throw HistoryCache.Corrupt(description: "truncated") }
        defer { position += 1 }
        return bytes[position]
    }
    mutating func skip(_ count: Int) throws {
        guard count <= end - position else { throw HistoryCache.Corrupt(description: "truncated") }
        position += count
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
    /// A count of items that follow, each at least one byte: never more than the bytes left, so a damaged
    /// count cannot make a reader reserve gigabytes or loop long.
    mutating func count() throws -> Int {
        let n = try varint()
        guard n <= end - position else { throw HistoryCache.Corrupt(description: "count beyond the end") }
        return n
    }
    /// A time-zone offset in minutes, within what ±HH:MM can show.
    mutating func offset() throws -> Int {
        let n = try signed()
        guard abs(n) <= 99 * 60 + 59 else { throw HistoryCache.Corrupt(description: "bad time-zone offset") }
        return Int(n)
    }
    mutating func signed() throws -> Int64 {
        let n = try unsigned()
        return Int64(bitPattern: n >> 1) ^ -Int64(bitPattern: n & 1)
    }
    mutating func u64() throws -> UInt64 {
        guard position + 8 <= end else { throw HistoryCache.Corrupt(description: "truncated") }
        defer { position += 8 }
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian }
    }
    mutating func text() throws -> String {
        let count = try varint()
        guard count <= end - position else { throw HistoryCache.Corrupt(description: "truncated text") }
        defer { position += count }
        return String(decoding: bytes[position..<(position + count)], as: UTF8.self)
    }
    /// A 20-byte id; nil for all zeros.
    mutating func id() throws -> ObjectID? {
        guard position + 20 <= end else { throw HistoryCache.Corrupt(description: "truncated id") }
        defer { position += 20 }
        return bytes.withUnsafeBytes { raw in
            let slice = UnsafeRawBufferPointer(rebasing: raw[position..<(position + 20)])
            return slice.allSatisfy({ $0 == 0 }) ? nil : ObjectID(bytes: slice)
        }
    }
    mutating func kind() throws -> RecordKind {
        guard let kind = RecordKind(storageCode: try byte()) else { throw HistoryCache.Corrupt(description: "bad kind") }
        return kind
    }
    /// A length-prefixed section's byte range; the reader moves past it.
    mutating func section() throws -> Range<Int> {
        let length = try u64()
        guard length <= UInt64(end - position) else { throw HistoryCache.Corrupt(description: "truncated section") }
        let start = position
        position += Int(length)
        return start..<position
    }
    mutating func stringTable() throws -> [String] {
        var table = [String]()
        let count = try self.count()
        table.reserveCapacity(count)
        for _ in 0..<count { table.append(try text()) }
        return table
    }
    mutating func string(in table: [String]) throws -> String {
        let i = try varint()
        guard i < table.count else { throw HistoryCache.Corrupt(description: "bad string index") }
        return table[i]
    }
    mutating func value(_ table: [String]) throws -> FieldValue? {
        try value { i in
            guard i < table.count else { throw HistoryCache.Corrupt(description: "bad string index") }
            return table[i]
        }
    }
    /// Record values are scalars or lists of scalars; `nested` refuses a list in a list (and so any recursion).
    mutating func value(_ string: (Int) throws -> String, nested: Bool = false) throws -> FieldValue? {
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
    static let dayOrdinals: ClosedRange<Int64> = -719_528...2_932_896
}
