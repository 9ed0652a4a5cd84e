import Foundation
import ISMSModel

/// The keys trusted to sign commits, in git's allowed-signers format (ssh-keygen(1), ALLOWED SIGNERS), one
/// key a line:
///
///     principals [options] keytype base64-key [comment]
///
/// `principals` is a comma-separated pattern list (`alice@example.com`, `*@example.com`); options are
/// `namespaces="git,…"`, `valid-after=` and `valid-before=` (`YYYYMMDD[HHMM[SS]][Z]`). A line marked
/// `cert-authority` is ignored with a note: certificates are not verified. A line that cannot be read is
/// ignored with a note naming it, as ssh-keygen does; it never makes another line's key trusted.
public struct AllowedSigners: Sendable {
    public struct Entry: Sendable {
        /// The principal patterns, in file order.
        public let principals: [String]
        /// The namespace pattern list, or nil when the line sets none (every namespace is allowed).
        public let namespaces: [String]?
        /// Seconds since 1970 (UTC), inclusive bounds.
        public let validAfter: Int64?
        public let validBefore: Int64?
        public let keyType: String
        package let keyBlob: [UInt8]
        /// 1-based line in the file.
        public let line: Int

        /// `namespaces=` allows git signatures (no option allows every namespace).
        package var allowsGit: Bool { namespaces.map { PatternList.matches("git", $0) } ?? true }

        /// Whether a signature made at `time` falls in the key's validity.
        package func isValid(at time: Int64) -> Bool {
            if let validAfter, time < validAfter { return false }
            if let validBefore, time > validBefore { return false }
            return true
        }
    }

    public let entries: [Entry]
    /// Lines that were ignored and why, as `path:line: reason`.
    public let notes: [String]

    public init(entries: [Entry] = [], notes: [String] = []) {
        self.entries = entries
        self.notes = notes
    }

    /// Reads the file's text; `path` only names it in notes.
    public init(text: String, path: String) {
        var entries = [Entry]()
        var notes = [String]()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            do {
                entries.append(try Self.entry(line, number: index + 1))
            } catch {
                notes.append("\(path):\(index + 1): \(error); line ignored")
            }
        }
        self.entries = entries
        self.notes = notes
    }

    /// The entries for `keyBlob` that allow the git namespace, in file order.
    package func entries(forKey keyBlob: [UInt8]) -> [Entry] {
        entries.filter { $0.keyBlob == keyBlob && $0.allowsGit }
    }

    package struct LineError: Error, CustomStringConvertible {
        package let description: String
    }

    private static let keyTypes: Set<String> = SSHPublicKey.supportedTypes.union([
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss",
    ])

    private static func entry(_ line: String, number: Int) throws -> Entry {
        var fields = try tokens(line)
        guard fields.count >= 3 else { throw LineError(description: "expected principals, a key type and a key") }
        let principals = fields.removeFirst().split(separator: ",", omittingEmptySubsequences: true).map(String.init)
        guard !principals.isEmpty else { throw LineError(description: "no principal") }
        var namespaces: [String]?
        var validAfter: Int64?, validBefore: Int64?
        if !keyTypes.contains(fields[0]) && !fields[0].hasSuffix("-cert-v01@openssh.com") {
            for option in try options(fields.removeFirst()) {
                switch option.name {
                case "cert-authority":
                    throw LineError(description: "cert-authority keys are not supported (isms verifies plain keys, not SSH certificates)")
                case "namespaces":
                    guard let value = option.value else { throw LineError(description: "namespaces needs a value") }
                    namespaces = value.split(separator: ",").map(String.init)
                case "valid-after", "valid-before":
                    guard let value = option.value, let time = SSHTime.parse(value) else {
                        throw LineError(description: "\(option.name) must be YYYYMMDD[HHMM[SS]][Z], not \(option.value ?? "empty")")
                    }
                    if option.name == "valid-after" { validAfter = time } else { validBefore = time }
                default:
                    throw LineError(description: "unknown option \(option.name)")
                }
            }
        }
        guard fields.count >= 2 else { throw LineError(description: "expected a key type and a key") }
        let type = fields[0]
        guard let decoded = Data(base64Encoded: fields[1]) else { throw LineError(description: "the key is not base64") }
        let blob = Array(decoded)
        var reader = SSHWireReader(blob)
        guard let inner = try? reader.text("key type"), inner == type else {
            throw LineError(description: "the key is not a \(type) key")
        }
        return Entry(
            principals: principals, namespaces: namespaces, validAfter: validAfter, validBefore: validBefore,
            keyType: type, keyBlob: blob, line: number)
    }

    /// Splits at spaces and tabs outside double quotes; quotes around a whole principals field are removed.
    private static func tokens(_ line: String) throws -> [String] {
        var tokens = [String]()
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" { quoted.toggle(); current.append(character); continue }
            if !quoted && (character == " " || character == "\t") {
                if !current.isEmpty { tokens.append(current); current = "" }
                continue
            }
            current.append(character)
        }
        guard !quoted else { throw LineError(description: "unbalanced quotes") }
        if !current.isEmpty { tokens.append(current) }
        if let first = tokens.first, first.hasPrefix("\""), first.hasSuffix("\""), first.count >= 2 {
            tokens[0] = String(first.dropFirst().dropLast())
        }
        return tokens
    }

    /// `name[="value"]` items separated by commas outside quotes; names are case-insensitive.
    private static func options(_ text: String) throws -> [(name: String, value: String?)] {
        var items = [String]()
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == "," && !quoted { items.append(current); current = ""; continue }
            current.append(character)
        }
        items.append(current)
        return try items.map { item in
            guard let equals = item.firstIndex(of: "=") else { return (item.lowercased(), nil) }
            var value = String(item[item.index(after: equals)...])
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\"") else { throw LineError(description: "unbalanced quotes in \(item)") }
                value = String(value.dropFirst().dropLast())
            }
            return (item[..<equals].lowercased(), value)
        }
    }
}

/// ssh-keygen's absolute times `YYYYMMDD`, `YYYYMMDDHHMM`, `YYYYMMDDHHMMSS`, each optionally ending in `Z`.
/// ssh-keygen reads a time without `Z` in the machine's time zone; isms reads every time as UTC so that a
/// check gives the same answer on every machine (docs/signatures.md).
package enum SSHTime {
    package static func parse(_ text: String) -> Int64? {
        var digits = text
        if digits.hasSuffix("Z") || digits.hasSuffix("z") { digits.removeLast() }
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let d = Array(digits.utf8).map { Int($0) - 48 }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + d[$1] } }
        let year = number(0..<4), month = number(4..<6), day = number(6..<8)
        guard (1...12).contains(month), day >= 1, day <= Day.daysInMonth(year, month) else { return nil }
        let hour = digits.count >= 12 ? number(8..<10) : 0, minute = digits.count >= 12 ? number(10..<12) : 0
        let second = digits.count == 14 ? number(12..<14) : 0
        guard hour < 24, minute < 60, second < 60 else { return nil }
        return Int64(Day(year: year, month: month, day: day).ordinal) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }
}
