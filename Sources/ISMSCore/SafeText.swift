/// The one place that makes text chosen by the people isms judges (record values, ids, field names, file
/// names, author names, commit messages) safe to show in a human-readable output: a terminal, a CI log, a
/// pull-request comment, an HTML page, a spreadsheet.
///
/// Every human-readable format passes user content through one of these functions at the point it is placed,
/// so a record can neither end a line (and start a GitHub workflow command such as `::add-mask::` on the next),
/// nor move the cursor or recolour a terminal, nor reorder what is shown with bidi overrides, nor add markup.
/// Machine formats (JSON, SARIF, JUnit, OSCAL) do not use it: their encoders escape exactly, and a consumer
/// must get the bytes the record holds.
public enum SafeText {
    // MARK: terminals and logs

    /// `text` on one line with every control character shown escaped: `\n`, `\r`, `\t`, `\e` (ESC, which starts
    /// every terminal escape sequence), `\u{7F}` for DEL and the C1 controls, and `\u{202E}` for the bidi and
    /// line-separator characters that change how the rest of a line reads. Backslashes are left as they are:
    /// this is for people to read, not to parse back.
    public static func text(_ text: String) -> String {
        needsEscaping(text, keepingLineBreaks: false) ? escaped(text, keepingLineBreaks: false) : text
    }

    /// The same, keeping `\n` (for multi-line messages of our own, such as a usage text, and CSV cells, which
    /// quote line breaks). A `\r` is still escaped: it would let a later part of the line overwrite an earlier.
    public static func multiline(_ text: String) -> String {
        needsEscaping(text, keepingLineBreaks: true) ? escaped(text, keepingLineBreaks: true) : text
    }

    /// Whether `scalar` is escaped: C0 controls, DEL, C1 controls, the Arabic letter mark, LRM/RLM, the line and
    /// paragraph separators, the bidi embeddings and overrides (U+202A–U+202E), the bidi isolates
    /// (U+2066–U+2069) and the byte order mark. Zero-width joiners are kept: emoji and several scripts need them.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// Scans UTF-8 bytes: every unsafe scalar is a byte below 0x20, DEL, or starts with 0xC2, 0xD8, 0xE2 or 0xEF,
    /// so text without those (nearly all of it) is returned as it is without decoding a scalar. Runs for every
    /// value `isms log` prints.
    package static func needsEscaping(_ text: String, keepingLineBreaks: Bool) -> Bool {
        // Over the contiguous bytes: the UTF-8 view's iterator was a third of rendering a check's 4,000 findings.
        var copy = text
        let suspicious = copy.withUTF8 { bytes -> Bool? in
            for byte in bytes {
                if byte < 0x20 {
                    if keepingLineBreaks && byte == 0x0A { continue }
                    return nil
                }
                if byte == 0x7F { return nil }
                if byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF { return true }
            }
            return false
        }
        guard let suspicious else { return true }
        guard suspicious else { return false }
        return text.unicodeScalars.contains { isUnsafe($0) && !(keepingLineBreaks && $0 == "\n") }
    }

    package static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else { out.append(scalar); continue }
            switch scalar {
            case "\n" where keepingLineBreaks: out.append(scalar)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\u{1B}": out.append(contentsOf: "\\e".unicodeScalars)
            default: out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(out)
    }

    /// Guards a whole human-readable output on its way to a terminal or a CI log: a line that would start,
    /// after white space, with `::` (how GitHub's runner recognises a workflow command, `::error::`,
    /// `::add-mask::`, `::stop-commands::`) gets its first colon escaped. Every renderer already keeps user
    /// content off the start of a line; this catches a renderer that does not (a field name first on a line of
    /// `isms blame`). Only `--format github` writes workflow commands, and it does not pass through here.
    public static func guardingWorkflowCommands(_ output: String) -> String {
        // Two colons in a row, found on the bytes: Foundation's `contains` cost a check 4% of its time on 3,500
        // findings. A line this changes starts with two colon characters, so it holds those bytes too.
        var previousWasColon = false, twoColons = false
        for byte in output.utf8 {
            if byte == UInt8(ascii: ":") {
                if previousWasColon { twoColons = true; break }
                previousWasColon = true
            } else {
                previousWasColon = false
            }
        }
        guard twoColons else { return output }
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        var changed = false
        for (index, line) in lines.enumerated() {
            let body = line.drop { $0 == " " || $0 == "\t" }
            guard body.hasPrefix("::") else { continue }
            lines[index] = line[..<body.startIndex] + "\\u{3A}" + body.dropFirst()
            changed = true
        }
        return changed ? lines.joined(separator: "\n") : output
    }

    // MARK: Markdown (GitHub-flavoured, CommonMark)

    /// `text` as Markdown inline text that renders as exactly these characters: no emphasis, code, link, image,
    /// autolink, raw HTML, entity, table cell break, heading or list. Control characters are escaped first (so
    /// nothing starts a new block), then every ASCII punctuation character that can open a construct gets a
    /// backslash. An `@` is followed by a zero-width space: GitHub turns `@org/team` into a mention (a
    /// notification) even from escaped text, and the space is invisible in the rendered comment. The `:` of a
    /// URL and the `.` of `www.` are escaped so GitHub's extended autolinks do not fire.
    public static func markdown(_ text: String) -> String {
        let scalars = Array(Self.text(text).unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "&", "!", "|", "~", "#", "$":
                out.append("\\")
                out.append(scalar)
            case "@":
                out.append(scalar)
                out.append("\u{200B}")
            case ":" where index + 1 < scalars.count && scalars[index + 1] != " ":
                out.append("\\")
                out.append(scalar)
            case "." where index >= 3 && String(String.UnicodeScalarView(scalars[(index - 3)..<index])).lowercased() == "www":
                out.append("\\")
                out.append(scalar)
            case _ where index == 0 && (scalar == "-" || scalar == "+" || scalar == "="):
                // Only at the start: a list item or a setext underline.
                out.append("\\")
                out.append(scalar)
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `text` as a Markdown code span: opened and closed by a run of backticks longer than any run inside, padded
    /// with a space when it starts or ends with a backtick or a space (CommonMark strips one space each side).
    /// Inside a code span nothing is markup and GitHub makes no mention; `|` is escaped because GFM splits
    /// table cells on it even there (and gives it back as `|`).
    public static func markdownCode(_ text: String) -> String {
        let body = Self.text(text).replacingOccurrences(of: "|", with: "\\|")
        var longest = 0, run = 0
        for character in body {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = body.hasPrefix("`") || body.hasSuffix("`") || body.hasPrefix(" ") || body.hasSuffix(" ") || body.isEmpty ? " " : ""
        return fence + pad + body + pad + fence
    }

    /// `text` inside an HTML element of a Markdown document (the `<summary>` of a `<details>` block, where
    /// Markdown is not parsed): control characters escaped, `& < > " '` as entities, and a zero-width space after
    /// `@` against mentions.
    public static func markdownHTML(_ text: String) -> String {
        html(text).replacingOccurrences(of: "@", with: "@\u{200B}")
    }

    // MARK: HTML

    /// `text` as HTML text or attribute value: control characters escaped, `& < > " '` as entities.
    public static func html<S: StringProtocol>(_ text: S) -> String {
        let source = Self.text(String(text))
        var out = ""
        out.reserveCapacity(source.utf8.count)
        for scalar in source.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: CSV

    /// A CSV cell (RFC 4180) that a spreadsheet shows as text: a cell a spreadsheet would read as a formula
    /// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'` and is quoted, as OWASP
    /// recommends against CSV injection. `isNumber` marks values isms computed (scores, counts), which are kept:
    /// `-3` is a number, not a formula. Control characters other than line breaks are escaped.
    public static func csv(_ text: String, isNumber: Bool = false) -> String {
        var value = text
        if !isNumber, let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        value = multiline(value.replacingOccurrences(of: "\r\n", with: "\n"))
        let formula = value.hasPrefix("'") && value != text
        guard
            formula || value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                || value.hasPrefix(" ") || value.hasSuffix(" ")
        else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: URIs

    /// A relative path as an RFC 3986 URI reference: each segment percent-encoded (UTF-8) except the unreserved
    /// characters and the sub-delimiters, so `risk 90 (copy).yaml` is `risk%2090%20(copy).yaml` and `risk#91.yaml`
    /// stays one file rather than a fragment. `:` is encoded too: in the first segment of a relative reference it
    /// would read as a scheme.
    public static func uriPath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"),
                UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
