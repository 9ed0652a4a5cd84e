// Did-you-mean for every message that names a known word: records' fields, settings, ids. In Model, the lowest
// layer that makes such messages (isms.yaml's).

/// The known word nearest to `word`, when it is close enough to be a typo.
///
/// The first candidate at the least edit distance (case-insensitive), if that distance is at most
/// max(1, min(3, its length / 3)); failing that, the first candidate that `word` (of four or more characters)
/// begins, as a truncated name does. A broken link asks this of every id in the ISMS, so it is computed
/// without allocating per candidate: only a candidate closer than the best so far and within 3 edits can
/// change the answer (a best one further than 3 is always refused), which bounds each comparison.
public func closest(to word: String, in candidates: [String]) -> String? {
    Suggester(candidates).closest(to: word)
}

/// Did-you-mean over a fixed list of words, prepared once (lower-cased, as scalars) for many lookups.
public struct Suggester: Sendable {
    private let candidates: [(word: String, lowered: String, scalars: [Unicode.Scalar])]

    public init(_ words: [String]) {
        candidates = words.map { word in
            let lowered = word.lowercased()
            return (word, lowered, Array(lowered.unicodeScalars))
        }
    }

    /// The first candidate at the smallest edit distance, if that distance is a typo's (at most 3, and a third of
    /// the candidate's length); else one that `word` (of four or more characters) begins (`evidence_grace`
    /// for `evidence_grace_days`).
    public func closest(to word: String) -> String? {
        let lowered = word.lowercased()
        let scalars = Array(lowered.unicodeScalars)
        // No typo is more than 3 edits away, so distances beyond are not computed exactly.
        var best: (word: String, distance: Int)?
        for candidate in candidates {
            let limit = min(3, (best?.distance ?? 4) - 1)
            guard limit >= 0 else { break }
            let d = boundedEditDistance(scalars, candidate.scalars, limit: limit)
            if d <= limit { best = (candidate.word, d) }
        }
        if let best, best.distance <= max(1, min(3, best.word.count / 3)) { return best.word }
        if lowered.count >= 4, let prefixed = candidates.first(where: { $0.lowered.hasPrefix(lowered) }) {
            return prefixed.word
        }
        return nil
    }
}

/// The edit distance of `a` and `b` when it is at most `limit`, else `limit + 1`: rows stop as soon as every
/// cell in one passes the limit. Only the band of cells within `limit` of the diagonal is computed (a cell further
/// off is more than `limit` edits away), with values capped at `limit + 1`, on two rows of stack memory: a broken
/// link compares its id with every id of the ISMS, and allocating two arrays per comparison was most of the cost.
package func boundedEditDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    if limit == 0 { return a == b ? 0 : 1 }
    let cap = limit + 1, n = b.count
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (n + 2)) { buffer in
        var previous = buffer.baseAddress!, current = previous + (n + 2)
        for j in 0...n { previous[j] = min(j, cap) }
        previous[n + 1] = cap
        for i in 1...a.count {
            let low = max(1, i - limit), high = min(n, i + limit)
            current[low - 1] = low == 1 ? min(i, cap) : cap
            var rowMinimum = current[low - 1]
            let scalar = a[i - 1]
            for j in low...high {
                let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (scalar == b[j - 1] ? 0 : 1), cap)
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            current[high + 1] = cap
            if rowMinimum > limit { return cap }
            swap(&previous, &current)
        }
        return min(previous[n], cap)
    }
}

package func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
