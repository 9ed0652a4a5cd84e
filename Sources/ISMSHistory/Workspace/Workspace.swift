import Foundation
import GitKit
import ISMSCore
import ISMSLoading
import ISMSModel

/// Where the ISMS is: its root folder and, when there is one, the git repository around it.
public final class Workspace: Sendable {
    /// Absolute path of the folder holding isms.yaml.
    public let root: String
    public let repository: Repository?
    /// The root relative to the repository's work tree ("" when the same, nil outside a repository).
    public let repositoryPrefix: String?
    /// The root as named (absolute, `.` and `..` removed by the name alone, links not resolved): where to look for
    /// a link on the way to it.
    package let rootAsNamed: String
    /// The index `--staged` reads when it is not the repository's own: GIT_INDEX_FILE, made absolute.
    public let indexFile: String?
    /// isms.yaml as parsed from git objects this run, shared by the history engine, the trust and the roster.
    package let settings = ParsedSettings()

    /// The last history the history rules read in this workspace: the gate's merge base is judged from the head's
    /// (`HistoryOptions.reusing`).
    package let lastHistory = Locked<History?>(nil)

    /// The signature verdicts the history rules' verifiers made this run, shared between the head's and the merge
    /// base's checks of `check --base` (`SignatureVerifier.init(trust:repository:cachePath:shared:)`).
    package let sharedVerdicts = SharedVerdicts()

    /// What the history rules of the checks of this run offer each other (the head's and the merge base's of
    /// `check --base`).
    package let sharedAnswers = SharedAnswers()

    /// Finds the ISMS root: `explicitRoot` when given (it must hold isms.yaml), else the nearest folder
    /// at or above `currentDirectory` that does.
    /// `environment` is read for GIT_INDEX_FILE (see `indexFile(environment:currentDirectory:)`).
    public init(
        explicitRoot: String?, currentDirectory: String = FileManager.default.currentDirectoryPath,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ToolError) {
        indexFile = Workspace.indexFile(environment: environment, currentDirectory: currentDirectory)
        if let explicitRoot {
            let absolute = Workspace.absolute(explicitRoot, from: currentDirectory)
            guard case .file = WorkTreeSource.kind(of: absolute + "/isms.yaml") else { throw .notARoot(path: explicitRoot) }
            root = absolute
            rootAsNamed = Workspace.lexical(explicitRoot.hasPrefix("/") ? explicitRoot : currentDirectory + "/" + explicitRoot)
        } else {
            var folder = Workspace.absolute(currentDirectory, from: "/")
            while true {
                if case .file = WorkTreeSource.kind(of: folder + "/isms.yaml") { break }
                let parent = (folder as NSString).deletingLastPathComponent
                guard parent != folder, !parent.isEmpty else { throw .noRoot(searchedFrom: currentDirectory) }
                folder = parent
            }
            root = folder
            rootAsNamed = folder
        }
        do {
            repository = try Repository.discover(containing: root)
        } catch {
            throw .git("\(error)", cause: error as? GitError)
        }
        if let top = repository?.workTree {
            let resolvedTop = Workspace.realPath(top), resolvedRoot = Workspace.realPath(root)
            if resolvedRoot == resolvedTop {
                repositoryPrefix = ""
            } else if resolvedRoot.hasPrefix(resolvedTop + "/") {
                repositoryPrefix = String(resolvedRoot.dropFirst(resolvedTop.count + 1))
            } else {
                repositoryPrefix = nil
            }
        } else {
            repositoryPrefix = nil
        }
    }

    /// The work tree as it is on disk.
    public var workTreeSource: WorkTreeSource { WorkTreeSource(root: root) }

    /// The ISMS as it is in the commit `revision`, read from git objects.
    public func source(at revision: String) throws(ToolError) -> GitObjectSource {
        let (repository, prefix) = try requireRepository()
        return try GitObjectSource(repository: repository, revision: revision, prefix: prefix)
    }

    /// The ISMS at `revision`, read through a handle of its own on the repository (`Repository.anotherHandle`): a
    /// check reads its records while its history is read, and the history read holds the workspace's handle (its walk
    /// from start to end); the records are then read beside it rather than in turns with it.
    public func sourceBesideHistory(at revision: String) throws(ToolError) -> GitObjectSource {
        let (repository, prefix) = try requireRepository()
        return try GitObjectSource(repository: repository.anotherHandle() ?? repository, revision: revision, prefix: prefix)
    }

    /// The ISMS as staged in the index.
    public func stagedSource() throws(ToolError) -> GitObjectSource {
        let (repository, prefix) = try requireRepository()
        return try GitObjectSource(indexOf: repository, file: indexFile, prefix: prefix)
    }

    /// The repository and the root's place in it, or a tool error outside one.
    public func requireRepository() throws(ToolError) -> (Repository, String) {
        guard let repository, let repositoryPrefix else { throw .notInRepository(path: root) }
        return (repository, repositoryPrefix)
    }

    /// The history of the records under the root, read from git objects.
    public func historyEngine() throws(ToolError) -> HistoryEngine {
        guard let repository, let repositoryPrefix else { throw .notInRepository(path: root) }
        let engine = HistoryEngine(repository: repository, root: repositoryPrefix)
        engine.settings = settings
        return engine
    }

    /// The root as the user should see it in paths: relative to the current folder when below it.
    public func displayPrefix(currentDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let cwd = Workspace.realPath(currentDirectory), real = Workspace.realPath(root)
        if real == cwd { return "" }
        if real.hasPrefix(cwd + "/") { return String(real.dropFirst(cwd.count + 1)) }
        return root
    }

    /// The index file git names in GIT_INDEX_FILE; nil when unset (the repository's own index is read). git sets
    /// it for the hooks of every `git commit`, and for `git commit -a` and `git commit <paths>` it names a temporary
    /// index (`.git/index.lock`, `.git/next-index-*.lock`) that holds the commit about to be made while `.git/index`
    /// does not. A relative path is relative to the current folder: git runs hooks at the work tree's top and names
    /// the file from there.
    package static func indexFile(environment: [String: String], currentDirectory: String) -> String? {
        guard let file = environment["GIT_INDEX_FILE"], !file.isEmpty else { return nil }
        return absolute(file, from: currentDirectory)
    }

    /// `path` with `.`, `..` and empty components removed by name, never by reading links.
    package static func lexical(_ path: String) -> String {
        var parts = [String]()
        for part in path.pathComponents() {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    package static func absolute(_ path: String, from base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return (joined as NSString).standardizingPath
    }

    package static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
