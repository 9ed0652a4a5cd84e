/// A catalogue an ISMS defines itself, one YAML file in `catalogs/` (docs/format.md, "Catalogues"): a national law,
/// SOC 2, a customer's security schedule. Obligations name it as their `source` and one of its requirements as their
/// `ref`, as they name GDPR and Art. 32; `unknown-reference` checks them and coverage counts against it.
public struct UserCatalog: Sendable {
    /// The obligation `source` that names the catalogue, as written in the file.
    public let id: String
    public let title: String
    public let description: String?
    /// Relative to the ISMS root: `catalogs/bsig.yaml`.
    public let path: String
    public let idLocation: SourceLocation
    public let requirements: [Requirement]

    public struct Requirement: Sendable, Hashable {
        public let id: String
        public let title: String
        public let group: String?
        /// The Annex A controls the requirement maps to, as written, with where each stands.
        public let annexA: [AnnexAReference]
        public let location: SourceLocation
    }

    public struct AnnexAReference: Sendable, Hashable {
        public let text: String
        public let location: SourceLocation
    }

    /// The catalogue as the shipped ones are held, for resolving references and counting coverage.
    public let framework: FrameworkCatalog

    package init(id: String, title: String, description: String?, path: String, idLocation: SourceLocation, requirements: [Requirement]) {
        self.id = id
        self.title = title
        self.description = description
        self.path = path
        self.idLocation = idLocation
        self.requirements = requirements
        framework = FrameworkCatalog(
            source: id, name: title, scopeNote: "\(requirements.count) requirement\(requirements.count == 1 ? "" : "s") in \(path)",
            entries: requirements.map { CatalogEntry($0.id, $0.title, group: $0.group ?? title) }, path: path)
    }

    /// The folder catalogues are kept in, beside the record kinds' folders.
    public static let folder = "catalogs"
    /// A catalogue's id: what an obligation writes as its `source` (`BSIG`, `SOC2`, `ACME-Schedule-3`).
    public static let idPattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$"
    /// Whether `text` matches `idPattern`.
    public static func isValidID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else {
            return false
        }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
        }
    }

    /// The longest requirement id and title read.
    public static let maxTextLength = 1_000

    /// The fields of a catalogue file and of one requirement, for the reader, the JSON Schema and the docs.
    public static let fields: [(name: String, required: Bool, summary: String)] = [
        ("id", true, "The catalogue's id: what obligations write as their source (letters, digits, '.', '_', '-')."),
        ("title", true, "The catalogue's name, as coverage shows it (\"<title>: n of m covered\")."),
        ("description", false, "What the catalogue is and where it comes from."),
        ("requirements", true, "The requirements, in catalogue order: each an id and a title, optionally a group and Annex A controls."),
    ]
    public static let requirementFields: [(name: String, required: Bool, summary: String)] = [
        ("id", true, "The requirement's reference, unique in the catalogue: what obligations write as their ref (such as 30(1))."),
        ("title", true, "The requirement's short title."),
        ("group", false, "The part, chapter or section the requirement belongs to."),
        ("annex_a", false, "The ISO/IEC 27001:2022 Annex A controls the requirement maps to (A.5.1 … A.8.34)."),
    ]
}

/// Reads one catalogue file's YAML tree; every defect is a located finding (missing-field, invalid-value,
/// unknown-field, duplicate-id), as a record's would be.
public enum UserCatalogReader {
    public static func read(_ node: YAMLNode, path: String) -> (catalog: UserCatalog?, findings: [Finding]) {
        var findings = [Finding]()
        func invalid(_ message: String, _ at: SourceLocation, field: String) {
            findings.append(LoadStage.invalidValue.finding(message, path: path, at: at, field: field))
        }
        guard let pairs = node.pairs else {
            invalid("a catalogue is a mapping with id, title and requirements, not \(node.shapeName)", node.location, field: "id")
            return (nil, findings)
        }
        let known = UserCatalog.fields.map(\.name)
        for pair in pairs where !known.contains(pair.key) {
            findings.append(
                LoadStage.unknownField.finding(
                    LoadStage.unknownMessage(pair.key, known: known, in: "a catalogue"),
                    path: path, at: pair.keyLocation, field: pair.key))
        }
        func text(_ node: YAMLNode?, _ field: String, in place: String, required: Bool, at parent: SourceLocation) -> String? {
            guard let node, let scalar = node.scalar, !scalar.isNull else {
                if let node, node.scalar == nil {
                    invalid("\(field) of \(place) must be text, not \(node.shapeName)", node.location, field: field)
                } else if required {
                    findings.append(
                        LoadStage.missingField.finding("\(place) has no \(field)", path: path, at: node?.location ?? parent, field: field))
                }
                return nil
            }
            let value = scalar.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty {
                if required {
                    findings.append(
                        LoadStage.missingField.finding("\(place) has an empty \(field)", path: path, at: node.location, field: field))
                }
                return nil
            }
            if value.count > UserCatalog.maxTextLength {
                invalid(
                    "\(field) of \(place) is \(value.count) characters, over the limit of \(UserCatalog.maxTextLength)", node.location,
                    field: field)
                return nil
            }
            return value
        }
        let idNode = node["id"]
        var id = text(idNode, "id", in: "the catalogue", required: true, at: node.location)
        if let value = id {
            if !UserCatalog.isValidID(value) {
                invalid(
                    "catalogue id '\(value)' does not match \(UserCatalog.idPattern) (letters, digits, '.', '_', '-')", idNode!.location,
                    field: "id")
                id = nil
            } else if let builtIn = Frameworks.all.first(where: { $0.source == Frameworks.canonicalSource(value) }) {
                invalid(
                    "catalogue id '\(value)' names the shipped catalogue \(builtIn.source) (\(builtIn.name)); give this catalogue an id of its own",
                    idNode!.location, field: "id")
                id = nil
            }
        }
        let title = text(node["title"], "title", in: "the catalogue", required: true, at: node.location)
        let description = text(node["description"], "description", in: "the catalogue", required: false, at: node.location)

        var requirements = [UserCatalog.Requirement]()
        if let list = node["requirements"] {
            if let items = list.items {
                if items.isEmpty {
                    invalid("requirements is empty: a catalogue lists at least one requirement", list.location, field: "requirements")
                }
                var seen = [String: SourceLocation]()
                let requirementKnown = UserCatalog.requirementFields.map(\.name)
                for (index, item) in items.enumerated() {
                    let place = "requirement \(index + 1)"
                    guard let itemPairs = item.pairs else {
                        invalid("\(place) must be a mapping with id and title, not \(item.shapeName)", item.location, field: "requirements")
                        continue
                    }
                    for pair in itemPairs where !requirementKnown.contains(pair.key) {
                        findings.append(
                            LoadStage.unknownField.finding(
                                LoadStage.unknownMessage(pair.key, known: requirementKnown, in: place),
                                path: path, at: pair.keyLocation, field: "requirements.\(pair.key)"))
                    }
                    let requirementID = text(item["id"], "id", in: place, required: true, at: item.location)
                    let requirementTitle = text(item["title"], "title", in: place, required: true, at: item.location)
                    let group = text(item["group"], "group", in: place, required: false, at: item.location)
                    var annexA = [UserCatalog.AnnexAReference]()
                    if let mapping = item["annex_a"] {
                        if let scalar = mapping.scalar {
                            if !scalar.isNull { annexA.append(.init(text: scalar.text, location: mapping.location)) }
                        } else if let controls = mapping.items {
                            for control in controls {
                                guard let scalar = control.scalar, !scalar.isNull else {
                                    invalid(
                                        "annex_a of \(place) lists \(control.shapeName); write Annex A ids such as A.5.15",
                                        control.location, field: "annex_a")
                                    continue
                                }
                                annexA.append(.init(text: scalar.text.trimmingCharacters(in: .whitespaces), location: control.location))
                            }
                        } else {
                            invalid(
                                "annex_a of \(place) must be a list of Annex A ids, not \(mapping.shapeName)", mapping.location,
                                field: "annex_a")
                        }
                    }
                    guard let requirementID, let requirementTitle else { continue }
                    let key = UserCatalogReference.key(requirementID)
                    if let first = seen[key.joined(separator: ".")] {
                        findings.append(
                            LoadStage.duplicateID.finding(
                                "requirement '\(requirementID)' is already listed at \(path):\(first.line) (references are compared without case, spaces and punctuation)",
                                path: path, at: item["id"]!.location, record: id, field: "requirements.id"))
                        continue
                    }
                    if key.isEmpty {
                        invalid(
                            "requirement id '\(requirementID)' holds no letter or digit", item["id"]!.location, field: "requirements.id")
                        continue
                    }
                    seen[key.joined(separator: ".")] = item["id"]!.location
                    requirements.append(
                        .init(
                            id: requirementID, title: requirementTitle, group: group, annexA: annexA,
                            location: item["id"]!.location))
                }
            } else {
                invalid(
                    "requirements must be a list of requirements (each an id and a title), not \(list.shapeName)", list.location,
                    field: "requirements")
            }
        } else {
            findings.append(
                LoadStage.missingField.finding("the catalogue has no requirements", path: path, at: node.location, field: "requirements"))
        }
        guard let id, let title, !requirements.isEmpty else { return (nil, findings) }
        return (
            UserCatalog(
                id: id, title: title, description: description, path: path, idLocation: idNode!.location,
                requirements: requirements), findings
        )
    }
}

/// How a reference to a requirement of a user catalogue is matched: as its run of letters and of digits, without case,
/// spaces or punctuation, and without a leading `Art.`, `Article`, `§`, `Clause` or `Section`, so `§ 30 (1)`, `30(1)`
/// and `Art. 30.1` name the same requirement. The catalogue's own ids are read the same way.
public enum UserCatalogReference {
    package static let leadingWords: Set<String> = ["art", "article", "artikel", "clause", "section", "sec", "para", "paragraph"]

    /// `§ 30 (1) Nr. 2` → `["30", "1", "nr", "2"]`; `CC6.1` → `["cc", "6", "1"]`.
    public static func key(_ text: String) -> [String] {
        var parts = [String]()
        var token = ""
        var tokenIsDigits = false
        for ch in text.lowercased() {
            guard ch.isLetter || ch.isNumber else {
                if !token.isEmpty { parts.append(token); token = "" }
                continue
            }
            let digit = ch.isNumber
            if !token.isEmpty, digit != tokenIsDigits { parts.append(token); token = "" }
            token.append(ch)
            tokenIsDigits = digit
        }
        if !token.isEmpty { parts.append(token) }
        if parts.count > 1, leadingWords.contains(parts[0]) { parts.removeFirst() }
        return parts
    }

    /// What `ref` names in `catalog`: a requirement (the same, or one the ref is a part of: `30(1) sentence 2` names
    /// 30(1)), or a part of the catalogue that holds requirements (`30` names 30(1) and 30(2)).
    /// The largest catalogue whose unknown refs get a did-you-mean.
    package static let maxSuggestedCatalog = 2_000

    public static func resolve(_ ref: String, in catalog: FrameworkCatalog) -> ReferenceResolution {
        let wanted = key(ref)
        guard !wanted.isEmpty else {
            return .unknown(reason: "'\(ref)' names no requirement of \(catalog.source) (\(catalog.name))", suggestion: nil)
        }
        if let index = catalog.byKey[wanted] { return .known(catalog.entries[index]) }
        // The most specific requirement the reference is a part of.
        if let index = enclosing(wanted, in: catalog) {
            return .known(catalog.entries[index])
        }
        let parts = addressed(by: ref, in: catalog)
        if !parts.isEmpty {
            return .known(
                CatalogEntry(
                    ref.trimmingCharacters(in: .whitespaces),
                    "\(parts.count) requirement\(parts.count == 1 ? "" : "s") of \(catalog.name)", group: parts[0].group))
        }
        // Did-you-mean costs an edit distance per requirement for each unknown ref: over a catalogue of thousands,
        // a pull request's many unknown refs would cost hours (RedTeamDocumentsTests), so such a catalogue suggests none.
        let suggestion =
            catalog.entries.count > maxSuggestedCatalog
            ? nil
            : closest(to: ref.trimmingCharacters(in: .whitespaces), in: catalog.entries.map(\.id)).flatMap(catalog.entry)
        return .unknown(reason: "'\(ref)' is not a requirement of \(catalog.source) (\(catalog.scopeNote))", suggestion: suggestion)
    }

    /// The most specific requirement a reference is a part of (`30(1) sentence 2` → 30(1)), looked up by its prefixes.
    private static func enclosing(_ wanted: [String], in catalog: FrameworkCatalog) -> Int? {
        for length in stride(from: wanted.count - 1, to: 0, by: -1) {
            if let index = catalog.byKey[Array(wanted.prefix(length))] { return index }
        }
        return nil
    }

    /// The requirements a reference covers: the one it names (or is a part of), or every one under the part it names.
    public static func addressed(by ref: String, in catalog: FrameworkCatalog) -> [CatalogEntry] {
        let wanted = key(ref)
        guard !wanted.isEmpty else { return [] }
        let keys = catalog.keys
        if let index = catalog.byKey[wanted] { return [catalog.entries[index]] }
        if let index = enclosing(wanted, in: catalog) {
            return [catalog.entries[index]]
        }
        return catalog.entries.indices.filter { keys[$0].count > wanted.count && Array(keys[$0].prefix(wanted.count)) == wanted }
            .map { catalog.entries[$0] }
    }
}
