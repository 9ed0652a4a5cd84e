/// Composes, without libyaml, the plain block-style subset of YAML that generated and hand-kept records mostly are:
/// an optional `---` line, then a mapping at column 1 of `key: value` lines, nested mappings and lists of plain
/// scalars (block `- item` lines or one-line `[a, b]`), single-line plain scalars, spaces for indentation.
/// It gives the tree `DirectComposer` gives from libyaml's events (values, styles, locations), and gives up (nil)
/// on anything else: a comment, tab, carriage return, control or special Unicode character, quote, block scalar,
/// anchor, tag, flow mapping, a scalar that may go on over lines, odd indentation, a repeated key, nesting deeper
/// than the limit. `YAMLReader` then composes through libyaml, which decides every problem: this path decides none.
///
/// Why it exists: libyaml's scanner was half the time of reading each of the 32,000 record versions of a history of
/// 20,000 commits (docs/performance.md). `BlockComposerTests` runs both over every fixture, the example, the
/// templates and generated tricky inputs, and fails on any difference.
package enum BlockComposer {
    package static func compose(_ text: String, maxDepth: Int) -> YAMLNode? {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard maxDepth >= 2, hasOnlyPlainCharacters(bytes) else { return nil }
            var reader = Reader(bytes: bytes, maxDepth: maxDepth)
            return reader.document()
        } ?? nil
    }

    /// No byte that this path leaves to libyaml: `#` (comments), C0 controls but the line feed (tabs, carriage
    /// returns), DEL, C1 controls (U+0080–U+009F, NEL among them), the line and paragraph separators U+2028/U+2029,
    /// U+FEFF, U+FFFE and U+FFFF. (The text is valid UTF-8: `YAMLReader` decoded it.)
    private static func hasOnlyPlainCharacters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if (byte < 0x20 && byte != 0x0A) || byte == 0x7F || byte == 0x23 { return false }
            } else if byte == 0xC2 {
                if index + 1 < count, bytes[index + 1] < 0xA0 { return false }
            } else if byte == 0xE2 {
                if index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 { return false }
            } else if byte == 0xEF {
                if index + 2 < count, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF { return false }
                if index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE { return false }
            }
            index += 1
        }
        return true
    }

    /// One content line: where it starts, its first non-space byte, its end (its line feed or the text's end).
    private struct Line {
        var start: Int
        var content: Int
        var end: Int
        var number: Int
        var indent: Int { content - start }
    }

    private struct Reader {
        static let linearKeySearch = 24
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        /// The next line to read, and its number (from 1).
        var position = 0
        var lineNumber = 1

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func document() -> YAMLNode? {
            // An explicit start, `---` alone on the first line (a Markdown front matter's opening line).
            if bytes.count >= 4, bytes[0] == 0x2D, bytes[1] == 0x2D, bytes[2] == 0x2D, bytes[3] == 0x0A {
                position = 4
                lineNumber = 2
                peeked = nil
            }
            guard let first = peek(), first.indent == 0 else { return nil }
            guard let root = mapping(at: first, depth: 1) else { return nil }
            // Nothing may be left (a line less indented than column 1 cannot be; anything else was refused).
            guard peek() == nil else { return nil }
            return root
        }

        /// `peek()`'s answer until the next `consume`: each line is peeked at several times.
        var peeked: Line??

        /// The next line holding more than spaces, without consuming it.
        mutating func peek() -> Line? {
            if let peeked { return peeked }
            let line = scan()
            peeked = line
            return line
        }

        func scan() -> Line? {
            var start = position, number = lineNumber
            while start < bytes.count {
                var content = start
                while content < bytes.count, bytes[content] == 0x20 { content += 1 }
                var end = content
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                if content < end { return Line(start: start, content: content, end: end, number: number) }
                start = end + 1
                number += 1
            }
            return nil
        }

        mutating func consume(_ line: Line) {
            position = line.end + 1
            lineNumber = line.number + 1
            peeked = nil
        }

        /// The column (from 1) of `offset` on `line`, counted in Unicode scalars as libyaml counts.
        func column(_ offset: Int, on line: Line) -> Int {
            var column = 1
            var index = line.start
            while index < offset {
                if bytes[index] & 0xC0 != 0x80 { column += 1 }
                index += 1
            }
            return column
        }

        func location(_ offset: Int, on line: Line) -> SourceLocation {
            SourceLocation(line: line.number, column: column(offset, on: line))
        }

        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        /// A block mapping whose keys stand at `first`'s indentation.
        mutating func mapping(at first: Line, depth: Int) -> YAMLNode? {
            guard depth <= maxDepth else { return nil }
            let indent = first.indent
            var pairs = [YAMLPair]()
            // Keys met, searched linearly while the mapping is small, as `DirectComposer` does: a search of every
            // earlier key for each key would be quadratic in a record of many keys.
            var seen = Set<String>()
            while let line = peek(), line.indent >= indent {
                guard line.indent == indent else { return nil }
                // `key:` then a space or the line's end; a key of letters, digits, `_`, `-` and `.`, not starting
                // with an indicator.
                let keyStart = line.content
                guard isKeyStart(bytes[keyStart]) else { return nil }
                var keyEnd = keyStart + 1
                while keyEnd < line.end, isKeyByte(bytes[keyEnd]) { keyEnd += 1 }
                guard keyEnd < line.end, bytes[keyEnd] == 0x3A, keyEnd + 1 == line.end || bytes[keyEnd + 1] == 0x20,
                    keyEnd - keyStart <= 128
                else { return nil }
                let key = string(keyStart..<keyEnd)
                // A repeated key is libyaml's and Yams' to report.
                if pairs.count == Self.linearKeySearch { seen = Set(pairs.map(\.key)) }
                let repeated = pairs.count < Self.linearKeySearch ? pairs.contains { $0.key == key } : !seen.insert(key).inserted
                if repeated { return nil }
                let keyLocation = location(keyStart, on: line)
                consume(line)
                var valueStart = keyEnd + 1
                while valueStart < line.end, bytes[valueStart] == 0x20 { valueStart += 1 }
                let value: YAMLNode
                if valueStart < line.end {
                    guard let onLine = inlineValue(valueStart, on: line, depth: depth + 1) else { return nil }
                    // A more indented line next would continue a plain scalar (or be an error): libyaml's.
                    if let next = peek(), next.indent > indent { return nil }
                    value = onLine
                } else if let next = peek(), next.indent > indent || (next.indent == indent && isEntry(next)) {
                    if isEntry(next) {
                        guard let list = sequence(at: next, parentIndent: indent, depth: depth + 1) else { return nil }
                        value = list
                    } else {
                        guard let nested = mapping(at: next, depth: depth + 1) else { return nil }
                        value = nested
                    }
                } else {
                    // Nothing after the colon: an empty plain scalar, placed just after the colon as libyaml places it.
                    guard depth + 1 <= maxDepth else { return nil }
                    value = YAMLNode(.scalar(YAMLScalar(text: "", isPlain: true)), at: location(keyEnd + 1, on: line))
                }
                pairs.append(YAMLPair(key: key, keyLocation: keyLocation, value: value))
            }
            return YAMLNode(.mapping(pairs), at: location(first.content, on: first))
        }

        /// `- item` lines at `first`'s indentation, each a single-line plain scalar; `parentIndent` is the indentation of
        /// the key that holds the list (the same for a list written at the key's column).
        mutating func sequence(at first: Line, parentIndent: Int, depth: Int) -> YAMLNode? {
            guard depth + 1 <= maxDepth else { return nil }
            let indent = first.indent
            var items = [YAMLNode]()
            while let line = peek(), line.indent == indent, isEntry(line) {
                var itemStart = line.content + 1
                while itemStart < line.end, bytes[itemStart] == 0x20 { itemStart += 1 }
                guard itemStart < line.end, let item = plainScalar(itemStart, on: line) else { return nil }
                consume(line)
                items.append(item)
                // A more indented line next would continue the item.
                if let next = peek(), next.indent > indent { return nil }
            }
            // Past a list more indented than its key, only a line back at the key's indentation or less may follow.
            if indent > parentIndent, let next = peek(), next.indent > parentIndent { return nil }
            return YAMLNode(.sequence(items), at: location(first.content, on: first))
        }

        /// A `-` followed by a space or the line's end.
        func isEntry(_ line: Line) -> Bool {
            bytes[line.content] == 0x2D && (line.content + 1 == line.end || bytes[line.content + 1] == 0x20)
        }

        /// The value after `key: `: a one-line flow list of plain scalars, or a plain scalar.
        func inlineValue(_ start: Int, on line: Line, depth: Int) -> YAMLNode? {
            guard depth <= maxDepth else { return nil }
            if bytes[start] == 0x5B { return flowSequence(start, on: line, depth: depth) }
            return plainScalar(start, on: line)
        }

        /// A plain scalar from `start` to the line's end, trailing spaces dropped; nil when it starts with an
        /// indicator or holds `: ` or ends with `:` (a key, or an error).
        func plainScalar(_ start: Int, on line: Line) -> YAMLNode? {
            guard !isIndicator(bytes[start]) else { return nil }
            var end = line.end
            while end > start, bytes[end - 1] == 0x20 { end -= 1 }
            var index = start
            while index < end {
                if bytes[index] == 0x3A, index + 1 == end || bytes[index + 1] == 0x20 { return nil }
                index += 1
            }
            return YAMLNode(.scalar(YAMLScalar(text: string(start..<end), isPlain: true)), at: location(start, on: line))
        }

        /// `[a, b c, d]` closed on its line, nothing but spaces after it; each item a plain scalar free of flow
        /// indicators, `:` and `?`.
        func flowSequence(_ open: Int, on line: Line, depth: Int) -> YAMLNode? {
            guard depth + 1 <= maxDepth else { return nil }
            var items = [YAMLNode]()
            // Columns counted on from the previous item, not from the line's start: a long line stays linear.
            var counted = (offset: open, column: column(open, on: line))
            func locationCountedOn(_ offset: Int) -> SourceLocation {
                for index in counted.offset..<offset where bytes[index] & 0xC0 != 0x80 { counted.column += 1 }
                counted.offset = offset
                return SourceLocation(line: line.number, column: counted.column)
            }
            let openLocation = locationCountedOn(open)
            var index = open + 1
            while index < line.end, bytes[index] == 0x20 { index += 1 }
            if index < line.end, bytes[index] == 0x5D {
                index += 1
            } else {
                while true {
                    guard index < line.end, !isIndicator(bytes[index]) else { return nil }
                    let start = index
                    while index < line.end {
                        let byte = bytes[index]
                        if byte == 0x2C || byte == 0x5D { break }
                        if byte == 0x5B || byte == 0x7B || byte == 0x7D || byte == 0x3A || byte == 0x3F { return nil }
                        index += 1
                    }
                    guard index < line.end else { return nil }
                    var end = index
                    while end > start, bytes[end - 1] == 0x20 { end -= 1 }
                    items.append(YAMLNode(.scalar(YAMLScalar(text: string(start..<end), isPlain: true)), at: locationCountedOn(start)))
                    let closes = bytes[index] == 0x5D
                    index += 1
                    if closes { break }
                    while index < line.end, bytes[index] == 0x20 { index += 1 }
                }
            }
            while index < line.end {
                guard bytes[index] == 0x20 else { return nil }
                index += 1
            }
            return YAMLNode(.sequence(items), at: openLocation)
        }

        func isKeyStart(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
        }

        func isKeyByte(_ byte: UInt8) -> Bool { isKeyStart(byte) || byte == 0x2D || byte == 0x2E }

        /// The characters that may open something other than a plain scalar (YAML's indicators), and the space.
        func isIndicator(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x2D, 0x3F, 0x3A, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22, 0x25, 0x40, 0x60, 0x20:
                return true
            default: return false
            }
        }
    }
}
