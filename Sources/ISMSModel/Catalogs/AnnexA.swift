import Foundation

/// One entry of a framework catalog: a clause, an article or a control, with its official short title.
public struct CatalogEntry: Sendable, Hashable {
    /// The canonical reference: `A.5.15`, `32`, `21(2)(a)`, `6.1.3`.
    public let id: String
    public let title: String
    /// The theme (Annex A) or chapter the entry belongs to.
    public let group: String

    public init(_ id: String, _ title: String, group: String) {
        self.id = id
        self.title = title
        self.group = group
    }
}

/// ISO/IEC 27001:2022 Annex A: 93 controls in four themes, with their official short titles.
public enum AnnexA {
    public struct Theme: Sendable, Hashable {
        /// `organizational`, `people`, `physical`, `technological`.
        public let name: String
        /// The clause number of the theme: 5, 6, 7 or 8.
        public let clause: Int
        public let controls: [CatalogEntry]
    }

    public static let themes: [Theme] = [
        theme(
            "organizational", 5,
            [
                "Policies for information security",
                "Information security roles and responsibilities",
                "Segregation of duties",
                "Management responsibilities",
                "Contact with authorities",
                "Contact with special interest groups",
                "Threat intelligence",
                "Information security in project management",
                "Inventory of information and other associated assets",
                "Acceptable use of information and other associated assets",
                "Return of assets",
                "Classification of information",
                "Labelling of information",
                "Information transfer",
                "Access control",
                "Identity management",
                "Authentication information",
                "Access rights",
                "Information security in supplier relationships",
                "Addressing information security within supplier agreements",
                "Managing information security in the ICT supply chain",
                "Monitoring, review and change management of supplier services",
                "Information security for use of cloud services",
                "Information security incident management planning and preparation",
                "Assessment and decision on information security events",
                "Response to information security incidents",
                "Learning from information security incidents",
                "Collection of evidence",
                "Information security during disruption",
                "ICT readiness for business continuity",
                "Legal, statutory, regulatory and contractual requirements",
                "Intellectual property rights",
                "Protection of records",
                "Privacy and protection of PII",
                "Independent review of information security",
                "Compliance with policies, rules and standards for information security",
                "Documented operating procedures",
            ]),
        theme(
            "people", 6,
            [
                "Screening",
                "Terms and conditions of employment",
                "Information security awareness, education and training",
                "Disciplinary process",
                "Responsibilities after termination or change of employment",
                "Confidentiality or non-disclosure agreements",
                "Remote working",
                "Information security event reporting",
            ]),
        theme(
            "physical", 7,
            [
                "Physical security perimeters",
                "Physical entry",
                "Securing offices, rooms and facilities",
                "Physical security monitoring",
                "Protecting against physical and environmental threats",
                "Working in secure areas",
                "Clear desk and clear screen",
                "Equipment siting and protection",
                "Security of assets off-premises",
                "Storage media",
                "Supporting utilities",
                "Cabling security",
                "Equipment maintenance",
                "Secure disposal or re-use of equipment",
            ]),
        theme(
            "technological", 8,
            [
                "User endpoint devices",
                "Privileged access rights",
                "Information access restriction",
                "Access to source code",
                "Secure authentication",
                "Capacity management",
                "Protection against malware",
                "Management of technical vulnerabilities",
                "Configuration management",
                "Information deletion",
                "Data masking",
                "Data leakage prevention",
                "Information backup",
                "Redundancy of information processing facilities",
                "Logging",
                "Monitoring activities",
                "Clock synchronization",
                "Use of privileged utility programs",
                "Installation of software on operational systems",
                "Networks security",
                "Security of network services",
                "Segregation of networks",
                "Web filtering",
                "Use of cryptography",
                "Secure development life cycle",
                "Application security requirements",
                "Secure system architecture and engineering principles",
                "Secure coding",
                "Security testing in development and acceptance",
                "Outsourced development",
                "Separation of development, test and production environments",
                "Change management",
                "Test information",
                "Protection of information systems during audit testing",
            ]),
    ]

    private static func theme(_ name: String, _ clause: Int, _ titles: [String]) -> Theme {
        Theme(
            name: name, clause: clause,
            controls: titles.enumerated().map { index, title in
                CatalogEntry("A.\(clause).\(index + 1)", title, group: name)
            })
    }

    /// All 93 controls, A.5.1 to A.8.34, in catalog order.
    public static let controls: [CatalogEntry] = themes.flatMap(\.controls)

    private static let byID: [String: CatalogEntry] = Dictionary(uniqueKeysWithValues: controls.map { ($0.id, $0) })

    public static func control(_ id: String) -> CatalogEntry? { byID[id] }

    /// The canonical id (`A.5.15`) of a reference written leniently: `A.5.15`, `a.5.15`, `A 5.15`,
    /// `A5.15`, `5.15`, `A.05.15`. Nil when it does not have the shape of an Annex A reference at all.
    public static func canonical(_ text: String) -> String? {
        // Most references are written canonically already; Foundation's trimming of each one was 2% of a check.
        isCanonical(text.utf8) ? text : parsed(text)
    }

    /// `canonical` without its shortcut for a reference written canonically already.
    package static func parsed(_ text: String) -> String? {
        if let answer = parsedASCII(text) { return answer }
        return parsedByCharacters(text)
    }

    /// `parsedByCharacters` for an ASCII text, on its bytes (nil: not ASCII, or numbers too long to be sure `Int`
    /// reads them; `.some(nil)`: not a reference). In ASCII, the whitespace trimmed is space and tab, a character
    /// is a byte (a CR LF pair is one character, but neither is a dot, a digit, `A` or a space), and a number is
    /// made of the digits 0–9. Foundation's trimming of each part was most of `unknown-reference`'s time.
    private static func parsedASCII(_ text: String) -> String?? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        func trimmed(_ part: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            guard let first = part.firstIndex(where: { !isBlank($0) }), let last = part.lastIndex(where: { !isBlank($0) }) else {
                return []
            }
            return part[first...last]
        }
        var rest = trimmed(bytes[...])
        if rest.first == UInt8(ascii: "A") || rest.first == UInt8(ascii: "a") {
            rest = rest.dropFirst().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ".") }
        }
        let parts = rest.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .some(nil) }
        var numbers = [Int]()
        for part in parts {
            let digits = trimmed(part)
            guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return .some(nil) }
            guard digits.count <= 18 else { return nil }
            numbers.append(digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
        }
        return .some("A.\(numbers[0]).\(numbers[1])")
    }

    /// The lenient reading, character by character.
    package static func parsedByCharacters(_ text: String) -> String? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.first == "A" || rest.first == "a" {
            rest = rest.dropFirst()
            rest = rest.drop { $0 == " " || $0 == "." }
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let theme = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let number = Int(parts[1].trimmingCharacters(in: .whitespaces)),
            parts.allSatisfy({ !$0.isEmpty && $0.trimmingCharacters(in: .whitespaces).allSatisfy(\.isNumber) })
        else { return nil }
        return "A.\(theme).\(number)"
    }

    /// Whether `text` is `A.<theme>.<n>` as `canonical` writes it: digits without a leading zero, few enough that
    /// `Int` reads them.
    private static func isCanonical(_ text: String.UTF8View) -> Bool {
        guard text.starts(with: "A.".utf8) else { return false }
        let parts = text.dropFirst(2).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 2
            && parts.allSatisfy { part in
                (1...9).contains(part.count) && part.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                    && (part.count == 1 || part.first != UInt8(ascii: "0"))
            }
    }

    /// Did-you-mean over the controls' ids, prepared once rather than for each unknown reference.
    private static let idSuggester = Suggester(controls.map(\.id))

    /// A control close to an unknown reference: the nearest number in the same theme (A.8.35 → A.8.34),
    /// else the closest spelling (A.9.1 → A.5.1 or A.8.1).
    public static func suggestion(for text: String) -> CatalogEntry? {
        if let canonical = canonical(text) {
            let parts = canonical.dropFirst(2).split(separator: ".").compactMap { Int($0) }
            if parts.count == 2, let theme = themes.first(where: { $0.clause == parts[0] }) {
                let number = min(max(parts[1], 1), theme.controls.count)
                return abs(number - parts[1]) <= 2 ? theme.controls[number - 1] : nil
            }
            return idSuggester.closest(to: canonical).flatMap(control)
        }
        // A title written instead of the id ("Access control").
        let title = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let named = controls.first(where: { $0.title.lowercased() == title }) { return named }
        return idSuggester.closest(to: text).flatMap(control)
    }

    /// The catalog entry a leniently written reference names, if any.
    public static func resolve(_ text: String) -> CatalogEntry? {
        canonical(text).flatMap(control)
    }
}
