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

    /// A git tree whose folders nest deeper than `limits.tree_depth`, as one line.
    public static func treeTooDeep(_ error: TreeTooDeep, in label: String) -> ToolError {
        .limitExceeded("\(label) holds folders nested more than \(error.limit) deep (\(error.shortPath)), "
                       + "over the limit of \(error.limit) (limits.tree_depth in isms.yaml)")
    }
}
