import CLibGit2
import Foundation
import ISMSCore

/// An object's bytes straight from the object database, lent only inside `withBytes`: the buffer is libgit2's
/// and is freed with this owner, so no pointer into it may outlive the call.
package final class RawObject {
    private let handle: OpaquePointer
    private let bytes: UnsafeRawBufferPointer

    package init(handle: OpaquePointer) {
        self.handle = handle
        let size = git_odb_object_size(handle)
        if size > 0, let data = git_odb_object_data(handle) {
            bytes = UnsafeRawBufferPointer(start: data, count: size)
        } else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        }
    }

    deinit { git_odb_object_free(handle) }

    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(bytes) }
    }

    /// `withBytes` of `object`, or of no bytes when it is nil (one side of a tree comparison may be absent).
    package static func withBytes<R>(of object: RawObject?, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let object else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try object.withBytes(body)
    }
}

/// One change found by `Repository.diffTrees`: a leaf entry (file, link or submodule) that is new, gone, or
/// different. `path` is relative to the trees compared.
public struct TreeChange: Sendable {
    public let path: String
    public let old: TreeLeaf?
    public let new: TreeLeaf?
}

/// One side of a `TreeChange`: the entry's id and mode (its name ends `path`; not copied again for each side).
public struct TreeLeaf: Sendable, Equatable {
    public let id: ObjectID
    public let mode: TreeEntry.Mode
}

extension Repository {
    /// Reads a tree object's serialised form: `<octal mode> <name>\0<20-byte id>`, repeated, in git's order.
    package func rawTree(_ id: ObjectID) throws -> RawObject {
        try serialised { try recentOrRawTree(id) }
    }

    private func recentOrRawTree(_ id: ObjectID) throws -> RawObject {
        if let recent = recentTrees[id] { return recent }
        let tree = try readRawTree(id)
        if recentOrder.count == Self.recentTreeLimit { recentTrees[recentOrder.removeFirst()] = nil }
        recentOrder.append(id)
        recentTrees[id] = tree
        return tree
    }

    private func readRawTree(_ id: ObjectID) throws -> RawObject {
        try Self.readRawTree(id, from: odb)
    }

    /// A tree object's serialised form from the object database `odb`.
    static func readRawTree(_ id: ObjectID, from odb: OpaquePointer) throws -> RawObject {
        var oid = id.gitOID
        var handle: OpaquePointer?
        try check(git_odb_read(&handle, odb, &oid), "read tree \(id.short)")
        let object = RawObject(handle: handle!)
        guard git_odb_object_type(handle) == GIT_OBJECT_TREE else {
            throw GitError.corruptObject("read tree \(id.short)", "object \(id.hex) is not a tree")
        }
        return object
    }

    /// The id of the tree at `path` (components) below `root`, reading raw tree buffers; nil when a component
    /// is absent or not a folder. An empty path is `root` itself.
    public func treeID(at path: [String], in root: ObjectID) throws -> ObjectID? {
        try serialised { try findTreeID(at: path, in: root) }
    }

    private func findTreeID(at path: [String], in root: ObjectID) throws -> ObjectID? {
        try Self.findTreeID(at: path, in: root, rawTree: rawTree)
    }

    /// `treeID(at:in:)` over the raw trees `rawTree` reads.
    static func findTreeID(at path: [String], in root: ObjectID, rawTree: (ObjectID) throws -> RawObject) throws -> ObjectID? {
        var current = root
        for component in path {
            let folder = try rawTree(current).withBytes { bytes in
                try RawTreeCursor.find(component, in: bytes).flatMap { $0.isTree ? $0.id(in: bytes) : nil }
            }
            guard let folder else { return nil }
            current = folder
        }
        return current
    }

    /// The entry named `name` in the tree `tree`, found in its raw buffer; nil when absent.
    public func entry(named name: String, in tree: ObjectID) throws -> TreeEntry? {
        try serialised {
            try rawTree(tree).withBytes { bytes in try RawTreeCursor.find(name, in: bytes)?.treeEntry(in: bytes) }
        }
    }

    /// Calls `visit` for every leaf entry that differs between the trees `old` and `new` (nil: an empty tree),
    /// in git's tree order, depth first.
    ///
    /// Git stores equal content under equal ids, so a subtree whose id is the same on both sides is skipped
    /// whole, and a changed tree is compared on its raw buffer: identical leading and trailing bytes are
    /// skipped with word compares, and only the entries in between are decoded. `descend` is asked (with the
    /// subtree's path) before a differing subtree is read. The walk keeps its own stack rather than recursing
    /// (a 13,000-level tree overflowed the thread's stack), and refuses a folder nested more than `maxDepth`
    /// below the trees compared with `TreeTooDeep`.
    public func diffTrees(
        _ old: ObjectID?, _ new: ObjectID?, path: String = "", maxDepth: Int = Limits.defaultTreeDepth,
        descend: (String) -> Bool, visit: (TreeChange) throws -> Void
    ) throws {
        try serialised {
            try Self.compareTrees(
                old, new, path: path, maxDepth: maxDepth, rawTree: { try recentOrRawTree($0) }, descend: descend, visit: visit)
        }
    }

    /// `diffTrees` over the raw trees `rawTree` reads (the repository's, or an `ObjectReader`'s on another thread).
    static func compareTrees(
        _ old: ObjectID?, _ new: ObjectID?, path: String, maxDepth: Int, rawTree: (ObjectID) throws -> RawObject,
        descend: (String) -> Bool, visit: (TreeChange) throws -> Void
    ) throws {
        /// One pair of trees being compared, and how far.
        struct Frame {
            let oldTree: RawObject?, newTree: RawObject?
            let path: String
            let depth: Int
            var pa: Int, pb: Int
            let identicalTail: Int
        }
        func frame(_ old: ObjectID?, _ new: ObjectID?, path: String, depth: Int) throws -> Frame? {
            guard old != new else { return nil }
            if depth > maxDepth { throw TreeTooDeep(path: path, limit: maxDepth) }
            let oldTree = try old.map(rawTree), newTree = try new.map(rawTree)
            let (p, identicalTail) = try RawObject.withBytes(of: oldTree) { a in
                try RawObject.withBytes(of: newTree) { b -> (Int, Int) in
                    guard a.count > 0 && b.count > 0 else { return (0, 0) }
                    // Entries wholly inside the common leading bytes are equal: start at the entry holding the first difference.
                    let first = RawTreeCursor.commonPrefixLength(a, b)
                    var p = 0
                    while p < min(a.count, b.count) {
                        let end = try RawTreeCursor.entry(in: a, at: p).end
                        if end > first { break }
                        p = end
                    }
                    return (p, RawTreeCursor.commonSuffixLength(a, b))
                }
            }
            return Frame(oldTree: oldTree, newTree: newTree, path: path, depth: depth, pa: p, pb: p, identicalTail: identicalTail)
        }
        /// Compares `f` on from where it stopped, over its trees' bytes `a` and `b`; returns the differing subtree
        /// to compare first when it finds one, nil when `f` is done.
        func advance(_ f: inout Frame, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) throws -> Frame? {
            let parent = f.path
            func child(_ name: String) -> String { parent.isEmpty ? name : parent + "/" + name }
            while f.pa < a.count || f.pb < b.count {
                // Once both sides have the same number of bytes left inside the identical tail, the rest is equal.
                if a.count - f.pa == b.count - f.pb && a.count - f.pa <= f.identicalTail { break }
                let ea = f.pa < a.count ? try RawTreeCursor.entry(in: a, at: f.pa) : nil
                let eb = f.pb < b.count ? try RawTreeCursor.entry(in: b, at: f.pb) : nil
                let order: Int32
                if let ea, let eb { order = RawTreeCursor.compare(ea, in: a, eb, in: b) } else { order = ea == nil ? 1 : -1 }
                var subtree: (old: ObjectID?, new: ObjectID?, name: String)?
                if order == 0, let ea, let eb {
                    f.pa = ea.end; f.pb = eb.end
                    let idA = ea.id(in: a), idB = eb.id(in: b)
                    if idA == idB && ea.mode == eb.mode { continue }
                    if ea.isTree {
                        subtree = (idA, idB, ea.name(in: a))
                    } else {
                        try visit(TreeChange(path: child(ea.name(in: a)), old: ea.leaf(in: a), new: eb.leaf(in: b)))
                    }
                } else if order < 0, let ea {
                    f.pa = ea.end
                    if ea.isTree {
                        subtree = (ea.id(in: a), nil, ea.name(in: a))
                    } else {
                        try visit(TreeChange(path: child(ea.name(in: a)), old: ea.leaf(in: a), new: nil))
                    }
                } else if let eb {
                    f.pb = eb.end
                    if eb.isTree {
                        subtree = (nil, eb.id(in: b), eb.name(in: b))
                    } else {
                        try visit(TreeChange(path: child(eb.name(in: b)), old: nil, new: eb.leaf(in: b)))
                    }
                }
                if let subtree, descend(child(subtree.name)),
                    let inner = try frame(subtree.old, subtree.new, path: child(subtree.name), depth: f.depth + 1)
                {
                    return inner
                }
            }
            return nil
        }

        var stack = [Frame]()
        if let top = try frame(old, new, path: path, depth: path.isEmpty ? 0 : path.pathComponents().count) { stack.append(top) }
        while var f = stack.popLast() {
            let (oldTree, newTree) = (f.oldTree, f.newTree)
            let inner = try RawObject.withBytes(of: oldTree) { a in
                try RawObject.withBytes(of: newTree) { b in try advance(&f, a, b) }
            }
            if let inner {
                // Finish the subtree first, then come back here: the same order as the recursion had.
                stack.append(f)
                stack.append(inner)
            }
        }
    }
}

/// A tree nested deeper than the limit (`limits.tree_depth`): `path` is the folder that would pass it.
public struct TreeTooDeep: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let limit: Int

    public var description: String { "folders nested more than \(limit) deep (\(shortPath))" }

    /// The path for a one-line message: its first folders, as the whole may be tens of kilobytes.
    public var shortPath: String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count <= 4 ? path : parts.prefix(3).joined(separator: "/") + "/…(\(parts.count - 3) more)"
    }

    package init(path: String, limit: Int) {
        self.path = path
        self.limit = limit
    }
}

/// File names are bytes in git and on disk, but isms holds paths as UTF-8 text: a name that is not UTF-8 is decoded
/// with U+FFFD for each byte that is not, so `\xFE.yaml` and `\xFF.yaml` become one spelling. Where a record or key
/// would be told apart by such a name, isms cannot judge and says so (`UndecodableFileName`). A name that spells
/// U+FFFD itself cannot be told from a decoded one, so it is refused the same way.
public enum FileName {
    /// Whether `path` holds U+FFFD (UTF-8 `EF BF BD`): a name that was not UTF-8, or one that spells the mark.
    public static func isUndecodable(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            var from = 0
            while from + 2 < bytes.count, let hit = memchr(base + from, 0xEF, bytes.count - from - 2) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if bytes[at + 1] == 0xBF && bytes[at + 2] == 0xBD { return true }
                from = at + 1
            }
            return false
        }
    }
}

/// A file under the ISMS root, where records or keys are told apart by name, whose name is not UTF-8 (`path` shows
/// U+FFFD for each byte that is not).
public struct UndecodableFileName: Error, Sendable, CustomStringConvertible {
    public let path: String

    public init(path: String) { self.path = path }

    public var description: String {
        "the file name \(path) is not UTF-8 (U+FFFD marks each byte that is not, or the name spells U+FFFD), so isms "
            + "cannot tell it from another such name"
    }
}

/// Decoding of raw tree entries in place, without copying names until one is needed.
package enum RawTreeCursor {
    package struct Entry {
        package let mode: UInt32
        package let nameStart: Int, nameEnd: Int
        /// Where the next entry starts.
        package let end: Int

        package var isTree: Bool { mode & 0o170000 == 0o040000 }
        package func id(in buffer: UnsafeRawBufferPointer) -> ObjectID {
            ObjectID(bytes: UnsafeRawBufferPointer(rebasing: buffer[(nameEnd + 1)..<end]))
        }
        package func name(in buffer: UnsafeRawBufferPointer) -> String {
            // Names are bytes in git; one that is not UTF-8 still gets a printable spelling.
            String(decoding: UnsafeRawBufferPointer(rebasing: buffer[nameStart..<nameEnd]), as: UTF8.self)
        }
        package func treeEntry(in buffer: UnsafeRawBufferPointer) -> TreeEntry {
            TreeEntry(name: name(in: buffer), id: id(in: buffer), mode: TreeEntry.Mode(rawMode: mode))
        }
        package func leaf(in buffer: UnsafeRawBufferPointer) -> TreeLeaf {
            TreeLeaf(id: id(in: buffer), mode: TreeEntry.Mode(rawMode: mode))
        }
    }

    package static func corrupt(_ why: String) -> GitError {
        GitError.corruptObject("read tree", "corrupt tree object: \(why)")
    }

    package static func entry(in buffer: UnsafeRawBufferPointer, at start: Int) throws -> Entry {
        var p = start, mode: UInt32 = 0
        while p < buffer.count, buffer[p] != 0x20 {
            let digit = buffer[p] &- 0x30
            guard digit < 8 else { throw corrupt("bad mode") }
            mode = mode << 3 | UInt32(digit)
            p += 1
        }
        let nameStart = p + 1
        guard nameStart < buffer.count, let base = buffer.baseAddress,
            let nul = memchr(base + nameStart, 0, buffer.count - nameStart)
        else { throw corrupt("unterminated name") }
        let nameEnd = base.distance(to: UnsafeRawPointer(nul))
        let end = nameEnd + 21
        guard end <= buffer.count else { throw corrupt("truncated id") }
        return Entry(mode: mode, nameStart: nameStart, nameEnd: nameEnd, end: end)
    }

    /// The entry named `name` (its UTF-8 bytes), scanning the buffer.
    package static func find(_ name: String, in buffer: UnsafeRawBufferPointer) throws -> Entry? {
        var name = name
        return try name.withUTF8 { name in
            var p = 0
            while p < buffer.count {
                let e = try entry(in: buffer, at: p)
                if e.nameEnd - e.nameStart == name.count,
                    name.isEmpty || memcmp(name.baseAddress!, buffer.baseAddress! + e.nameStart, name.count) == 0
                {
                    return e
                }
                p = e.end
            }
            return nil
        }
    }

    /// Git's tree order: names compared as bytes, a folder's name as if it ended in `/`.
    package static func compare(_ x: Entry, in a: UnsafeRawBufferPointer, _ y: Entry, in b: UnsafeRawBufferPointer) -> Int32 {
        let lx = x.nameEnd - x.nameStart, ly = y.nameEnd - y.nameStart
        let common = min(lx, ly)
        if common > 0 {
            let r = memcmp(a.baseAddress! + x.nameStart, b.baseAddress! + y.nameStart, common)
            if r != 0 { return r }
        }
        let cx: UInt8 = lx > common ? a[x.nameStart + common] : (x.isTree ? 0x2F : 0)
        let cy: UInt8 = ly > common ? b[y.nameStart + common] : (y.isTree ? 0x2F : 0)
        return Int32(cx) - Int32(cy)
    }

    /// How many bytes `a` and `b` share at the start. Equal stretches are skipped a block at a time with `memcmp`
    /// (vectorised by libc): on a history read the common part is most of a changed folder's tree, compared on
    /// every commit.
    package static func commonPrefixLength(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        var i = 0
        while i + block <= n, memcmp(pa + i, pb + i, block) == 0 { i += block }
        while i + 8 <= n, a.loadUnaligned(fromByteOffset: i, as: UInt64.self) == b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            i += 8
        }
        while i < n, a[i] == b[i] { i += 1 }
        return i
    }

    /// How many bytes `a` and `b` share at the end, skipped as `commonPrefixLength` does.
    package static func commonSuffixLength(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        var i = 0
        while i + block <= n, memcmp(pa + (a.count - i - block), pb + (b.count - i - block), block) == 0 { i += block }
        while i + 8 <= n,
            a.loadUnaligned(fromByteOffset: a.count - i - 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: b.count - i - 8, as: UInt64.self)
        {
            i += 8
        }
        while i < n, a[a.count - i - 1] == b[b.count - i - 1] { i += 1 }
        return i
    }

    /// The stretch `commonPrefixLength` and `commonSuffixLength` hand to `memcmp` at a time.
    private static var block: Int { 128 }
}
