import Foundation
import ISMSCore
import ISMSModel

/// A file or link found under the ISMS root.
public struct SourceEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case file, symlink(target: String), submodule, conflicted, other }
    /// Relative to the ISMS root, `/`-separated.
    public let path: String
    public let kind: Kind
    public let size: Int

    public init(path: String, kind: Kind, size: Int) {
        self.path = path
        self.kind = kind
        self.size = size
    }
}

/// What rules may ask of files outside the records (evidence artifacts).
public protocol ArtifactReader: Sendable {
    /// The bytes of a regular file at `path` (relative to the ISMS root); nil when absent, not a file, or a link.
    func artifact(at path: String) -> Data?
}

/// Where records are read from: a folder on disk, a tree of a commit, or the index.
public protocol RecordSource: ArtifactReader {
    /// A short name for messages (`work tree`, `HEAD`, `the index`).
    var label: String { get }
    /// `isms.yaml` at the root, or nil when there is none.
    func readConfig() throws -> Data?
    /// Every entry under the kind folders whose name is a record file's (`isRecordFileName`), in path order.
    func recordEntries() throws -> [SourceEntry]
    /// Every entry under `catalogs/` (the ISMS's own catalogues) whose name ends in .yaml or .yml, in path order; the
    /// folder itself when it is a link.
    func catalogEntries() throws -> [SourceEntry]
    /// Reads the entries' bytes (in order); each may fail alone (too large, unreadable). Throws only when the
    /// source itself is damaged: a blob its tree lists is missing from the repository or cannot be inflated.
    func read(_ entries: [SourceEntry], limit: Int) throws -> [Result<Data, YAMLProblem>]
    /// The most deeply nested folder, for sources read from a git tree (held against `limits.tree_depth`).
    var deepestFolder: (depth: Int, path: String)? { get }
}

extension RecordSource {
    public var deepestFolder: (depth: Int, path: String)? { nil }
}

/// Whether the file at `path` (relative to the ISMS root) holds a record: its name ends as its kind's file format
/// asks (.yaml or .yml; .md for documents), the kind being the path's top folder. A README.md among YAML records
/// is not one.
package func isRecordFileName(_ path: String) -> Bool {
    guard let folder = path.firstPathComponent, let kind = RecordKind(folder: folder) else {
        return RecordFileFormat.yaml.isRecordFileName(path)
    }
    return kind.fileFormat.isRecordFileName(path)
}

/// Rejects paths that climb out of the ISMS root or are absolute, and those holding NUL, which no file name holds (the
/// file system would end the path there: `a.txt\0.pdf` opened `a.txt`).
package func normalisedRelativePath(_ path: String) -> String? {
    guard !path.hasPrefix("/"), !path.isEmpty, !path.utf8.contains(0) else { return nil }
    var parts = [String]()
    for part in path.pathComponents() {
        switch part {
        case ".": continue
        case "..": guard !parts.isEmpty else { return nil }; parts.removeLast()
        default: parts.append(part)
        }
    }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
}
