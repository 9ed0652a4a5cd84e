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
/// The file, `<git dir>/isms/base-findings-v1.cache`, is a `KeyedCacheFile` of up to `maxEntries` entries; the
/// payload is the findings, length-prefixed. A file that does not parse whole, an entry whose checksum fails, or a
/// payload that does not decode exactly is ignored (and rewritten by the next store).
package enum BaseFindingsCache {
    package static let fileName = "base-findings-v1.cache"
    static let maxEntries = 4

    /// What the findings at a merge base depend on, as one text compared byte for byte.
    package struct Key: Equatable {
        package let text: String

        package init(
            baseCommit: ObjectID, label: String, prefix: String, trustName: String, trustCommit: ObjectID,
            trustConfigBlob: ObjectID?, asOf: Day, repository: Repository
        ) {
            let lines =
                [
                    "base \(baseCommit.hex)", "label \(label)", "root \(prefix)", "trust \(trustName)",
                    "trust-commit \(trustCommit.hex)", "trust-config \(trustConfigBlob?.hex ?? "none")", "as-of \(asOf)",
                ] + CacheKey.historyShape(repository) + ["build \(CacheKey.build)"]
            text = lines.map { $0.replacingOccurrences(of: "\n", with: "\\n") }.joined(separator: "\n")
        }
    }

    /// The findings stored for `key` in `folder` (`<git dir>/isms`); nil when there are none or the file cannot be
    /// trusted.
    package static func findings(for key: Key, in folder: String) -> [Finding]? {
        file(in: folder).payload(for: key.text).flatMap(decode)
    }

    /// Stores `findings` for `key`, before the entries already there (the oldest beyond `maxEntries` dropped).
    /// A failure to write is not reported: the base's other notes are not shown either, and the result is whole.
    package static func store(_ findings: [Finding], for key: Key, in folder: String) {
        file(in: folder).store(encode(findings), for: key.text)
    }

    package static func file(in folder: String) -> KeyedCacheFile {
        KeyedCacheFile(path: folder + "/" + fileName, header: "isms base-findings v1", maxEntries: maxEntries)
    }

    static func encode(_ findings: [Finding]) -> [UInt8] {
        var out = [UInt8]()
        CacheBytes.u32(UInt32(findings.count), &out)
        for finding in findings {
            CacheBytes.string(finding.rule, &out)
            CacheBytes.string(finding.severity.rawValue, &out)
            CacheBytes.string(finding.message, &out)
            CacheBytes.optional(finding.path, &out)
            CacheBytes.optional(finding.line.map(String.init), &out)
            CacheBytes.optional(finding.column.map(String.init), &out)
            CacheBytes.optional(finding.record, &out)
            CacheBytes.optional(finding.field, &out)
        }
        return out
    }

    /// The findings of a payload; nil unless it decodes whole, every value valid (a number as `String(Int)` writes it).
    static func decode(_ payload: ArraySlice<UInt8>) -> [Finding]? {
        var reader = CacheBytes.Reader(bytes: Array(payload), offset: 0)
        guard let count = reader.u32(), Int(count) <= payload.count else { return nil }
        var findings = [Finding]()
        findings.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let rule = reader.string(), let severityName = reader.string(), let severity = Severity(rawValue: severityName),
                let message = reader.string(), let path = reader.optional(), let line = reader.optional(),
                let column = reader.optional(), let record = reader.optional(), let field = reader.optional()
            else { return nil }
            let lineNumber = line.flatMap { Int($0) }, columnNumber = column.flatMap { Int($0) }
            guard line == lineNumber.map(String.init), column == columnNumber.map(String.init) else { return nil }
            var finding = Finding(rule: rule, severity: severity, message: message, path: path, location: nil, record: record, field: field)
            finding.line = lineNumber
            finding.column = columnNumber
            findings.append(finding)
        }
        guard reader.atEnd else { return nil }
        return findings
    }
}
