import Foundation
import GitKit
import ISMSHistory
import ISMSModel

/// The git pre-commit hook that runs `isms check --staged`. It is recognised by its marker line, so
/// `isms` never replaces or removes a hook it did not write.
public struct PreCommitHook {
    public static let marker = "# isms-pre-commit-hook v1"

    public let path: String
    package let rootArgument: String

    public init(workspace: Workspace) throws(ToolError) {
        let (repository, prefix) = try workspace.requireRepository()
        var hooks = repository.commonDirectory + "/hooks"
        if let configured = try? repository.configString("core.hooksPath") {
            let base = repository.workTree ?? repository.gitDirectory
            hooks = configured.hasPrefix("/") ? configured : base + "/" + configured
        }
        path = hooks + "/pre-commit"
        rootArgument = prefix.isEmpty ? "." : prefix
    }

    /// The script; `executable` is the isms binary to run (overridable with ISMS_BIN at commit time).
    public func script(executable: String) -> String {
        """
        #!/bin/sh
        \(Self.marker)
        # Written by `isms hook install`; `isms hook uninstall` removes it. Checks exactly what is staged.
        ISMS_BIN=${ISMS_BIN:-\(Self.shellQuoted(executable))}
        if ! command -v "$ISMS_BIN" >/dev/null 2>&1; then
            echo "isms pre-commit hook: $ISMS_BIN not found; set ISMS_BIN or reinstall with 'isms hook install --force'" >&2
            exit 1
        fi
        exec "$ISMS_BIN" check --staged --root \(Self.shellQuoted(rootArgument))

        """
    }

    public enum State: Equatable { case absent, ours, foreign }

    public var state: State {
        guard let data = FileManager.default.contents(atPath: path) else { return .absent }
        return String(decoding: data, as: UTF8.self).contains(Self.marker) ? .ours : .foreign
    }

    /// Writes the hook. A hook isms did not write is kept unless `force`, and then saved beside it.
    /// Returns the path of the saved hook, if one was saved.
    @discardableResult
    public func install(executable: String, force: Bool) throws(ToolError) -> String? {
        var saved: String?
        switch state {
        case .foreign:
            guard force else {
                throw .invalidArgument(
                    "\(path) exists and was not written by isms; use --force to replace it (it is saved as pre-commit.isms-saved)")
            }
            saved = path + ".isms-saved"
            do {
                if FileManager.default.fileExists(atPath: saved!) { try FileManager.default.removeItem(atPath: saved!) }
                try FileManager.default.moveItem(atPath: path, toPath: saved!)
            } catch { throw .invalidArgument("cannot save the existing hook: \(error.localizedDescription)") }
        case .ours, .absent:
            break
        }
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(script(executable: executable).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        } catch { throw .invalidArgument("cannot write \(path): \(error.localizedDescription)") }
        return saved
    }

    /// Removes the hook if isms wrote it; restores a hook saved by `install --force`.
    public func uninstall() throws(ToolError) -> State {
        let before = state
        switch before {
        case .absent: return .absent
        case .foreign: throw .invalidArgument("\(path) was not written by isms; not removing it")
        case .ours:
            do {
                try FileManager.default.removeItem(atPath: path)
                let saved = path + ".isms-saved"
                if FileManager.default.fileExists(atPath: saved) { try FileManager.default.moveItem(atPath: saved, toPath: path) }
            } catch { throw .invalidArgument("cannot remove \(path): \(error.localizedDescription)") }
            return .ours
        }
    }

    package static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
