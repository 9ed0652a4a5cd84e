import GitKit
import ISMSModel

/// A reference to a framework clause that the shipped catalogs do not know.
public struct UnknownReferenceRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "unknown-reference",
        severity: .warning,
        summary:
            "An Annex A reference, soa_exclusions id or obligation ref (GDPR, NIS2, DORA, ISO27001, or a catalogue of catalogs/) that is not in the catalogs.",
        rationale: """
            A mistyped clause breaks the Statement of Applicability and the framework coverage silently: `A.8.35` \
            implements nothing, and an obligation citing `Art. 23` of GDPR when Art. 32 was meant maps to the wrong \
            requirement. `isms` ships ISO/IEC 27001:2022 (clauses 4–10 and the 93 Annex A controls), GDPR Art. 5, \
            6, 12–22, 24, 25, 28, 30, 32–39 and 44–49, NIS2 Art. 20–23 by paragraph (21(2) by point), and DORA Art. 5–30 by paragraph, and checks \
            control `annex_a` items, `soa_exclusions` keys and the `ref` of obligations whose `source` is one of \
            these. References are read leniently: `Art. 32(1)(b)`, `Article 32` and `art.32` all name article 32. \
            An ISMS may define catalogues of its own in `catalogs/` (a national law, SOC 2, a customer's schedule): \
            an obligation whose `source` is such a catalogue's id must name one of its requirements (or a part that \
            holds some), compared without case, spaces and punctuation, and the Annex A controls a catalogue maps \
            its requirements to are checked too. Other sources (contract, internal) are not checked.
            """,
        fix: """
            Correct the reference (the message suggests a close one). A real article outside the shipped catalogs \
            can be kept: set this rule to `note` or `off` under `rules:` in isms.yaml.
            """,
        failing: RuleExample([
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Nightly backups\nowner: alice\nannex_a: [A.8.35]\nsatisfies: [OBL-GDPR-32]\n"),
            (
                "obligations/obl-gdpr-32.yaml",
                "id: OBL-GDPR-32\ntitle: Security of processing\nowner: alice\nsource: GDPR\nref: Art. 23(1)(b)\n"
            ),
        ]),
        passing: RuleExample([
            (
                "isms.yaml",
                RuleExample.defaultConfig + "rules:\n  soa-gap: off   # this example does not keep a full Statement of Applicability\n"
            ),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Nightly backups\nowner: alice\nannex_a: [A.8.13]\nsatisfies: [OBL-GDPR-32]\n"),
            (
                "obligations/obl-gdpr-32.yaml",
                "id: OBL-GDPR-32\ntitle: Security of processing\nowner: alice\nsource: GDPR\nref: Art. 32(1)(b)\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        var findings = [Finding]()
        // A did-you-mean for at most as many references as broken-link gives (one file of invented references
        // would otherwise cost seconds of edit distances).
        var suggestionsLeft = BrokenLinkRule.suggestionBudget
        // A reference written wrong is often written the same way in many records: each spelling is looked up once.
        var suggestions = [String: CatalogEntry?]()
        func suggestion(_ text: String) -> CatalogEntry? {
            guard suggestionsLeft > 0 else { return nil }
            suggestionsLeft -= 1
            if let known = suggestions[text] { return known }
            let found = AnnexA.suggestion(for: text)
            suggestions[text] = .some(found)
            return found
        }
        func annexProblem(_ text: String) -> String? {
            guard let canonical = AnnexA.canonical(text) else {
                var message = "'\(text)' is not an Annex A reference (write it as A.<theme>.<n>, such as A.5.15)"
                if let close = suggestion(text) { message += "; did you mean \(close.id) (\(close.title))?" }
                return message
            }
            guard AnnexA.control(canonical) == nil else { return nil }
            var message = "\(text) is not an ISO/IEC 27001:2022 Annex A control (A.5.1–A.5.37, A.6.1–A.6.8, A.7.1–A.7.14, A.8.1–A.8.34)"
            if let close = suggestion(canonical) { message += "; did you mean \(close.id) (\(close.title))?" }
            return message
        }
        for control in context.records(.control) {
            for item in control.list("annex_a") {
                if let message = annexProblem(item.value) {
                    findings.append(finding("annex_a: " + message, in: control, field: "annex_a", at: item.location))
                }
            }
        }
        for exclusion in context.config.soaExclusions {
            if let message = annexProblem(exclusion.annexA) {
                findings.append(
                    Self.finding(
                        "soa_exclusions: " + message, path: "isms.yaml", at: exclusion.location,
                        field: "soa_exclusions.\(exclusion.annexA)"))
            }
        }
        // The Annex A controls a catalogue of the ISMS maps its requirements to.
        for catalog in context.isms.catalogs {
            for requirement in catalog.requirements {
                for control in requirement.annexA {
                    if let message = annexProblem(control.text) {
                        findings.append(
                            Self.finding(
                                "annex_a of requirement \(requirement.id): " + message, path: catalog.path,
                                at: control.location, field: "requirements.annex_a"))
                    }
                }
            }
        }
        let user = context.isms.catalogs
        for obligation in context.records(.obligation) {
            guard let source = obligation.string("source") else { continue }
            guard let ref = obligation.string("ref") else {
                if let catalog = Frameworks.catalog(forSource: source, user: user) {
                    let what = catalog.path == nil ? "the article or clause" : "one of its requirements"
                    findings.append(
                        finding(
                            "source is \(catalog.source) but ref is missing: name \(what) (\(catalog.scopeNote))",
                            in: obligation, field: "source"))
                }
                continue
            }
            if case .unknown(let reason, let suggestion) = ReferenceResolver.resolve(source: source, ref: ref, user: user) {
                var message = "ref: " + reason
                if let suggestion {
                    message += "; did you mean \(Self.display(suggestion, source: source, user: user)) (\(suggestion.title))?"
                }
                findings.append(finding(message, in: obligation, field: "ref"))
            }
        }
        return findings
    }

    /// How a catalog entry is written in an obligation's ref.
    package static func display(_ entry: CatalogEntry, source: String, user: [UserCatalog] = []) -> String {
        // A requirement of the ISMS's own catalogue is written as the catalogue writes it.
        if Frameworks.catalog(forSource: source, user: user)?.path != nil { return entry.id }
        if entry.id.hasPrefix("A.") { return entry.id }
        return Frameworks.canonicalSource(source) == "ISO27001" ? "Clause \(entry.id)" : "Art. \(entry.id)"
    }
}
