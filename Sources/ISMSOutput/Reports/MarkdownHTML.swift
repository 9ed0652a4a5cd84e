import ISMSCore

/// The little Markdown a policy needs, as HTML for the audit pack: headings, paragraphs, lists, emphasis, inline
/// code and fenced code blocks. Every piece of text is escaped: HTML written in the file shows as text, never as
/// markup, and links stay text, so a document cannot add script, style or requests to the pack.
package enum MarkdownHTML {
    /// `headingOffset`: added to each heading's level (a `#` inside a report section is not the page's title).
    package static func render(_ markdown: String, headingOffset: Int = 0) -> String {
        var out = ""
        var paragraph = [String]()
        var list: (ordered: Bool, items: [String])?
        var code: [String]?

        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            out += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>\n"
            paragraph = []
        }
        func flushList() {
            guard let current = list else { return }
            let tag = current.ordered ? "ol" : "ul"
            out += "<\(tag)>" + current.items.map { "<li>" + inline($0) + "</li>" }.joined() + "</\(tag)>\n"
            list = nil
        }
        func startItem(_ text: String, ordered: Bool) {
            flushParagraph()
            if let current = list, current.ordered != ordered { flushList() }
            if list == nil { list = (ordered, []) }
            list?.items.append(text)
        }

        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if code != nil {
                if trimmed.hasPrefix("```") {
                    out += "<pre><code>" + SafeText.html(code!.joined(separator: "\n")) + "</code></pre>\n"
                    code = nil
                } else {
                    code!.append(String(line))
                }
                continue
            }
            if trimmed.hasPrefix("```") {
                flushParagraph(); flushList()
                code = []
                continue
            }
            if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) {
                flushParagraph(); flushList()
                continue
            }
            let hashes = trimmed.prefix { $0 == "#" }.count
            if (1...6).contains(hashes), trimmed.dropFirst(hashes).first == " " {
                flushParagraph(); flushList()
                let level = min(6, hashes + headingOffset)
                var text = trimmed.dropFirst(hashes).drop { $0 == " " }
                while let last = text.last, last == " " || last == "#" { text = text.dropLast() }
                out += "<h\(level)>" + inline(text) + "</h\(level)>\n"
                continue
            }
            if let marker = trimmed.first, "-*+".contains(marker), trimmed.dropFirst().first == " " {
                startItem(String(trimmed.dropFirst(2)), ordered: false)
                continue
            }
            let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count < 10, let after = trimmed.dropFirst(digits.count).first, after == "." || after == ")",
                trimmed.dropFirst(digits.count + 1).first == " "
            {
                startItem(String(trimmed.dropFirst(digits.count + 2)), ordered: true)
                continue
            }
            if list != nil, trimmed.count < line.count, let last = list?.items.indices.last {
                // An indented line continues the item above.
                list?.items[last] += " " + trimmed
                continue
            }
            flushList()
            paragraph.append(String(trimmed))
        }
        if let code { out += "<pre><code>" + SafeText.html(code.joined(separator: "\n")) + "</code></pre>\n" }
        flushParagraph(); flushList()
        return out
    }

    /// Emphasis (`*a*`, `_a_`), strong (`**a**`, `__a__`) and code (`` `a` ``) in one line; everything else is text.
    package static func inline(_ text: some StringProtocol) -> String {
        let chars = Array(text)
        var out = "", plain = ""
        func flush() { out += SafeText.html(plain); plain = "" }
        func closing(_ marker: [Character], from start: Int) -> Int? {
            var i = start
            while i + marker.count <= chars.count {
                if Array(chars[i..<(i + marker.count)]) == marker, i > start { return i }
                i += 1
            }
            return nil
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "`", let end = closing(["`"], from: i + 1) {
                flush()
                out += "<code>" + SafeText.html(String(chars[(i + 1)..<end])) + "</code>"
                i = end + 1
                continue
            }
            if c == "*" || c == "_" {
                let double = i + 1 < chars.count && chars[i + 1] == c
                let marker: [Character] = double ? [c, c] : [c]
                let start = i + marker.count
                if start < chars.count, chars[start] != " ", let end = closing(marker, from: start), chars[end - 1] != " " {
                    flush()
                    let tag = double ? "strong" : "em"
                    out += "<\(tag)>" + inline(String(chars[start..<end])) + "</\(tag)>"
                    i = end + marker.count
                    continue
                }
            }
            plain.append(c)
            i += 1
        }
        flush()
        return out
    }
}
