import GitKit
import ISMSModel

/// The record versions (a blob under a kind's folder) a history read has met, exactly, in about 24 bytes each: the
/// newest in a set, the rest per kind as sorted runs of blob ids, merged while a merge stays small. The parse pipeline
/// asks it only whether a version it no longer holds was met before (it is then read again, not counted again against
/// `limits.history_bytes`); a dictionary of every version to its parser item took 40 bytes a bucket, 100–160 MB on a
/// million commits.
package struct SeenBlobs {
    private var recent = Set<BlobKey>()
    /// Per kind, sorted runs of blob ids, larger runs first.
    private var runs: [RecordKind: [[ObjectID]]] = [:]
    private let runSize: Int
    private let mergeLimit: Int
    package private(set) var count = 0

    /// `runSize`: how many versions the set holds before they become runs; `mergeLimit`: the largest run a merge may
    /// make (a merge holds both runs and the merged one at once). Only speed and memory depend on them.
    package init(runSize: Int = 1 << 16, mergeLimit: Int = 1 << 19) {
        self.runSize = max(1, runSize)
        self.mergeLimit = mergeLimit
    }

    package func contains(_ key: BlobKey) -> Bool {
        if recent.contains(key) { return true }
        guard let kindRuns = runs[key.kind] else { return false }
        for run in kindRuns where Self.search(run, key.blob) { return true }
        return false
    }

    /// Adds a version; returns whether it was new.
    @discardableResult
    package mutating func insert(_ key: BlobKey) -> Bool {
        guard !contains(key) else { return false }
        recent.insert(key)
        count += 1
        if recent.count >= runSize { flush() }
        return true
    }

    private mutating func flush() {
        var byKind = [RecordKind: [ObjectID]]()
        for key in recent { byKind[key.kind, default: []].append(key.blob) }
        recent.removeAll(keepingCapacity: true)
        for (kind, var ids) in byKind {
            ids.sort()
            var kindRuns = runs[kind] ?? []
            runs[kind] = nil
            while let last = kindRuns.last, last.count <= ids.count, last.count + ids.count <= mergeLimit {
                ids = Self.merge(kindRuns.removeLast(), ids)
            }
            kindRuns.append(ids)
            runs[kind] = kindRuns
        }
    }

    private static func search(_ run: [ObjectID], _ id: ObjectID) -> Bool {
        var low = 0, high = run.count
        while low < high {
            let middle = (low + high) / 2
            if run[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < run.count && run[low] == id
    }

    private static func merge(_ a: [ObjectID], _ b: [ObjectID]) -> [ObjectID] {
        var merged = [ObjectID]()
        merged.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] {
                merged.append(a[i])
                i += 1
            } else {
                merged.append(b[j])
                j += 1
            }
        }
        merged.append(contentsOf: a[i...])
        merged.append(contentsOf: b[j...])
        return merged
    }
}
