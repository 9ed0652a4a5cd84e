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
    private let words: [String]
    private let lowered: [String]
    /// Every candidate's lower-cased scalars, one after another: candidate `i` is `scalars[starts[i]..<starts[i + 1]]`.
    /// One buffer rather than an array per candidate, so the loop over 2,000 ids retains no array per id.
    private let scalars: [UInt32]
    private let starts: [Int]

    public init(_ words: [String]) {
        self.words = words
        lowered = words.map { $0.lowercased() }
        var scalars = [UInt32](), starts = [0]
        for word in lowered {
            scalars += word.unicodeScalars.map(\.value)
            starts.append(scalars.count)
        }
        self.scalars = scalars
        self.starts = starts
    }

    /// The first candidate at the smallest edit distance, if that distance is a typo's (at most 3, and a third of
    /// the candidate's length); else one that `word` (of four or more characters) begins (`evidence_grace`
    /// for `evidence_grace_days`).
    public func closest(to word: String) -> String? {
        let lowered = word.lowercased()
        let pattern = lowered.unicodeScalars.map(\.value)
        // No typo is more than 3 edits away, so distances beyond are not computed exactly.
        let best: (index: Int, distance: Int)?
        if !pattern.isEmpty && pattern.count <= 64 {
            let bitParallel = BitParallelDistance(pattern)
            best = scalars.withUnsafeBufferPointer { buffer in
                bitParallel.withTable { table in
                    nearest(pattern) { range, limit in bitParallel.distance(to: buffer, in: range, table: table, limit: limit) }
                }
            }
        } else {
            best = nearest(pattern) { range, limit in
                boundedEditDistance(pattern.map { Unicode.Scalar($0)! }, scalars[range].map { Unicode.Scalar($0)! }, limit: limit)
            }
        }
        if let best, best.distance <= max(1, min(3, words[best.index].count / 3)) { return words[best.index] }
        if lowered.count >= 4, let prefixed = self.lowered.firstIndex(where: { $0.hasPrefix(lowered) }) {
            return words[prefixed]
        }
        return nil
    }

    /// The first word at the least distance from `pattern` when that is at most 3; `distance` gives the distance to
    /// the word at a range of `scalars` when it is at most the limit given, else any larger number.
    private func nearest(_ pattern: [UInt32], _ distance: (Range<Int>, Int) -> Int) -> (index: Int, distance: Int)? {
        var best: (index: Int, distance: Int)?
        for index in 0..<words.count {
            let limit = min(3, (best?.distance ?? 4) - 1)
            guard limit >= 0 else { break }
            let range = starts[index]..<starts[index + 1]
            guard abs(range.count - pattern.count) <= limit else { continue }
            let d = distance(range, limit)
            guard d <= limit else { continue }
            best = (index, d)
            if d == 1 {
                // Only an equal word (ignoring case) can be closer than one edit: the rest is searched for one alone,
                // without edit distances. The answer is still the first word at the least distance.
                let later = (index + 1)..<words.count
                if let equal = later.first(where: { scalars[starts[$0]..<starts[$0 + 1]].elementsEqual(pattern) }) { best = (equal, 0) }
                break
            }
        }
        return best
    }
}

/// The edit distance of a fixed word of 1 to 64 scalars to others, a bit per scalar of the word (Myers 1999, in
/// Hyyrö's form for the whole-word distance): one pass over the other word, a few word-sized operations a scalar,
/// where the banded table of `boundedEditDistance` fills up to seven cells a scalar. Did-you-mean compares every
/// broken link with every id; this made that a tenth of a check's time.
package struct BitParallelDistance {
    private let length: Int
    private let last: UInt64
    /// The positions of each scalar in the word, as bits: a table for ASCII, a list for the rest.
    private var ascii = [UInt64](repeating: 0, count: 128)
    private var others: [(scalar: UInt32, mask: UInt64)] = []

    package init(_ word: [UInt32]) {
        precondition(!word.isEmpty && word.count <= 64)
        length = word.count
        last = 1 << UInt64(word.count - 1)
        for (position, scalar) in word.enumerated() {
            let bit: UInt64 = 1 << UInt64(position)
            if scalar < 128 {
                ascii[Int(scalar)] |= bit
            } else if let known = others.firstIndex(where: { $0.scalar == scalar }) {
                others[known].mask |= bit
            } else {
                others.append((scalar, bit))
            }
        }
    }

    /// The distance to the word `scalars[range]`.
    package func distance(to scalars: [UInt32], in range: Range<Int>) -> Int {
        scalars.withUnsafeBufferPointer { buffer in withTable { distance(to: buffer, in: range, table: $0) } }
    }

    /// The table of the word's ASCII scalars, for `distance(to:in:table:limit:)`.
    package func withTable<R>(_ body: (UnsafeBufferPointer<UInt64>) -> R) -> R { ascii.withUnsafeBufferPointer(body) }

    /// The distance to the word `scalars[range]` when it is at most `limit`, else a larger number: it stops when the
    /// distance to the part read, less the scalars still to read (each can lower it by one at most), passes the limit.
    /// Over a buffer, with no bounds checked per scalar: did-you-mean runs this for every id of the ISMS.
    package func distance(
        to scalars: UnsafeBufferPointer<UInt32>, in range: Range<Int>, table: UnsafeBufferPointer<UInt64>, limit: Int = .max
    ) -> Int {
        precondition(range.lowerBound >= 0 && range.upperBound <= scalars.count && table.count == 128)
        var vp = UInt64.max, vn: UInt64 = 0, distance = length
        for position in range {
            if distance - (range.upperBound - position) > limit { return distance - (range.upperBound - position) }
            let scalar = scalars[position]
            let x = scalar < 128 ? table[Int(scalar)] : (others.first { $0.scalar == scalar }?.mask ?? 0)
            let d0 = (((x & vp) &+ vp) ^ vp) | x | vn
            var hp = vn | ~(d0 | vp)
            var hn = d0 & vp
            if hp & last != 0 { distance += 1 }
            if hn & last != 0 { distance -= 1 }
            hp = (hp << 1) | 1
            hn = hn << 1
            vp = hn | ~(d0 | hp)
            vn = hp & d0
        }
        return distance
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
