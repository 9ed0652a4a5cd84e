import Foundation
import ISMSCore
import ISMSModel

/// The starter ISMS and the record templates shipped in the binary (generated from templates/).
public enum Templates {
    /// Every file of the starter ISMS, by path relative to its root: settings, one example record per kind,
    /// the allowed-signers stub, the pre-commit hook and the CI workflow.
    public static var starter: [(path: String, content: String)] {
        TemplateFiles.all.filter { !$0.path.hasPrefix("records/") }
    }

    /// The template `isms new` fills for a kind (its declaration's `template`; RecordKindTests checks each exists).
    public static func record(_ kind: RecordKind) -> String {
        TemplateFiles.all.first { $0.path == kind.template }?.content ?? ""
    }

    /// Every file under templates/, as embedded.
    public static var all: [(path: String, content: String)] { TemplateFiles.all }

    /// Replaces `{{key}}` placeholders. A placeholder that is a whole YAML value (`title: {{title}}`) is written
    /// as a YAML scalar, quoted when the text needs it; elsewhere (inside a block of text) it is inserted as is.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        template.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = String(line)
            for (key, value) in values {
                let placeholder = "{{\(key)}}"
                guard line.contains(placeholder) else { continue }
                if line.hasSuffix(": " + placeholder) && !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                    // An empty value stays empty (`owner:`), which reads as absent: check then asks for it.
                    line =
                        value.isEmpty
                        ? String(line.dropLast(placeholder.count + 1)) : String(line.dropLast(placeholder.count)) + yamlScalar(value)
                } else {
                    line = line.replacingOccurrences(of: placeholder, with: value.replacingOccurrences(of: "\n", with: " "))
                }
            }
            return line
        }.joined(separator: "\n")
    }

    /// `text` as a YAML scalar: plain when that reads back as the same text, double-quoted otherwise.
    public static func yamlScalar(_ text: String) -> String {
        let indicators: Set<Character> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
        let plain =
            !text.isEmpty && !text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.hasSuffix(":")
            && !indicators.contains(text.first!) && !text.contains(": ") && !text.contains(" #")
            && !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        if plain { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// An id pattern with exactly one run of digits between fixed text: `^RISK-[0-9]+$`, `^R-([0-9]{3})$`.
public struct NumberedIDPattern: Sendable, Equatable {
    public let prefix: String
    public let suffix: String
    /// Zero-padded to this many digits (`{3}`, `{3,}`); 1 for `+`.
    public let minimumDigits: Int
    /// At most this many digits (`{3}`, `{1,4}`); nil when unbounded.
    public let maximumDigits: Int?

    /// Nil when the pattern has no number group, more than one, or anything but fixed text around it.
    public init?(_ source: String) {
        var chars = Array(source)
        if chars.first == "^" { chars.removeFirst() }
        if chars.last == "$", chars.dropLast().last != "\\" { chars.removeLast() }
        var prefix = "", suffix = "", found: (Int, Int?)? = nil
        var i = 0
        func literal(_ c: Character) { if found == nil { prefix.append(c) } else { suffix.append(c) } }
        let digitClasses = ["[0-9]", "\\d", "[[:digit:]]"]
        while i < chars.count {
            var rest = String(chars[i...])
            var grouped = false
            if rest.hasPrefix("(?:") {
                grouped = true; rest.removeFirst(3)
            } else if rest.hasPrefix("(") {
                grouped = true; rest.removeFirst(1)
            }
            if let digit = digitClasses.first(where: { rest.hasPrefix($0) }) {
                guard found == nil else { return nil }
                var consumed = chars.count - i - rest.count + digit.count
                rest.removeFirst(digit.count)
                var quantifier = ""
                if rest.hasPrefix("+") {
                    quantifier = "+"
                } else if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
                    quantifier = String(rest[...close])
                }
                rest.removeFirst(quantifier.count)
                consumed += quantifier.count
                if grouped {
                    guard rest.hasPrefix(")") else { return nil }
                    consumed += 1
                }
                switch quantifier {
                case "+": found = (1, nil)
                case "": return nil  // a single digit is not a counter
                default:
                    let inner = quantifier.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
                    guard let low = Int(inner[0]), low >= 1 else { return nil }
                    if inner.count == 1 {
                        found = (low, low)
                    } else if inner.count == 2, inner[1].isEmpty {
                        found = (low, nil)
                    } else if inner.count == 2, let high = Int(inner[1]), high >= low {
                        found = (low, high)
                    } else {
                        return nil
                    }
                }
                i += consumed
                continue
            }
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count, !chars[i + 1].isLetter, !chars[i + 1].isNumber else { return nil }
                literal(chars[i + 1])
                i += 2
                continue
            }
            if ".^$|?*+()[]{}".contains(c) { return nil }
            literal(c)
            i += 1
        }
        guard let (low, high) = found else { return nil }
        self.prefix = prefix
        self.suffix = suffix
        minimumDigits = low
        maximumDigits = high
    }

    /// The number in `id`, when it has this shape.
    public func number(in id: String) -> Int? {
        guard id.hasPrefix(prefix), id.hasSuffix(suffix), id.count > prefix.count + suffix.count else { return nil }
        let digits = id.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    public func id(_ number: Int) -> String? {
        var digits = String(number)
        if digits.count < minimumDigits { digits = String(repeating: "0", count: minimumDigits - digits.count) + digits }
        if let maximumDigits, digits.count > maximumDigits { return nil }
        return prefix + digits + suffix
    }
}

/// The JSON Schemas `isms init` writes for editors, and the VS Code settings that map each kind's folder to its
/// schema for yaml-language-server (docs/editors.md).
public enum EditorSchemas {
    public static let folder = ".isms/schemas"

    /// Glob → schema file, relative to the ISMS root: each YAML kind's folder (the YAML extension does not read a
    /// Markdown file's front matter), and isms.yaml.
    public static var mapping: [(schema: String, globs: [String])] {
        RecordKind.allCases.filter { $0.fileFormat == .yaml }.map {
            ("\(folder)/\(JSONSchema.fileName($0))", ["\($0.folder)/**/*.yaml", "\($0.folder)/**/*.yml"])
        }
            + [
                ("\(folder)/\(JSONSchema.configFileName)", ["isms.yaml"]),
                ("\(folder)/\(JSONSchema.catalogFileName)", ["\(UserCatalog.folder)/**/*.yaml", "\(UserCatalog.folder)/**/*.yml"]),
            ]
    }

    /// `.vscode/settings.json`: the `yaml.schemas` setting of the YAML extension (yaml-language-server).
    public static var vscodeSettings: String {
        let schemas = JSONValue.object(
            Dictionary(uniqueKeysWithValues: mapping.map { ("./" + $0.schema, JSONValue.array($0.globs.map(JSONValue.string))) }))
        return JSONValue.object(["yaml.schemas": schemas]).rendered() + "\n"
    }

    /// Every file: the schemas and the VS Code settings.
    public static var files: [(path: String, content: String)] {
        JSONSchema.all.map { ("\(folder)/\($0.name)", $0.schema.rendered() + "\n") } + [(".vscode/settings.json", vscodeSettings)]
    }
}

/// Writing new ISMS files: `isms init` and `isms new`.
public enum Scaffold {
    /// Writes the starter ISMS into `folder` (created when missing) and returns the paths written, relative to
    /// it. Refuses a folder that already holds an isms.yaml, and never overwrites any file.
    public static func initialise(_ folder: String, name: String, today: Day) throws(ToolError) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: folder, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw .invalidArgument("\(folder) is a file, not a folder")
        }
        if manager.fileExists(atPath: folder + "/isms.yaml")
            || (try? manager.destinationOfSymbolicLink(atPath: folder + "/isms.yaml")) != nil
        {
            throw .invalidArgument("\(folder) already holds an isms.yaml; refusing to initialise over an ISMS")
        }
        let root = repositoryRelativePath(folder)
        let values = [
            "name": name, "today": today.description, "in_90_days": today.adding(days: 90).description,
            "root": root, "version": ISMSVersion.current,
        ]
        let files = Templates.starter.map { (path: $0.path, content: Templates.fill($0.content, values)) } + EditorSchemas.files
        let existing = files.map(\.path).filter { manager.fileExists(atPath: folder + "/" + $0) }
        guard existing.isEmpty else {
            throw .invalidArgument("\(folder) already holds \(existing.joined(separator: ", ")); refusing to overwrite")
        }
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .invalidArgument("cannot create \(folder): \(error.localizedDescription)")
        }
        // The folder may be a clone whose .github or risks is a committed link: nothing is written through one,
        // and every file is checked before the first is written, so a refusal leaves no half-made ISMS.
        for dryRun in [true, false] {
            for file in files {
                try ContainedWrite.write(
                    Data(file.content.utf8), to: file.path, below: folder, mode: .create, shown: folder + "/" + file.path,
                    dryRun: dryRun)
            }
        }
        return files.map(\.path)
    }

    /// `folder` seen from the top of the git work tree it is in (the nearest folder at or above it with a `.git`),
    /// for the `--root` of the pre-commit hook and the CI workflow, which run at the repository top; `.` when the
    /// folder is the top or in no repository (then it becomes the top once `git init` runs there). Quoted for a
    /// shell when it needs to be: pre-commit splits `entry` as a shell does.
    package static func repositoryRelativePath(_ folder: String) -> String {
        let manager = FileManager.default
        let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
        var components = absolute.split(separator: "/").map(String.init)
        var below = [String]()
        while true {
            let candidate = "/" + components.joined(separator: "/")
            if manager.fileExists(atPath: candidate + "/.git") { break }
            guard let last = components.popLast() else { return "." }
            below.insert(last, at: 0)
        }
        let relative = below.isEmpty ? "." : below.joined(separator: "/")
        let plain = relative.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._/-".unicodeScalars.contains($0))
        }
        return plain ? relative : "'" + relative.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The next free id of `kind`: one more than the highest number among the ids of that shape (gaps are
    /// never reused, so an id once deleted keeps meaning what it meant in history).
    public static func nextID(_ kind: RecordKind, in isms: ISMS) throws(ToolError) -> String {
        let source = isms.config.idPattern(kind).source
        guard let pattern = NumberedIDPattern(source) else {
            throw .invalidArgument(
                "\(kind.rawValue) ids have no number to count up (id pattern \(source)); give one with --id, such as \(kind.exampleID)")
        }
        let highest = isms.records(of: kind).compactMap { pattern.number(in: $0.id) }.max() ?? 0
        guard let id = pattern.id(highest + 1), isms.config.idPattern(kind).matches(id) else {
            throw .invalidArgument(
                "no free \(kind.rawValue) id after \(pattern.id(highest) ?? String(highest)) in the id pattern \(source); give one with --id"
            )
        }
        return id
    }

    /// The file a new record goes to, relative to the ISMS root: `<kind folder>/<id in lower case>.<extension>`.
    public static func path(for id: String, kind: RecordKind) -> String {
        let name = String(
            id.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "-" })
        return "\(kind.folder)/\(name).\(kind.fileFormat.fileExtension)"
    }

    /// The text of a new record from its kind's template.
    public static func record(_ kind: RecordKind, id: String, title: String, owner: String?, today: Day) -> String {
        Templates.fill(
            Templates.record(kind),
            [
                "id": id, "title": title, "owner": owner ?? "", "today": today.description,
                "in_90_days": today.adding(days: 90).description,
            ])
    }
}
