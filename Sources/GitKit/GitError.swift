import CLibGit2
import Foundation
import ISMSCore

/// A failure reported by libgit2, with the message it left in `git_error_last`.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    public let code: Int32
    public let operation: String
    public let message: String
    /// libgit2's error class (`GIT_ERROR_ZLIB`, `GIT_ERROR_ODB`, …); 0 when not from libgit2.
    public let errorClass: Int32

    public init(code: Int32, operation: String, message: String, errorClass: Int32 = 0) {
        self.code = code
        self.operation = operation
        self.message = message
        self.errorClass = errorClass
    }

    public var description: String {
        "\(operation): \(message)" + (isCorrupt ? " (the repository is damaged; run `git fsck` to find what)" : "")
    }

    /// True when libgit2 said the object or reference does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    /// True when an object exists but cannot be read: a damaged pack or loose object, or an object that does
    /// not parse.
    public var isCorrupt: Bool {
        guard !isNotFound else { return false }
        return errorClass == Int32(GIT_ERROR_ZLIB.rawValue) || errorClass == Int32(GIT_ERROR_ODB.rawValue)
            || errorClass == Int32(GIT_ERROR_OBJECT.rawValue)
    }

    /// An object that is in the repository but malformed (a tree or commit that does not parse).
    package static func corruptObject(_ operation: String, _ message: String) -> GitError {
        GitError(code: -1, operation: operation, message: message, errorClass: Int32(GIT_ERROR_OBJECT.rawValue))
    }
}

/// Turns a libgit2 return code into a thrown `GitError`; every call in this folder goes through it.
@discardableResult
package func check(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    var message = "error \(code)"
    var errorClass: Int32 = 0
    if let last = git_error_last() {
        if let text = last.pointee.message { message = String(cString: text) }
        errorClass = last.pointee.klass
    }
    throw GitError(code: code, operation: operation(), message: message, errorClass: errorClass)
}

/// libgit2 must be initialised once per process before any other call.
package enum LibGit2 {
    /// libgit2's object cache limit (`ISMS_GIT_CACHE_MB` overrides it, for measurements only).
    package static let cacheBytes: Int = {
        if let value = getenv("ISMS_GIT_CACHE_MB").flatMap({ Int(String(cString: $0)) }), value >= 0 { return value << 20 }
        return 8 << 20
    }()

    /// A setting in MB from the environment (for measurements only), else `fallback`.
    private static func megabytes(_ name: String, _ fallback: Int) -> Int {
        if let value = getenv(name).flatMap({ Int(String(cString: $0)) }), value >= 0 { return value << 20 }
        return fallback
    }

    /// How much of a pack libgit2 maps at a time (`ISMS_GIT_WINDOW_MB`) and keeps mapped at most
    /// (`ISMS_GIT_MAPPED_MB`); see `initialised`.
    package static let windowBytes = megabytes("ISMS_GIT_WINDOW_MB", 32 << 20)
    package static let mappedBytes = megabytes("ISMS_GIT_MAPPED_MB", 64 << 20)
    /// The largest tree libgit2's cache keeps (`ISMS_GIT_TREE_CACHE_KB`; libgit2's default is 4 KiB, isms keeps none).
    package static let treeCacheBytes: Int = {
        if let value = getenv("ISMS_GIT_TREE_CACHE_KB").flatMap({ Int(String(cString: $0)) }), value >= 0 { return value << 10 }
        return 0
    }()

    /// How many sets of separate packs the object readers of a process open at most (`ISMS_GIT_READER_PACKS`, for
    /// measurements only): readers past that share them (see `ObjectReader`).
    package static let readerPacks: Int = {
        if let value = getenv("ISMS_GIT_READER_PACKS").flatMap({ Int(String(cString: $0)) }), value >= 1 { return value }
        return 2
    }()

    /// The process's limit of open file descriptors (`RLIMIT_NOFILE`, the soft one; unlimited is the largest `rlim_t`).
    package static var openFileLimit: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        return Int(clamping: limit.rlim_cur)
    }

    /// The most pack files libgit2 keeps open at once: a quarter of the soft open-file limit, at least 16; none when
    /// the limit is unlimited (or cannot be read).
    package static let packFileLimit: Int = {
        let files = openFileLimit
        return files > 0 && files < Int(Int32.max) ? max(16, files / 4) : 0
    }()

    package static let initialised: Bool = {
        git_libgit2_init()
        // isms only reads objects and never runs hooks, filters or fsmonitor, so a repository owned by another
        // user (a CI checkout, a mounted volume) is safe to read; git's safe.directory check would refuse it.
        isms_git_set_owner_validation(0)
        // libgit2 re-hashes every object it reads (with collision-detecting SHA-1), which cost more than all
        // other work of a history walk; git verifies hashes in `git fsck`, not on every read, and so do we.
        isms_git_set_strict_hash_verification(0)
        // libgit2 caches the commits it reads, up to 8 MB of their raw size (its default is 256 MB). A walk reads each
        // commit once and the reads after it hit the cache seldom; a parsed commit takes about three times its raw
        // size, so at 256 MB a cold `log` of a million commits held several hundred MB of them. At 8 MB a cold `log`
        // of 100,000 commits peaked 50 MB lower and took no more CPU (at 20,000 commits: the same within the noise).
        isms_git_set_cache_max_size(cacheBytes)
        // Trees are not kept: a history read meets each commit's small trees once or twice (and keeps the last 256 it
        // read itself, `recentTrees`), and libgit2 kept every one under 4 KiB, 1.3 KB a commit of a cold `log`.
        isms_git_set_cache_object_limit(Int32(GIT_OBJECT_TREE.rawValue), treeCacheBytes)
        // libgit2 maps a pack in windows of 1 GiB and keeps up to 8 GiB mapped (its 64-bit defaults): every page
        // of the pack a history read touches stays resident, which on 1,000,000 commits is the whole pack, about a
        // gigabyte. Windows of 32 MB, at most 64 MB mapped, bound that; the pages stay in the kernel's file cache.
        isms_git_set_mwindow_size(windowBytes)
        isms_git_set_mwindow_mapped_limit(mappedBytes)
        // libgit2 keeps every pack it has read open (no limit by default): a repository never repacked, a pack per
        // fetch, ran out of descriptors under the process's limit and then reported a commit in a closed pack as
        // missing. A quarter of the soft limit leaves the rest to the files isms opens itself.
        isms_git_set_mwindow_file_limit(packFileLimit)
        // Packs rank above the loose-object guard, which ranks above the loose objects (`LooseObjectGuard`).
        isms_git_set_odb_packed_priority(LooseObjectGuard.packedPriority)
        return true
    }()
}

/// libgit2's initialisation (`LibGit2.initialised`) running on a thread of its own, started before a command parses its
/// arguments: most of it is mbedTLS parsing the system's CA certificates (about 2 ms, `git_libgit2_init` does it
/// before any option could skip it), which then overlaps the parsing on the other core. The first repository opened
/// joins the thread first (`finish`): a thread meeting the lazy global while another runs it would wait on a
/// priority-inheritance lock, which spins while the other runs (the process's CPU grew by the time it waited).
package enum LibGit2Initialisation {
    private static let pending = Locked<pthread_t?>(nil)

    /// Starts the thread (nothing when one is pending).
    package static func start() {
        pending.withLock { pending in
            guard pending == nil else { return }
            var thread = pthread_t()
            let started = pthread_create(
                &thread, nil,
                { _ in
                    _ = LibGit2.initialised
                    return nil
                }, nil)
            if started == 0 { pending = thread }
        }
    }

    /// Waits for the thread `start` started, if any: before libgit2 is used, and before the process exits (so that
    /// exit never runs beside it).
    package static func finish() {
        pending.withLock { pending in
            guard let thread = pending else { return }
            pthread_join(thread, nil)
            pending = nil
        }
    }
}
