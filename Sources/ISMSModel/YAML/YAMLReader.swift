import Foundation
import ISMSCore
import Yams

/// Why a YAML file could not become a tree; always located.
public struct YAMLProblem: Error, Sendable, Equatable {
    public var message: String
    public var location: SourceLocation
    public var kind: Kind
    public enum Kind: Sendable { case syntax, encoding, tooLarge, tooDeep, anchor, duplicateKey, empty }

    package init(message: String, location: SourceLocation, kind: Kind) {
        self.message = message
        self.location = location
        self.kind = kind
    }
}

/// Reads one YAML document into a `YAMLNode`, refusing anything a record never needs.
public struct YAMLReader: Sendable {
    public var maxBytes: Int
    public var maxDepth: Int
    /// Compose well-formed files without libyaml (`BlockComposer`) or from libyaml's events (`DirectComposer`)
    /// before trying Yams; off only in the tests that prove they all give the same tree.
    package var composesDirectly = true

    public init(maxBytes: Int = Limits.defaultFileBytes, maxDepth: Int = Limits.defaultDepth) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    public func read(_ data: Data) -> Result<YAMLNode, YAMLProblem> {
        let text: String
        switch Self.text(of: data, maxBytes: maxBytes) {
        case .success(let t): text = t
        case .failure(let problem): return .failure(problem)
        }
        // libyaml and Yams' composer recurse per level; refuse absurd nesting before they see it.
        if let deep = Self.nestingEstimateExceeds(text, limit: maxDepth * 4) {
            return .failure(.init(message: "nesting is deeper than \(maxDepth) levels", location: deep, kind: .tooDeep))
        }
        // Yams hashes mapping keys to find duplicates; an alias bomb used as a key would be expanded there,
        // before any node reaches us. Refuse anchor-and-alias pairs on the text first.
        if let alias = Self.firstAliasOfAnAnchor(in: text) {
            return .failure(
                .init(message: "anchors and aliases are not allowed in records; write the value out", location: alias, kind: .anchor))
        }
        if composesDirectly, let root = BlockComposer.compose(text, maxDepth: maxDepth) ?? DirectComposer.compose(text, maxDepth: maxDepth)
        {
            return .success(root)
        }
        let parser: Parser
        let root: Node?
        do {
            (parser, root) = try Self.compose(text)
        } catch let error as YamlError {
            return .failure(Self.problem(from: error, text: text))
        } catch {
            return .failure(.init(message: "\(error)", location: .start, kind: .syntax))
        }
        guard let root else {
            return .failure(.init(message: "file holds no YAML document", location: .start, kind: .empty))
        }
        // Anchors are weak in Yams and live only as long as the parser.
        return withExtendedLifetime(parser) {
            do {
                return .success(try convert(root, depth: 1))
            } catch let problem as YAMLProblem {
                return .failure(problem)
            } catch {
                return .failure(.init(message: "\(error)", location: .start, kind: .syntax))
            }
        }
    }

    /// Yams' `Parser.Encoding.default` reads the environment on every call (a variable may override it);
    /// reading it once keeps its meaning and spares a copy of the whole environment per file. An enum
    /// without payload, never changed: safe to share although Yams does not mark it Sendable.
    nonisolated(unsafe) private static let encoding = Parser.Encoding.default

    /// Parses `text` into Yams nodes, as `Parser(yaml: text).singleRoot()` with the default resolver does.
    ///
    /// We never read the tags Yams resolves; its composer resolves them only to compare mapping keys when it
    /// looks for duplicate keys, and with the default resolver that costs up to seven regular-expression
    /// matches per key, most of the time of a parse. So the first attempt uses the resolver without rules,
    /// under which every untagged scalar is a string: two keys equal under the default resolver (same text,
    /// same resolved tag) are then equal too, so when this attempt finds no duplicate key neither would the
    /// default one, and every other outcome (nodes, marks, syntax errors) does not depend on the resolver.
    /// Where that argument does not hold it defers to the default resolver: when the attempt reports a
    /// duplicate key (the default resolver may tell `1` from `"1"` and find none, or stop at another one),
    /// and when the text may hold an explicit tag (any `!`), under which the equivalence above may not hold.
    package static func compose(_ text: String) throws -> (Parser, Node?) {
        if !text.utf8.contains(UInt8(ascii: "!")) {
            do {
                let parser = try Parser(yaml: text, resolver: .basic, encoding: encoding)
                return (parser, try parser.singleRoot())
            } catch let error as YamlError {
                // A duplicate key is decided below, as the default resolver decides it.
                guard case .duplicatedKeysInMapping = error else { throw error }
            }
        }
        let parser = try Parser(yaml: text, resolver: .default, encoding: encoding)
        return (parser, try parser.singleRoot())
    }

    private static let linearKeySearch = 24

    private func convert(_ node: Node, depth: Int) throws -> YAMLNode {
        let location = node.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? .start
        if depth > maxDepth {
            throw YAMLProblem(message: "nesting is deeper than \(maxDepth) levels", location: location, kind: .tooDeep)
        }
        // Every alias refers to an anchored node, so refusing anchors refuses aliases (and alias bombs)
        // before anything is expanded.
        if node.anchor != nil || node.alias != nil {
            throw YAMLProblem(
                message: "anchors and aliases are not allowed in records; write the value out", location: location, kind: .anchor)
        }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(.scalar(YAMLScalar(text: scalar.string, isPlain: scalar.style == .plain || scalar.style == .any)), at: location)
        case .sequence(let sequence):
            return YAMLNode(.sequence(try sequence.map { try convert($0, depth: depth + 1) }), at: location)
        case .mapping(let mapping):
            var pairs = [YAMLPair]()
            pairs.reserveCapacity(mapping.count)
            // Keys seen so far: a linear search of `pairs` while the mapping is small (a record has a dozen
            // fields), a dictionary past that, so that a mapping of thousands of keys stays linear.
            var seen = [String: SourceLocation]()
            for (key, value) in mapping {
                let keyLocation = key.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? location
                if key.anchor != nil || key.alias != nil {
                    throw YAMLProblem(
                        message: "anchors and aliases are not allowed in records; write the value out", location: keyLocation, kind: .anchor
                    )
                }
                guard case .scalar(let keyScalar) = key else {
                    throw YAMLProblem(message: "a mapping key must be a plain string", location: keyLocation, kind: .syntax)
                }
                let text = keyScalar.string
                if pairs.count == Self.linearKeySearch {
                    for pair in pairs { seen[pair.key] = pair.keyLocation }
                }
                let first = pairs.count < Self.linearKeySearch ? pairs.first { $0.key == text }?.keyLocation : seen[text]
                if let first {
                    throw YAMLProblem(
                        message: "duplicate key '\(text)' (first at line \(first.line))", location: keyLocation, kind: .duplicateKey)
                }
                if pairs.count >= Self.linearKeySearch { seen[text] = keyLocation }
                pairs.append(YAMLPair(key: text, keyLocation: keyLocation, value: try convert(value, depth: depth + 1)))
            }
            return YAMLNode(.mapping(pairs), at: location)
        case .alias:
            throw YAMLProblem(
                message: "anchors and aliases are not allowed in records; write the value out", location: location, kind: .anchor)
        }
    }

    /// UTF-8 only, with an optional BOM; NUL bytes mark a binary file.
    /// A file's text when it is within `maxBytes` (`limits.file_bytes`) and valid UTF-8: what every record file
    /// must be, YAML or Markdown.
    package static func text(of data: Data, maxBytes: Int) -> Result<String, YAMLProblem> {
        if data.count > maxBytes {
            return .failure(
                .init(
                    message: "file is \(data.count) bytes, over the limit of \(maxBytes) (limits.file_bytes in isms.yaml)",
                    location: .start, kind: .tooLarge))
        }
        return decodeText(data)
    }

    package static func decodeText(_ data: Data) -> Result<String, YAMLProblem> {
        // The common case, a valid UTF-8 file without NUL, in one pass over contiguous bytes.
        let fast: String? = data.withUnsafeBytes { raw in
            var bytes = raw.bindMemory(to: UInt8.self)[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return nil }
            if !bytes.isEmpty, memchr(raw.baseAddress! + bytes.startIndex, 0, bytes.count) != nil { return nil }
            return String(validating: bytes, as: UTF8.self)
        }
        if let fast { return .success(fast) }
        return decodeTextSlowly(data)
    }

    /// Finds and locates what is wrong with a file that is not plain UTF-8.
    private static func decodeTextSlowly(_ data: Data) -> Result<String, YAMLProblem> {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .failure(.init(message: "file is UTF-16; save it as UTF-8", location: .start, kind: .encoding))
        }
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(
                .init(message: "file holds a NUL byte: it is binary, not YAML", location: location(of: nul, in: bytes), kind: .encoding))
        }
        guard let text = String(validatingUTF8Bytes: bytes) else {
            let bad = firstInvalidUTF8(in: bytes)
            return .failure(.init(message: "file is not valid UTF-8", location: location(of: bad, in: bytes), kind: .encoding))
        }
        return .success(text)
    }

    private static func location(of index: Data.Index, in bytes: Data.SubSequence) -> SourceLocation {
        var line = 1, column = 1
        for byte in bytes[bytes.startIndex..<index] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourceLocation(line: line, column: column)
    }

    private static func firstInvalidUTF8(in bytes: Data.SubSequence) -> Data.Index {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            let end = index + length
            guard end <= bytes.endIndex else { return index }
            let sequence = Array(bytes[index..<end])
            if String(validatingUTF8Bytes: sequence[...]) == nil { return index }
            index = end
        }
        return bytes.startIndex
    }

    /// Where the first `*name` stands whose `&name` is also in the text, judged on the characters alone.
    /// A `&` or `*` only counts at the start of a token, so `R&D` and `5 * 3` are prose, not YAML.
    package static func firstAliasOfAnAnchor(in text: String) -> SourceLocation? {
        // Most records hold no `&` or no `*`: decided on the string's own bytes, without a copy of the file.
        let holdsBoth =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                guard let base = bytes.baseAddress else { return false }
                return memchr(base, 0x26, bytes.count) != nil && memchr(base, 0x2A, bytes.count) != nil
            } ?? true
        guard holdsBoth else { return nil }
        let bytes = Array(text.utf8)
        guard bytes.contains(0x26), bytes.contains(0x2A) else { return nil }
        func isSeparator(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x5B || b == 0x7B || b == 0x2C }
        func isNameByte(_ b: UInt8) -> Bool { !isSeparator(b) && b != 0x5D && b != 0x7D }
        var anchors = Set<ArraySlice<UInt8>>()
        var aliases = [(ArraySlice<UInt8>, Int)]()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if (byte == 0x26 || byte == 0x2A) && (index == 0 || isSeparator(bytes[index - 1])) {
                var end = index + 1
                while end < bytes.count && isNameByte(bytes[end]) { end += 1 }
                if end > index + 1 {
                    if byte == 0x26 { anchors.insert(bytes[(index + 1)..<end]) } else { aliases.append((bytes[(index + 1)..<end], index)) }
                }
                index = end
                continue
            }
            index += 1
        }
        guard let (_, offset) = aliases.first(where: { anchors.contains($0.0) }) else { return nil }
        var line = 1, column = 1
        for byte in bytes[..<offset] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourceLocation(line: line, column: column)
    }

    /// An upper bound of the nesting depth: open flow brackets plus indentation columns. Returns where it
    /// first passes `limit`, or nil. Cheap, and conservative: it may only over-estimate.
    package static func nestingEstimateExceeds(_ text: String, limit: Int) -> SourceLocation? {
        // Over the contiguous bytes of a native string when it has them: about twice as fast as the view.
        if let found = text.utf8.withContiguousStorageIfAvailable({ bytes in
            boundStaysWithin(bytes, limit: limit) ? nil : nestingEstimateExceeds(bytes: bytes, limit: limit)
        }) {
            return found
        }
        return nestingEstimateExceeds(bytes: text.utf8, limit: limit)
    }

    /// The estimate without the bound below, byte by byte: for the test that the bound changes nothing.
    package static func nestingEstimateExceedsByteByByte(_ text: String, limit: Int) -> SourceLocation? {
        nestingEstimateExceeds(bytes: Array(text.utf8), limit: limit)
    }

    /// Whether the estimate cannot pass `limit` anywhere: every open bracket of the file plus the longest run of
    /// spaces and dashes opening a line, halved, bounds it. Found with `memchr` rather than a byte at a time, so
    /// that a record is scanned byte by byte only when the bound is too high.
    private static func boundStaysWithin(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Bool {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return true }
        let end = base + bytes.count
        var opens = 0
        for bracket in [0x5B, 0x7B] as [Int32] {
            var from = base
            while from < end, let hit = memchr(from, bracket, end - from) {
                opens += 1
                from = UnsafeRawPointer(hit) + 1
            }
        }
        var longestLead = 0
        var lineStart = base
        while lineStart < end {
            var lead = lineStart
            while lead < end, lead.load(as: UInt8.self) == 0x20 || lead.load(as: UInt8.self) == 0x2D { lead += 1 }
            longestLead = max(longestLead, lead - lineStart)
            guard lead < end, let feed = memchr(lead, 0x0A, end - lead) else { break }
            lineStart = UnsafeRawPointer(feed) + 1
        }
        return opens + longestLead / 2 <= limit
    }

    private static func nestingEstimateExceeds(bytes: some Sequence<UInt8>, limit: Int) -> SourceLocation? {
        var flowDepth = 0, line = 1, column = 0, indent = 0, atLineStart = true
        // Quotes are not tracked on purpose: an apostrophe in plain text must not hide brackets.
        for byte in bytes {
            column += 1
            if byte == 0x0A {
                line += 1; column = 0; indent = 0; atLineStart = true
                continue
            }
            // The estimate grows only where the indentation or a bracket count grows: judged there alone.
            var grew = false
            if atLineStart {
                if byte == 0x20 || byte == 0x2D {
                    indent += 1
                    grew = true
                } else {
                    atLineStart = false
                }
            }
            switch byte {
            case 0x5B, 0x7B:
                flowDepth += 1
                grew = true
            case 0x5D, 0x7D: flowDepth = max(0, flowDepth - 1)
            default: break
            }
            if grew, flowDepth + indent / 2 > limit { return SourceLocation(line: line, column: column) }
        }
        return nil
    }
}

extension String {
    package init?(validatingUTF8Bytes bytes: some Collection<UInt8>) {
        // Contiguous bytes (a file's or a blob's Data) take the standard library's fast validating path.
        if #available(macOS 15, *), let fast = bytes.withContiguousStorageIfAvailable({ String(validating: $0, as: UTF8.self) }) {
            guard let text = fast else { return nil }
            self = text
            return
        }
        var valid = true
        let decoded = String(decoding: bytes, as: UTF8.self)
        // String(decoding:) repairs; a repaired string differs in UTF-8 length or contains U+FFFD where the input did not.
        if decoded.utf8.count != bytes.count || !decoded.utf8.elementsEqual(bytes) { valid = false }
        guard valid else { return nil }
        self = decoded
    }
}

extension YAMLReader {
    /// Yams reports a duplicate key at its first occurrence; the finding belongs on the repeated one, which
    /// stands at the same column on a later line.
    package static func secondOccurrence(of key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        var line = 0
        for content in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            guard line > first.line else { continue }
            let scalars = Array(content.unicodeScalars)
            guard scalars.count >= first.column else { continue }
            let rest = String(String.UnicodeScalarView(scalars[(first.column - 1)...]))
            let lead = String(String.UnicodeScalarView(scalars[..<(first.column - 1)]))
            guard lead.allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling + ":") {
                return SourceLocation(line: line, column: first.column)
            }
        }
        return nil
    }

    package static func problem(from error: YamlError, text: String) -> YAMLProblem {
        func loc(_ mark: Mark?) -> SourceLocation {
            guard let mark else { return .start }
            return SourceLocation(line: max(1, mark.line), column: max(1, mark.column))
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let prefix = context.map { "\($0.text): " } ?? ""
            return .init(message: "YAML syntax: \(prefix)\(problem)", location: loc(mark), kind: .syntax)
        case let .reader(problem, _, _, _):
            return .init(message: "YAML reader: \(problem)", location: .start, kind: .encoding)
        case let .duplicatedKeysInMapping(duplicates, context):
            let first = loc(context.mark)
            let key = duplicates.first ?? ""
            let second = secondOccurrence(of: key, after: first, in: text)
            return .init(message: "duplicate key '\(key)' (first at line \(first.line))", location: second ?? first, kind: .duplicateKey)
        default:
            return .init(message: "YAML: \(error)", location: .start, kind: .syntax)
        }
    }
}

extension Limits {
    package static func configTooLarge(_ size: Int) -> YAMLProblem {
        YAMLProblem(message: "isms.yaml is \(size) bytes, over the limit of \(configBytes)", location: .start, kind: .tooLarge)
    }
}
