import CLibGit2
import Foundation

/// Who made a commit and when, copied out of libgit2 memory.
public struct Signature: Sendable, Hashable {
    public let name: String
    public let email: String
    /// Seconds since 1970-01-01 UTC.
    public let time: Int64
    /// The signer's offset from UTC in minutes (+60 for +01:00).
    public let offsetMinutes: Int

    public init(name: String, email: String, time: Int64, offsetMinutes: Int) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }
}

/// One commit, copied out of libgit2 memory at once.
public struct Commit: Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    public let author: Signature
    public let committer: Signature
    /// The first paragraph of the message on one line, as `git log --format=%s` shows it.
    public let summary: String
    /// The message exactly as stored: not necessarily UTF-8 (see `encoding`).
    public let message: [UInt8]
    /// The commit's `encoding` header; nil means UTF-8.
    public let encoding: String?
}

extension Repository {
    /// Reads one commit. A missing commit is a `GitError` whose `isNotFound` is true.
    public func commit(_ id: ObjectID) throws -> Commit {
        var oid = id.gitOID
        var handle: OpaquePointer?
        try check(git_commit_lookup(&handle, pointer, &oid), "read commit \(id.short)")
        defer { git_commit_free(handle) }
        let encoding = git_commit_message_encoding(handle).map { String(cString: $0) }
        var parents = [ObjectID]()
        let count = git_commit_parentcount(handle)
        parents.reserveCapacity(Int(count))
        for index in 0..<count {
            guard let parent = git_commit_parent_id(handle, index) else {
                throw GitError(code: -1, operation: "read commit \(id.short)", message: "parent \(index) has no id")
            }
            parents.append(ObjectID(parent))
        }
        guard let tree = git_commit_tree_id(handle) else {
            throw GitError(code: -1, operation: "read commit \(id.short)", message: "commit has no tree")
        }
        return Commit(
            id: id, tree: ObjectID(tree), parents: parents,
            author: Self.signature(git_commit_author(handle), encoding: encoding),
            committer: Self.signature(git_commit_committer(handle), encoding: encoding),
            summary: Self.text(git_commit_summary(handle), encoding: encoding),
            message: Self.bytes(git_commit_message_raw(handle)),
            encoding: encoding)
    }

    private static func signature(_ raw: UnsafePointer<git_signature>?, encoding: String?) -> Signature {
        guard let raw else { return Signature(name: "", email: "", time: 0, offsetMinutes: 0) }
        let s = raw.pointee
        return Signature(name: text(s.name, encoding: encoding), email: text(s.email, encoding: encoding),
                         time: Int64(s.when.time), offsetMinutes: Int(s.when.offset))
    }

    private static func bytes(_ raw: UnsafePointer<CChar>?) -> [UInt8] {
        guard let raw else { return [] }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw)))
    }

    /// Decodes commit text: Latin-1 when the commit says so, else UTF-8 with invalid bytes replaced, never trapping.
    static func text(_ raw: UnsafePointer<CChar>?, encoding: String?) -> String {
        let bytes = bytes(raw)
        if let encoding, ["iso-8859-1", "iso8859-1", "latin1", "latin-1"].contains(encoding.lowercased()) {
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
