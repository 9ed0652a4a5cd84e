import CLibGit2
import Foundation

/// Who made a commit and when (what git calls a signature: a name and e-mail, not a cryptographic signature, for
/// which see Signatures/), copied out of libgit2 memory.
public struct GitIdentity: Sendable, Hashable {
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
    public let author: GitIdentity
    public let committer: GitIdentity
    /// The first paragraph of the message on one line, as `git log --format=%s` shows it.
    public let summary: String
    /// The message exactly as stored: not necessarily UTF-8 (see `encoding`).
    public let message: [UInt8]
    /// The commit's `encoding` header; nil means UTF-8.
    public let encoding: String?
    /// Whether its header block has a `gpgsig…` line (a signature, well-formed or not); nil when not known, and
    /// nil for a malformed header block (a duplicated `author`, `committer` or `gpgsig` header), which a verifier
    /// must read to judge. A commit for which it is false is unsigned, and a verifier need not read it again.
    public var carriesSignature: Bool? = nil
}

extension Repository {
    /// Reads one commit. A missing commit is a `GitError` whose `isNotFound` is true.
    ///
    /// libgit2 refuses commits whose author or committer line it cannot parse (an e-mail without `<>`, a
    /// timestamp that overflows), which git itself shows and which `git commit-tree` or a raw `hash-object`
    /// can write; such a commit is read again from its raw bytes by a lenient parser instead of failing.
    /// Without `withMessage`, the message is left empty (the summary is still read).
    public func commit(_ id: ObjectID, withMessage: Bool = true) throws -> Commit {
        try serialised { try readCommit(id, withMessage: withMessage) }
    }

    private func readCommit(_ id: ObjectID, withMessage: Bool) throws -> Commit {
        var oid = id.gitOID
        var handle: OpaquePointer?
        do {
            try check(git_commit_lookup(&handle, pointer, &oid), "read commit \(id.short)")
        } catch let error as GitError where !error.isNotFound && error.errorClass != Int32(GIT_ERROR_ZLIB.rawValue) {
            return try lenientCommit(id, libgit2Error: error)
        }
        defer { git_commit_free(handle) }
        let encoding = git_commit_message_encoding(handle).map { String(cString: $0) }
        var parents = [ObjectID]()
        let count = git_commit_parentcount(handle)
        parents.reserveCapacity(Int(count))
        for index in 0..<count {
            guard let parent = git_commit_parent_id(handle, index) else {
                throw GitError.corruptObject("read commit \(id.short)", "parent \(index) has no id")
            }
            parents.append(ObjectID(parent))
        }
        guard let tree = git_commit_tree_id(handle) else {
            throw GitError.corruptObject("read commit \(id.short)", "commit has no tree")
        }
        return Commit(
            id: id, tree: ObjectID(tree), parents: parents,
            author: Self.identity(git_commit_author(handle), encoding: encoding),
            committer: Self.identity(git_commit_committer(handle), encoding: encoding),
            summary: Self.text(git_commit_summary(handle), encoding: encoding),
            message: withMessage ? Self.bytes(git_commit_message_raw(handle)) : [],
            encoding: encoding,
            carriesSignature: hasSignatureHeader(id, handle))
    }

    /// libgit2 keeps the header and the message as C strings: a NUL byte (which `hash-object --literally` writes)
    /// cuts them short, and a `gpgsig` header after it would not be seen. Unless the two fill the object, whether
    /// the commit is signed is not known here (nil): the verifier reads the object.
    private func hasSignatureHeader(_ id: ObjectID, _ handle: OpaquePointer?) -> Bool? {
        guard let header = git_commit_raw_header(handle), let message = git_commit_message_raw(handle) else { return nil }
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        guard git_odb_read_header(&size, &type, odb, &oid) == 0 else { return nil }
        let headerLength = strlen(header), messageLength = strlen(message)
        guard size == headerLength + 1 + messageLength || (messageLength == 0 && size == headerLength) else { return nil }
        return Self.hasSignatureHeader(header)
    }

    /// libgit2's raw header is the object up to the empty line; a header line (not a continuation line, which
    /// starts with a space) that starts with `gpgsig` is what `SignedCommit` takes for a signature.
    private static func hasSignatureHeader(_ raw: UnsafePointer<CChar>?) -> Bool? {
        guard let raw else { return nil }
        return RawCommit.carriesSignature(
            UnsafeBufferPointer(
                start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self),
                count: strlen(raw)))
    }

    /// The commit parsed from its raw object by `RawCommit`, when libgit2 would not parse it.
    private func lenientCommit(_ id: ObjectID, libgit2Error: GitError) throws -> Commit {
        var oid = id.gitOID
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "read commit \(id.short)")
        defer { git_odb_object_free(object) }
        guard git_odb_object_type(object) == GIT_OBJECT_COMMIT else { throw libgit2Error }
        let size = git_odb_object_size(object)
        let bytes = size > 0 ? Array(UnsafeRawBufferPointer(start: git_odb_object_data(object), count: size)) : []
        guard let commit = RawCommit.parse(bytes, id: id) else {
            throw GitError.corruptObject("read commit \(id.short)", "commit \(id.hex) is malformed (\(libgit2Error.message))")
        }
        return commit
    }

    private static func identity(_ raw: UnsafePointer<git_signature>?, encoding: String?) -> GitIdentity {
        guard let raw else { return GitIdentity(name: "", email: "", time: 0, offsetMinutes: 0) }
        let s = raw.pointee
        return GitIdentity(
            name: text(s.name, encoding: encoding), email: text(s.email, encoding: encoding),
            time: Int64(s.when.time), offsetMinutes: Int(s.when.offset))
    }

    private static func bytes(_ raw: UnsafePointer<CChar>?) -> [UInt8] {
        guard let raw else { return [] }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw)))
    }

    /// Decodes commit text: Latin-1 when the commit says so, else UTF-8 with invalid bytes replaced, never trapping.
    package static func text(_ raw: UnsafePointer<CChar>?, encoding: String?) -> String {
        text(bytes(raw), encoding: encoding)
    }

    package static func text(_ bytes: some Collection<UInt8>, encoding: String?) -> String {
        if let encoding, ["iso-8859-1", "iso8859-1", "latin1", "latin-1"].contains(encoding.lowercased()) {
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A lenient reader of a commit object's bytes, for the commits libgit2 refuses. It needs a `tree` line;
/// anything else that is missing or malformed gets an empty or zero value, as `git log` shows it.
package enum RawCommit {
    package static func parse(_ bytes: [UInt8], id: ObjectID) -> Commit? {
        var tree: ObjectID?
        var parents = [ObjectID]()
        var authorLine: ArraySlice<UInt8>?, committerLine: ArraySlice<UInt8>?
        var encoding: String?
        var position = 0
        var messageStart = bytes.count
        while position < bytes.count {
            let end = bytes[position...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[position..<end]
            position = end + 1
            if line.isEmpty { messageStart = min(position, bytes.count); break }
            // Continuation lines (a multi-line gpgsig or mergetag) start with a space.
            if line.first == 0x20 { continue }
            guard let space = line.firstIndex(of: 0x20) else { continue }
            let key = String(decoding: line[..<space], as: UTF8.self), value = line[(space + 1)...]
            switch key {
            case "tree" where tree == nil && parents.isEmpty: tree = ObjectID(hex: String(decoding: value, as: UTF8.self))
            case "parent": if let parent = ObjectID(hex: String(decoding: value, as: UTF8.self)) { parents.append(parent) }
            // The first of a duplicated header, as libgit2 and git's own commit parser read it (such a commit's
            // signature is judged bad: see `duplicatedHeaders`).
            case "author" where authorLine == nil: authorLine = value
            case "committer" where committerLine == nil: committerLine = value
            case "encoding" where encoding == nil: encoding = String(decoding: value, as: UTF8.self)
            default: continue
            }
        }
        guard let tree else { return nil }
        let message = Array(bytes[messageStart...])
        return Commit(
            id: id, tree: tree, parents: parents,
            author: identity(authorLine ?? [], encoding: encoding),
            committer: identity(committerLine ?? [], encoding: encoding),
            summary: summary(message, encoding: encoding), message: message, encoding: encoding,
            carriesSignature: bytes.withUnsafeBufferPointer(carriesSignature))
    }

    /// `Commit.carriesSignature` for a raw object or header block: nil when its headers are duplicated.
    package static func carriesSignature(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        duplicatedHeaders(bytes).isEmpty ? hasSignatureHeader(bytes) : nil
    }

    /// The headers of the header block (up to the first empty line) among `author`, `committer` and each
    /// `gpgsig…` name that occur more than once, in the order they first occur. git's commit parser, libgit2 and
    /// git's signature check read the first `author` and `committer`, `git log --format` shows the last, and a
    /// second `gpgsig` is added to the first signature: such an object reads two ways, so it is malformed.
    /// (`gpgsig` and `gpgsig-sha256` together are one signature per hash, not a duplicate.)
    package static func duplicatedHeaders(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var seen = [String: Int]()
        var order = [String]()
        var start = 0
        while start < bytes.count, bytes[start] != 0x0A {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            // Continuation lines (of a multi-line gpgsig or mergetag) start with a space.
            // Only lines starting a, c or g can be one of the names: the others are skipped without a String.
            if bytes[start] == 0x61 || bytes[start] == 0x63 || bytes[start] == 0x67 {
                var nameEnd = start
                while nameEnd < end, bytes[nameEnd] != 0x20 { nameEnd += 1 }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<nameEnd]), as: UTF8.self)
                if name == "author" || name == "committer" || name.hasPrefix("gpgsig") {
                    seen[name, default: 0] += 1
                    if seen[name] == 2 { order.append(name) }
                }
            }
            start = end + 1
        }
        return order
    }

    /// Whether a line of the header block (up to the first empty line) starts with `gpgsig`.
    package static func hasSignatureHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let name = Array("gpgsig".utf8)
        var start = 0
        while start < bytes.count, bytes[start] != 0x0A {
            if bytes.count - start >= name.count, name.indices.allSatisfy({ bytes[start + $0] == name[$0] }) { return true }
            guard let end = bytes[start...].firstIndex(of: 0x0A) else { return false }
            start = end + 1
        }
        return false
    }

    /// `Name <email> 1700000000 +0100`, read as far as it goes: a missing `<>` leaves the e-mail empty, a
    /// time that is not a number (or overflows) is 0, a zone beyond ±14:59 is +00:00.
    package static func identity(_ line: ArraySlice<UInt8>, encoding: String?) -> GitIdentity {
        var name = line[...], email: ArraySlice<UInt8> = [], rest: ArraySlice<UInt8> = []
        if let open = line.firstIndex(of: 0x3C) {
            name = line[..<open]
            let afterOpen = line[(open + 1)...]
            if let close = afterOpen.lastIndex(of: 0x3E) {
                email = afterOpen[..<close]
                rest = afterOpen[(close + 1)...]
            } else if let space = afterOpen.firstIndex(of: 0x20) {
                // An unterminated e-mail ends at the first space; the date follows.
                email = afterOpen[..<space]
                rest = afterOpen[(space + 1)...]
            } else {
                email = afterOpen
            }
        } else {
            // No e-mail at all: a trailing "<time> <zone>" is still the date.
            let words = line.split(separator: 0x20)
            if words.count >= 3, Int64(String(decoding: words[words.count - 2], as: UTF8.self)) != nil {
                rest = line[words[words.count - 2].startIndex...]
                name = line[..<words[words.count - 2].startIndex]
            }
        }
        let words = rest.split(separator: 0x20)
        let time = words.first.flatMap { Int64(String(decoding: $0, as: UTF8.self)) } ?? 0
        var offset = 0
        if words.count > 1 {
            let zone = Array(words[1])
            if zone.count == 5, zone[0] == 0x2B || zone[0] == 0x2D, let digits = Int(String(decoding: zone[1...], as: UTF8.self)),
                digits / 100 <= 14, digits % 100 <= 59
            {
                offset = (zone[0] == 0x2D ? -1 : 1) * (digits / 100 * 60 + digits % 100)
            }
        }
        func trimmed(_ s: ArraySlice<UInt8>) -> String {
            Repository.text(s.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed(), encoding: encoding)
        }
        return GitIdentity(name: trimmed(name), email: trimmed(email), time: time, offsetMinutes: offset)
    }

    /// The first paragraph of the message on one line, like `git_commit_summary`.
    package static func summary(_ message: [UInt8], encoding: String?) -> String {
        let lines = message.split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(Repository.text($0, encoding: encoding)).trimmingCharacters(in: .whitespaces) }
        let paragraph = lines.drop { $0.isEmpty }.prefix { !$0.isEmpty }
        return paragraph.joined(separator: " ")
    }
}
