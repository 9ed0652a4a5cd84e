import Foundation

/// A regulation or standard whose references `isms` knows, shipped as data in the binary. The catalogs
/// hold the articles and clauses on security and accountability, not the whole text of each law.
public struct FrameworkCatalog: Sendable {
    /// The obligation `source` this catalog validates: `GDPR`, `NIS2`, `DORA`, `ISO27001`.
    public let source: String
    public let name: String
    /// What the catalog holds, for messages ("Art. 5, 24, 25, 28, 30, 32–36").
    public let scopeNote: String
    public let entries: [CatalogEntry]
    /// The file of a catalogue the ISMS defines (`catalogs/bsig.yaml`); nil for a shipped one.
    public let path: String?
    /// For a user catalogue, each entry's reference as `UserCatalogReference` matches it, and the entries by it.
    package let keys: [[String]]
    package let byKey: [[String]: Int]

    public init(source: String, name: String, scopeNote: String, entries: [CatalogEntry], path: String? = nil) {
        self.source = source
        self.name = name
        self.scopeNote = scopeNote
        self.entries = entries
        self.path = path
        keys = path == nil ? [] : entries.map { UserCatalogReference.key($0.id) }
        byKey = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func entry(_ id: String) -> CatalogEntry? { entries.first { $0.id == id } }

    /// How coverage names what it counts: `DORA Art. 5–30`, `ISO27001 clauses 4–10`, or a user catalogue's title.
    public var coverageName: String {
        if path != nil { return name }
        return source == "ISO27001" ? "ISO27001 clauses 4–10" : "\(source) \(scopeNote)"
    }
}

public enum Frameworks {
    public static let gdpr = FrameworkCatalog(
        source: "GDPR", name: "Regulation (EU) 2016/679 (GDPR)",
        scopeNote: "Art. 5, 6, 12–22, 24, 25, 28, 30, 32–39 and 44–49",
        entries: [
            CatalogEntry("5", "Principles relating to processing of personal data", group: "Chapter II"),
            CatalogEntry("6", "Lawfulness of processing", group: "Chapter II"),
        ]
            + [
                ("12", "Transparent information, communication and modalities for the exercise of the rights of the data subject"),
                ("13", "Information to be provided where personal data are collected from the data subject"),
                ("14", "Information to be provided where personal data have not been obtained from the data subject"),
                ("15", "Right of access by the data subject"),
                ("16", "Right to rectification"),
                ("17", "Right to erasure ('right to be forgotten')"),
                ("18", "Right to restriction of processing"),
                ("19", "Notification obligation regarding rectification or erasure of personal data or restriction of processing"),
                ("20", "Right to data portability"),
                ("21", "Right to object"),
                ("22", "Automated individual decision-making, including profiling"),
            ].map { CatalogEntry($0.0, $0.1, group: "Chapter III") } + [
                CatalogEntry("24", "Responsibility of the controller", group: "Chapter IV"),
                CatalogEntry("25", "Data protection by design and by default", group: "Chapter IV"),
                CatalogEntry("28", "Processor", group: "Chapter IV"),
                CatalogEntry("30", "Records of processing activities", group: "Chapter IV"),
                CatalogEntry("32", "Security of processing", group: "Chapter IV"),
                CatalogEntry("33", "Notification of a personal data breach to the supervisory authority", group: "Chapter IV"),
                CatalogEntry("34", "Communication of a personal data breach to the data subject", group: "Chapter IV"),
                CatalogEntry("35", "Data protection impact assessment", group: "Chapter IV"),
                CatalogEntry("36", "Prior consultation", group: "Chapter IV"),
                CatalogEntry("37", "Designation of the data protection officer", group: "Chapter IV"),
                CatalogEntry("38", "Position of the data protection officer", group: "Chapter IV"),
                CatalogEntry("39", "Tasks of the data protection officer", group: "Chapter IV"),
            ]
            + [
                ("44", "General principle for transfers"),
                ("45", "Transfers on the basis of an adequacy decision"),
                ("46", "Transfers subject to appropriate safeguards"),
                ("47", "Binding corporate rules"),
                ("48", "Transfers or disclosures not authorised by Union law"),
                ("49", "Derogations for specific situations"),
            ].map { CatalogEntry($0.0, $0.1, group: "Chapter V") })

    /// Art. 20 to 23 by paragraph, and Art. 21(2) by point. Article and paragraph numbers are those of the Directive
    /// (checked against its published text: 2, 5, 2 and 11 paragraphs; CatalogCompletionTests holds them);
    /// a paragraph carries its article's title (the Directive gives paragraphs none), a point of 21(2) its own.
    public static let nis2 = FrameworkCatalog(
        source: "NIS2", name: "Directive (EU) 2022/2555 (NIS2)", scopeNote: "Art. 20–23 by paragraph, 21(2)(a)–(j) by point",
        entries: paragraphs("20", "Governance", 2, group: "Art. 20")
            + [CatalogEntry("21(1)", "Cybersecurity risk-management measures", group: "Art. 21 Cybersecurity risk-management measures")]
            + [
                ("a", "Policies on risk analysis and information system security"),
                ("b", "Incident handling"),
                ("c", "Business continuity, such as backup management and disaster recovery, and crisis management"),
                ("d", "Supply chain security"),
                (
                    "e",
                    "Security in network and information systems acquisition, development and maintenance, including vulnerability handling and disclosure"
                ),
                ("f", "Policies and procedures to assess the effectiveness of cybersecurity risk-management measures"),
                ("g", "Basic cyber hygiene practices and cybersecurity training"),
                ("h", "Policies and procedures regarding the use of cryptography and, where appropriate, encryption"),
                ("i", "Human resources security, access control policies and asset management"),
                (
                    "j",
                    "Multi-factor or continuous authentication, secured voice, video and text communications and secured emergency communication systems"
                ),
            ].map { CatalogEntry("21(2)(\($0.0))", $0.1, group: "Art. 21 Cybersecurity risk-management measures") }
            + (3...5).map {
                CatalogEntry("21(\($0))", "Cybersecurity risk-management measures", group: "Art. 21 Cybersecurity risk-management measures")
            }
            + paragraphs("22", "Union level coordinated security risk assessments of critical supply chains", 2, group: "Art. 22")
            + paragraphs("23", "Reporting obligations", 11, group: "Art. 23"))

    /// Art. 5 to 30 by paragraph; Art. 7, 15, 20 and 23, which have a single unnumbered paragraph, as articles.
    public static let dora = FrameworkCatalog(
        source: "DORA", name: "Regulation (EU) 2022/2554 (DORA)", scopeNote: "Art. 5–30 by paragraph",
        entries: [
            ("5", "Governance and organisation", 4, "Chapter II ICT risk management"),
            ("6", "ICT risk management framework", 10, "Chapter II ICT risk management"),
            ("7", "ICT systems, protocols and tools", 0, "Chapter II ICT risk management"),
            ("8", "Identification", 7, "Chapter II ICT risk management"),
            ("9", "Protection and prevention", 4, "Chapter II ICT risk management"),
            ("10", "Detection", 4, "Chapter II ICT risk management"),
            ("11", "Response and recovery", 11, "Chapter II ICT risk management"),
            ("12", "Backup policies and procedures, restoration and recovery procedures and methods", 7, "Chapter II ICT risk management"),
            ("13", "Learning and evolving", 7, "Chapter II ICT risk management"),
            ("14", "Communication", 3, "Chapter II ICT risk management"),
            (
                "15", "Further harmonisation of ICT risk management tools, methods, processes and policies", 0,
                "Chapter II ICT risk management"
            ),
            ("16", "Simplified ICT risk management framework", 3, "Chapter II ICT risk management"),
            ("17", "ICT-related incident management process", 3, "Chapter III ICT-related incidents"),
            ("18", "Classification of ICT-related incidents and cyber threats", 4, "Chapter III ICT-related incidents"),
            (
                "19", "Reporting of major ICT-related incidents and voluntary notification of significant cyber threats", 8,
                "Chapter III ICT-related incidents"
            ),
            ("20", "Harmonisation of reporting content and templates", 0, "Chapter III ICT-related incidents"),
            ("21", "Centralisation of reporting of major ICT-related incidents", 3, "Chapter III ICT-related incidents"),
            ("22", "Supervisory feedback", 3, "Chapter III ICT-related incidents"),
            (
                "23",
                "Operational or security payment-related incidents concerning credit institutions, payment institutions, account information service providers, and electronic money institutions",
                0, "Chapter III ICT-related incidents"
            ),
            (
                "24", "General requirements for the performance of digital operational resilience testing", 6,
                "Chapter IV Digital operational resilience testing"
            ),
            ("25", "Testing of ICT tools and systems", 3, "Chapter IV Digital operational resilience testing"),
            (
                "26", "Advanced testing of ICT tools, systems and processes based on TLPT", 11,
                "Chapter IV Digital operational resilience testing"
            ),
            ("27", "Requirements for testers for the carrying out of TLPT", 3, "Chapter IV Digital operational resilience testing"),
            ("28", "General principles (ICT third-party risk)", 10, "Chapter V ICT third-party risk"),
            ("29", "Preliminary assessment of ICT concentration risk at entity level", 2, "Chapter V ICT third-party risk"),
            ("30", "Key contractual provisions", 5, "Chapter V ICT third-party risk"),
        ].flatMap { paragraphs($0.0, $0.1, $0.2, group: $0.3) })

    /// An article's paragraphs 1 to `count`, each with the article's title; the article itself when it has none.
    private static func paragraphs(_ article: String, _ title: String, _ count: Int, group: String) -> [CatalogEntry] {
        count == 0
            ? [CatalogEntry(article, title, group: group)] : (1...count).map { CatalogEntry("\(article)(\($0))", title, group: group) }
    }

    /// ISO/IEC 27001:2022 clauses 4 to 10; Annex A references are resolved against `AnnexA`.
    public static let iso27001 = FrameworkCatalog(
        source: "ISO27001", name: "ISO/IEC 27001:2022", scopeNote: "clauses 4.1–10.2 and Annex A",
        entries: [
            ("4.1", "Understanding the organization and its context"),
            ("4.2", "Understanding the needs and expectations of interested parties"),
            ("4.3", "Determining the scope of the information security management system"),
            ("4.4", "Information security management system"),
            ("5.1", "Leadership and commitment"),
            ("5.2", "Policy"),
            ("5.3", "Organizational roles, responsibilities and authorities"),
            ("6.1", "Actions to address risks and opportunities"),
            ("6.1.1", "General"),
            ("6.1.2", "Information security risk assessment"),
            ("6.1.3", "Information security risk treatment"),
            ("6.2", "Information security objectives and planning to achieve them"),
            ("6.3", "Planning of changes"),
            ("7.1", "Resources"),
            ("7.2", "Competence"),
            ("7.3", "Awareness"),
            ("7.4", "Communication"),
            ("7.5", "Documented information"),
            ("7.5.1", "General"),
            ("7.5.2", "Creating and updating"),
            ("7.5.3", "Control of documented information"),
            ("8.1", "Operational planning and control"),
            ("8.2", "Information security risk assessment"),
            ("8.3", "Information security risk treatment"),
            ("9.1", "Monitoring, measurement, analysis and evaluation"),
            ("9.2", "Internal audit"),
            ("9.2.1", "General"),
            ("9.2.2", "Internal audit programme"),
            ("9.3", "Management review"),
            ("9.3.1", "General"),
            ("9.3.2", "Management review inputs"),
            ("9.3.3", "Management review results"),
            ("10.1", "Continual improvement"),
            ("10.2", "Nonconformity and corrective action"),
        ].map { CatalogEntry($0.0, $0.1, group: "Clause " + String($0.0.prefix { $0 != "." })) })

    public static let all: [FrameworkCatalog] = [gdpr, nis2, dora, iso27001]

    /// The catalog for an obligation `source`, matched leniently (`gdpr`, `NIS 2`, `ISO/IEC 27001`); then the ISMS's
    /// own catalogues (`user`), matched by their id without case, spaces or punctuation (`bsig`, `SOC 2`).
    public static func catalog(forSource source: String, user: [UserCatalog] = []) -> FrameworkCatalog? {
        let key = canonicalSource(source)
        if let shipped = all.first(where: { $0.source == key }) { return shipped }
        return userCatalog(forSource: source, in: user)?.framework
    }

    /// The user catalogue an obligation `source` names, if any.
    public static func userCatalog(forSource source: String, in user: [UserCatalog]) -> UserCatalog? {
        guard !user.isEmpty else { return nil }
        let key = userKey(source)
        return user.first { userKey($0.id) == key }
    }

    private static func userKey(_ text: String) -> String { text.uppercased().filter { $0.isLetter || $0.isNumber } }

    /// The catalog name of a source: a shipped framework's (`GDPR`), a user catalogue's id as its file writes it, or
    /// the source as written.
    public static func canonicalSource(_ source: String, user: [UserCatalog]) -> String {
        let key = canonicalSource(source)
        if all.contains(where: { $0.source == key }) { return key }
        return userCatalog(forSource: source, in: user)?.id ?? source
    }

    /// The catalog name of a source when it is one of the catalogued frameworks, else the source as written.
    public static func canonicalSource(_ source: String) -> String {
        var key = source.uppercased().filter { $0.isLetter || $0.isNumber }
        if key.hasPrefix("ISOIEC") { key = "ISO" + key.dropFirst(6) }
        if key.hasPrefix("ISO27001") { key = "ISO27001" }
        if key.hasPrefix("EUGDPR") || key == "DSGVO" { key = "GDPR" }
        return all.contains { $0.source == key } ? key : source
    }
}

/// What an obligation's `source` and `ref` name in a shipped catalog.
public enum ReferenceResolution: Sendable, Equatable {
    /// The source has no shipped catalog (contract, internal, …): nothing to check.
    case notCatalogued
    case known(CatalogEntry)
    /// The reference is not in the catalog; `suggestion` is a close entry, if any.
    case unknown(reason: String, suggestion: CatalogEntry?)
}

public enum ReferenceResolver {
    /// Resolves `ref` against the catalog of `source`, leniently: `Art. 32(1)(b)`, `Article 32`, `art.32`,
    /// `32 (1) b` all name GDPR article 32; for NIS2 Art. 21(2) the letter is matched too; for ISO27001
    /// `Clause 6.1.3`, `6.1.3` and Annex A references (`A.5.15`) are understood.
    public static func resolve(source: String, ref: String, user: [UserCatalog] = []) -> ReferenceResolution {
        guard let catalog = Frameworks.catalog(forSource: source, user: user) else { return .notCatalogued }
        let text = ref.trimmingCharacters(in: .whitespacesAndNewlines)
        if catalog.path != nil { return UserCatalogReference.resolve(text, in: catalog) }
        if catalog.source == "ISO27001" { return resolveISO(text, catalog) }
        guard let parsed = parseArticle(text) else {
            return .unknown(reason: "'\(text)' does not name an article of \(catalog.source) (write it as Art. <n>)", suggestion: nil)
        }
        let article = String(parsed.article)
        let held = catalog.entries.filter { $0.id.hasPrefix(article + "(") }
        guard let first = held.first else {
            // An article held whole: a paragraph or point named with it is read as the article.
            if let entry = catalog.entry(article) { return .known(entry) }
            let suggestion = closestArticle(parsed.article, in: catalog)
            return .unknown(
                reason: "\(catalog.source) Art. \(parsed.article) is not in the catalog (\(catalog.scopeNote))", suggestion: suggestion)
        }
        // An article held by paragraph: the article as a whole, or one of its paragraphs (and of NIS2 21(2), a point).
        let articleTitle = held.first { !$0.id.dropFirst(article.count + 1).contains("(") }?.title ?? first.title
        guard let paragraph = parsed.paragraph else { return .known(CatalogEntry(article, articleTitle, group: first.group)) }
        let paragraphID = "\(article)(\(paragraph))"
        let points = held.filter { $0.id.hasPrefix(paragraphID + "(") }
        if let firstPoint = points.first, let lastPoint = points.last {
            guard let point = parsed.point else { return .known(CatalogEntry(paragraphID, articleTitle, group: first.group)) }
            if let entry = catalog.entry("\(paragraphID)(\(point))") { return .known(entry) }
            func letter(_ id: String) -> String { String(id.dropFirst(paragraphID.count + 1).dropLast()) }
            return .unknown(
                reason:
                    "\(catalog.source) Art. \(paragraphID) has points (\(letter(firstPoint.id))) to (\(letter(lastPoint.id))), not (\(point))",
                suggestion: nil)
        }
        if let entry = catalog.entry(paragraphID) { return .known(entry) }
        let numbers = held.compactMap { Int($0.id.dropFirst(article.count + 1).prefix { $0.isNumber }) }
        let last = numbers.max() ?? 1
        return .unknown(
            reason: "\(catalog.source) Art. \(article) has paragraphs 1 \(last == 2 ? "and" : "to") \(last), not \(paragraph)",
            suggestion: catalog.entry("\(article)(\(min(max(paragraph, 1), last)))"))
    }

    private static func resolveISO(_ text: String, _ catalog: FrameworkCatalog) -> ReferenceResolution {
        var rest = Substring(text)
        for prefix in ["clause", "cl.", "§"] where rest.lowercased().hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            break
        }
        rest = rest.drop { $0 == " " || $0 == "." }
        if let first = rest.first, first == "A" || first == "a" {
            guard let canonical = AnnexA.canonical(String(rest)) else {
                return .unknown(reason: "'\(text)' is not an Annex A reference (A.<theme>.<n>)", suggestion: nil)
            }
            if let entry = AnnexA.control(canonical) { return .known(entry) }
            return .unknown(
                reason: "\(canonical) is not an ISO/IEC 27001:2022 Annex A control (A.5.1–A.5.37, A.6.1–A.6.8, A.7.1–A.7.14, A.8.1–A.8.34)",
                suggestion: AnnexA.suggestion(for: canonical))
        }
        let clause = String(rest.prefix { $0.isNumber || $0 == "." }).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard !clause.isEmpty else {
            return .unknown(
                reason: "'\(text)' does not name a clause of ISO/IEC 27001:2022 (write it as Clause 6.1.3 or A.5.15)", suggestion: nil)
        }
        if let entry = catalog.entry(clause) { return .known(entry) }
        return .unknown(
            reason: "ISO27001 clause \(clause) is not a clause of ISO/IEC 27001:2022 (4.1–10.2)",
            suggestion: closest(to: clause, in: catalog.entries.map(\.id)).flatMap(catalog.entry))
    }

    package struct ArticleReference: Equatable {
        package var article: Int
        package var paragraph: Int?
        package var point: String?
    }

    /// `Art. 32(1)(b)`, `Article 32 (1) (b)`, `art 32.1.b`, `32(1)`, `Art. 30(1), 30(2)`: the first article,
    /// then optionally its paragraph and point.
    package static func parseArticle(_ text: String) -> ArticleReference? {
        var chars = Substring(text.lowercased())
        for prefix in ["article", "artikel", "art.", "art"] where chars.hasPrefix(prefix) {
            chars = chars.dropFirst(prefix.count)
            break
        }
        chars = chars.drop { $0 == " " || $0 == "." }
        let digits = chars.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let article = Int(digits) else { return nil }
        chars = chars.dropFirst(digits.count)
        var reference = ArticleReference(article: article)
        // The rest: "(1)(b)", " (1) (b)", ".1.b", "(1) b"; stop at the first thing that is neither.
        var parts = [String]()
        var token = ""
        for ch in chars {
            if ch == "(" || ch == ")" || ch == " " || ch == "." {
                if !token.isEmpty { parts.append(token); token = "" }
                continue
            }
            if ch == "," || ch == ";" { break }
            token.append(ch)
        }
        if !token.isEmpty { parts.append(token) }
        if let first = parts.first, let paragraph = Int(first) {
            reference.paragraph = paragraph
            if parts.count > 1, parts[1].count == 1, parts[1].first!.isLetter { reference.point = parts[1] }
        }
        return reference
    }

    /// The catalogued article next to a mistyped one (31 → 30), when there is one at distance 1.
    private static func closestArticle(_ article: Int, in catalog: FrameworkCatalog) -> CatalogEntry? {
        for near in [article - 1, article + 1] {
            if let entry = catalog.entry(String(near)) { return entry }
            // An article held by paragraph, named as a whole.
            if let paragraph = catalog.entries.first(where: { $0.id.hasPrefix("\(near)(") }) {
                return CatalogEntry(String(near), paragraph.title, group: paragraph.group)
            }
        }
        return nil
    }
}
