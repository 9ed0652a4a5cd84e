import Foundation

/// Records as they are in the tree of a commit, read from git objects without touching the work tree.
public final class GitTreeSource: RecordSource, @unchecked Sendable {
    public let label: String
    private let repository: Repository
    private let rootTree: ObjectID
    // libgit2 objects of one repository are used from one thread at a time.
    private let lock = NSLock()

    /// `prefix` is the ISMS root relative to the repository's top ("" when they are the same).
    public init(repository: Repository, revision: String, prefix: String) throws(ToolError) {
        self.repository = repository
        label = revision
        do {
            let commit = try repository.resolveCommit(revision)
            let tree = try repository.treeOfCommit(commit)
            guard let root = try repository.subtree(of: tree, at: prefix) else {
                throw ToolError.missingAtRevision(revision: revision, path: prefix.isEmpty ? "isms.yaml" : prefix + "/isms.yaml")
            }
            rootTree = root
        } catch let error as ToolError {
            throw error
        } catch let error as GitError {
            throw error.isNotFound || error.code == -1 ? .unknownRevision(revision, message: error.message) : .git(error.description)
        } catch {
            throw .git("\(error)")
        }
    }

    private func entry(at path: String) -> TreeEntry? {
        let parts = path.split(separator: "/")
        var tree = rootTree
        for (index, part) in parts.enumerated() {
            guard let found = try? repository.treeEntries(tree).first(where: { $0.name == part }) else { return nil }
            if index == parts.count - 1 { return found }
            guard found.mode == .tree else { return nil }
            tree = found.id
        }
        return nil
    }

    public func readConfig() throws -> Data? {
        lock.lock(); defer { lock.unlock() }
        guard let config = entry(at: "isms.yaml"), config.mode == .file || config.mode == .executable else { return nil }
        return try repository.readObject(config.id)
    }

    public func recordEntries() throws -> [SourceEntry] {
        lock.lock(); defer { lock.unlock() }
        var entries = [SourceEntry]()
        blobs = [:]
        for kind in RecordKind.allCases {
            guard let folder = entry(at: kind.folder), folder.mode == .tree else { continue }
            try walk(folder.id, relative: kind.folder, into: &entries)
        }
        return entries.sorted { $0.path < $1.path }
    }

    private var blobs: [String: ObjectID] = [:]

    private func walk(_ tree: ObjectID, relative: String, into entries: inout [SourceEntry]) throws {
        for item in try repository.treeEntries(tree) {
            let path = relative + "/" + item.name
            switch item.mode {
            case .tree:
                try walk(item.id, relative: path, into: &entries)
            case .file where isRecordFileName(item.name), .executable where isRecordFileName(item.name):
                blobs[path] = item.id
                entries.append(SourceEntry(path: path, kind: .file, size: (try? repository.objectSize(item.id)) ?? 0))
            case .symlink where isRecordFileName(item.name):
                let target = (try? repository.readObject(item.id)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                entries.append(SourceEntry(path: path, kind: .symlink(target: target), size: 0))
            case .submodule where isRecordFileName(item.name):
                entries.append(SourceEntry(path: path, kind: .submodule, size: 0))
            default:
                continue
            }
        }
    }

    public func read(_ entries: [SourceEntry], limit: Int) -> [Result<Data, YAMLProblem>] {
        lock.lock(); defer { lock.unlock() }
        return entries.map { entry in
            if entry.size > limit {
                return .failure(.init(message: "file is \(entry.size) bytes, over the limit of \(limit) (limits.file_bytes in isms.yaml)", location: .start, kind: .tooLarge))
            }
            guard let id = blobs[entry.path] else {
                return .failure(.init(message: "not a file in \(label)", location: .start, kind: .encoding))
            }
            do { return .success(try repository.readObject(id)) } catch {
                return .failure(.init(message: "cannot read from \(label): \(error)", location: .start, kind: .encoding))
            }
        }
    }

    public func artifact(at path: String) -> Data? {
        guard let relative = normalisedRelativePath(path) else { return nil }
        lock.lock(); defer { lock.unlock() }
        guard let found = entry(at: relative), found.mode == .file || found.mode == .executable else { return nil }
        return try? repository.readObject(found.id)
    }
}
