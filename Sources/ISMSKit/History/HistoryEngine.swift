import Foundation

/// How to read the history.
public struct HistoryOptions: Sendable {
    /// The revision whose ancestry is read.
    public var revision = "HEAD"
    /// Follow only first parents: a merge is then credited with everything it brought in.
    public var firstParent = false
    /// Read and write the cache under the git folder.
    public var useCache = true

    public init(revision: String = "HEAD", firstParent: Bool = false, useCache: Bool = true) {
        self.revision = revision
        self.firstParent = firstParent
        self.useCache = useCache
    }
}

/// Where a long run stands, for a progress bar.
public struct HistoryProgress: Sendable {
    public let phase: String
    public let done: Int
    /// 0 when not known yet.
    public let total: Int
}

/// Reads the history of the records under the ISMS root from git objects only: it never touches the work
/// tree or the index and runs no hooks. Use from one thread (it owns the libgit2 calls).
public final class HistoryEngine {
    let repository: Repository
    /// The ISMS root relative to the repository's top ("" when the same).
    let root: String
    private let rootComponents: [String]

    public init(repository: Repository, root: String) {
        self.repository = repository
        self.root = root
        rootComponents = root.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// The file the cache for these options lives in.
    public func cachePath(firstParent: Bool) -> String {
        repository.commonDirectory + "/isms/" + HistoryCache.fileName(root: root, firstParent: firstParent)
    }

    public func load(_ options: HistoryOptions, progress: ((HistoryProgress) -> Void)? = nil) throws(ToolError) -> History {
        do {
            return try build(options, progress: progress ?? { _ in })
        } catch let error as ToolError {
            throw error
        } catch let error as GitError {
            throw .git(error.description)
        } catch {
            throw .git("\(error)")
        }
    }

    private func build(_ options: HistoryOptions, progress: (HistoryProgress) -> Void) throws -> History {
        var notices = [HistoryNotice]()
        let tip: ObjectID
        do { tip = try repository.resolveCommit(options.revision) } catch let error as GitError {
            throw ToolError.unknownRevision(options.revision, message: error.message)
        }
        let tipCommit = try repository.commit(tip)
        let shallow = repository.shallowBoundary()
        let (config, configBlob) = try readConfig(tree: tipCommit.tree, notices: &notices)
        let header = HistoryCacheHeader(firstParent: options.firstParent, root: root, configBlob: configBlob,
                                        shallowFingerprint: HistoryCache.fnv1a(Array(shallow.text.utf8)), tip: tip)
        let cachePath = cachePath(firstParent: options.firstParent)

        var graph = HistoryGraph()
        var previousTip: ObjectID?
        if options.useCache, let data = FileManager.default.contents(atPath: cachePath) {
            do {
                let (cached, cachedGraph) = try HistoryCache.decode(data)
                if cached.root != root || cached.firstParent != options.firstParent {
                    notices.append(.warning("the history cache \(cachePath) belongs to another ISMS root; rebuilding it"))
                } else if cached.configBlob != configBlob {
                    notices.append(.note("isms.yaml changed since the history cache was written; rebuilding it"))
                } else if cached.shallowFingerprint != header.shallowFingerprint {
                    notices.append(.note("the clone's shallow boundary changed since the history cache was written; rebuilding it"))
                } else {
                    graph = cachedGraph
                    previousTip = cached.tip
                }
            } catch {
                notices.append(.warning("the history cache \(cachePath) is unreadable (\(error)); rebuilding it"))
            }
        }

        var walked = try walk(from: tip, options: options, shallow: shallow.commits, graph: graph, progress: progress)
        // A cached commit is trusted only where the walk meets it, if the parents recorded for it are its parents.
        if let mismatch = try firstParentMismatch(walked: walked, tip: tip, graph: graph, options: options, shallow: shallow.commits) {
            notices.append(.warning("the history cache \(cachePath) does not match this repository (commit \(mismatch.short) has "
                                    + "other parents than recorded); rebuilding it"))
            graph = HistoryGraph()
            previousTip = nil
            walked = try walk(from: tip, options: options, shallow: shallow.commits, graph: graph, progress: progress)
        }
        if walked.contains(where: \.isShallowBoundary) || (walked.isEmpty && graph.commits.contains(where: \.isShallowBoundary)) {
            notices.append(.note(History.shallowNote))
        }

        let firstNew = graph.commits.count
        let changes = try compareTrees(walked, graph: graph, progress: progress)
        let parsed = try parseBlobs(changes, config: config, progress: progress)
        for item in walked {
            let node = item.commit
            graph.append(CommitNode(info: CommitInfo(id: node.id, author: node.author, committer: node.committer, summary: node.summary),
                                    parents: item.parents.map { graph.index[$0]! }, isShallowBoundary: item.isShallowBoundary, ops: []))
        }
        let tipIndex = graph.index[tip]!

        if !walked.isEmpty {
            var reachable = History.ancestors(of: tipIndex, in: graph)
            _ = HistoryReplay.run(&graph, needed: reachable, keep: [], firstNew: firstNew, changes: changes, parsed: parsed, progress: progress)
            if let previousTip, let old = graph.index[previousTip], old < firstNew, !reachable[Int(old)],
               !History.ancestors(of: old, in: graph)[Int(tipIndex)] {
                // The commits cached for the old tip no longer lead to the new one: history was rewritten.
                let dropped = graph.commits.indices.filter { !reachable[$0] }.count
                notices.append(.note("history was rewritten since the last run (\(previousTip.short) is no longer an ancestor of "
                                     + "\(tip.short)); dropped \(dropped) cached commit(s) that are no longer reachable"))
                graph = History.keeping(reachable, of: graph)
                reachable = [Bool](repeating: true, count: graph.commits.count)
            }
            if options.useCache {
                do {
                    try HistoryCache.write(HistoryCache.encode(graph, header: header), to: cachePath)
                } catch {
                    notices.append(.warning("cannot write the history cache \(cachePath): \(error)"))
                }
            }
        }
        return History(graph: graph, tip: graph.index[tip]!, notices: notices, commitsRead: walked.count, blobsParsed: parsed.count)
    }

    private func walk(from tip: ObjectID, options: HistoryOptions, shallow: Set<ObjectID>, graph: HistoryGraph,
                      progress: (HistoryProgress) -> Void) throws -> [WalkedCommit] {
        try repository.walk(from: tip, firstParent: options.firstParent, shallow: shallow, isKnown: { graph.index[$0] != nil },
                            progress: { progress(HistoryProgress(phase: "walking commits", done: $0, total: 0)) })
    }

    private func followedParents(_ commit: Commit, options: HistoryOptions, shallow: Set<ObjectID>) -> [ObjectID] {
        shallow.contains(commit.id) ? [] : (options.firstParent ? Array(commit.parents.prefix(1)) : commit.parents)
    }

    /// The first cached commit the walk reached (or the tip, when cached) whose recorded parents differ from git's.
    private func firstParentMismatch(walked: [WalkedCommit], tip: ObjectID, graph: HistoryGraph, options: HistoryOptions,
                                     shallow: Set<ObjectID>) throws -> ObjectID? {
        var met = Set<ObjectID>()
        if graph.index[tip] != nil { met.insert(tip) }
        for item in walked { for parent in item.parents where graph.index[parent] != nil { met.insert(parent) } }
        for id in met.sorted() {
            let node = graph.commits[Int(graph.index[id]!)]
            let recorded = node.parents.map { graph.commits[Int($0)].info.id }
            if recorded != followedParents(try repository.commit(id), options: options, shallow: shallow) { return id }
        }
        return nil
    }

    /// isms.yaml at the tip (defaults when absent or unreadable), and its blob id, which keys the cache.
    private func readConfig(tree: ObjectID, notices: inout [HistoryNotice]) throws -> (Config, ObjectID?) {
        guard let rootTree = try repository.treeID(at: rootComponents, in: tree),
              let entry = try repository.entry(named: "isms.yaml", in: rootTree), entry.mode == .file || entry.mode == .executable else {
            return (Config(), nil)
        }
        do {
            return (try ConfigReader.read(repository.readObject(entry.id), path: "isms.yaml").0, entry.id)
        } catch let error as ToolError {
            notices.append(.warning("\(error); reading the history with default settings"))
            return (Config(), entry.id)
        }
    }

    /// For each new commit, the record files that differ from its first parent, comparing raw trees from the ISMS root down.
    private func compareTrees(_ walked: [WalkedCommit], graph: HistoryGraph, progress: (HistoryProgress) -> Void) throws -> [[PathChange]] {
        var rootOfTree = [ObjectID: ObjectID?]()
        func rootTree(ofCommit id: ObjectID, tree: ObjectID) throws -> ObjectID? {
            if let known = rootOfTree[tree] { return known }
            let found = try repository.treeID(at: rootComponents, in: tree)
            rootOfTree[tree] = found
            return found
        }
        var treeOfCommit = [ObjectID: ObjectID]()
        for item in walked { treeOfCommit[item.commit.id] = item.commit.tree }
        var result = [[PathChange]]()
        result.reserveCapacity(walked.count)
        for (n, item) in walked.enumerated() {
            if n % 128 == 0 { progress(HistoryProgress(phase: "comparing trees", done: n, total: walked.count)) }
            do {
                let mine = try rootTree(ofCommit: item.commit.id, tree: item.commit.tree)
                var base: ObjectID?
                if let parent = item.parents.first {
                    let parentTree: ObjectID
                    if let known = treeOfCommit[parent] { parentTree = known } else {
                        parentTree = try repository.commit(parent).tree
                        treeOfCommit[parent] = parentTree
                    }
                    base = try rootTree(ofCommit: parent, tree: parentTree)
                }
                var changes = [PathChange]()
                try repository.diffTrees(base, mine, descend: { path in path.contains("/") || RecordKind(folder: path) != nil }) { change in
                    guard let slash = change.path.firstIndex(of: "/"), let kind = RecordKind(folder: String(change.path[..<slash])),
                          isRecordFileName(change.path) else { return }
                    func isFile(_ entry: TreeEntry?) -> Bool { entry?.mode == .file || entry?.mode == .executable }
                    // A link or submodule under the root is not a record: it counts as no file.
                    guard isFile(change.old) || isFile(change.new) else { return }
                    changes.append(PathChange(path: change.path, kind: kind, blob: isFile(change.new) ? change.new?.id : nil))
                }
                result.append(changes)
            } catch let error as GitError where error.isNotFound {
                throw ToolError.git("an object of commit \(item.commit.id.short) is missing from the repository (\(error.message)); "
                                    + "run `git fsck` to find the damage")
            }
        }
        return result
    }

    /// Parses every distinct record blob the new commits brought, once, on all cores.
    private func parseBlobs(_ changes: [[PathChange]], config: Config, progress: (HistoryProgress) -> Void) throws -> [BlobKey: RecordSnapshot] {
        var seen = Set<BlobKey>()
        var work = [(key: BlobKey, path: String, data: Data)]()
        for change in changes.joined() {
            guard let blob = change.blob else { continue }
            let key = BlobKey(kind: change.kind, blob: blob)
            guard seen.insert(key).inserted else { continue }
            do {
                work.append((key, change.path, try repository.readObject(blob)))
            } catch let error as GitError where error.isNotFound {
                throw ToolError.git("the record file \(change.path) (blob \(blob.short)) is missing from the repository; "
                                    + "run `git fsck` to find the damage")
            }
            if work.count % 512 == 0 { progress(HistoryProgress(phase: "reading records", done: work.count, total: 0)) }
        }
        progress(HistoryProgress(phase: "parsing records", done: 0, total: work.count))
        let snapshots = parallelMap(work) { item in
            RecordParser.parse(item.data, kind: item.key.kind, path: item.path, config: config).record.map(RecordSnapshot.init)
        }
        var parsed = [BlobKey: RecordSnapshot]()
        parsed.reserveCapacity(work.count)
        for (item, snapshot) in zip(work, snapshots) { parsed[item.key] = snapshot }
        return parsed
    }
}

/// Something the user should know about a history run, printed on stderr.
public enum HistoryNotice: Sendable, Equatable {
    case note(String)
    case warning(String)
}

/// Runs the record state forward through the graph, parents before children.
enum HistoryReplay {
    /// Visits the `needed` commits in graph order; commits from `firstNew` on get their operations computed from
    /// `changes` (indexed from `firstNew`), the others replay their cached operations. Returns the states of `keep`.
    static func run(_ graph: inout HistoryGraph, needed: [Bool], keep: Set<Int32>, firstNew: Int, changes: [[PathChange]],
                    parsed: [BlobKey: RecordSnapshot], progress: (HistoryProgress) -> Void = { _ in }) -> [Int32: HistoryState] {
        var remaining = [Int32](repeating: 0, count: graph.commits.count)
        for index in graph.commits.indices where needed[index] {
            for parent in graph.commits[index].parents { remaining[Int(parent)] += 1 }
        }
        var states = [Int32: HistoryState]()
        var kept = [Int32: HistoryState]()
        for index in graph.commits.indices where needed[index] {
            let node = graph.commits[index]
            var state: HistoryState
            if let first = node.parents.first {
                // The last child to need a state takes it without a copy.
                state = remaining[Int(first)] == 1 ? states.removeValue(forKey: first)! : states[first]!
            } else {
                state = HistoryState()
            }
            if index >= firstNew {
                if (index - firstNew) % 128 == 0 { progress(HistoryProgress(phase: "tracking records", done: index - firstNew, total: graph.commits.count - firstNew)) }
                let others = node.parents.dropFirst().map { states[$0]! }
                graph.commits[index].ops = CommitChanges.ops(commit: Int32(index), base: state, others: others, changes: changes[index - firstNew],
                                                             parsed: parsed, isShallowBoundary: node.isShallowBoundary)
            }
            state.apply(graph.commits[index].ops)
            for parent in node.parents.dropFirst() {
                remaining[Int(parent)] -= 1
                if remaining[Int(parent)] == 0 { states[parent] = nil }
            }
            if let first = node.parents.first { remaining[Int(first)] -= 1 }
            if keep.contains(Int32(index)) { kept[Int32(index)] = state }
            if remaining[index] > 0 { states[Int32(index)] = state }
        }
        return kept
    }
}
