import Foundation
import ISMSModel

/// A framework library in CISO Assistant's YAML format (docs/import.md): the frameworks it holds and their
/// requirement nodes. Read leniently: unknown keys (translations, reference_controls, …) are ignored.
public struct FrameworkLibrary: Sendable {
    public let urn: String?
    public let refID: String?
    public let name: String?
    public let frameworks: [LibraryFramework]

    /// The largest library file read (the biggest published libraries are a few MiB).
    public static let maxBytes = 64 * 1_048_576

    public static func read(_ data: Data, path: String) throws(ToolError) -> FrameworkLibrary {
        let node: YAMLNode
        switch YAMLReader(maxBytes: maxBytes, maxDepth: 64).read(data) {
        case .success(let n): node = n
        case .failure(let problem):
            throw .invalidArgument("\(path):\(problem.location.line):\(problem.location.column): \(problem.message)")
        }
        func fail(_ message: String, _ at: YAMLNode) -> ToolError {
            .invalidArgument("\(path):\(at.location.line):\(at.location.column): \(message)")
        }
        guard node.pairs != nil else { throw fail("a library is a mapping with urn, ref_id, name and objects", node) }
        guard let objects = node["objects"], objects.pairs != nil else {
            throw fail("no objects: this is not a CISO Assistant library (expected objects: {framework: …})", node)
        }
        var frameworkNodes = [YAMLNode]()
        for key in ["framework", "frameworks"] {
            guard let value = objects[key] else { continue }
            if let items = value.items { frameworkNodes += items } else { frameworkNodes.append(value) }
        }
        guard !frameworkNodes.isEmpty else { throw fail("the library holds no framework (objects.framework)", objects) }
        var frameworks = [LibraryFramework]()
        for frameworkNode in frameworkNodes {
            guard frameworkNode.pairs != nil else {
                throw fail("a framework is a mapping with urn, ref_id, name and requirement_nodes", frameworkNode)
            }
            guard let urn = text(frameworkNode["urn"]) else { throw fail("the framework has no urn", frameworkNode) }
            guard let nodes = frameworkNode["requirement_nodes"]?.items else {
                throw fail("framework \(urn) has no list of requirement_nodes", frameworkNode)
            }
            var requirements = [LibraryRequirement]()
            for item in nodes {
                guard item.pairs != nil, let nodeURN = text(item["urn"]) else {
                    throw fail("a requirement node is a mapping with a urn", item)
                }
                requirements.append(
                    LibraryRequirement(
                        urn: nodeURN, parentURN: text(item["parent_urn"]), refID: text(item["ref_id"]), name: text(item["name"]),
                        description: text(item["description"]),
                        assessable: text(item["assessable"])?.lowercased() == "true", line: item.location.line))
            }
            frameworks.append(
                LibraryFramework(
                    urn: urn, refID: text(frameworkNode["ref_id"]), name: text(frameworkNode["name"]),
                    requirements: requirements))
        }
        return FrameworkLibrary(urn: text(node["urn"]), refID: text(node["ref_id"]), name: text(node["name"]), frameworks: frameworks)
    }

    /// A scalar's text, trimmed; nil when absent, empty or not a scalar.
    private static func text(_ node: YAMLNode?) -> String? {
        guard let scalar = node?.scalar, !scalar.isNull else { return nil }
        let trimmed = scalar.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

public struct LibraryFramework: Sendable {
    public let urn: String
    public let refID: String?
    public let name: String?
    public let requirements: [LibraryRequirement]

    /// What obligations name as their `source`: the framework's ref_id, else the last part of its urn.
    public var source: String { refID ?? String(urn.split(separator: ":").last ?? Substring(urn)) }
}

public struct LibraryRequirement: Sendable {
    public let urn: String
    public let parentURN: String?
    public let refID: String?
    public let name: String?
    public let description: String?
    public let assessable: Bool
    /// Where the node starts in the library file.
    public let line: Int
}

/// `isms import ciso-assistant`: one obligation per assessable requirement of a framework, never overwriting.
public enum FrameworkImport {
    /// An obligation to write.
    public struct NewObligation: Sendable {
        public let id: String
        /// Relative to the ISMS root.
        public let path: String
        public let text: String
        public let requirement: LibraryRequirement
    }

    /// An obligation already there (same source and ref) whose title or description differs from the library's.
    public struct Difference: Sendable {
        public let id: String
        public let path: String
        public let fields: [String]
    }

    public struct Plan: Sendable {
        public let framework: LibraryFramework
        public let new: [NewObligation]
        /// Requirements already present as obligations (matched by source and ref).
        public let present: Int
        public let differences: [Difference]
        public var assessable: Int { new.count + present }
    }

    /// What importing `framework` into `isms` writes, with `owner` on every new obligation.
    public static func plan(_ framework: LibraryFramework, into isms: ISMS, owner: String, root: String) throws(ToolError) -> Plan {
        let source = convention(for: framework)
        let articles = articleSources.contains(source)
        let byURN = Dictionary(framework.requirements.map { ($0.urn, $0) }, uniquingKeysWith: { first, _ in first })
        // The obligations there already, by source (any case) and ref; for NIS2, GDPR and DORA by the article
        // they name, however it is written (`Art. 21(2)(a)`, `Article 21 (2)(a)`, `21.2.a`).
        var existing = [String: Record]()
        for obligation in isms.records(of: .obligation) {
            guard let s = obligation.string("source"), let r = obligation.string("ref") else { continue }
            let key = Self.key(s, r)
            if existing[key] == nil { existing[key] = obligation }
        }
        let pattern = isms.config.idPattern(.obligation)
        var usedIDs = Set(isms.records.map(\.id))
        var usedRefs = Set<String>()
        var new = [NewObligation]()
        var present = 0
        var differences = [Difference]()
        let folder = "obligations/" + slug(source).lowercased()
        for requirement in framework.requirements where requirement.assessable {
            var ref =
                requirement.refID ?? requirement.parentURN.flatMap { byURN[$0]?.refID ?? byURN[$0]?.name } ?? lastPart(requirement.urn)
            // The id keeps the library's short form (OBL-NIS2-21-2-a, as example-isms names them); the ref is
            // written as isms's catalogs and people write it (Art. 21(2)(a)).
            var idRef = ref
            if articles, let article = articleRef(ref) {
                idRef = articleNumbers(ref).joined(separator: "-")
                ref = article
            }
            if usedRefs.contains(ref) { ref += " [\(lastPart(requirement.urn))]" }
            usedRefs.insert(ref)
            let title = Self.title(requirement, ref: ref)
            let description = requirement.description
            if let record = existing[key(source, ref)] {
                present += 1
                var fields = [String]()
                if record.string("title") != title { fields.append("title") }
                if record.string("description") != description { fields.append("description") }
                if !fields.isEmpty { differences.append(Difference(id: record.id, path: record.path, fields: fields)) }
                continue
            }
            var id = try baseID(source: source, ref: idRef, pattern: pattern)
            var suffix = 2
            let base = id
            while usedIDs.contains(id) || FileManager.default.fileExists(atPath: root + "/" + path(id, folder)) {
                id = base + "-\(suffix)"
                suffix += 1
            }
            guard pattern.matches(id) else {
                throw .invalidArgument("\(id) does not match the obligation id pattern \(pattern.source)")
            }
            usedIDs.insert(id)
            new.append(
                NewObligation(
                    id: id, path: path(id, folder),
                    text: record(
                        id: id, title: title, owner: owner, source: source, ref: ref,
                        description: description, urn: requirement.urn),
                    requirement: requirement))
        }
        return Plan(framework: framework, new: new, present: present, differences: differences)
    }

    package static func key(_ source: String, _ ref: String) -> String {
        let canonical = Frameworks.canonicalSource(source.trimmingCharacters(in: .whitespaces))
        var ref = ref.trimmingCharacters(in: .whitespaces)
        if articleSources.contains(canonical), let article = articleRef(ref) { ref = article }
        return canonical.lowercased() + "\u{1F}" + ref
    }

    /// The catalogued sources whose references are articles of a legal text.
    package static let articleSources: Set<String> = ["GDPR", "NIS2", "DORA"]

    /// The `source` isms's own conventions give the framework: CISO Assistant names its libraries `NIS2-directive`,
    /// `DORA`, `GDPR`…, and an obligation of a catalogued framework must say `NIS2` (or `GDPR`, `DORA`) for
    /// `unknown-reference` to check it and for a second import to see the obligations adopted by hand. Any other
    /// framework keeps its ref_id.
    public static func convention(for framework: LibraryFramework) -> String {
        for name in [framework.refID, String(framework.urn.split(separator: ":").last ?? "")].compactMap({ $0 }) {
            let canonical = Frameworks.canonicalSource(name)
            if articleSources.contains(canonical) { return canonical }
            let letters = name.uppercased().filter { $0.isLetter || $0.isNumber }
            // NIS2DIRECTIVE, DORAREGULATION, GDPREU… but not NIS21 or a longer word that merely starts alike.
            for source in articleSources.sorted() where letters.hasPrefix(source) {
                let rest = letters.dropFirst(source.count)
                if rest.isEmpty || rest.first!.isLetter { return source }
            }
        }
        return framework.source
    }

    /// `21.2.a`, `21(2)(a)`, `Art. 21 (2) (a)`, `Article 21` as isms writes an article: `Art. 21(2)(a)`. Nil when
    /// the text does not start with an article number.
    package static func articleRef(_ text: String) -> String? {
        let numbers = articleNumbers(text)
        guard let article = numbers.first else { return nil }
        return "Art. " + article + numbers.dropFirst().map { "(\($0))" }.joined()
    }

    /// The article, paragraph, point… of an article reference, in order (`["21", "2", "a"]`); empty when the text
    /// does not start with an article number or holds anything else (a second reference, a word).
    package static func articleNumbers(_ text: String) -> [String] {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        for prefix in ["article", "artikel", "art.", "art"] where rest.lowercased().hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            break
        }
        var parts = [String]()
        var token = ""
        for c in rest {
            if c == "(" || c == ")" || c == "." || c == " " {
                if !token.isEmpty { parts.append(token); token = "" }
            } else if c.isASCII && (c.isLetter || c.isNumber) && token.count < 8 {
                token.append(c)
            } else {
                return []
            }
        }
        if !token.isEmpty { parts.append(token) }
        guard let first = parts.first, first.allSatisfy(\.isNumber), parts.count <= 5 else { return [] }
        return parts
    }

    package static func path(_ id: String, _ folder: String) -> String {
        folder + "/" + String(Scaffold.path(for: id, kind: .obligation).dropFirst("obligations/".count))
    }

    private static func lastPart(_ urn: String) -> String { String(urn.split(separator: ":").last ?? Substring(urn)) }

    /// The name, else the start of the description (a short name for a requirement known only by its text), else the ref.
    package static func title(_ requirement: LibraryRequirement, ref: String) -> String {
        if let name = requirement.name { return name }
        guard let description = requirement.description else { return ref }
        let line = description.split(whereSeparator: \.isNewline).first.map(String.init) ?? description
        guard line.count > 100 else { return line }
        var cut = String(line.prefix(100))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut + "…"
    }

    /// `OBL-<FRAMEWORK>-<ref>` in the default pattern's alphabet; when the ISMS's pattern refuses it, the same in
    /// upper case with `-` for `.` and `_`.
    package static func baseID(source: String, ref: String, pattern: Pattern) throws(ToolError) -> String {
        let id = "OBL-" + slug(source).uppercased() + "-" + slug(ref)
        if pattern.matches(id) { return id }
        let strict = id.uppercased().replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
            .replacingOccurrences(of: "--", with: "-")
        if pattern.matches(strict) { return strict }
        throw .invalidArgument(
            "neither \(id) nor \(strict) matches the obligation id pattern \(pattern.source); widen id_patterns.obligation in isms.yaml")
    }

    /// Letters, digits, `.`, `_` and `-`; any other run of characters becomes one `-`.
    package static func slug(_ text: String) -> String {
        var out = ""
        for c in text {
            if c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_") { out.append(c) } else if out.last != "-" { out.append("-") }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-."))
        return trimmed.isEmpty ? "X" : trimmed
    }

    package static func record(id: String, title: String, owner: String, source: String, ref: String, description: String?, urn: String)
        -> String
    {
        var text = "# Imported by isms import ciso-assistant from \(urn.replacingOccurrences(of: "\n", with: " "))\n"
        text += "id: \(scalar(id))\ntitle: \(scalar(title))\nowner: \(scalar(owner))\nsource: \(scalar(source))\nref: \(scalar(ref))\n"
        if let description { text += "description: \(scalar(description))\n" }
        return text
    }

    /// A YAML scalar that every YAML reader, not only isms, reads back as this text: numbers, booleans, null and
    /// date-like words are quoted.
    package static func scalar(_ text: String) -> String {
        let words: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]
        if words.contains(text.lowercased()) || text.range(of: "^[-+.0-9][-+.0-9:eE_x]*$", options: .regularExpression) != nil {
            return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return Templates.yamlScalar(text)
    }
}

/// `isms import ciso-assistant --catalog`: a framework of a library as a catalogue of the ISMS's own (`catalogs/`),
/// one requirement per assessable requirement node, grouped under its nearest named ancestor (`21 Cybersecurity
/// risk-management measures`). No Annex A mapping is written: `annex_a` is added by hand (a framework library maps to
/// no Annex A control itself; CISO Assistant keeps mappings in libraries of their own).
public enum CatalogImport {
    public struct Plan: Sendable {
        public let id: String
        /// Relative to the ISMS root: `catalogs/<id>.yaml`.
        public let path: String
        public let text: String
        public let requirements: Int
    }

    /// The catalogue `framework` makes, with the id `id` (default: the framework's ref_id, such as `NIS2-directive`).
    public static func plan(_ framework: LibraryFramework, id: String? = nil) throws(ToolError) -> Plan {
        let catalogID = id ?? FrameworkImport.slug(framework.source)
        guard UserCatalog.isValidID(catalogID) else {
            throw .invalidArgument("'\(catalogID)' is not a catalogue id (\(UserCatalog.idPattern)); give one with --catalog-id")
        }
        if let shipped = Frameworks.all.first(where: { $0.source == Frameworks.canonicalSource(catalogID) }) {
            throw .invalidArgument(
                "'\(catalogID)' is the shipped catalogue \(shipped.source) (\(shipped.name)); give the catalogue another id with --catalog-id, "
                    + "or import the requirements as obligations (without --catalog)")
        }
        let byURN = Dictionary(framework.requirements.map { ($0.urn, $0) }, uniquingKeysWith: { first, _ in first })
        func group(of requirement: LibraryRequirement) -> String? {
            var parent = requirement.parentURN.flatMap { byURN[$0] }
            var steps = 0
            while let node = parent, steps < 64 {
                if let name = node.name { return [node.refID, name].compactMap { $0 }.joined(separator: " ") }
                parent = node.parentURN.flatMap { byURN[$0] }
                steps += 1
            }
            return nil
        }
        var seen = Set<[String]>()
        var lines = [String]()
        for requirement in framework.requirements where requirement.assessable {
            let last = String(requirement.urn.split(separator: ":").last ?? Substring(requirement.urn))
            var ref = requirement.refID ?? last
            if seen.contains(UserCatalogReference.key(ref)) { ref += " [\(last)]" }
            let key = UserCatalogReference.key(ref)
            guard !key.isEmpty, !seen.contains(key) else { continue }
            seen.insert(key)
            lines.append("  - id: \(FrameworkImport.scalar(ref))")
            lines.append("    title: \(FrameworkImport.scalar(oneLine(FrameworkImport.title(requirement, ref: ref))))")
            if let group = group(of: requirement) { lines.append("    group: \(FrameworkImport.scalar(oneLine(group)))") }
        }
        guard !lines.isEmpty else {
            throw .invalidArgument("framework \(framework.urn) has no assessable requirement: there is no catalogue to write")
        }
        var text = "# Imported by isms import ciso-assistant --catalog from \(oneLine(framework.urn)) (docs/format.md, \"Catalogues\").\n"
        text +=
            "# Obligations name it as source: \(catalogID) and one of these ids as ref; annex_a: [A.x.y] maps a requirement to Annex A.\n"
        text += "id: \(FrameworkImport.scalar(catalogID))\n"
        text += "title: \(FrameworkImport.scalar(oneLine(framework.name ?? catalogID)))\n"
        text += "requirements:\n" + lines.joined(separator: "\n") + "\n"
        return Plan(
            id: catalogID, path: UserCatalog.folder + "/" + FrameworkImport.slug(catalogID).lowercased() + ".yaml", text: text,
            requirements: seen.count)
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
