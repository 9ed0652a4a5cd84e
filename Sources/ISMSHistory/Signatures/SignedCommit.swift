import Foundation
import GitKit

/// A commit object split as git splits it to verify a signature: the signature from its `gpgsig` header and
/// the payload that was signed (the object without any signature header).
///
/// Only the header block is searched: it ends at the first empty line, so a line `gpgsig …` in the message
/// is message text, never a signature. A header's value goes on over the following lines that start with a
/// space (the space is not part of the value). The payload leaves out every `gpgsig*` header with its
/// continuation lines, as git does: a SHA-1 repository signs without `gpgsig-sha256`, and the other way round.
public struct SignedCommit: Sendable {
    /// The armored signature, one line per continuation line, each ending in a newline; nil when unsigned.
    public let signature: String?
    /// The bytes the signature covers.
    public let payload: [UInt8]
    /// The committer's time (seconds since 1970, UTC) from the first `committer` header (the one libgit2 and
    /// git's signature check read), the time a key must have been valid at; nil when the header is missing or
    /// malformed.
    public let committerTime: Int64?
    /// The committer's e-mail address from the first `committer` header.
    public let committerEmail: String?
    /// The `author`, `committer` and `gpgsig…` headers that occur more than once: a malformed commit, which
    /// tools read differently (see `RawCommit.duplicatedHeaders`). Empty for a well-formed one.
    public let duplicatedHeaders: [String]

    /// Splits the raw bytes of a commit object. `header` names the signature header of the repository's hash
    /// (`gpgsig` for SHA-1, `gpgsig-sha256` for SHA-256); when the object holds only the other one, that one is
    /// taken, so a signature is never silently overlooked.
    public init(object: [UInt8], header: String = "gpgsig") {
        var own = [UInt8](), other = [UInt8]()
        var sawOwn = false, sawOther = false
        var payload = [UInt8]()
        payload.reserveCapacity(object.count)
        var committerLine: ArraySlice<UInt8>?
        // Which signature header the current continuation lines belong to: 0 none, 1 own, 2 another.
        var continuing = 0
        let ownName = Array(header.utf8)
        let prefix = Array("gpgsig".utf8)
        var start = 0
        while start < object.count {
            var end = start
            while end < object.count && object[end] != 0x0A { end += 1 }
            let next = end < object.count ? end + 1 : end
            let line = object[start..<next]
            if line.first == 0x0A {
                // The empty line: the message follows, copied whole.
                payload.append(contentsOf: object[start...])
                break
            }
            if continuing != 0 && line.first == 0x20 {
                if continuing == 1 { own.append(contentsOf: line.dropFirst()) } else { other.append(contentsOf: line.dropFirst()) }
            } else if line.starts(with: prefix) {
                let name = line.prefix { $0 != 0x20 && $0 != 0x0A }
                let value = line.dropFirst(name.count + 1)
                if name.elementsEqual(ownName) {
                    continuing = 1
                    sawOwn = true
                    own.append(contentsOf: value)
                } else {
                    continuing = 2
                    sawOther = true
                    other.append(contentsOf: value)
                }
            } else {
                continuing = 0
                payload.append(contentsOf: line)
                if committerLine == nil, line.starts(with: Array("committer ".utf8)) { committerLine = line }
            }
            start = next
        }
        let chosen = sawOwn ? own : (sawOther ? other : nil)
        signature = chosen.map { bytes in
            var text = String(decoding: bytes, as: UTF8.self)
            if !text.hasSuffix("\n") { text += "\n" }
            return text
        }
        self.payload = payload
        duplicatedHeaders = object.withUnsafeBufferPointer(RawCommit.duplicatedHeaders)
        (committerTime, committerEmail) = committerLine.map(Self.identity) ?? (nil, nil)
    }

    /// `committer Name <email> 1700000000 +0100`: the time and the address.
    private static func identity(_ line: ArraySlice<UInt8>) -> (Int64?, String?) {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return (nil, nil) }
        let email = String(text[text.index(after: open)..<close])
        let after = text[text.index(after: close)...].split(separator: " ")
        return (after.first.flatMap { Int64($0) }, email)
    }
}
