import CLibGit2
import DequeModule
import Foundation
import ISMSCore

/// The one owner of a `git_repository` and its object database.
///
/// libgit2 allows one thread at a time per repository, so every method that touches it holds `access`: callers
/// share a `Repository` between threads without a lock of their own. (The lock is re-entrant, unlike `Locked`:
/// methods call one another, and `walk` and `diffTrees` call back into code that may read more objects.)
public final class Repository: @unchecked Sendable {
    private let access = NSRecursiveLock()
    package let pointer: OpaquePointer
    package let odb: OpaquePointer

    /// The `.git` folder (or the bare repository), with a trailing slash removed.
    public let gitDirectory: String
    /// The work tree, or nil for a bare repository.
    public let workTree: String?

    /// Raw trees read lately, oldest first in `recentOrder`: a history walk reads each commit's trees again as
    /// its child's parent trees, and libgit2 keeps no tree over 4 KiB in its own cache.
    package var recentTrees: [ObjectID: RawObject] = [:]
    package var recentOrder = Deque<ObjectID>()
    package static let recentTreeLimit = 256

    private init(pointer: OpaquePointer) throws {
        self.pointer = pointer
        var database: OpaquePointer?
        do {
            try check(git_repository_odb(&database, pointer), "open object database")
        } catch {
            git_repository_free(pointer)
            throw error
        }
        odb = database!
        let common = git_repository_commondir(pointer).map { String(cString: $0) } ?? String(cString: git_repository_path(pointer))
        do {
            try LooseObjectGuard.add(to: database!, objects: Repository.trimSlash(common) + "/objects")
        } catch {
            git_odb_free(database)
            git_repository_free(pointer)
            throw error
        }
        gitDirectory = Repository.trimSlash(String(cString: git_repository_path(pointer)))
        workTree = git_repository_workdir(pointer).map { Repository.trimSlash(String(cString: $0)) }
    }

    deinit {
        git_odb_free(odb)
        git_repository_free(pointer)
    }

    /// Runs `body` holding this repository's lock; every use of `pointer`, `odb` and the recent trees goes through it.
    package func serialised<R>(_ body: () throws -> R) rethrows -> R {
        access.lock()
        defer { access.unlock() }
        return try body()
    }

    private static func trimSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Opens the repository that contains `path`, searching upwards; nil when there is none.
    public static func discover(containing path: String) throws -> Repository? {
        LibGit2Initialisation.finish()
        _ = LibGit2.initialised
        var handle: OpaquePointer?
        let code = git_repository_open_ext(&handle, path, 0, nil)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        do {
            try check(code, "open repository at \(path)")
        } catch let error as GitError
            where error.errorClass == Int32(GIT_ERROR_CONFIG.rawValue) || error.errorClass == Int32(GIT_ERROR_OS.rawValue)
        {
            // A user's configuration that cannot be read (HOME=/root for another user, as `sudo -u` leaves it)
            // stops libgit2, where git warns and goes on. isms needs only the repository's own settings: read
            // without the global, XDG and system files.
            for level in [GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_PROGRAMDATA] {
                isms_git_set_search_path(level.rawValue, "")
            }
            try check(git_repository_open_ext(&handle, path, 0, nil), "open repository at \(path)")
        }
        return try Repository(pointer: handle!)
    }

    /// Another handle on this repository (its git folder, not searched for again), for a reader on another thread:
    /// libgit2 allows one thread at a time per handle, so a reader sharing this one takes turns with its user
    /// (`serialised`; a history walk holds it from start to end), where one on a handle of its own reads beside it. The
    /// objects read are the same, named by their ids. Nil when it cannot be opened: the caller keeps this one.
    public func anotherHandle() -> Repository? {
        var handle: OpaquePointer?
        guard git_repository_open_ext(&handle, gitDirectory, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil) == 0, let handle
        else { return nil }
        return try? Repository(pointer: handle)
    }

    /// Resolves a revision expression (`HEAD`, `main~2`, a short id) to a commit id.
    public func resolveCommit(_ revision: String) throws -> ObjectID {
        try serialised { try resolve(revision) }
    }

    private func resolve(_ revision: String) throws -> ObjectID {
        var object: OpaquePointer?
        do {
            try check(git_revparse_single(&object, pointer, revision), "resolve revision '\(revision)'")
        } catch let error as GitError where !error.isNotFound && error.errorClass != Int32(GIT_ERROR_ZLIB.rawValue) {
            // libgit2 parses every commit on the way and refuses malformed ones that git reads (see `commit`).
            guard let id = try resolveLeniently(revision) else { throw error }
            return id
        }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "'\(revision)' is not a commit")
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit))
    }

    /// `NAME`, `NAME~N`, `NAME^N` (and chains of them), where NAME is a reference, `HEAD` or an id: resolved
    /// without libgit2 parsing the commits on the way. Nil for anything else.
    private func resolveLeniently(_ revision: String) throws -> ObjectID? {
        var name = Substring(revision)
        for peel in ["^{commit}", "^{}"] where name.hasSuffix(peel) { name = name.dropLast(peel.count) }
        var steps = [(parent: Bool, n: Int)]()
        while let last = name.lastIndex(where: { $0 == "~" || $0 == "^" }) {
            let digits = name[name.index(after: last)...]
            guard digits.allSatisfy({ ("0"..."9").contains($0) }), digits.count < 6 else { return nil }
            steps.insert((name[last] == "^", digits.isEmpty ? 1 : Int(digits)!), at: 0)
            name = name[..<last]
        }
        guard !name.isEmpty, var id = try objectNamed(String(name)) else { return nil }
        // Peel annotated tags by their `object` line.
        for _ in 0..<16 {
            var length = 0
            var type = GIT_OBJECT_ANY
            var oid = id.gitOID
            try check(git_odb_read_header(&length, &type, odb, &oid), "read object \(id.short)")
            if type == GIT_OBJECT_COMMIT { break }
            guard type == GIT_OBJECT_TAG else { return nil }
            let tag = try readObject(id)
            guard tag.starts(with: Array("object ".utf8)), tag.count >= 47,
                let target = ObjectID(hex: String(decoding: tag[7..<47], as: UTF8.self))
            else { return nil }
            id = target
        }
        for step in steps {
            if step.parent {
                guard step.n > 0 else { continue }
                let parents = try commit(id).parents
                guard step.n <= parents.count else { return nil }
                id = parents[step.n - 1]
            } else {
                for _ in 0..<step.n {
                    guard let first = try commit(id).parents.first else { return nil }
                    id = first
                }
            }
        }
        return id
    }

    /// A reference (`HEAD`, `main`, `origin/main`, `v1.0`) or a full object id, without reading the object.
    private func objectNamed(_ name: String) throws -> ObjectID? {
        if let id = ObjectID(hex: name) { return id }
        // No such reference (or a symbolic one pointing nowhere, as HEAD in a fresh repository) and a name that
        // cannot be a reference name nothing: nil. Any other failure (an unreadable ref file) is an error.
        func named(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Bool {
            do {
                try check(code, operation())
                return true
            } catch let error as GitError where error.isNotFound || error.code == GIT_EINVALIDSPEC.rawValue {
                return false
            }
        }
        var reference: OpaquePointer?
        guard try named(git_reference_dwim(&reference, pointer, name), "resolve reference '\(name)'") else { return nil }
        defer { git_reference_free(reference) }
        var resolved: OpaquePointer?
        guard try named(git_reference_resolve(&resolved, reference), "resolve reference '\(name)'") else { return nil }
        defer { git_reference_free(resolved) }
        return git_reference_target(resolved).map { ObjectID($0) }
    }

    /// The root tree of a commit.
    public func treeOfCommit(_ commitID: ObjectID) throws -> ObjectID {
        try commit(commitID).tree
    }

    /// The entries of one tree object, copied out of libgit2 memory.
    public func treeEntries(_ treeID: ObjectID) throws -> [TreeEntry] {
        try serialised { try readTreeEntries(treeID) }
    }

    private func readTreeEntries(_ treeID: ObjectID) throws -> [TreeEntry] {
        var oid = treeID.gitOID
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "read tree \(treeID.short)")
        defer { git_tree_free(tree) }
        let count = git_tree_entrycount(tree)
        var entries = [TreeEntry]()
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            // Names are bytes in git; a name that is not UTF-8 still gets a printable spelling.
            let name = String(decoding: Data(bytes: git_tree_entry_name(entry), count: strlen(git_tree_entry_name(entry))), as: UTF8.self)
            entries.append(
                TreeEntry(
                    name: name, id: ObjectID(git_tree_entry_id(entry)),
                    mode: TreeEntry.Mode(rawMode: git_tree_entry_filemode_raw(entry).rawValue)))
        }
        return entries
    }

    /// Walks to the tree at `path` (components separated by `/`) below `treeID`; nil when absent or not a tree.
    public func subtree(of treeID: ObjectID, at path: String) throws -> ObjectID? {
        try self.treeID(at: path.pathComponents().filter { $0 != "." }, in: treeID)
    }

    /// The size of an object from its header, without inflating its content.
    public func objectSize(_ id: ObjectID) throws -> Int {
        try serialised {
            var oid = id.gitOID
            var length = 0
            var type = GIT_OBJECT_ANY
            try check(git_odb_read_header(&length, &type, odb, &oid), "read object header \(id.short)")
            return length
        }
    }

    /// The raw content of an object (a blob's bytes, a commit's or tree's serialised form).
    public func readObject(_ id: ObjectID) throws -> Data {
        try serialised { try readUnlocked(id) }
    }

    private func readUnlocked(_ id: ObjectID) throws -> Data {
        try Self.read(id, from: odb)
    }

    /// The raw content of object `id` in the object database `odb`, copied out of libgit2 memory.
    static func read(_ id: ObjectID, from odb: OpaquePointer) throws -> Data {
        var oid = id.gitOID
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "read object \(id.short)")
        defer { git_odb_object_free(object) }
        let size = git_odb_object_size(object)
        guard size > 0, let data = git_odb_object_data(object) else { return Data() }
        return Data(bytes: data, count: size)
    }

    /// An object's content, or only its size when that is over `limit`: `objectSize`, then `readObject` when the
    /// object is small enough (never inflated otherwise), taking the lock once for both (a history read does this
    /// for every record version).
    public func readObject(_ id: ObjectID, limit: Int) throws -> BoundedObject {
        try serialised {
            var oid = id.gitOID
            var length = 0
            var type = GIT_OBJECT_ANY
            try check(git_odb_read_header(&length, &type, odb, &oid), "read object header \(id.short)")
            return length > limit ? .tooLarge(length) : .content(try readUnlocked(id))
        }
    }
}

/// What `Repository.readObject(_:limit:)` read.
public enum BoundedObject {
    case content(Data)
    /// The object's size, over the limit.
    case tooLarge(Int)
}

/// One entry of a tree: a file, a folder, a link or a submodule.
public struct TreeEntry: Hashable, Sendable {
    public enum Mode: Hashable, Sendable {
        case file, executable, symlink, tree, submodule, unknown
        package init(rawMode: UInt32) {
            switch rawMode {
            case 0o100644, 0o100664: self = .file
            case 0o100755: self = .executable
            case 0o120000: self = .symlink
            case 0o040000: self = .tree
            case 0o160000: self = .submodule
            default: self = .unknown
            }
        }
    }
    public let name: String
    public let id: ObjectID
    public let mode: Mode

    package init(name: String, id: ObjectID, mode: Mode) {
        self.name = name
        self.id = id
        self.mode = mode
    }
}

extension Repository {
    /// The git folder shared by all work trees of the repository (where `shallow`, `objects` and `refs` live).
    public var commonDirectory: String {
        guard let path = serialised({ git_repository_commondir(pointer).map { String(cString: $0) } }) else { return gitDirectory }
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The commits listed in `<gitdir>/shallow`: in a shallow clone, their parents are not in the repository.
    /// Also returns the file's text, so a change to it can be noticed.
    public func shallowBoundary() -> (commits: Set<ObjectID>, text: String) {
        guard let data = FileManager.default.contents(atPath: commonDirectory + "/shallow") else { return ([], "") }
        let text = String(decoding: data, as: UTF8.self)
        let commits = text.split(whereSeparator: \.isNewline).compactMap { ObjectID(hex: $0.trimmingCharacters(in: .whitespaces)) }
        return (Set(commits), text)
    }

    /// True when HEAD names a branch that has no commit yet (a fresh `git init`).
    public var isHeadUnborn: Bool { serialised { git_repository_head_unborn(pointer) == 1 } }

    /// True for a partial clone (`git clone --filter=…`), where objects may be missing until git fetches them:
    /// git marks the packs it received from a promisor remote with a `.promisor` file.
    public var isPartialClone: Bool {
        if ((try? configString("extensions.partialclone")) ?? nil) != nil { return true }
        let packs = (try? FileManager.default.contentsOfDirectory(atPath: commonDirectory + "/objects/pack")) ?? []
        return packs.contains { $0.hasSuffix(".promisor") }
    }
}
