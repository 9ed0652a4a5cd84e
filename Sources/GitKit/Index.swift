import CLibGit2
import ISMSCore

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
    /// The entries of the index as it is on disk: the repository's own, or the index file at `file` (absolute)
    /// when given, as git names one in GIT_INDEX_FILE. Reads only: the index file is never written.
    public func indexEntries(file: String? = nil) throws -> [IndexEntry] {
        try serialised { try readIndexEntries(file: file) }
    }

    private func readIndexEntries(file: String?) throws -> [IndexEntry] {
        var index: OpaquePointer?
        if let file {
            // A file that is not there reads as an empty index, as git reads it.
            try check(git_index_open(&index, file), "read the index \(file)")
        } else {
            try check(git_repository_index(&index, pointer), "read the index")
        }
        defer { git_index_free(index) }
        let count = git_index_entrycount(index)
        var entries = [IndexEntry]()
        entries.reserveCapacity(count)
        for position in 0..<count {
            guard let entry = git_index_get_byindex(index, position), let rawPath = entry.pointee.path else { continue }
            var oid = entry.pointee.id
            entries.append(
                IndexEntry(
                    path: String(cString: rawPath),
                    id: withUnsafePointer(to: &oid) { ObjectID($0) },
                    mode: TreeEntry.Mode(rawMode: entry.pointee.mode),
                    stage: Int(git_index_entry_stage(entry))))
        }
        return entries
    }

    /// The best common ancestor of two commits, or nil when their histories are unrelated.
    ///
    /// libgit2 1.5 knows nothing of shallow clones (it looks up the boundary's missing parents and fails) and
    /// refuses commits it cannot parse; in those cases the merge base is found by walking the commits here,
    /// stopping at the shallow boundary.
    public func mergeBase(_ one: ObjectID, _ two: ObjectID) throws -> ObjectID? {
        try serialised { try findMergeBase(one, two) }
    }

    private func findMergeBase(_ one: ObjectID, _ two: ObjectID) throws -> ObjectID? {
        var out = git_oid()
        var a = one.gitOID, b = two.gitOID
        do {
            try check(git_merge_base(&out, pointer, &a, &b), "find the merge base of \(one.short) and \(two.short)")
        } catch let error as GitError {
            // "No merge base" is an answer: the histories are unrelated.
            if error.isNotFound && error.errorClass == Int32(GIT_ERROR_MERGE.rawValue) { return nil }
            if error.errorClass == Int32(GIT_ERROR_ZLIB.rawValue) { throw error }
            return try mergeBaseByWalking(one, two, shallow: shallowBoundary().commits)
        }
        return withUnsafePointer(to: &out) { ObjectID($0) }
    }

    /// Every best common ancestor of two commits (more than one after criss-cross merges); empty when their
    /// histories are unrelated. Where libgit2 cannot answer (a shallow clone), the one `mergeBase` finds.
    public func mergeBases(_ one: ObjectID, _ two: ObjectID) throws -> [ObjectID] {
        try serialised { try findMergeBases(one, two) }
    }

    private func findMergeBases(_ one: ObjectID, _ two: ObjectID) throws -> [ObjectID] {
        var out = git_oidarray()
        var a = one.gitOID, b = two.gitOID
        if git_merge_bases(&out, pointer, &a, &b) == 0 {
            defer { git_oidarray_dispose(&out) }
            guard let ids = out.ids else { return [] }
            return (0..<out.count).map { ObjectID(ids + $0) }
        }
        return try mergeBase(one, two).map { [$0] } ?? []
    }

    /// The common ancestors of `one` and `two` that no other common ancestor descends from, the newest by
    /// committer date (then id) when several are equally good, as the commits are in this repository: a walk
    /// stops at the shallow boundary.
    package func mergeBaseByWalking(_ one: ObjectID, _ two: ObjectID, shallow: Set<ObjectID>) throws -> ObjectID? {
        func parents(_ id: ObjectID) throws -> [ObjectID] {
            guard !shallow.contains(id) else { return [] }
            do { return try commit(id).parents } catch let error as GitError where error.isNotFound {
                throw GitError(
                    code: error.code, operation: "find the merge base of \(one.short) and \(two.short)",
                    message: "commit \(id.hex) is missing from the repository (run `git fsck`; if this clone is "
                        + "shallow, `git fetch --unshallow` fetches the rest)")
            }
        }
        var ofOne = Set<ObjectID>()
        var stack = [one]
        while let id = stack.popLast() {
            guard ofOne.insert(id).inserted else { continue }
            stack += try parents(id)
        }
        // Common ancestors reached from `two` without passing another one: the candidates.
        var seen = Set<ObjectID>()
        var candidates = [ObjectID]()
        stack = [two]
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            if ofOne.contains(id) { candidates.append(id); continue }
            stack += try parents(id)
        }
        guard candidates.count > 1 else { return candidates.first }
        // Drop candidates that are ancestors of another candidate.
        let set = Set(candidates)
        var redundant = Set<ObjectID>()
        for candidate in candidates where !redundant.contains(candidate) {
            var visited = Set<ObjectID>()
            stack = try parents(candidate)
            while let id = stack.popLast() {
                guard visited.insert(id).inserted else { continue }
                if set.contains(id) { redundant.insert(id) }
                stack += try parents(id)
            }
        }
        let best = try candidates.filter { !redundant.contains($0) }.map { (id: $0, time: try commit($0).committer.time) }
        return best.max { $0.time != $1.time ? $0.time < $1.time : $1.id < $0.id }?.id
    }

    /// Every blob, link and submodule below `treeID`, by path relative to it (byte for byte: two names that
    /// differ only in Unicode normalisation are two entries). Walks with its own stack, so no tree depth
    /// overflows the thread's stack; a folder nested more than `maxDepth` deep is refused with `TreeTooDeep`.
    public func flattenTree(_ treeID: ObjectID, maxDepth: Int = Limits.defaultTreeDepth) throws -> [ExactString: TreeEntry] {
        try flattenTreeMeasuring(treeID, maxDepth: maxDepth).entries
    }

    /// `flattenTree`, and how deep its folders go (`deepest.depth` 0: files only), for a caller that learns the
    /// limit only from a file in the tree.
    public func flattenTreeMeasuring(_ treeID: ObjectID, maxDepth: Int) throws -> (
        entries: [ExactString: TreeEntry], deepest: (depth: Int, path: String)
    ) {
        var result = [ExactString: TreeEntry]()
        var deepest = (depth: 0, path: "")
        // Pending folders, last out first; entries of one tree are pushed in reverse to keep git's order.
        var pending = [(tree: treeID, prefix: "", depth: 0)]
        while let (tree, prefix, depth) = pending.popLast() {
            if depth > maxDepth { throw TreeTooDeep(path: prefix, limit: maxDepth) }
            if depth > deepest.depth { deepest = (depth, prefix) }
            for entry in try treeEntries(tree).reversed() {
                let path = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
                if entry.mode == .tree {
                    pending.append((entry.id, path, depth + 1))
                } else if result.updateValue(entry, forKey: ExactString(path)) != nil, !FileName.isUndecodable(path) {
                    // A name listed twice, or a name holding `/` beside the folder it names (`git fsck`: duplicateEntries,
                    // treeNotSorted): isms read one file and a checkout wrote the other, so what was checked was not
                    // what git gives. No tree git writes holds one. (Two names that are not UTF-8 decode alike in any
                    // tree: `FileName.isUndecodable` is refused where records and keys are read.)
                    throw GitError.corruptObject("read tree \(tree.short)", "corrupt tree object: two entries for \(path)")
                }
            }
        }
        return (result, deepest)
    }
}
