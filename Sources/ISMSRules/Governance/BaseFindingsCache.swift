import Foundation
import GitKit
import ISMSCore
import ISMSLoading
import ISMSModel

/// The findings of `check --base` at a merge base, remembered under the git folder: the gate judged the merge base
/// with a second full check on every run, half its time, though nothing that check reads changes while the key
/// below does not. A hit only spares the work: the findings are those the check gave.
///
/// The key names everything the base's findings depend on: the commit (its tree and every ancestor, so its
/// history), the ISMS root's place in the repository, the names the base and the trust revision were given (they
/// appear in messages), the trust revision's commit and its isms.yaml (the policy: rules, severities, settings,
/// allowed signers, keys), the day judged, the shallow boundary and grafts (what history is there to read), and
/// the build: the version, the rule set with its default severities, and the executable's identity (a rebuild
/// with the same version number is another build). A run whose findings depend on the machine rather than on
/// the key (a signature gpg could not verify, a pattern given up after its time budget) is not stored.
///
/// The file, `<git dir>/isms/base-findings-v1.cache`: the line `isms base-findings v1`, then up to
/// `maxEntries` entries, newest first, each `[key length u32][key][payload length u32][FNV-1a of both u64]
/// [payload]`; the payload is the findings, length-prefixed. A file that does not parse whole, an entry whose
/// checksum fails, or a payload that does not decode exactly is ignored (and rewritten by the next store).
package enum BaseFindingsCache {
    package static let fileName = "base-findings-v1.cache"
    static let header = Array("isms base-findings v1\n".utf8)
    static let maxEntries = 4

    /// What the findings at a merge base depend on, as one text compared byte for byte.
    package struct Key: Equatable {
        package let text: String

        package init(
            baseCommit: ObjectID, label: String, prefix: String, trustName: String, trustCommit: ObjectID,
            trustConfigBlob: ObjectID?, asOf: Day, repository: Repository
        ) {
            let shallow = FileManager.default.contents(atPath: repository.commonDirectory + "/shallow") ?? Data()
            let grafts = FileManager.default.contents(atPath: repository.commonDirectory + "/info/grafts") ?? Data()
            let lines = [
                "base \(baseCommit.hex)", "label \(label)", "root \(prefix)", "trust \(trustName)",
                "trust-commit \(trustCommit.hex)", "trust-config \(trustConfigBlob?.hex ?? "none")", "as-of \(asOf)",
                "shallow \(String(fnv1a(shallow), radix: 16)) \(shallow.count)",
                "grafts \(String(fnv1a(grafts), radix: 16)) \(grafts.count)", "build \(BaseFindingsCache.build)",
            ]
            text = lines.map { $0.replacingOccurrences(of: "\n", with: "\\n") }.joined(separator: "\n")
        }
    }

    /// The build's identity: the version, every rule's id, default severity and use of the history, and the
    /// executable's size, time and inode.
    static let build: String = {
        var rules = ""
        for rule in RuleRegistry.all {
            let definition = type(of: rule).definition
            rules += "\(definition.id):\(definition.severity.rawValue):\(type(of: rule).history);"
        }
        var executable = "unknown"
        var info = stat()
        if let path = Bundle.main.executablePath, stat(path, &info) == 0 {
            executable = "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ino)"
        }
        return "\(ISMSVersion.current) rules \(String(fnv1a(Array(rules.utf8)), radix: 16)) exe \(executable)"
    }()

    /// The findings stored for `key` in `folder` (`<git dir>/isms`); nil when there are none or the file cannot be
    /// trusted.
    package static func findings(for key: Key, in folder: String) -> [Finding]? {
        guard let entries = entries(in: folder + "/" + fileName) else { return nil }
        let wanted = Array(key.text.utf8)
        for entry in entries where entry.key.elementsEqual(wanted) { return decode(entry.payload) }
        return nil
    }

    /// Stores `findings` for `key`, before the entries already there (the oldest beyond `maxEntries` dropped).
    /// A failure to write is not reported: the base's other notes are not shown either, and the result is whole.
    package static func store(_ findings: [Finding], for key: Key, in folder: String) {
        let path = folder + "/" + fileName
        let wanted = Array(key.text.utf8)
        let kept = (entries(in: path) ?? []).filter { !$0.key.elementsEqual(wanted) }.prefix(maxEntries - 1)
        var out = header
        append(Entry(key: ArraySlice(wanted), payload: ArraySlice(encode(findings))), to: &out)
        for entry in kept { append(entry, to: &out) }
        try? AtomicFile.write(out, to: path)
    }

    package struct Entry {
        let key: ArraySlice<UInt8>
        let payload: ArraySlice<UInt8>
    }

    /// The entries of the file, each checked against its checksum; nil when the file is absent or any part of it
    /// is not as written.
    package static func entries(in path: String) -> [Entry]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count >= header.count, bytes[..<header.count].elementsEqual(header) else { return nil }
        var reader = Reader(bytes: bytes, offset: header.count)
        var entries = [Entry]()
        while !reader.atEnd {
            guard entries.count < maxEntries, let keyLength = reader.u32(), let key = reader.bytes(Int(keyLength)),
                let payloadLength = reader.u32(), let sum = reader.u64(), let payload = reader.bytes(Int(payloadLength)),
                checksum(key, payload) == sum
            else { return nil }
            entries.append(Entry(key: key, payload: payload))
        }
        return entries
    }

    static func append(_ entry: Entry, to out: inout [UInt8]) {
        Writer.u32(UInt32(entry.key.count), &out)
        out += entry.key
        Writer.u32(UInt32(entry.payload.count), &out)
        Writer.u64(checksum(entry.key, entry.payload), &out)
        out += entry.payload
    }

    package static func checksum(_ key: ArraySlice<UInt8>, _ payload: ArraySlice<UInt8>) -> UInt64 {
        fnv1a(key) ^ (fnv1a(payload) &* 31)
    }

    static func encode(_ findings: [Finding]) -> [UInt8] {
        var out = [UInt8]()
        Writer.u32(UInt32(findings.count), &out)
        for finding in findings {
            Writer.string(finding.rule, &out)
            Writer.string(finding.severity.rawValue, &out)
            Writer.string(finding.message, &out)
            Writer.optional(finding.path, &out)
            Writer.optional(finding.line.map(String.init), &out)
            Writer.optional(finding.column.map(String.init), &out)
            Writer.optional(finding.record, &out)
            Writer.optional(finding.field, &out)
        }
        return out
    }

    /// The findings of a payload; nil unless it decodes whole, every value valid, and re-encodes to itself.
    static func decode(_ payload: ArraySlice<UInt8>) -> [Finding]? {
        var reader = Reader(bytes: Array(payload), offset: 0)
        guard let count = reader.u32(), Int(count) <= payload.count else { return nil }
        var findings = [Finding]()
        findings.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let rule = reader.string(), let severityName = reader.string(), let severity = Severity(rawValue: severityName),
                let message = reader.string(), let path = reader.optional(), let line = reader.optional(),
                let column = reader.optional(), let record = reader.optional(), let field = reader.optional()
            else { return nil }
            let lineNumber = line.flatMap { Int($0) }, columnNumber = column.flatMap { Int($0) }
            guard (line == nil) == (lineNumber == nil), (column == nil) == (columnNumber == nil) else { return nil }
            var finding = Finding(rule: rule, severity: severity, message: message, path: path, location: nil, record: record, field: field)
            finding.line = lineNumber
            finding.column = columnNumber
            findings.append(finding)
        }
        guard reader.atEnd, encode(findings).elementsEqual(payload) else { return nil }
        return findings
    }

    private enum Writer {
        static func u32(_ value: UInt32, _ out: inout [UInt8]) {
            for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        static func u64(_ value: UInt64, _ out: inout [UInt8]) {
            for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        static func string(_ value: String, _ out: inout [UInt8]) {
            u32(UInt32(value.utf8.count), &out)
            out += value.utf8
        }
        static func optional(_ value: String?, _ out: inout [UInt8]) {
            guard let value else { return out.append(0) }
            out.append(1)
            string(value, &out)
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset: Int
        var atEnd: Bool { offset == bytes.count }

        mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
        mutating func u32() -> UInt32? {
            bytes(4).map { $0.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        }
        mutating func u64() -> UInt64? {
            bytes(8).map { $0.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        }
        mutating func string() -> String? {
            guard let length = u32(), let raw = bytes(Int(length)) else { return nil }
            return String(validating: raw, as: UTF8.self)
        }
        /// `.some(nil)` for an absent value; nil when the bytes are not an optional string.
        mutating func optional() -> String?? {
            guard let flag = bytes(1)?.first else { return nil }
            switch flag {
            case 0: return .some(nil)
            case 1: return string().map { .some($0) }
            default: return nil
            }
        }
    }
}
