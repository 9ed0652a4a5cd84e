import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// The revision a change is judged from (`--trust-ref`, by default BASE in `check --base` and `diff`): its
/// policy — rules, severities, trust files, roster, limits — judges the change, never the change's own.
public struct TrustedRevision: Sendable {
    /// As the user named it (`origin/main`), for messages.
    public let name: String
    public let commit: ObjectID
    /// Its isms.yaml read as settings; defaults when the ISMS did not exist there yet.
    public let config: Config
    /// The trusted isms.yaml's blob, so a history cache built under another policy is not reused.
    package let configBlob: ObjectID?
}

extension Workspace {
    /// Reads the policy at `name`. Failing to read it is a tool error: a change must not be judged by its own
    /// policy because the trusted one could not be read.
    public func trustedRevision(_ name: String) throws(ToolError) -> TrustedRevision {
        let (repository, prefix) = try requireRepository()
        // The policy is read at the root's place in the repository: a root reached through a link could be moved
        // by the change itself to a place the trusted revision has no policy for.
        if let link = linkOnTheWayToRoot() {
            throw .invalidArgument(
                "the ISMS root \(rootAsNamed) is reached through the symbolic link \(link); with a trust revision "
                    + "(--base, --trust-ref) give the real folder, so the change cannot move the ISMS away from the policy that judges it")
        }
        let commit: ObjectID
        do { commit = try repository.resolveCommit(name) } catch {
            throw .revision(name, error, in: repository)
        }
        let blob: ObjectID?
        let data: Data?
        do {
            let root = try repository.subtree(of: repository.treeOfCommit(commit), at: prefix)
            let entry = try root.flatMap { try repository.entry(named: "isms.yaml", in: $0) }
            blob = entry.flatMap { $0.mode == .file || $0.mode == .executable ? $0.id : nil }
            if let blob {
                let size = try repository.objectSize(blob)
                if size > Limits.configBytes { throw Limits.configTooLarge(size) }
                data = try repository.readObject(blob)
            } else {
                data = nil
            }
        } catch {
            throw .unreadableConfig(path: "\(name):isms.yaml", message: "\(error); the trusted policy is needed to judge the change")
        }
        guard let data, let blob else { return TrustedRevision(name: name, commit: commit, config: Config(), configBlob: nil) }
        let config: Config
        do { config = try ConfigReader.read(data, path: "isms.yaml", ruleIDs: nil).0 } catch {
            throw .unreadableConfig(path: "\(name):isms.yaml", message: "\(error); the trusted policy is needed to judge the change")
        }
        return TrustedRevision(name: name, commit: commit, config: config, configBlob: blob)
    }
}

extension Workspace {
    /// The first folder from the repository's top down to the ISMS root (the root included) that is a symbolic
    /// link, as written; nil when none is, or outside a repository.
    package func linkOnTheWayToRoot() -> String? {
        guard let top = repository?.workTree else { return nil }
        let base = Workspace.lexical(top)
        var path = rootAsNamed
        var links = [String]()
        while path.count > base.count, path.hasPrefix(base) {
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK { links.append(path) }
            path = (path as NSString).deletingLastPathComponent
        }
        return links.last
    }
}
