import Foundation
import GitKit
import ISMSCore

#if canImport(Glibc)
    import Glibc
    import ISMSCore
    import ISMSModel
#endif

/// Records as they are in a folder on disk. Never follows a symbolic link.
public struct WorkTreeSource: RecordSource {
    public let root: String
    public var label: String { "work tree" }

    public init(root: String) {
        self.root = root
    }

    public func readConfig() throws -> Data? {
        let path = root + "/isms.yaml"
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        // Sized before it is read: isms.yaml is as untrusted as any record in a pull request.
        if Int(info.st_size) > Limits.configBytes { throw Limits.configTooLarge(Int(info.st_size)) }
        return try readOne(SourceEntry(path: "isms.yaml", kind: .file, size: Int(info.st_size)), limit: Limits.configBytes).get()
    }

    public func recordEntries() throws -> [SourceEntry] {
        entries(under: RecordKind.allCases.map(\.folder))
    }

    public func catalogEntries() throws -> [SourceEntry] {
        entries(under: [UserCatalog.folder])
    }

    private func entries(under folders: [String]) -> [SourceEntry] {
        var entries = [SourceEntry]()
        for folder in folders {
            // A kind folder that is a link would lead out of the root: reported, not followed.
            switch Self.kind(of: root + "/" + folder) {
            case .symlink: entries.append(SourceEntry(path: folder, kind: .symlink(target: Self.linkTarget(root + "/" + folder)), size: 0))
            case .directory: walk(relative: folder, into: &entries)
            default: continue
            }
        }
        // In git's order (bytes), as a commit's tree is listed: sorted as text, an NFD name came after an NFC one git lists
        // after it, and the first of two files claiming one id was another file than in `check --rev`.
        return entries.sorted { ExactString($0.path) < ExactString($1.path) }
    }

    private func walk(relative: String, into entries: inout [SourceEntry]) {
        guard let dir = opendir(root + "/" + relative) else { return }
        defer { closedir(dir) }
        while let item = readdir(dir) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let child = relative + "/" + name
            if FileName.isUndecodable(name) {
                // Not UTF-8: the decoded name opens nothing (or another file), so it is listed to be reported, not read.
                let type = Int(item.pointee.d_type)
                if type == Int(DT_DIR) || type == Int(DT_UNKNOWN) || isRecordFileName(child) {
                    entries.append(SourceEntry(path: child, kind: .other, size: 0))
                }
                continue
            }
            var info = stat()
            // lstat relative to the open folder: no path to resolve again from the root for every file.
            guard fstatat(dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                // A folder holding `.git` is another repository (a checked-out submodule, a nested clone): its files
                // are not this repository's, and `check --rev` would not see them either.
                var nested = stat()
                if fstatat(dirfd(dir), name + "/.git", &nested, AT_SYMLINK_NOFOLLOW) == 0 {
                    if isRecordFileName(child) { entries.append(SourceEntry(path: child, kind: .submodule, size: 0)) }
                } else {
                    walk(relative: child, into: &entries)
                }
            case S_IFREG where isRecordFileName(child):
                entries.append(SourceEntry(path: child, kind: .file, size: Int(info.st_size)))
            case S_IFLNK where isRecordFileName(child):
                entries.append(SourceEntry(path: child, kind: .symlink(target: Self.linkTarget(root + "/" + child)), size: 0))
            default:
                if isRecordFileName(child) { entries.append(SourceEntry(path: child, kind: .other, size: 0)) }
            }
        }
    }

    public func read(_ entries: [SourceEntry], limit: Int) -> [Result<Data, YAMLProblem>] {
        parallelMap(entries) { entry in readOne(entry, limit: limit) }
    }

    package func readOne(_ entry: SourceEntry, limit: Int) -> Result<Data, YAMLProblem> {
        if entry.size > limit {
            return .failure(
                .init(
                    message: "file is \(entry.size) bytes, over the limit of \(limit) (limits.file_bytes in isms.yaml)", location: .start,
                    kind: .tooLarge))
        }
        let fd = open(root + "/" + entry.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            return .failure(.init(message: "cannot open: \(String(cString: strerror(errno)))", location: .start, kind: .encoding))
        }
        defer { close(fd) }
        // One byte more than the listed size, so that the read that finds the end needs no larger buffer: a
        // buffer grown by 64 KiB per file would cost 10,000 × 64 KiB of touched memory on a large ISMS.
        var capacity = entry.size + 1
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        var total = 0
        // Read at most limit+1 bytes, so a file that grew meanwhile is still caught by the size limit.
        while total <= limit {
            if total == capacity {
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity + 65_536, alignment: 1)
                grown.copyMemory(from: buffer, byteCount: total)
                buffer.deallocate()
                buffer = grown
                capacity += 65_536
            }
            let n = Glibc.read(fd, buffer + total, capacity - total)
            if n <= 0 { break }
            total += n
        }
        // An exact-size copy: the data lives until the record is parsed, and the buffer may be larger.
        let data = Data(bytes: buffer, count: total)
        buffer.deallocate()
        return .success(data)
    }

    public func artifact(at path: String) -> Data? {
        guard let relative = normalisedRelativePath(path) else { return nil }
        // Every folder on the way must be a real folder: a link anywhere is not followed.
        let components = relative.pathComponents()
        var current = root
        for component in components.dropLast() {
            current += "/" + component
            guard case .directory = Self.kind(of: current) else { return nil }
        }
        current += "/" + components.last!
        guard case .file = Self.kind(of: current) else { return nil }
        return try? readOne(SourceEntry(path: relative, kind: .file, size: 0), limit: 1 << 30).get()
    }

    package enum PathKind { case file, directory, symlink, missing }
    package static func kind(of path: String) -> PathKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFLNK: return .symlink
        case S_IFDIR: return .directory
        default: return .missing
        }
    }

    package static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return "?" }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
