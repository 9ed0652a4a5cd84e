/// Paths split as git and the file system split them: at each byte `/`. A `String`'s characters do not: a combining
/// mark after a `/` (`risks/\u{301}a.yaml`) joins the two into one character, so a search or a split for the character
/// `/` missed that separator. The work tree's check crashed on such a record, a commit's tree and the history passed it
/// by unread, and an evidence location `../\u{301}x` climbed out of the ISMS root.
extension StringProtocol {
    /// The parts between `/` bytes; empty parts are dropped unless `omittingEmpty` is false.
    package func pathComponents(omittingEmpty: Bool = true) -> [String] {
        utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: omittingEmpty).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The part before the first `/` byte; nil when there is none.
    package var firstPathComponent: String? {
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        return String(decoding: utf8[..<slash], as: UTF8.self)
    }

    /// The rest of the path after `lead` (a folder and its `/`, or empty), compared byte for byte; nil when the path does
    /// not start with it. `hasPrefix` compares characters canonically, so `café/` matched a sibling `cafe` + U+0301.
    package func droppingPathPrefix(_ lead: String) -> String? {
        guard utf8.starts(with: lead.utf8) else { return nil }
        return String(decoding: utf8.dropFirst(lead.utf8.count), as: UTF8.self)
    }

    /// Whether the path holds a `/` byte.
    package var hasPathSeparator: Bool { utf8.contains(UInt8(ascii: "/")) }
}
