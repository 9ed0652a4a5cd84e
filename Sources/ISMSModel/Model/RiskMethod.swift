/// The risk method (ISO/IEC 27001 6.1.2 and 6.1.3): the scales, the levels, the appetite, who may accept which
/// level and for how long. `risk_method` in isms.yaml; without it, the 1–5 scales and the four bands below.
public struct RiskMethod: Sendable {
    /// Likelihood labels, lowest first: a score runs from 1 to their count.
    public var likelihood = ["rare", "unlikely", "possible", "likely", "almost certain"]
    /// Impact labels, lowest first.
    public var impact = ["negligible", "minor", "moderate", "major", "critical"]
    /// Level names, lowest first.
    public var levels = ["low", "medium", "high", "critical"]
    /// Bands: the highest score (likelihood × impact) of each level, ascending; the last level takes any score
    /// above. Nil when `matrix` decides.
    public var bands: [Int]? = [4, 9, 15]
    /// matrix[impact - 1][likelihood - 1] is a level index.
    public var matrix: [[Int]]?
    /// The highest level that may stand without acceptance; nil: no appetite set.
    public var appetite: Int?
    /// Level index → roles or roster keys that may accept a risk of that level; nil: anyone on the roster may.
    public var acceptanceAuthority: [Int: [String]]?
    /// The longest acceptance, per level index (one number applies to all).
    public var maxAcceptanceDays: [Int]
    public var maxExceptionDays: [Int]
    /// Where `risk_method` stands in isms.yaml; nil without one.
    public var location: SourceLocation?

    /// Without `risk_method`: an acceptance or an exception may run two years.
    public static let defaultMaxDays = 730
    public static let scaleRange = 3...10

    public init() {
        maxAcceptanceDays = Array(repeating: Self.defaultMaxDays, count: levels.count)
        maxExceptionDays = maxAcceptanceDays
    }

    /// The level index of a score, nil when a part is outside the scales.
    public func level(likelihood l: Int, impact i: Int) -> Int? {
        guard (1...likelihood.count).contains(l), (1...impact.count).contains(i) else { return nil }
        if let matrix {
            guard i - 1 < matrix.count, l - 1 < matrix[i - 1].count else { return nil }
            return matrix[i - 1][l - 1]
        }
        let score = l * i
        return (bands ?? []).firstIndex { score <= $0 } ?? levels.count - 1
    }

    public func levelName(_ index: Int) -> String { levels.indices.contains(index) ? levels[index] : "level \(index + 1)" }

    /// Whether `approver` (a roster key or free text) may accept a risk of `level`: listed (by key or by role)
    /// for that level or a higher one, since whoever may accept more may accept less.
    public func mayAccept(_ approver: String, level: Int, people: [String: Person]) -> Bool {
        guard let authority = acceptanceAuthority else { return true }
        let role = people[approver]?.role?.lowercased()
        for (index, names) in authority where index >= level {
            for name in names where name == approver || (role != nil && name.lowercased() == role) { return true }
        }
        return false
    }

    /// Who may accept `level`, for messages.
    public func authorities(for level: Int) -> [String] {
        guard let authority = acceptanceAuthority else { return [] }
        return authority.keys.sorted().filter { $0 >= level }.flatMap { authority[$0] ?? [] }
    }

    package func maxDays(_ table: [Int], level: Int?) -> Int {
        if let level, table.indices.contains(level) { return table[level] }
        // Level unknown (no score): the strictest period.
        return table.min() ?? Self.defaultMaxDays
    }
    public func maxAcceptance(level: Int?) -> Int { maxDays(maxAcceptanceDays, level: level) }
    public func maxException(level: Int?) -> Int { maxDays(maxExceptionDays, level: level) }

    /// The risk's inherent level.
    public func inherentLevel(of risk: Record) -> Int? {
        guard let l = risk.integer("likelihood"), let i = risk.integer("impact") else { return nil }
        return level(likelihood: l, impact: i)
    }
    /// The risk's current level: its residual score, else its inherent one.
    public func currentLevel(of risk: Record) -> Int? {
        if let l = risk.integer("residual.likelihood"), let i = risk.integer("residual.impact") { return level(likelihood: l, impact: i) }
        return inherentLevel(of: risk)
    }

    /// Settings of `risk_method`, for the docs and isms.schema.json.
    package static let settings: [Setting] = [
        Setting("likelihood", .value(.list(.text)), "Likelihood labels, lowest first (3 to 10); a score runs from 1 to their count."),
        Setting("impact", .value(.list(.text)), "Impact labels, lowest first (3 to 10)."),
        Setting(
            "levels",
            .anyOf([
                .map(keys: .any, value: .value(.integer(1...100)), nullable: false),
                .value(.list(.list(.text))),
            ]),
            "Level name → the highest score (likelihood × impact) of its band, lowest first; or a matrix: one row per impact (1 first) "
                + "listing the level of each likelihood."),
        Setting("appetite", .value(.text), "The highest level that may stand without acceptance."),
        Setting(
            "acceptance_authority", .map(keys: .any, value: .value(.list(.text)), nullable: false),
            "Level name → the roles or roster keys that may accept a risk of that level (or a lower one)."),
        Setting(
            "max_acceptance_days",
            .anyOf([.value(.integer(1...36600)), .map(keys: .any, value: .value(.integer(1...36600)), nullable: false)]),
            "The longest a risk acceptance may run, from approved_on to expires: one number, or level name → days (default 730)."),
        Setting(
            "max_exception_days",
            .anyOf([.value(.integer(1...36600)), .map(keys: .any, value: .value(.integer(1...36600)), nullable: false)]),
            "The longest an exception may run, from approved_on (else the day judged) to expires: one number, or level name → days (default 730)."
        ),
    ]
}

extension RiskMethod {
    /// Reads `risk_method`; every defect is a located finding and leaves the default for that part.
    package static func read(_ node: YAMLNode, keyLocation: SourceLocation, path: String, findings: inout [Finding]) -> RiskMethod {
        var method = RiskMethod()
        method.location = keyLocation
        func invalid(_ message: String, _ at: SourceLocation, _ field: String) {
            findings.append(LoadStage.invalid(message, path: path, at: at, field: "risk_method." + field))
        }
        guard let pairs = node.pairs else {
            invalid(
                "risk_method must be a mapping {likelihood, impact, levels, appetite, acceptance_authority, max_acceptance_days, max_exception_days}",
                node.location, "")
            return method
        }
        func labels(_ node: YAMLNode, _ field: String) -> [String]? {
            guard let items = node.items else {
                invalid("risk_method.\(field) must be a list of level labels, lowest first", node.location, field); return nil
            }
            let texts = items.compactMap { $0.scalar.flatMap { $0.isNull ? nil : $0.text } }
            guard texts.count == items.count, RiskMethod.scaleRange.contains(texts.count), Set(texts).count == texts.count else {
                invalid("risk_method.\(field) must list 3 to 10 distinct labels, lowest first", node.location, field)
                return nil
            }
            return texts
        }
        func days(_ node: YAMLNode, _ field: String) -> Int? {
            guard let s = node.scalar, s.isPlain, let n = Int(s.text), String(n) == s.text, (1...36600).contains(n) else {
                invalid("risk_method.\(field) must be a number of days from 1 to 36600", node.location, field)
                return nil
            }
            return n
        }
        let value = { (key: String) in pairs.first { $0.key == key } }
        for pair in pairs where !settings.contains(where: { $0.name == pair.key }) {
            findings.append(
                LoadStage.unknown(
                    pair.key, known: settings.map(\.name), in: "risk_method", path: path, at: pair.keyLocation,
                    field: "risk_method.\(pair.key)"))
        }
        if let pair = value("likelihood"), let l = labels(pair.value, "likelihood") { method.likelihood = l }
        if let pair = value("impact"), let i = labels(pair.value, "impact") { method.impact = i }
        if let pair = value("levels") {
            readLevels: do {
                if let bands = pair.value.pairs, !bands.isEmpty {
                    var names = [String](), highs = [Int]()
                    for band in bands {
                        guard let high = days(band.value, "levels.\(band.key)") else { method = fallback(method); break readLevels }
                        guard highs.last.map({ high > $0 }) ?? true else {
                            invalid(
                                "risk_method.levels must rise: \(band.key) ends at \(high), not above the level before",
                                band.value.location, "levels.\(band.key)")
                            method = fallback(method); break readLevels
                        }
                        names.append(band.key)
                        highs.append(high)
                    }
                    method.levels = names
                    method.bands = Array(highs.dropLast())
                    method.matrix = nil
                } else if let rows = pair.value.items, rows.count == method.impact.count {
                    var names = [String](), matrix = [[Int]]()
                    for row in rows {
                        guard let cells = row.items, cells.count == method.likelihood.count else {
                            invalid(
                                "each row of the risk_method.levels matrix must name a level for each of the \(method.likelihood.count) likelihoods",
                                row.location, "levels")
                            method = fallback(method); break readLevels
                        }
                        var indices = [Int]()
                        for cell in cells {
                            guard let name = cell.scalar?.text, !(cell.scalar?.isNull ?? true) else {
                                invalid("a cell of the risk_method.levels matrix must be a level name", cell.location, "levels")
                                method = fallback(method); break readLevels
                            }
                            // Levels rank in the order they first appear, reading from the lowest impact and likelihood.
                            if !names.contains(name) { names.append(name) }
                            indices.append(names.firstIndex(of: name) ?? 0)
                        }
                        matrix.append(indices)
                    }
                    method.levels = names
                    method.matrix = matrix
                    method.bands = nil
                } else {
                    invalid(
                        "risk_method.levels must map level names to the highest score of each band, or be a matrix with one row per impact "
                            + "(\(method.impact.count))", pair.value.location, "levels")
                    method = fallback(method)
                }
            }
        }
        method.maxAcceptanceDays = Array(repeating: defaultMaxDays, count: method.levels.count)
        method.maxExceptionDays = method.maxAcceptanceDays
        func level(_ name: String, _ at: SourceLocation, _ field: String) -> Int? {
            if let index = method.levels.firstIndex(of: name) { return index }
            var message = "risk_method.\(field): '\(name)' is not a level of the risk method (\(method.levels.joined(separator: ", ")))"
            if let near = closest(to: name, in: method.levels) { message += "; did you mean \(near)?" }
            invalid(message, at, field)
            return nil
        }
        if let pair = value("appetite") {
            if let name = pair.value.scalar?.text, !(pair.value.scalar?.isNull ?? true) {
                method.appetite = level(name, pair.value.location, "appetite")
            } else {
                invalid("risk_method.appetite must be a level name", pair.value.location, "appetite")
            }
        }
        if let pair = value("acceptance_authority") {
            if let entries = pair.value.pairs {
                var authority = [Int: [String]]()
                for entry in entries {
                    guard let index = level(entry.key, entry.keyLocation, "acceptance_authority.\(entry.key)") else { continue }
                    let names =
                        entry.value.items?.compactMap { $0.scalar.flatMap { $0.isNull ? nil : $0.text } }
                        ?? entry.value.scalar.flatMap { $0.isNull ? nil : [$0.text] }
                    guard let names, !names.isEmpty else {
                        invalid(
                            "risk_method.acceptance_authority.\(entry.key) must list roles or roster keys", entry.value.location,
                            "acceptance_authority.\(entry.key)")
                        continue
                    }
                    authority[index] = names
                }
                method.acceptanceAuthority = authority
            } else {
                invalid(
                    "risk_method.acceptance_authority must map level names to roles or roster keys", pair.value.location,
                    "acceptance_authority")
            }
        }
        for (key, keyPath) in [
            ("max_acceptance_days", \RiskMethod.maxAcceptanceDays), ("max_exception_days", \RiskMethod.maxExceptionDays),
        ] {
            guard let pair = value(key) else { continue }
            if let entries = pair.value.pairs {
                // Levels not listed keep the default.
                for entry in entries {
                    guard let index = level(entry.key, entry.keyLocation, "\(key).\(entry.key)"),
                        let n = days(entry.value, "\(key).\(entry.key)")
                    else { continue }
                    method[keyPath: keyPath][index] = n
                }
            } else if let n = days(pair.value, key) {
                method[keyPath: keyPath] = Array(repeating: n, count: method.levels.count)
            }
        }
        return method
    }

    /// A method whose levels could not be read keeps the default levels, scaled to the scales read.
    private static func fallback(_ partial: RiskMethod) -> RiskMethod {
        var method = RiskMethod()
        method.location = partial.location
        method.likelihood = partial.likelihood
        method.impact = partial.impact
        if partial.likelihood.count != 5 || partial.impact.count != 5 {
            // The default bands assume 5 × 5: scale them to the highest score.
            let top = partial.likelihood.count * partial.impact.count
            method.bands = [4, 9, 15].map { $0 * top / 25 }
        }
        return method
    }
}
