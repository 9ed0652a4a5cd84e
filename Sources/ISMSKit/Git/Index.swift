import CLibGit2

/// One entry of the index (the staging area), copied out of libgit2 memory.
public struct IndexEntry: Sendable, Hashable {
    /// Relative to the repository top, `/`-separated.
    public let path: String
    public let id: ObjectID
    public let mode: TreeEntry.Mode
    /// 0 normally; 1–3 for the sides of an unresolved conflict.
    public let stage: Int
}

extension Repository {
    /// The entries of the index as it is on disk. Reads only: the index file is never written.
    public func indexEntries() throws -> [IndexEntry] {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "read the index")
        defer { git_index_free(index) }
        let count = git_index_entrycount(index)
        var entries = [IndexEntry]()
        entries.reserveCapacity(count)
        for position in 0..<count {
            guard let entry = git_index_get_byindex(index, position), let rawPath = entry.pointee.path else { continue }
            var oid = entry.pointee.id
            entries.append(IndexEntry(
                path: String(cString: rawPath),
                id: withUnsafePointer(to: &oid) { ObjectID($0) },
                mode: TreeEntry.Mode(rawMode: entry.pointee.mode),
                stage: Int(git_index_entry_stage(entry))))
        }
        return entries
    }

    /// The best common ancestor of two commits, or nil when their histories are unrelated.
    public func mergeBase(_ one: ObjectID, _ two: ObjectID) throws -> ObjectID? {
        var out = git_oid()
        var a = one.gitOID, b = two.gitOID
        let code = git_merge_base(&out, pointer, &a, &b)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "find the merge base of \(one.short) and \(two.short)")
        return withUnsafePointer(to: &out) { ObjectID($0) }
    }

    /// Every blob, link and submodule below `treeID`, by path relative to it.
    public func flattenTree(_ treeID: ObjectID) throws -> [String: TreeEntry] {
        var result = [String: TreeEntry]()
        func walk(_ tree: ObjectID, _ prefix: String) throws {
            for entry in try treeEntries(tree) {
                let path = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
                if entry.mode == .tree { try walk(entry.id, path) } else { result[path] = entry }
            }
        }
        try walk(treeID, "")
        return result
    }
}
