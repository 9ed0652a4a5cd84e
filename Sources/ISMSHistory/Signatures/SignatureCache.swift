import Foundation
import GitKit
import ISMSLoading

/// Signature verdicts kept between runs, beside the history cache under the git folder
/// (`<git common dir>/isms/signatures-v1.cache`). A verdict is valid for one commit id and one trust
/// fingerprint (the allowed signers and OpenPGP keys it was judged against), so changing the allowed signers
/// verifies again. The file holds the sections of the four most recently used trusts, newest first:
///
///     isms-signatures 3
///     trust <sha-256 hex>
///     <commit hex> TAB <status> TAB <format or -> TAB <principal or -> TAB <key or -> TAB <reason>
///
/// A file that does not read as this is ignored and replaced. Writes are atomic (a temporary file, renamed).
package final class SignatureCache {
    /// 2: malformed commits (duplicated headers) are bad, and the first committer header is the signing time;
    /// a version-1 file may hold other verdicts for them, so it is replaced. 3: a `gpgsig` header after a NUL byte
    /// is read (a version-2 file may hold `unsigned` for such a commit).
    package static let header = "isms-signatures 3"
    package static let keptTrusts = 4

    package let path: String
    package let trust: String
    /// The file as read. Its current trust's lines are looked up where they are, by binary search on the
    /// commit id (the file is written sorted): a history command asks for a few verdicts out of 20,000.
    private var bytes: [UInt8] = []
    /// Where each of the current trust's lines starts, in commit order.
    private var lineStarts: [Int] = []
    /// The verdicts made in this run, to be written. (The verifier remembers the ones it read.)
    private var made: [ObjectID: SignatureVerdict] = [:]
    /// Almost every line says `unsigned - - - -`: each distinct verdict is parsed once.
    private var verdictOfTail: [ArraySlice<UInt8>: SignatureVerdict] = [:]
    private var lastTail: (tail: ArraySlice<UInt8>, verdict: SignatureVerdict)?
    /// The other trusts' sections, kept as read (without their `trust` line).
    private var others: [(trust: String, lines: ArraySlice<UInt8>)] = []
    /// The file's version when read (nil: none): one written since is read again before this one is written.
    private let stamp: FileStamp?

    package init(path: String, trust: String) {
        self.path = path
        self.trust = trust
        stamp = FileStamp(path)
        guard let read = readFileBytes(path) else { return }
        bytes = read
        var lines = LineIterator(bytes)
        guard let first = lines.next(), first.elementsEqual(Self.header.utf8) else { return }
        let trustPrefix = Array("trust ".utf8)
        var inCurrent: Bool?
        var starts = [Int]()
        while let line = lines.next() {
            if line.starts(with: trustPrefix) {
                let section = String(decoding: line.dropFirst(trustPrefix.count), as: UTF8.self)
                inCurrent = section == trust
                let next = min(line.endIndex + 1, bytes.endIndex)
                if section != trust { others.append((section, bytes[next..<next])) }
                continue
            }
            guard let inCurrent else { others = []; return }
            if inCurrent {
                // A line out of order, or not a line of this format, makes the file one to replace.
                guard line.count > 41, line[line.startIndex + 40] == UInt8(ascii: "\t"),
                    starts.last.map({ Self.compareIDs(bytes, $0, line.startIndex) < 0 }) ?? true
                else {
                    others = []; return
                }
                starts.append(line.startIndex)
            } else {
                // The section runs to the next `trust` line.
                let last = others.count - 1
                others[last].lines = bytes[others[last].lines.startIndex..<min(line.endIndex + 1, bytes.endIndex)]
            }
        }
        lineStarts = starts
    }

    package func verdict(for commit: ObjectID) -> SignatureVerdict? {
        if let verdict = made[commit] { return verdict }
        // The id's hex digits on the stack: `bad-signature` asks of every commit that names a record (12,000 of the
        // benchmark's 20,000), and an array per question was a third of the lookup.
        let found: Int? = bytes.withUnsafeBufferPointer { file in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
                commit.withBytes { raw in
                    for (i, byte) in raw.enumerated() {
                        digits[2 * i] = Self.hexDigit(byte >> 4)
                        digits[2 * i + 1] = Self.hexDigit(byte & 0xF)
                    }
                }
                var low = 0, high = lineStarts.count
                while low < high {
                    let middle = (low + high) / 2
                    let order = memcmp(file.baseAddress! + lineStarts[middle], digits.baseAddress!, 40)
                    if order == 0 { return lineStarts[middle] }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }
        guard let start = found else { return nil }
        let end = bytes[(start + 41)...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        return verdict(tail: bytes[(start + 41)..<end])
    }

    package func store(_ verdict: SignatureVerdict, for commit: ObjectID) {
        guard self.verdict(for: commit) != verdict else { return }
        made[commit] = verdict
    }

    /// Writes the file when this run made verdicts: the lines read and the new ones merged in commit order.
    package func save() throws {
        guard !made.isEmpty else { return }
        try AtomicFile.updating {
            // Written since it was read (the other check of `check --base`): its verdicts are kept beside this run's.
            if FileStamp(path) != stamp {
                let current = SignatureCache(path: path, trust: trust)
                current.made = made
                try current.write()
            } else {
                try write()
            }
        }
        made = [:]
    }

    /// Writes the lines read and the verdicts made, merged in commit order.
    private func write() throws {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + made.count * 64)
        out += Array((Self.header + "\ntrust " + trust + "\n").utf8)
        var tailOfVerdict = [SignatureVerdict: [UInt8]]()
        func append(_ id: ObjectID, _ verdict: SignatureVerdict) {
            id.appendHex(to: &out)
            out.append(UInt8(ascii: "\t"))
            if let tail = tailOfVerdict[verdict] {
                out += tail
            } else {
                let tail = Array(Self.tail(verdict).utf8)
                tailOfVerdict[verdict] = tail
                out += tail
            }
            out.append(UInt8(ascii: "\n"))
        }
        let new = made.sorted { $0.key < $1.key }
        var next = 0
        for start in lineStarts {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            guard let id = ObjectID(hexDigits: bytes[start..<(start + 40)]) else { continue }
            while next < new.count, new[next].key < id {
                append(new[next].key, new[next].value)
                next += 1
            }
            if next < new.count, new[next].key == id { continue }
            out += bytes[start..<end]
            out.append(UInt8(ascii: "\n"))
        }
        for (id, verdict) in new[next...] { append(id, verdict) }
        for other in others.prefix(Self.keptTrusts - 1) {
            out += Array(("trust " + other.trust + "\n").utf8)
            out += other.lines
            if other.lines.last != UInt8(ascii: "\n"), !other.lines.isEmpty { out.append(UInt8(ascii: "\n")) }
        }
        try AtomicFile.write(out, to: path)
    }

    /// memcmp of the 40 hexadecimal digits at two offsets of `bytes`.
    private static func compareIDs(_ bytes: [UInt8], _ a: Int, _ b: Int) -> Int32 {
        bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + a, $0.baseAddress! + b, 40) }
    }

    /// The non-empty lines of a byte array, without their line feeds, found with `memchr`.
    private struct LineIterator: IteratorProtocol {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func next() -> ArraySlice<UInt8>? {
            while position < bytes.count {
                let start = position
                let end = bytes.withUnsafeBufferPointer { buffer -> Int in
                    guard let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) else { return buffer.count }
                    return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                }
                position = end + 1
                if end > start { return bytes[start..<end] }
            }
            return nil
        }
    }

    /// A lower-case hex digit, as `ObjectID.hex` writes it.
    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") - 10 + value }

    private func verdict(tail: ArraySlice<UInt8>) -> SignatureVerdict? {
        // Consecutive lookups mostly meet the same tail (`unsigned - - - -`): compared before it is hashed.
        if let last = lastTail, last.tail.elementsEqual(tail) { return last.verdict }
        if let verdict = verdictOfTail[tail] { lastTail = (tail, verdict); return verdict }
        guard let verdict = Self.parse(tail) else { return nil }
        verdictOfTail[tail] = verdict
        lastTail = (tail, verdict)
        return verdict
    }

    /// Everything of a line after the commit id and its tab.
    private static func tail(_ v: SignatureVerdict) -> String {
        func field(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "-" }
            return text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
        }
        return [v.status.rawValue, v.format?.rawValue ?? "-", field(v.principal), field(v.key), field(v.reason)].joined(separator: "\t")
    }

    private static func parse(_ tail: ArraySlice<UInt8>) -> SignatureVerdict? {
        let fields = tail.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard fields.count == 5, let status = SignatureVerdict.Status(rawValue: fields[0]) else { return nil }
        func optional(_ text: String) -> String? { text == "-" ? nil : text }
        var format: SignatureVerdict.Format?
        if fields[1] != "-" {
            guard let f = SignatureVerdict.Format(rawValue: fields[1]) else { return nil }
            format = f
        }
        return SignatureVerdict(
            status: status, format: format, principal: optional(fields[2]), key: optional(fields[3]),
            reason: optional(fields[4]))
    }
}
