import Foundation
import GitKit
import ISMSCore
import ISMSLoading
import ISMSModel

/// How to read the history.
public struct HistoryOptions: Sendable {
    /// The revision whose ancestry is read.
    public var revision = "HEAD"
    /// Follow only first parents: a merge is then credited with everything it brought in.
    public var firstParent = false
    /// Read and write the cache under the git folder.
    public var useCache = true
    /// The trusted revision whose policy (limits, id patterns) reads the history instead of the tip's own.
    public var trusted: TrustedRevision?
    /// Commits whose record state to keep besides the tip's, when this run replays them (the merge base the gate
    /// judges next: `History.keptStates`).
    package var keeping: [ObjectID] = []
    /// A history this process read before (the head's, when the gate judges its merge base): when it is what the cache
    /// file holds and was read with the same settings, a revision in it is answered from it, as the cache would.
    package var reusing: History?
    /// The one record the run asks about (`isms history ID`): when the tip is in the cache, so that nothing else is
    /// read, only the cached commits that can name the record are checked (`CachedCommits.validate(namingRecord:)`),
    /// not all of them; a run that asks anything else must leave it nil.
    package var onlyRecord: String?

    public init(revision: String = "HEAD", firstParent: Bool = false, useCache: Bool = true, trusted: TrustedRevision? = nil) {
        self.revision = revision
        self.firstParent = firstParent
        self.useCache = useCache
        self.trusted = trusted
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
    package let repository: Repository
    /// The ISMS root relative to the repository's top ("" when the same).
    package let root: String
    private let rootComponents: [String]
    /// How far (in commits, at least 1) tracking the records stays behind comparing the trees: the blobs of the commit
    /// tracked are parsed by then, so the main thread seldom waits for the parsers, and a version a merge brings back
    /// from its branch is seldom freed before (at 256, 9% of the versions of 100,000 commits were read twice; at
    /// 2,048, 1.5%). Memory holds the records of that many commits. Only speed and memory depend on it (tests set 1,
    /// so that every record version is freed and met again as soon as can be).
    package var trackingLag = 2048
    /// Whether the records are tracked on a thread of their own while the main thread compares trees and reads blobs
    /// (`RecordTracker`); tests turn it off to compare with tracking done in line. Only speed depends on it.
    package var trackOnOwnThread = true
    /// How many handed-over commits may wait for the tracker before the main thread waits for it (memory holds their
    /// parsed versions). Only speed and memory depend on it.
    package var trackingBacklog = 4096
    /// Whether the record blobs are read on the parser threads, each on an object reader with packs of its own
    /// (`BlobReaders`), while the main thread reads only each blob's header (its size, for the limits): the main thread
    /// bounds the cold read's wall time, and the reads were a fifth of it. Tests turn it off to compare with every blob
    /// read on the main thread. Only speed and memory depend on it. Only in a repository whose packs fit libgit2's
    /// mapped windows (`Repository.packsFitMappedLimit`).
    package var readBlobsOnWorkers = true
    /// Whether a thread compares walked commits' trees while the main thread still walks (`TreesAhead`), where the blobs
    /// are read on the parser threads too (on an object reader of its own, spelt as the parsers' first). Tests turn it
    /// off to compare with every tree compared on the main thread. Only speed depends on it.
    package var compareAhead = true
    /// How many commits the walk meets before `TreesAhead` starts: a walk of fewer (a warm run's new commits) is not
    /// worth a thread and an object reader.
    package var compareAheadAfter = 512
    /// Tests: `TreesAhead` does every commit the walk met before the main thread goes on (rather than stop when the
    /// walk ends, wherever it got to), so that each commit's comparison is the thread's.
    package var compareAheadDrains = false
    /// How many commits' record changes the last `load` took from `TreesAhead` (tests).
    package private(set) var comparedAheadCount = 0
    /// How many record versions met this run are held in a set before they become sorted runs (`SeenBlobs`). Only
    /// speed and memory depend on it (tests set it small, so that versions met again are looked up in the runs).
    package var seenBlobsRunSize = 1 << 16
    /// isms.yaml as parsed this run (the workspace's, shared with the signature trust and the roster).
    package var settings = ParsedSettings()

    public init(repository: Repository, root: String) {
        self.repository = repository
        self.root = root
        rootComponents = root.pathComponents().filter { $0 != "." }
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
            throw .git(error.description, cause: error)
        } catch {
            throw .git("\(error)", cause: error as? GitError)
        }
    }

    private func build(_ options: HistoryOptions, progress: (HistoryProgress) -> Void) throws -> History {
        var notices = [HistoryNotice]()
        var clock = PhaseTimings()
        let tip: ObjectID
        do { tip = try repository.resolveCommit(options.revision) } catch {
            throw ToolError.revision(options.revision, error, in: repository)
        }
        let tipCommit = try repository.commit(tip)
        let shallow = repository.shallowBoundary()
        let (ownConfig, ownBlob) = try readConfig(tree: tipCommit.tree, notices: &notices)
        var config = ownConfig, configBlob = ownBlob
        if let trusted = options.trusted, trusted.configBlob != configBlob {
            config = ownConfig.applyingPolicy(of: trusted.config)
            // The cache is keyed by the settings it was read with: the tip's isms.yaml and the trusted one.
            let key = SHA256.hex(Data("\(configBlob?.hex ?? "none")\u{0}\(trusted.configBlob?.hex ?? "none")".utf8))
            configBlob = ObjectID(hex: String(key.prefix(40)))
        }
        let parseConfig = config
        let header = HistoryCacheHeader(
            firstParent: options.firstParent, root: root, configBlob: configBlob,
            shallowFingerprint: fnv1a(Array(shallow.text.utf8)), tip: tip)
        let cachePath = cachePath(firstParent: options.firstParent)

        clock.lap("open")
        if let reused = reuse(options, header: header, tipCommit: tipCommit, shallow: shallow.commits, clock: clock) { return reused }
        var graph = HistoryGraph()
        var previousTip: ObjectID?
        if options.useCache {
            do {
                guard let data = try HistoryCache.read(cachePath) else { throw NoCache() }
                let (cached, cachedGraph) = try HistoryCache.decode(data, validatingCommits: false)
                if let record = options.onlyRecord, cachedGraph.index[tip] != nil, let commits = cachedGraph.cached {
                    // The walk reads nothing new and the run reads only this record's entries.
                    try commits.validate(namingRecord: record, mentions: cachedGraph.mentions)
                } else {
                    try cachedGraph.cached?.validate()
                }
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
            } catch is NoCache {
                // The first run: nothing to say.
            } catch {
                notices.append(.warning("the history cache \(cachePath) is unreadable (\(error)); rebuilding it"))
            }
        }

        clock.lap("read cache")
        // The walk's other core: once the walk has met `compareAheadAfter` commits, a thread compares the commits met.
        var ahead: TreesAhead?
        var aheadRefused = !(compareAhead && readBlobsOnWorkers && parallelThreads > 1)
        var metEarly = [(id: ObjectID, tree: ObjectID, firstParent: ObjectID?)]()
        let rootComponents = rootComponents, maxDepth = config.maxTreeDepth
        let met: (ObjectID, ObjectID, ArraySlice<ObjectID>) -> Void = { [repository, compareAheadAfter] id, tree, parents in
            if let ahead { return ahead.met(id, tree: tree, firstParent: parents.first) }
            guard !aheadRefused else { return }
            metEarly.append((id, tree, parents.first))
            guard metEarly.count >= compareAheadAfter else { return }
            // Only where the parsers have object readers of their own (the same memory bound); closed before theirs open.
            if repository.packsFitMappedLimit, let reader = try? repository.separateObjectReader(spelling: 1) {
                let started = TreesAhead(reader: reader, rootComponents: rootComponents, maxDepth: maxDepth)
                for commit in metEarly { started.met(commit.id, tree: commit.tree, firstParent: commit.firstParent) }
                ahead = started
            } else {
                aheadRefused = true
            }
            metEarly = []
        }
        var walked: WalkedCommits
        do {
            walked = try walk(
                from: tip, options: options, shallow: shallow.commits, graph: graph, limit: config.maxCommits, progress: progress,
                met: met)
        } catch {
            _ = ahead?.finish()
            throw error
        }
        comparedAheadCount = 0
        var comparedAhead = ahead?.finish(drain: compareAheadDrains) ?? [:]
        // Its reader is closed here: the parsers' readers map the packs again, for blobs.
        ahead = nil
        // A cached commit is trusted only where the walk meets it, if the parents recorded for it are its parents.
        if let mismatch = try firstParentMismatch(walked: walked, tip: tip, graph: graph, options: options, shallow: shallow.commits) {
            comparedAhead = [:]
            notices.append(
                .warning(
                    "the history cache \(cachePath) does not match this repository (commit \(mismatch.short) has "
                        + "other parents than recorded); rebuilding it"))
            graph = HistoryGraph()
            previousTip = nil
            walked = try walk(
                from: tip, options: options, shallow: shallow.commits, graph: graph, limit: config.maxCommits, progress: progress)
        }
        if walked.shallowBoundaries.contains(true) || (walked.isEmpty && graph.nodes.contains(where: \.isShallowBoundary)) {
            notices.append(.note(History.shallowNote))
        }

        clock.lap("walk")
        let firstNew = graph.count
        // The graph takes the walk's facts and id index over; the walk keeps the ids, trees and parents to compare.
        graph.append(walked: &walked)
        var tipIndex = graph.index[tip]!
        let commitsRead = walked.count
        // The graph now holds the ids and parents: only the trees are left to compare.
        var treesToCompare = walked.trees
        walked = WalkedCommits()

        // The new commits start from the cached snapshot when it is their only cached parent; otherwise the
        // whole history is replayed from its roots.
        var needed = [Bool](repeating: false, count: graph.count)
        var initial = [Int32: HistoryState]()
        var cachedParents = Set<Int32>()
        for i in firstNew..<graph.count {
            needed[i] = true
            for parent in graph.nodes[i].parents where Int(parent) < firstNew { cachedParents.insert(parent) }
        }
        if cachedParents.isEmpty {
            // A new root: nothing to start from.
        } else if let commit = graph.snapshotCommit, cachedParents == [commit], let snapshot = graph.snapshot {
            initial[commit] = snapshot.state
        } else {
            needed = graph.ancestors(of: tipIndex)
        }
        let alsoKept = Set(options.keeping.compactMap { graph.index[$0] })
        var replay = HistoryReplay(graph, needed: needed, initial: initial, keep: alsoKept.union([tipIndex]), firstNew: firstNew)
        needed = []

        // Record blobs are parsed on all cores while the trees are still being compared, and each commit's records
        // are tracked a little behind the comparison (`trackingLag` commits), once its blobs are parsed. A parsed
        // blob is freed once the last commit compared so far that names it is tracked: memory holds the records of
        // the commits in flight, not every version ever committed. A freed blob met again later (a merge bringing
        // a branch's change, a restored record) is read and parsed again.
        // Only each version's values are kept: `RecordParser.values` skips the findings and locations `parse` makes.
        let matchedIDs = MatchedIDs()
        let readLabel = "the history of \(options.revision)"
        // Not in a repository whose packs outgrow the mapped windows: the readers' own mappings would cost more memory
        // than the row's limit allows (`Repository.packsFitMappedLimit`); the main thread reads every blob there.
        let readers = readBlobsOnWorkers && repository.packsFitMappedLimit ? BlobReaders(repository, label: readLabel) : nil
        // Blobs are handed to the parsers 64 at a time (16 by default): the tracker is far behind, so no parser waits
        // for work it could have had sooner, and a run switched threads about 3,500 times rather than 5,500.
        let parsing = ParallelQueue<BlobToParse, RecordSnapshot?>(batch: 64) { item in
            let content: Result<Data, YAMLProblem>
            switch item.content {
            case .read(let result): content = result
            case .toRead(let blob):
                // Unreadable: parses to nothing; the engine throws the first such error once the parsers are done.
                guard let data = readers?.read(blob, item: item.index, path: item.path) else { return nil }
                content = .success(data)
            }
            return RecordParser.values(content, kind: item.key.kind, path: item.path, config: parseConfig, matchedIDs: matchedIDs)
                .map { RecordSnapshot(id: $0.id, fields: $0.fields) }
        }
        // The items not freed yet, by blob; and every version met this run, for one freed and met again.
        var keys = [BlobKey: Int]()
        var seen = SeenBlobs(runSize: seenBlobsRunSize, mergeLimit: seenBlobsRunSize * 8)
        var distinctBlobs = 0, readAgain = 0
        // Per item submitted to `parsing`: the last new commit (from 0) compared so far that names it, and whether it
        // was freed.
        var lastUse = [Int32](), freed = [Bool]()
        // Per new commit compared and not yet tracked, the items it names (with their blob, to drop from `keys`).
        var named = [[(item: Int32, key: BlobKey)]]()
        // The items the commit being compared names, by blob: what tracking it asks the parser for.
        var commitItems = [BlobKey: Int32]()
        // Record bytes handed to the parser this run, held against limits.history_bytes before each parse:
        // every version of every record is parsed once, and a small pack can hold many large versions.
        var bytesParsed = 0
        // Compared commits not yet handed to the tracker (from `handedOver` on): they go `trackingLag` commits behind.
        var compared = [CommitWork]()
        var handedOver = 0, freedUpTo = 0
        // The tracker is woken for 64 commits at a time (`RecordTracker`): handing fewer over at once gains nothing.
        let handOverBatch = min(64, trackingLag)
        var topLevelChanged = [Int32: [String]]()
        func submit(_ key: BlobKey, path: String, commit: Int, firstTime: Bool) throws {
            let content: BlobToParse.Content
            let bytes: Int?
            if readers != nil {
                // The header only, here: a missing blob or one over the limit is met at the same point as when read whole.
                let size = try blobSize(key.blob, path: path, revision: options.revision)
                if size > config.maxFileBytes {
                    content = .read(.failure(Self.tooLarge(size, limit: config.maxFileBytes)))
                    bytes = nil
                } else {
                    content = .toRead(key.blob)
                    bytes = size
                }
            } else {
                let read = try readBlob(key.blob, path: path, limit: config.maxFileBytes, revision: options.revision)
                content = .read(read)
                bytes = try? read.get().count
            }
            if firstTime, let bytes {
                bytesParsed += bytes
                if bytesParsed > config.maxHistoryBytes {
                    throw ToolError.limitExceeded(
                        "the history of \(options.revision) holds more than \(config.maxHistoryBytes) bytes of records "
                            + "to read (limits.history_bytes in isms.yaml); raise the limit, or read less: "
                            + "--first-parent, or a shallow clone")
                }
            }
            keys[key] = lastUse.count
            commitItems[key] = Int32(lastUse.count)
            named[commit].append((Int32(lastUse.count), key))
            lastUse.append(Int32(commit))
            freed.append(false)
            parsing.submit(BlobToParse(index: lastUse.count - 1, key: key, path: path, content: content))
        }
        let tracker = RecordTracker(
            graph: graph, replay: replay, firstNew: firstNew, ownThread: trackOnOwnThread,
            backlog: trackingBacklog,
            parsed: { parsing.result($0) })
        // The comparison reads the new commits' ids and parents from the graph the tracker now owns: a copy of the
        // value shares its arrays, and the tracker's appends (operations, mentions) copy only what they change.
        var comparedGraph = graph
        graph = HistoryGraph()
        /// Frees what the commits the tracker has tracked alone named (up to `end`, exclusive, from 0).
        func free(to end: Int) {
            while freedUpTo < end {
                let commit = freedUpTo
                for (item, key) in named[commit] where lastUse[Int(item)] == commit && !freed[Int(item)] {
                    freed[Int(item)] = true
                    parsing.release(Int(item))
                    keys[key] = nil
                }
                named[commit] = []
                freedUpTo += 1
            }
        }
        /// Hands the compared commits up to `end` (exclusive, from 0) to the tracker.
        func handOver(to end: Int) {
            guard end > handedOver else { return }
            tracker.take(Array(compared[..<(end - handedOver)]), progress: progress)
            compared.removeFirst(end - handedOver)
            handedOver = end
        }
        do {
            defer {
                // Also when comparing failed: the tracker stops once it has tracked what it was handed.
                handOver(to: handedOver + compared.count)
                parsing.close()
                tracker.finish()
            }
            try compareTrees(
                treesToCompare, graph: comparedGraph, maxDepth: config.maxTreeDepth, revision: options.revision,
                ahead: comparedAhead, progress: progress,
                found: { change, commit in
                    guard let blob = change.blob else { return }
                    let key = BlobKey(kind: change.kind, blob: blob)
                    if let known = keys[key] {
                        commitItems[key] = Int32(known)
                        if lastUse[known] != Int32(commit) {
                            lastUse[known] = Int32(commit)
                            named[commit].append((Int32(known), key))
                        }
                        return
                    }
                    if !seen.insert(key) {
                        readAgain += 1
                        try submit(key, path: change.path, commit: commit, firstTime: false)
                        return
                    }
                    distinctBlobs += 1
                    try submit(key, path: change.path, commit: commit, firstTime: true)
                },
                starting: { _ in
                    named.append([])
                    commitItems = [:]
                },
                changedTopLevel: { commit, names in topLevelChanged[Int32(firstNew + commit)] = names },
                compared: { commit, found, mergeBase in
                    compared.append(CommitWork(changes: found, mergeBase: mergeBase, items: commitItems))
                    // A batch at a time: each hand-over copies the commits out and shifts the `trackingLag` waiting.
                    if commit >= trackingLag, commit - trackingLag + 1 - handedOver >= handOverBatch {
                        handOver(to: commit - trackingLag + 1)
                    }
                    free(to: tracker.tracked)
                })
            treesToCompare = []
            comparedGraph = HistoryGraph()
            comparedAhead = [:]
        } catch {
            parsing.drain()
            // A blob the parsers could not read was submitted before this error was met: it came first.
            if let failure = readers?.firstFailure { throw failure }
            throw error
        }
        free(to: commitsRead)
        if let readers {
            parsing.drain()
            if let failure = readers.firstFailure { throw failure }
        }
        graph = tracker.graph
        replay = tracker.replay
        clock.lap(
            "compare trees (\(comparedAheadCount) during the walk), read \(distinctBlobs) blobs (\(readAgain) again), track records")

        var renumbered = false
        var newestFirst: [Int32]?
        // Whether the cache file now holds `graph` (written by this run, or read and left as it was).
        var matchesCacheFile = options.useCache && commitsRead == 0 && graph.count > 0
        var keptStates = [Int32: HistoryState]()
        if commitsRead > 0 {
            let states = replay.kept
            keptStates = states.filter { $0.key != tipIndex }
            graph.snapshot = (tipIndex, states[tipIndex]!)
            parsing.drain()
            let reachable = graph.ancestors(of: tipIndex)
            if let previousTip, let old = graph.index[previousTip], Int(old) < firstNew, !reachable[Int(old)] {
                // New commits were read and the tip the cache was written for is not among their ancestors: the
                // history was rewritten (or another branch is read). Keep only what the new tip reaches.
                let dropped = reachable.filter { !$0 }.count
                notices.append(
                    .note(
                        "history was rewritten since the last run, or another branch is read (\(previousTip.short) is "
                            + "not an ancestor of \(tip.short)); dropped \(dropped) cached commit(s) that it does not reach"))
                graph = graph.keeping(reachable)
                tipIndex = graph.index[tip]!
                // Renumbered: the walk's notes and the kept states no longer name the right commits.
                renumbered = true
                keptStates = [:]
            }
            if options.useCache {
                // Ordered once, for the file's places section and for this run.
                newestFirst = History.newestFirst(from: tipIndex, in: graph)
                do {
                    try HistoryCache.write(HistoryCache.encode(graph, header: header, order: newestFirst), to: cachePath)
                    matchesCacheFile = true
                } catch {
                    notices.append(
                        .warning(
                            "cannot write the history cache \(cachePath) (\(error)); the result is complete, only the next run is not faster"
                        ))
                }
                clock.lap("write cache")
            }
        }
        let topLevel = commitsRead > 0 && !renumbered ? TopLevelChanges(firstCovered: Int32(firstNew), changed: topLevelChanged) : nil
        // Nothing read since the file was written for this tip: its places are this run's order.
        let places = commitsRead == 0 && previousTip == tip ? graph.cached?.tipPlaces : nil
        return History(
            graph: graph, tip: tipIndex, notices: notices, commitsRead: commitsRead, blobsParsed: distinctBlobs, timings: clock,
            topLevelChanges: topLevel, keptStates: keptStates, cacheHeader: options.useCache && matchesCacheFile ? header : nil,
            order: newestFirst, places: places)
    }

    /// The history of `options.revision` from `options.reusing`, when a run reading the cache would get exactly it: the
    /// reused history is what the cache file holds (`History.cacheHeader`), read with the same root, settings and
    /// shallow boundary, it holds the tip, and the parents it records for the tip are git's (the check a cached tip
    /// gets). The gate judged its merge base by decoding the file the head's run had just written and replaying the
    /// whole history again; the head's run keeps the merge base's state (`HistoryOptions.keeping`).
    private func reuse(
        _ options: HistoryOptions, header: HistoryCacheHeader, tipCommit: Commit, shallow: Set<ObjectID>, clock: PhaseTimings
    ) -> History? {
        guard options.useCache, let shared = options.reusing, var sharedHeader = shared.cacheHeader else { return nil }
        sharedHeader.tip = header.tip
        let graph = shared.graph
        guard sharedHeader == header, let index = graph.index[tipCommit.id],
            graph.nodes[Int(index)].parents.map({ graph.nodes[Int($0)].id })
                == followedParents(tipCommit, options: options, shallow: shallow)
        else { return nil }
        var clock = clock
        clock.lap("history of this process reused")
        // The notice a run reading the cache gives: nothing new was walked.
        let notices: [HistoryNotice] = graph.nodes.contains(where: \.isShallowBoundary) ? [.note(History.shallowNote)] : []
        return History(
            graph: graph, tip: index, notices: notices, commitsRead: 0, blobsParsed: 0, timings: clock,
            topLevelChanges: shared.topLevelChanges, keptStates: shared.keptStates, cacheHeader: shared.cacheHeader,
            tipState: shared.keptStates[index], messages: shared.messages,
            referenceMatches: shared.referenceMatches)
    }

    /// The commits new since the cache, in order; the cached and the new together may not pass `limits.commits`.
    private func walk(
        from tip: ObjectID, options: HistoryOptions, shallow: Set<ObjectID>, graph: HistoryGraph, limit: Int,
        progress: (HistoryProgress) -> Void, met: ((ObjectID, ObjectID, ArraySlice<ObjectID>) -> Void)? = nil
    ) throws -> WalkedCommits {
        do {
            return try repository.walk(
                from: tip, firstParent: options.firstParent, shallow: shallow, limit: max(0, limit - graph.count),
                isKnown: { graph.index[$0] != nil },
                progress: { progress(HistoryProgress(phase: "walking commits", done: $0, total: 0)) }, met: met)
        } catch is WalkLimitExceeded {
            throw ToolError.limitExceeded(
                "the history of \(options.revision) has more than \(limit) commits (limits.commits in isms.yaml); "
                    + "raise the limit, or read less: --first-parent, or a shallow clone")
        }
    }

    private func followedParents(_ commit: Commit, options: HistoryOptions, shallow: Set<ObjectID>) -> [ObjectID] {
        shallow.contains(commit.id) ? [] : (options.firstParent ? Array(commit.parents.prefix(1)) : commit.parents)
    }

    /// The first cached commit the walk reached (or the tip, when cached) whose recorded parents differ from git's.
    private func firstParentMismatch(
        walked: WalkedCommits, tip: ObjectID, graph: HistoryGraph, options: HistoryOptions,
        shallow: Set<ObjectID>
    ) throws -> ObjectID? {
        var met = Set<ObjectID>()
        if graph.index[tip] != nil { met.insert(tip) }
        for i in 0..<walked.count { for parent in walked.parents(i) where graph.index[parent] != nil { met.insert(parent) } }
        for id in met.sorted() {
            let recorded = graph.nodes[Int(graph.index[id]!)].parents.map { graph.nodes[Int($0)].id }
            if recorded != followedParents(try repository.commit(id), options: options, shallow: shallow) { return id }
        }
        return nil
    }

    /// isms.yaml at the tip (defaults when absent or unreadable), and its blob id, which keys the cache.
    private func readConfig(tree: ObjectID, notices: inout [HistoryNotice]) throws -> (Config, ObjectID?) {
        guard let rootTree = try repository.treeID(at: rootComponents, in: tree),
            let entry = try repository.entry(named: "isms.yaml", in: rootTree), entry.mode == .file || entry.mode == .executable
        else {
            return (Config(), nil)
        }
        do {
            let size = try repository.objectSize(entry.id)
            if size > Limits.configBytes {
                throw ToolError.unreadableConfig(path: "isms.yaml", message: Limits.configTooLarge(size).message)
            }
            return (try settings.config(blob: entry.id) { try repository.readObject(entry.id) }, entry.id)
        } catch let error as ToolError {
            notices.append(.warning("\(error); reading the history with default settings"))
            return (Config(), entry.id)
        }
    }

    /// For each new commit in order (from 0), the record files that differ from its first parent, comparing raw trees
    /// from the ISMS root down; and for a merge whose parents differ on record files, those files at the merge base.
    /// `starting` comes first for each commit, then `found` for each file (the merge base's first), then `compared`.
    private func compareTrees(
        _ trees: [ObjectID], graph: HistoryGraph, maxDepth: Int, revision: String,
        ahead: [ObjectID: TreesAhead.Found], progress: (HistoryProgress) -> Void,
        found: (PathChange, Int) throws -> Void, starting: (Int) -> Void,
        changedTopLevel: (Int, [String]) -> Void,
        compared: (Int, [PathChange], MergeBaseFiles?) throws -> Void
    ) throws {
        // The ISMS root tree of each walked commit compared so far (parents come first), and of the other commits
        // met (cached parents, merge bases): a column rather than dictionaries of every commit's tree and root tree.
        let firstNew = graph.count - trees.count
        var roots = [ObjectID?]()
        roots.reserveCapacity(trees.count)
        var otherRoots = [ObjectID: ObjectID?]()
        func rootTree(at index: Int32) throws -> ObjectID? {
            if Int(index) >= firstNew, Int(index) - firstNew < roots.count { return roots[Int(index) - firstNew] }
            return try rootTree(of: graph.nodes[Int(index)].id)
        }
        func rootTree(of commit: ObjectID) throws -> ObjectID? {
            if let i = graph.index[commit], Int(i) >= firstNew, Int(i) - firstNew < roots.count { return roots[Int(i) - firstNew] }
            if let known = otherRoots[commit] { return known }
            let found = try repository.treeID(at: rootComponents, in: try repository.commit(commit).tree)
            otherRoots[commit] = found
            return found
        }
        let folders = RecordFolders()
        /// The record files that differ between two ISMS root trees, with their kind.
        func recordChanges(
            _ old: ObjectID?, _ new: ObjectID?, topLevel: ((String) -> Void)? = nil,
            _ visit: (String, RecordKind, TreeLeaf?, TreeLeaf?) -> Void
        ) throws {
            try repository.diffTrees(
                old, new, maxDepth: maxDepth, descend: { folders.descends(into: $0, topLevel: topLevel) },
                visit: { try folders.recordChange($0, topLevel: topLevel, visit) })
        }
        for n in 0..<trees.count {
            if n % 128 == 0 { progress(HistoryProgress(phase: "comparing trees", done: n, total: trees.count)) }
            starting(n)
            let node = graph.nodes[firstNew + n]
            let id = node.id
            do {
                // What `TreesAhead` found for this commit during the walk, if it got to it; the rest is read here.
                let early = ahead.isEmpty ? nil : ahead[id]
                let mine: ObjectID?
                if let early { mine = early.root } else { mine = try repository.treeID(at: rootComponents, in: trees[n]) }
                roots.append(mine)
                var base: ObjectID?
                if let parent = node.parents.first { base = try rootTree(at: parent) }
                var changes = [PathChange]()
                var topLevel = [String]()
                if let early, let found = early.changes {
                    comparedAheadCount += 1
                    changes = found
                    topLevel = early.topLevel
                } else {
                    try recordChanges(base, mine, topLevel: { topLevel.append($0) }) { path, kind, _, new in
                        changes.append(PathChange(path: path, kind: kind, blob: new?.id))
                    }
                }
                if !topLevel.isEmpty { changedTopLevel(n, topLevel) }
                var mergeBase: MergeBaseFiles?
                if node.parents.count > 1 {
                    // Only where the parents differ can a merge hold a value no parent's side explains.
                    // Keyed byte for byte: canonically equal spellings of a path are two files, and a `String` key
                    // kept one, so the record at the other went unjudged (a branch's change the merge dropped).
                    var contested = [ExactString: RecordKind]()
                    for parent in node.parents.dropFirst() {
                        try recordChanges(base, rootTree(at: parent)) { path, kind, _, _ in contested[ExactString(path)] = kind }
                    }
                    if !contested.isEmpty,
                        let bases = try mergeBaseFiles(
                            node.parents.map { graph.nodes[Int($0)].id }, contested: contested, rootTree: { try rootTree(of: $0) })
                    {
                        for file in bases.joined() { try found(file, n) }
                        mergeBase = MergeBaseFiles(contested: contested.keys.sorted().map(\.string), bases: bases)
                    }
                }
                for change in changes { try found(change, n) }
                try compared(n, changes, mergeBase)
            } catch let error as TreeTooDeep {
                throw ToolError.treeTooDeep(error, in: "commit \(id.short) in the history of \(revision)")
            } catch let error as UndecodableFileName {
                throw ToolError.undecodableFileName(error, in: "commit \(id.short) in the history of \(revision)")
            } catch let error as GitError where error.isNotFound {
                throw ToolError.git(
                    "an object of commit \(id.short) is missing from the repository (\(error.message)); "
                        + "run `git fsck` to find the damage", cause: error)
            }
        }
    }

    /// The record files at `contested` paths in each best common ancestor of the first parent and each other parent
    /// (several after criss-cross merges; none when the histories are unrelated). Nil when no merge base can be read:
    /// the merge is then judged against its parents only, as before.
    private func mergeBaseFiles(
        _ parents: [ObjectID], contested: [ExactString: RecordKind], rootTree: (ObjectID) throws -> ObjectID?
    ) throws -> [[PathChange]]? {
        var bases = [ObjectID]()
        do {
            for parent in parents.dropFirst() {
                for base in try repository.mergeBases(parents[0], parent) where !bases.contains(base) { bases.append(base) }
            }
        } catch {
            return nil
        }
        var result = [[PathChange]]()
        for base in bases {
            var files = [PathChange]()
            if let root = try rootTree(base) {
                for (key, kind) in contested.sorted(by: { $0.key < $1.key }) {
                    let path = key.string
                    let components = path.pathComponents()
                    guard let name = components.last, let folder = try repository.treeID(at: Array(components.dropLast()), in: root),
                        let entry = try repository.entry(named: name, in: folder), entry.mode == .file || entry.mode == .executable
                    else { continue }
                    files.append(PathChange(path: path, kind: kind, blob: entry.id))
                }
            }
            result.append(files)
        }
        return result
    }

    /// A record blob's bytes; sized from its header first, so a blob over the size limit is never inflated
    /// (it parses to nothing, like any unreadable file).
    private func readBlob(_ blob: ObjectID, path: String, limit: Int, revision: String) throws -> Result<Data, YAMLProblem> {
        do {
            switch try repository.readObject(blob, limit: limit) {
            case .content(let data): return .success(data)
            case .tooLarge(let size): return .failure(Self.tooLarge(size, limit: limit))
            }
        } catch {
            throw repository.unreadableBlob(blob, path: path, at: "the history of \(revision)", error)
        }
    }

    /// A record blob's size from its header, with `readBlob`'s error when the blob cannot be read.
    private func blobSize(_ blob: ObjectID, path: String, revision: String) throws -> Int {
        do {
            return try repository.objectSize(blob)
        } catch {
            throw repository.unreadableBlob(blob, path: path, at: "the history of \(revision)", error)
        }
    }

    private static func tooLarge(_ size: Int, limit: Int) -> YAMLProblem {
        YAMLProblem(message: "file is \(size) bytes, over the limit of \(limit)", location: .start, kind: .tooLarge)
    }
}

private struct NoCache: Error {}

/// A record version handed to the parsers: its bytes (or why there are none), or its blob for the parser thread to read.
private struct BlobToParse: Sendable {
    enum Content: Sendable {
        case read(Result<Data, YAMLProblem>)
        /// Found on the main thread, under the size limit: read by `BlobReaders`.
        case toRead(ObjectID)
    }

    /// Its place in the parsing queue: the order the main thread met it in.
    let index: Int
    let key: BlobKey
    let path: String
    let content: Content
}

/// Reads record blobs on the parser threads, each read on an `ObjectReader` no other thread uses meanwhile (taken from
/// a pool, so at most one per parser thread is opened). An `ObjectReader` has packs of its own: a second handle on the
/// repository would share libgit2's one `git_pack_file` per pack, whose mutex the main thread's tree reads take at
/// every step, and the threads would take turns (docs/performance.md, "Record blobs on two threads").
/// A blob the reader cannot read is read again on the engine's repository, whose error is the one the main thread's
/// read gave (an alternate object store the reader could not open, say, is read there); when that fails too, the blob
/// parses to nothing and its error is kept, the first in the order the main thread met the blobs: the engine throws
/// it, so the run stops with the error and exit code it gave when the main thread read the blob.
/// `@unchecked`: `idle`, `opened` and `failure` are touched only with `lock` held; a reader taken is used by one thread.
private final class BlobReaders: @unchecked Sendable {
    private let repository: Repository
    private let label: String
    private let lock = NSLock()
    private var idle = [ObjectReader]()
    private var opened = 0
    private var failure: (item: Int, error: ToolError)?

    init(_ repository: Repository, label: String) {
        self.repository = repository
        self.label = label
    }

    /// The error of the first blob (in the main thread's order) that could not be read.
    var firstFailure: ToolError? {
        lock.lock()
        defer { lock.unlock() }
        return failure?.error
    }

    func read(_ blob: ObjectID, item: Int, path: String) -> Data? {
        if let reader = take() {
            defer { putBack(reader) }
            if let data = try? reader.readObject(blob) { return data }
        }
        do {
            return try repository.readObject(blob)
        } catch {
            let error = repository.unreadableBlob(blob, path: path, at: label, error)
            lock.lock()
            if failure.map({ item < $0.item }) ?? true { failure = (item, error) }
            lock.unlock()
            return nil
        }
    }

    /// An idle reader, or a new one; nil when none can be opened (the engine's repository reads then).
    private func take() -> ObjectReader? {
        lock.lock()
        if let reader = idle.popLast() {
            lock.unlock()
            return reader
        }
        let spelling = opened % LibGit2.readerPacks + 1
        opened += 1
        lock.unlock()
        return try? repository.separateObjectReader(spelling: spelling)
    }

    private func putBack(_ reader: ObjectReader) {
        lock.lock()
        idle.append(reader)
        lock.unlock()
    }
}

/// What the tree comparison asks of each changed path: whether a folder is read (it has a `/`, or is a kind's folder)
/// and which kind a changed file is a record of. The `String` searches (`contains("/")`, `firstIndex(of: "/")`,
/// `RecordKind(folder:)` trying each kind's folder) ran several times on every change of a long history; an ASCII path
/// (each character one byte, so `/` is never joined to another) is answered with a byte search and one lookup, with
/// the same result. Any other path takes the searches themselves.
struct RecordFolders {
    private let kinds: [Substring: RecordKind]

    init() { kinds = Dictionary(uniqueKeysWithValues: RecordKind.allCases.map { (Substring($0.folder), $0) }) }

    private enum Slash { case at(Int), none, notASCII }

    /// The byte offset of an ASCII path's first `/`.
    private static func slash(_ path: String) -> Slash {
        path.utf8.withContiguousStorageIfAvailable { bytes -> Slash in
            var slash: Int?
            for i in bytes.indices {
                let byte = bytes[i]
                if byte >= 0x80 { return .notASCII }
                if byte == 0x2F, slash == nil { slash = i }
            }
            return slash.map(Slash.at) ?? .none
        } ?? .notASCII
    }

    /// `path.contains("/") || RecordKind(folder: path) != nil`.
    func isRead(folder path: String) -> Bool {
        switch Self.slash(path) {
        case .at: return true
        case .none: return kinds[Substring(path)] != nil
        case .notASCII: return path.hasPathSeparator || RecordKind(folder: path) != nil
        }
    }

    /// Whether `path` is a file of the root that is no kind's folder (`!path.contains("/")` and `RecordKind(folder:
    /// path) == nil`), and the kind of its first folder when it is a record file there (`isRecordFileName`).
    func classify(_ path: String) -> (topLevel: Bool, record: RecordKind?) {
        switch Self.slash(path) {
        case .none:
            return (kinds[Substring(path)] == nil, nil)
        case .at(let offset):
            let folder = path[..<path.utf8.index(path.utf8.startIndex, offsetBy: offset)]
            guard let kind = kinds[folder], kind.fileFormat.isRecordFileName(path) else { return (false, nil) }
            return (false, kind)
        case .notASCII:
            let topLevel = !path.hasPathSeparator && RecordKind(folder: path) == nil
            guard let folder = path.firstPathComponent, let kind = RecordKind(folder: folder), isRecordFileName(path)
            else { return (topLevel, nil) }
            return (topLevel, kind)
        }
    }
}

extension RecordFolders {
    /// Whether a comparison of two ISMS root trees descends into the folder `path`; `topLevel` is told of a folder of
    /// the root that is not a record kind's (`.isms`): not read, only noted.
    func descends(into path: String, topLevel: ((String) -> Void)?) -> Bool {
        if isRead(folder: path) { return true }
        topLevel?(path)
        return false
    }

    /// Hands on `change`, found comparing two ISMS root trees, when it is a record file (with its kind): the record
    /// files that differ (`visit`), on the repository or on an `ObjectReader`. `topLevel` is told of each entry of the
    /// root that differs and is neither a record kind's folder nor below one.
    func recordChange(
        _ change: TreeChange, topLevel: ((String) -> Void)?, _ visit: (String, RecordKind, TreeLeaf?, TreeLeaf?) -> Void
    ) throws {
        let (isTopLevel, kind) = classify(change.path)
        if let topLevel, isTopLevel { topLevel(change.path) }
        guard let kind else { return }
        // Two names that are not UTF-8 decode alike: tracked by path, one record's rename would read as another's
        // deletion. The history cannot be followed through such a name.
        if FileName.isUndecodable(change.path) { throw UndecodableFileName(path: change.path) }
        func isFile(_ entry: TreeLeaf?) -> Bool { entry?.mode == .file || entry?.mode == .executable }
        // A link or submodule under the root is not a record: it counts as no file.
        guard isFile(change.old) || isFile(change.new) else { return }
        visit(change.path, kind, isFile(change.old) ? change.old : nil, isFile(change.new) ? change.new : nil)
    }
}

/// What tracking a compared commit needs: the record files it changed, those at the merge base of a merge whose
/// parents differ on some, and the parser's item for each blob among them.
private struct CommitWork {
    let changes: [PathChange]
    let mergeBase: MergeBaseFiles?
    let items: [BlobKey: Int32]
}

/// Tracks the records through the new commits on a thread of its own, in commit order, as the main thread hands them
/// over (`take`), while the main thread goes on comparing trees and reading blobs: tracking was a fifth of the main
/// thread's time, which bounds the cold read's wall time. Hand-offs are batched: the thread is woken once 64
/// commits wait (or at `finish`). The main thread reads `tracked` to free what the tracked commits alone named; it
/// touches `graph` and `replay` only after `finish`. `@unchecked`: the queue and `trackedCount` are touched only
/// with `condition` held, the rest only by the tracking thread until `finish` has joined it.
private final class RecordTracker: @unchecked Sendable {
    private(set) var graph: HistoryGraph
    private(set) var replay: HistoryReplay
    private let firstNew: Int
    private let parsed: (Int) -> RecordSnapshot?
    /// How many new commits are tracked (their changes are dropped once tracked: only the commits in flight are held).
    private var trackedHere = 0
    private var queue = [CommitWork]()
    private var closed = false
    private var waiting = false
    private var trackedCount = 0
    /// Commits handed over so far, and whether the caller waits for the tracker to catch up.
    private var handed = 0
    private var callerWaiting = false
    /// How many commits handed over may wait to be tracked before the caller waits (the tracker usually keeps up:
    /// it does a third of the main thread's work).
    private let backlog: Int
    private let condition = NSCondition()
    private let done = DispatchSemaphore(value: 0)
    private let ownThread: Bool

    init(
        graph: HistoryGraph, replay: HistoryReplay, firstNew: Int, ownThread: Bool, backlog: Int,
        parsed: @escaping (Int) -> RecordSnapshot?
    ) {
        self.backlog = max(1, backlog)
        self.graph = graph
        self.replay = replay
        self.firstNew = firstNew
        self.parsed = parsed
        self.ownThread = ownThread
        guard ownThread else { return }
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        // Parsed records are compared field by field; nested values recurse.
        thread.stackSize = 64 << 20
        thread.start()
    }

    /// How many new commits are tracked (their blobs may be freed).
    var tracked: Int {
        guard ownThread else { return trackedHere }
        condition.lock()
        defer { condition.unlock() }
        return trackedCount
    }

    /// The next compared commits, in order. `progress` is told of the tracking only when it runs on the caller's
    /// thread (the progress bar is drawn from one thread).
    func take(_ work: [CommitWork], progress: (HistoryProgress) -> Void) {
        guard ownThread else { return track(work, progress: progress) }
        condition.lock()
        queue.append(contentsOf: work)
        handed += work.count
        if waiting && queue.count >= 64 { condition.broadcast() }
        // A tracker starved of a core must not let the parsed versions pile up: the caller waits for it.
        while handed - trackedCount > backlog {
            // A sleeping tracker is woken first, whatever waits for it.
            if waiting { condition.broadcast() }
            callerWaiting = true
            condition.wait()
            callerWaiting = false
        }
        condition.unlock()
    }

    /// Waits until every commit handed over is tracked.
    func finish() {
        guard ownThread else { return }
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        done.wait()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed {
                waiting = true
                condition.wait()
                waiting = false
            }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let work = queue
            queue = []
            condition.unlock()
            track(work, progress: { _ in })
            condition.lock()
            trackedCount = trackedHere
            if callerWaiting { condition.broadcast() }
            condition.unlock()
        }
    }

    private func track(_ work: [CommitWork], progress: (HistoryProgress) -> Void) {
        for commit in work {
            let n = trackedHere
            let items = commit.items
            replay.advance(
                to: firstNew + n + 1, &graph, changes: [commit.changes], mergeBases: [commit.mergeBase], from: n,
                parsed: { [parsed] key in parsed(Int(items[key]!)) }, progress: progress)
            trackedHere += 1
        }
    }
}

/// Something the user should know about a history run, printed on stderr.
public enum HistoryNotice: Sendable, Equatable {
    case note(String)
    case warning(String)
}

/// Runs the record state forward through the graph, parents before children, in steps: the history engine tracks
/// new commits as soon as their trees are compared and their blobs parsed.
package struct HistoryReplay {
    private let needed: [Bool]
    private let keep: Set<Int32>
    private let firstNew: Int
    /// Per commit, how many needed children have yet to take its state.
    private var remaining: [Int32]
    private var states: [Int32: HistoryState]
    /// The states of the `keep` commits visited so far.
    package private(set) var kept = [Int32: HistoryState]()
    /// The graph index up to which (exclusive) commits have been visited.
    package private(set) var position = 0

    /// Starts from the `initial` states of commits outside the `needed` ones.
    package init(_ graph: HistoryGraph, needed: [Bool], initial: [Int32: HistoryState], keep: Set<Int32>, firstNew: Int) {
        self.needed = needed
        self.keep = keep
        self.firstNew = firstNew
        remaining = [Int32](repeating: 0, count: graph.count)
        for index in 0..<graph.count where needed[index] {
            for parent in graph.nodes[index].parents { remaining[Int(parent)] += 1 }
        }
        states = initial
    }

    /// Visits the `needed` commits in graph order, starting from the `initial` states of commits outside
    /// them; commits from `firstNew` on get their operations computed from `changes` (indexed from
    /// `firstNew`, as are `mergeBases`), the others replay their cached operations. Returns the states of `keep`.
    package static func run(
        _ graph: inout HistoryGraph, needed: [Bool], initial: [Int32: HistoryState], keep: Set<Int32>, firstNew: Int,
        changes: [[PathChange]], mergeBases: [MergeBaseFiles?] = [], parsed: (BlobKey) -> RecordSnapshot?,
        progress: (HistoryProgress) -> Void = { _ in }
    ) -> [Int32: HistoryState] {
        var replay = HistoryReplay(graph, needed: needed, initial: initial, keep: keep, firstNew: firstNew)
        replay.advance(to: graph.count, &graph, changes: changes, mergeBases: mergeBases, parsed: parsed, progress: progress)
        return replay.kept
    }

    /// Visits the needed commits not visited yet below graph index `end`. The operations of a new commit come from
    /// `changes` and `mergeBases`, whose first element is new commit `first` (graph index `firstNew + first`) and which
    /// hold at least the new commits visited from there: the engine passes only the commit it tracks, not a column
    /// the length of the history.
    package mutating func advance(
        to end: Int, _ graph: inout HistoryGraph, changes: [[PathChange]], mergeBases: [MergeBaseFiles?], from first: Int = 0,
        parsed: (BlobKey) -> RecordSnapshot?, progress: (HistoryProgress) -> Void
    ) {
        while position < end {
            let index = position
            position += 1
            guard needed[index] else { continue }
            let node = graph.nodes[index]
            var state: HistoryState
            if let first = node.parents.first {
                // The last child to need a state takes it without a copy.
                state = remaining[Int(first)] == 1 ? states.removeValue(forKey: first)! : states[first]!
            } else {
                state = HistoryState()
            }
            if index >= firstNew {
                if (index - firstNew) % 128 == 0 {
                    progress(HistoryProgress(phase: "tracking records", done: index - firstNew, total: graph.count - firstNew))
                }
                let others = node.parents.dropFirst().map { states[$0]! }
                let new = index - firstNew - first
                let mergeBase = new < mergeBases.count ? mergeBases[new] : nil
                let ops = CommitChanges.ops(
                    commit: Int32(index), base: state, others: others, changes: changes[new],
                    parsed: parsed, isShallowBoundary: node.isShallowBoundary, mergeBase: mergeBase)
                graph.setOps(ops, of: Int32(index))
                state.apply(ops)
            } else {
                state.apply(graph.ops(Int32(index)))
            }
            for parent in node.parents.dropFirst() {
                remaining[Int(parent)] -= 1
                if remaining[Int(parent)] == 0 { states[parent] = nil }
            }
            if let first = node.parents.first { remaining[Int(first)] -= 1 }
            if keep.contains(Int32(index)) { kept[Int32(index)] = state }
            if remaining[index] > 0 { states[Int32(index)] = state }
        }
    }
}
