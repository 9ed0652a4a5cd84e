import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// Records as git holds them, in a commit's tree or in the index, read from git objects without touching
/// the work tree. Paths are relative to the ISMS root.
public final class GitObjectSource: RecordSource, Sendable {
    public let label: String
    private let repository: Repository
    /// Keyed byte for byte (see `ExactString`).
    private let files: [ExactString: TreeEntry]
    /// Paths that are in conflict in the index (unmerged).
    private let conflicted: Set<ExactString>
    public let deepestFolder: (depth: Int, path: String)?

    /// The ISMS as in the commit `revision`; `prefix` is the ISMS root relative to the repository top.
    public convenience init(repository: Repository, revision: String, prefix: String) throws(ToolError) {
        let commit: ObjectID
        do { commit = try repository.resolveCommit(revision) } catch {
            throw .revision(revision, error, in: repository)
        }
        try self.init(repository: repository, commit: commit, label: revision, prefix: prefix)
    }

    public init(repository: Repository, commit: ObjectID, label: String, prefix: String) throws(ToolError) {
        self.repository = repository
        self.label = label
        conflicted = []
        do {
            let tree = try repository.treeOfCommit(commit)
            guard let root = try repository.subtree(of: tree, at: prefix) else {
                throw ToolError.missingAtRevision(revision: label, path: prefix.isEmpty ? "isms.yaml" : prefix + "/isms.yaml")
            }
            // isms.yaml (and its limits.tree_depth) is among the files, so the tree is flattened up to the
            // highest limit it may set, and the Loader holds the depth against the setting.
            (files, deepestFolder) = try repository.flattenTreeMeasuring(root, maxDepth: Limits.treeDepthRange.upperBound)
        } catch let error as ToolError {
            throw error
        } catch let error as TreeTooDeep {
            throw .treeTooDeep(error, in: label)
        } catch {
            throw .git("reading \(label): \(error)", cause: error as? GitError)
        }
    }

    /// The ISMS as staged in the index: the commit about to be made. `file` names another index file than the
    /// repository's own (GIT_INDEX_FILE, absolute).
    public init(indexOf repository: Repository, file: String? = nil, prefix: String) throws(ToolError) {
        self.repository = repository
        label = "the index"
        deepestFolder = nil
        let entries: [IndexEntry]
        do { entries = try repository.indexEntries(file: file) } catch {
            throw .git("reading the index: \(error)", cause: error as? GitError)
        }
        var files = [ExactString: TreeEntry]()
        files.reserveCapacity(entries.count)
        var conflicted = Set<ExactString>()
        let lead = prefix.isEmpty ? "" : prefix + "/"
        for entry in entries {
            guard let relative = entry.path.droppingPathPrefix(lead) else { continue }
            if entry.stage != 0 { conflicted.insert(ExactString(relative)); continue }
            files[ExactString(relative)] = TreeEntry(name: relative, id: entry.id, mode: entry.mode)
        }
        self.files = files
        self.conflicted = conflicted
    }

    /// Whether any file under the ISMS root is in this source (an empty index under the root means nothing staged).
    public var isEmpty: Bool { files.isEmpty && conflicted.isEmpty }

    public func readConfig() throws -> Data? {
        guard let config = files[ExactString("isms.yaml")], config.mode == .file || config.mode == .executable else { return nil }
        // Sized from the object header before it is inflated.
        let size = try repository.objectSize(config.id)
        if size > Limits.configBytes { throw Limits.configTooLarge(size) }
        return try repository.readObject(config.id)
    }

    public func recordEntries() throws -> [SourceEntry] {
        entries(conflicts: true) { RecordKind(folder: $0) != nil }
    }

    public func catalogEntries() throws -> [SourceEntry] {
        // A conflicted catalogue is among the record entries already (every conflicted YAML file is).
        entries(conflicts: false) { $0 == UserCatalog.folder }
    }

    /// The YAML files under the top folders `isFolder` accepts, and those folders when they are links; with
    /// `conflicts`, every YAML file in conflict below the root.
    private func entries(conflicts: Bool, isFolder: (String) -> Bool) -> [SourceEntry] {
        var entries = [SourceEntry]()
        for (key, entry) in files {
            let path = key.string
            if entry.mode == .symlink, isFolder(path) {
                // A kind folder that is a link: reported, not followed (as in the work tree).
                entries.append(SourceEntry(path: path, kind: .symlink(target: linkTarget(entry.id)), size: 0))
                continue
            }
            guard let folder = Self.topFolder(path), isFolder(folder), isRecordFileName(path) else { continue }
            switch entry.mode {
            case .file, .executable:
                // Sized when read (a missing blob is then a clear error, not a zero-byte file).
                entries.append(SourceEntry(path: path, kind: .file, size: 0))
            case .symlink:
                entries.append(SourceEntry(path: path, kind: .symlink(target: linkTarget(entry.id)), size: 0))
            case .submodule:
                entries.append(SourceEntry(path: path, kind: .submodule, size: 0))
            default:
                entries.append(SourceEntry(path: path, kind: .other, size: 0))
            }
        }
        for path in conflicted.map(\.string) where conflicts && path.hasPathSeparator && isRecordFileName(path) {
            entries.append(SourceEntry(path: path, kind: .conflicted, size: 0))
        }
        return entries.sorted { ExactString($0.path) < ExactString($1.path) }
    }

    /// The first component of a path below the root; nil for a path without `/`. An ASCII path (any path the
    /// generated and most real ISMSs have) is cut at its first byte `/`, which is what splitting its characters
    /// does: scanning 2,000 paths as characters was a tenth of listing a commit's records.
    package static func topFolder(_ path: String) -> String? {
        let utf8 = path.utf8
        if let slash = utf8.firstIndex(of: UInt8(ascii: "/")), slash != utf8.startIndex, utf8.allSatisfy({ $0 < 0x80 }) {
            return String(path[..<slash])
        }
        guard path.hasPathSeparator else { return nil }
        return path.pathComponents().first
    }

    /// A link's target for a message: git stores it as a blob, which may hold anything, so only a short one is read.
    private func linkTarget(_ blob: ObjectID) -> String {
        guard let size = try? repository.objectSize(blob), size <= 4096, let data = try? repository.readObject(blob) else { return "?" }
        return String(decoding: data, as: UTF8.self)
    }

    public func read(_ entries: [SourceEntry], limit: Int) throws -> [Result<Data, YAMLProblem>] {
        return try entries.map { entry in
            guard let id = files[ExactString(entry.path)]?.id else {
                return .failure(.init(message: "not a file in \(label)", location: .start, kind: .encoding))
            }
            // The size comes from the object header: an oversized blob is never inflated. A blob that cannot be
            // sized or read is damage to the repository, not a property of the file: the run stops (exit 2).
            let size: Int
            do { size = try repository.objectSize(id) } catch { throw repository.unreadableBlob(id, path: entry.path, at: label, error) }
            if size > limit {
                return .failure(
                    .init(
                        message: "file is \(size) bytes, over the limit of \(limit) (limits.file_bytes in isms.yaml)", location: .start,
                        kind: .tooLarge))
            }
            do { return .success(try repository.readObject(id)) } catch {
                throw repository.unreadableBlob(id, path: entry.path, at: label, error)
            }
        }
    }

    public func artifact(at path: String) -> Data? {
        guard let relative = normalisedRelativePath(path), let entry = files[ExactString(relative)],
            entry.mode == .file || entry.mode == .executable
        else { return nil }
        return try? repository.readObject(entry.id)
    }
}
