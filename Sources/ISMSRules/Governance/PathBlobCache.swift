import Foundation
import GitKit
import ISMSLoading
import ISMSModel

/// Which blob one path holds in each commit, remembered across runs under the git folder. `allowed-signers-changed`
/// asks it of every commit in the history, and a commit's tree never changes: reading each commit's trees again
/// on every run cost the pre-commit hook 0.4 s on 20,000 commits.
///
/// The file (read back only when a regular file within `Limits.cacheFileBytes`): a header line `isms path-blobs v1 <path>`, then 40 bytes a commit — its id and the blob's (zeros
/// when the path holds no file). A file that does not read back whole is ignored and written anew.
package final class PathBlobCache {
    private let file: String?
    private let path: String
    private var known: [ObjectID: ObjectID?] = [:]
    /// The file's entries (40 bytes each) not yet put in `known`: a run that asks about one or two commits (the tip's
    /// isms.yaml, for the pre-commit hook) searches them rather than index 20,000 entries first.
    private var unindexed: ArraySlice<UInt8> = []
    private var searches = 0
    private var added = 0
    /// The file's version when read (nil: none): one written since is read again before this one is written.
    private var stamp: FileStamp?
    private static let none = [UInt8](repeating: 0, count: 20)
    /// Searches before the file's entries are indexed.
    private static let searchesBeforeIndexing = 4

    /// `folder` is `<git dir>/isms`; nil keeps answers for this run only (`--no-cache`).
    package init(path: String, folder: String?) {
        self.path = path
        file = folder.map { $0 + "/path-blobs-v1-" + SHA256.hex(Data(path.utf8)).prefix(16) + ".cache" }
        guard let file else { return }
        stamp = FileStamp(file)
        unindexed = Self.entries(in: file, path: path)
    }

    /// The entries of the file (40 bytes each); none when it is absent or does not read back whole.
    private static func entries(in file: String, path: String) -> ArraySlice<UInt8> {
        guard let bytes = readCacheFileBytes(file) else { return [] }
        let header = Array(Self.header(path).utf8)
        guard bytes.count >= header.count, Array(bytes[..<header.count]) == header, (bytes.count - header.count) % 40 == 0 else {
            return []
        }
        return ArraySlice(bytes)[header.count...]
    }

    /// Moves the file's entries into `known` (the last of a commit's entries wins, as it always did). The answers
    /// this run added are for commits the file lacks, and those it found are the file's own.
    private func index() {
        known.reserveCapacity(known.count + unindexed.count / 40)
        var offset = unindexed.startIndex
        while offset < unindexed.endIndex {
            let commit = unindexed[offset..<offset + 20].withUnsafeBytes { ObjectID(bytes: $0) }
            known[commit] = .some(Self.blob(unindexed[offset + 20..<offset + 40]))
            offset += 40
        }
        unindexed = []
    }

    private static func blob(_ bytes: ArraySlice<UInt8>) -> ObjectID? {
        bytes.elementsEqual(none) ? nil : bytes.withUnsafeBytes { ObjectID(bytes: $0) }
    }

    /// The file's answer for `commit`, searched in its unindexed entries from the last (the one indexing keeps).
    private func search(_ commit: ObjectID) -> ObjectID?? {
        commit.withBytes { id -> ObjectID?? in
            unindexed.withUnsafeBytes { entries -> ObjectID?? in
                var offset = entries.count - 40
                while offset >= 0 {
                    if memcmp(entries.baseAddress! + offset, id.baseAddress!, 20) == 0 {
                        let start = unindexed.startIndex + offset
                        return .some(Self.blob(unindexed[start + 20..<start + 40]))
                    }
                    offset -= 40
                }
                return nil
            }
        }
    }

    private static func header(_ path: String) -> String {
        "isms path-blobs v1 " + path.replacingOccurrences(of: "\n", with: " ") + "\n"
    }

    /// The blob at the path in `commit`: remembered, or computed by `read` (nil from `read` for an absent file;
    /// a thrown error is not remembered).
    package func blob(in commit: ObjectID, read: () throws -> ObjectID?) rethrows -> ObjectID? {
        if let known = known[commit] { return known }
        if !unindexed.isEmpty {
            searches += 1
            if searches > Self.searchesBeforeIndexing {
                index()
                if let known = known[commit] { return known }
            } else if let found = search(commit) {
                known[commit] = .some(found)
                return found
            }
        }
        let blob = try read()
        known[commit] = .some(blob)
        added += 1
        return blob
    }

    /// The blob remembered for `commit`: nil when not known, .some(nil) when the path holds no file there.
    package func known(in commit: ObjectID) -> ObjectID?? { known[commit] }

    /// Remembers `blob` for `commit`, learnt without reading its tree (its first parent's, which it did not change).
    package func remember(_ blob: ObjectID?, in commit: ObjectID) {
        guard known[commit] == nil else { return }
        known[commit] = .some(blob)
        added += 1
    }

    /// Writes the file when this run learnt something; a failure is returned as a sentence, never thrown.
    package func save() -> String? {
        guard let file, added > 0 else { return nil }
        return AtomicFile.updating {
            index()
            // Written since it was read (the other check of `check --base`): its answers are kept beside this run's.
            if FileStamp(file) != stamp {
                var offset = 0
                let written = Self.entries(in: file, path: path)
                while offset < written.count {
                    let start = written.startIndex + offset
                    let commit = written[start..<start + 20].withUnsafeBytes { ObjectID(bytes: $0) }
                    if known[commit] == nil { known[commit] = .some(Self.blob(written[start + 20..<start + 40])) }
                    offset += 40
                }
            }
            var out = Array(Self.header(path).utf8)
            out.reserveCapacity(out.count + known.count * 40)
            for (commit, blob) in known {
                commit.withBytes { out.append(contentsOf: $0) }
                if let blob { blob.withBytes { out.append(contentsOf: $0) } } else { out.append(contentsOf: Self.none) }
            }
            do {
                try AtomicFile.write(out, to: file)
                added = 0
                return nil
            } catch {
                return "warning: cannot write \(file) (\(error)); the result is complete, only the next run is not faster"
            }
        }
    }
}
