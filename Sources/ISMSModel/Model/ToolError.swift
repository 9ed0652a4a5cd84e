import GitKit

/// Why a command could not run at all (exit 2). One message per case.
public enum ToolError: Error, Sendable, CustomStringConvertible, Equatable {
    case noRoot(searchedFrom: String)
    case notARoot(path: String)
    case unreadableConfig(path: String, message: String)
    case notInRepository(path: String)
    case unknownRevision(String, message: String)
    case missingAtRevision(revision: String, path: String)
    /// `cause` is libgit2's own error when one is behind the message, for callers that tell kinds of failure apart.
    case git(String, cause: GitError? = nil)
    case invalidArgument(String)
    case unknownRecord(String, revision: String, suggestion: String?)
    /// An input over one of the `limits` of isms.yaml that are checked before any work (records, commits).
    case limitExceeded(String)
    /// With a trust revision, the history a rule needs could not be read whole: the change cannot be judged.
    case historyIncomplete(String)

    public var description: String {
        switch self {
        case .noRoot(let from): return "no isms.yaml found in \(from) or any folder above it (use --root PATH)"
        case .notARoot(let path): return "\(path) holds no isms.yaml"
        case .unreadableConfig(let path, let message): return "cannot read \(path): \(message)"
        case .notInRepository(let path): return "\(path) is not inside a git repository"
        case .unknownRevision(let rev, let message): return "unknown revision '\(rev)': \(message)"
        case .missingAtRevision(let rev, let path): return "no isms.yaml at \(rev):\(path)"
        case .git(let message, _): return "git: \(message)"
        case .invalidArgument(let message), .limitExceeded(let message), .historyIncomplete(let message): return message
        case .unknownRecord(let id, let revision, let suggestion):
            return "no record '\(id)' in the history of \(revision)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        }
    }
}

extension ToolError {
    /// Over one of the limits of isms.yaml.
    public var isLimit: Bool {
        if case .limitExceeded = self { return true }
        return false
    }

    /// A record file name that is not UTF-8 in a commit the history reads, as one line.
    public static func undecodableFileName(_ error: UndecodableFileName, in label: String) -> ToolError {
        .git("\(label): \(error) and cannot follow the records through it")
    }

    /// A git tree whose folders nest deeper than `limits.tree_depth`, as one line.
    public static func treeTooDeep(_ error: TreeTooDeep, in label: String) -> ToolError {
        .limitExceeded(
            "\(label) holds folders nested more than \(error.limit) deep (\(error.shortPath)), "
                + "over the limit of \(error.limit) (limits.tree_depth in isms.yaml)")
    }
}

extension ToolError {
    /// Why `revision` could not be resolved, said plainly: unknown, beyond a shallow clone's boundary, in a
    /// repository without commits, or in a damaged repository.
    package static func revision(_ revision: String, _ error: Error, in repository: Repository) -> ToolError {
        guard let error = error as? GitError else { return .unknownRevision(revision, message: "\(error)") }
        if error.isCorrupt { return .git("cannot read revision '\(revision)': \(error.description)", cause: error) }
        if repository.isHeadUnborn
            && (revision == "HEAD" || revision.hasPrefix("HEAD~") || revision.hasPrefix("HEAD^")
                || revision.hasPrefix("@"))
        {
            return .unknownRevision(revision, message: "the repository has no commits yet")
        }
        var message = error.message
        if error.isNotFound && !repository.shallowBoundary().commits.isEmpty {
            message +=
                "; this is a shallow clone, and the commit may be beyond its boundary: fetch more history "
                + "(`git fetch --deepen=N` or `git fetch --unshallow`; in GitHub Actions `fetch-depth: 0` on actions/checkout)"
        }
        return .unknownRevision(revision, message: message)
    }
}

extension Repository {
    /// One line saying why the blob of the record file `path` (relative to the ISMS root) could not be read
    /// from `label`, and what to do about it.
    package func unreadableBlob(_ blob: ObjectID, path: String, at label: String, _ error: Error) -> ToolError {
        if let git = error as? GitError, git.isNotFound {
            if isPartialClone {
                return .git(
                    "the record file \(path) (blob \(blob.short)) at \(label) is not in this partial clone, and isms never "
                        + "fetches; run it in a full clone (no --filter; no `filter` on actions/checkout)", cause: git)
            }
            return .git(
                "the record file \(path) (blob \(blob.short)) is missing from the repository; run `git fsck` to find the damage", cause: git
            )
        }
        return .git("cannot read the record file \(path) (blob \(blob.short)) at \(label): \(error)", cause: error as? GitError)
    }
}
