import Foundation
import ISMSModel

/// Writing files below a folder without following a symbolic link on the way.
///
/// A repository can commit a link where a folder is expected (`risks -> /etc`), and `isms new` or `import`
/// run in a clone of it would then write wherever the link points. So every folder below `base` is opened
/// with `O_NOFOLLOW | O_DIRECTORY` relative to the folder above it (created when missing, then opened the
/// same way), and the file is created relative to the last folder's descriptor: nothing between the checks
/// and the write can swap a folder for a link. `base` itself is what the user named (the ISMS root, or the
/// current folder) and is opened as is.
public enum ContainedWrite {
    public enum Mode: Sendable {
        /// A new file: `O_CREAT | O_EXCL | O_NOFOLLOW`; an existing file or link is refused.
        case create
        /// A file that may exist and is replaced whole: written to a new temporary file beside it, then renamed
        /// over it (a rename replaces a link, never writes through it). A link or folder at the name is refused.
        case replace
    }

    /// Writes `content` at `relative` (components separated by `/`) below `base`, creating missing folders.
    /// `shown` is the path as the user should read it in a refusal. `allowParent` lets `..` climb (a path
    /// the user typed, such as `--out ../schemas`; never a path made from record content).
    /// With `dryRun`, nothing is created: the folders that exist are checked and the file must be absent, so a
    /// command writing several files can refuse before it writes the first.
    public static func write(
        _ content: Data, to relative: String, below base: String, mode: Mode, shown: String? = nil,
        allowParent: Bool = false, dryRun: Bool = false
    ) throws(ToolError) {
        let shown = shown ?? relative
        func refuse(_ why: String) -> ToolError { .invalidArgument("refusing to write \(shown): \(why)") }
        var components = relative.split(separator: "/").map(String.init).filter { $0 != "." }
        guard let name = components.popLast(), name != ".." else { throw refuse("not a file name") }
        if !allowParent, components.contains("..") { throw refuse("the path climbs out of \(base) with ..") }

        var folder = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw refuse("cannot open \(base) (\(String(cString: strerror(errno))))") }
        defer { close(folder) }
        var walked = [String]()
        for component in components {
            walked.append(component)
            var next = openat(folder, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT && dryRun { return }
            if next < 0 && errno == ENOENT {
                // Created by us, or by someone racing us; either way it is opened without following below.
                if mkdirat(folder, component, 0o777) != 0 && errno != EEXIST {
                    throw refuse("cannot create the folder \(walked.joined(separator: "/")) (\(String(cString: strerror(errno))))")
                }
                next = openat(folder, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                let error = errno
                throw refuse(describe(component, in: folder, path: walked.joined(separator: "/"), error: error, expectFolder: true))
            }
            close(folder)
            folder = next
        }

        if dryRun {
            var info = stat()
            guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
            if mode == .replace && info.st_mode & S_IFMT == S_IFREG { return }
            throw refuse(describe(name, in: folder, path: (walked + [name]).joined(separator: "/"), error: EEXIST, expectFolder: false))
        }
        switch mode {
        case .create:
            let file = openat(folder, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
            guard file >= 0 else {
                let error = errno
                throw refuse(describe(name, in: folder, path: (walked + [name]).joined(separator: "/"), error: error, expectFolder: false))
            }
            if let problem = writeAll(content, to: file) {
                close(file)
                unlinkat(folder, name, 0)
                throw refuse(problem)
            }
            close(file)
        case .replace:
            var info = stat()
            if fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT != S_IFREG {
                throw refuse(describe(name, in: folder, path: (walked + [name]).joined(separator: "/"), error: EEXIST, expectFolder: false))
            }
            let temporary = ".\(name).isms-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let file = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
            guard file >= 0 else { throw refuse("cannot create a temporary file beside it (\(String(cString: strerror(errno))))") }
            if let problem = writeAll(content, to: file) {
                close(file)
                unlinkat(folder, temporary, 0)
                throw refuse(problem)
            }
            close(file)
            guard renameat(folder, temporary, folder, name) == 0 else {
                let reason = String(cString: strerror(errno))
                unlinkat(folder, temporary, 0)
                throw refuse(reason)
            }
        }
    }

    private static func writeAll(_ content: Data, to file: Int32) -> String? {
        var failure: String?
        content.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = Foundation.write(file, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                done += n
            }
        }
        return failure
    }

    /// Why `name` in `folder` could not be opened as a folder (or created as a file), in words.
    private static func describe(_ name: String, in folder: Int32, path: String, error: Int32, expectFolder: Bool) -> String {
        var info = stat()
        if fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: 4097)
                let n = readlinkat(folder, name, &buffer, 4096)
                let target = n >= 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
                return "\(path) is a symbolic link to '\(target)', which isms does not follow when writing"
            case S_IFDIR where !expectFolder:
                return "\(path) is a folder"
            case S_IFDIR:
                break
            default:
                return expectFolder ? "\(path) is not a folder" : "\(path) already exists; refusing to overwrite it"
            }
        }
        return "\(path): \(String(cString: strerror(error)))"
    }
}

extension ContainedWrite {
    /// Replaces the file at `path` as the user typed it (`--out DIR/NAME`, `--html OUT`): relative to the
    /// current folder, or to `/` when absolute, following no link on the way, so a folder of a checked-out
    /// repository that is a committed link is refused rather than written through.
    public static func write(_ content: Data, typedPath path: String, dryRun: Bool = false) throws(ToolError) {
        let absolute = path.hasPrefix("/")
        try write(
            content, to: absolute ? String(path.dropFirst()) : path, below: absolute ? "/" : ".", mode: .replace,
            shown: path, allowParent: true, dryRun: dryRun)
    }
}
