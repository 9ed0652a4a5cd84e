import CLibGit2
import DequeModule
import Foundation

/// An object database of its own on a repository's objects, for reading objects on another thread beside the
/// repository's own reads without taking turns with them.
///
/// libgit2 keeps one `git_pack_file` per pack path for the whole process, shared by every handle that opens that
/// pack, and nearly every step of an object read (finding its offset in the index, opening a window, each delta's
/// header) takes that pack's mutex. Two threads reading the same pack, even through two repositories, contend on
/// it at every step: on the 20,000-commit benchmark a second thread reading blobs beside one reading trees cost 20%
/// more CPU and slowed the tree reader by 70% (`scripts/bench-blob-reads.sh`). Opened on the objects folder spelt
/// with `spelling` extra `./` components, the packs are opened again under paths libgit2 has not seen: a
/// `git_pack_file` of their own, with their own mutex, windows and delta-base cache; the bytes are the same files'.
/// Only the process-wide window mutex (held briefly per window) is still shared.
///
/// One thread at a time per reader (the database itself locks, but two threads on one reader would take turns on
/// its packs again).
public final class ObjectReader: @unchecked Sendable {
    private let odb: OpaquePointer

    init(objectsFolder: String, spelling: Int) throws {
        var path = objectsFolder.hasSuffix("/") ? objectsFolder : objectsFolder + "/"
        path += String(repeating: "./", count: max(1, spelling))
        var database: OpaquePointer?
        try check(git_odb_open(&database, path), "open object database \(path)")
        do {
            try LooseObjectGuard.add(to: database!, objects: path)
        } catch {
            git_odb_free(database)
            throw error
        }
        odb = database!
    }

    /// Raw trees this reader read lately, oldest first in `recentOrder` (as `Repository.recentTrees`).
    private var recentTrees: [ObjectID: RawObject] = [:]
    private var recentOrder = Deque<ObjectID>()

    deinit {
        // The trees kept are this database's objects: freed before it.
        recentTrees = [:]
        git_odb_free(odb)
    }

    /// The raw content of an object, as `Repository.readObject` reads it.
    public func readObject(_ id: ObjectID) throws -> Data {
        try Repository.read(id, from: odb)
    }

    /// A tree's serialised form, as `Repository.rawTree` reads it.
    package func rawTree(_ id: ObjectID) throws -> RawObject {
        if let recent = recentTrees[id] { return recent }
        let tree = try Repository.readRawTree(id, from: odb)
        if recentOrder.count == Repository.recentTreeLimit { recentTrees[recentOrder.removeFirst()] = nil }
        recentOrder.append(id)
        recentTrees[id] = tree
        return tree
    }

    /// `Repository.treeID(at:in:)`, read through this reader.
    package func treeID(at path: [String], in root: ObjectID) throws -> ObjectID? {
        try Repository.findTreeID(at: path, in: root, rawTree: rawTree)
    }

    /// `Repository.diffTrees`, read through this reader: the same changes in the same order.
    package func diffTrees(
        _ old: ObjectID?, _ new: ObjectID?, maxDepth: Int, descend: (String) -> Bool, visit: (TreeChange) throws -> Void
    ) throws {
        try Repository.compareTrees(old, new, path: "", maxDepth: maxDepth, rawTree: rawTree, descend: descend, visit: visit)
    }
}

extension Repository {
    /// Whether this repository's packs and their indexes fit within libgit2's limit of mapped windows
    /// (`LibGit2.mappedBytes`), so that readers with packs of their own are worth their memory. Each reader maps every
    /// pack index again and holds a delta-base cache of its own (16 MB at most): the pages of a mapping count in the
    /// process's resident memory once per mapping. On the 1,000,000-commit benchmark (a 230 MB index) two readers took
    /// the cold `log` from 0.9 to 1.28 GB; on 20,000 commits (25 MB of packs) they add about 40 MB.
    ///
    /// Nor when the packs are many (never repacked): every reader holds a descriptor open on each pack it reads, as the
    /// repository does, so readers took up to `readerPacks + 1` times the repository's descriptors, and a history
    /// `isms` read under `ulimit -n` stopped with "Too many open files" (41 packs, `ulimit -n 55`). They are used only
    /// while all those descriptors take at most half the process's limit.
    package var packsFitMappedLimit: Bool {
        let folder = commonDirectory + "/objects/pack"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return true }
        var total = 0
        var packs = 0
        for name in names where name.hasSuffix(".pack") || name.hasSuffix(".idx") {
            if name.hasSuffix(".pack") { packs += 1 }
            let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int) ?? nil
            total += size ?? Int.max / 2
            if total > LibGit2.mappedBytes { return false }
        }
        return packs * (LibGit2.readerPacks + 1) <= LibGit2.openFileLimit / 2
    }

    /// A reader of this repository's objects with packs of its own (see `ObjectReader`); `spelling` (1, 2, …) keeps
    /// the readers of one process apart from each other as well.
    package func separateObjectReader(spelling: Int) throws -> ObjectReader {
        let folder: String = try serialised {
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            try check(git_repository_item_path(&buffer, pointer, GIT_REPOSITORY_ITEM_OBJECTS), "find the objects folder")
            return String(cString: buffer.ptr)
        }
        return try ObjectReader(objectsFolder: folder, spelling: spelling)
    }
}
