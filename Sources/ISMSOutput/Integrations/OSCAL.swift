import Foundation
import GitKit
import ISMSModel
import ISMSRules

/// OSCAL 1.1.2 JSON of an ISMS (docs/oscal.md): its controls as a component-definition, and the findings of
/// `isms check` as assessment-results. Every UUID is a version-5 UUID of a name made from record ids, so the same
/// ISMS on the same day gives the same bytes.
public enum OSCAL {
    public static let version = "1.1.2"
    public enum Model: String, CaseIterable, Sendable {
        case componentDefinition = "component-definition"
        case assessmentResults = "assessment-results"
    }

    /// The namespace of the properties isms adds (`implemented-by`, `rule`, …).
    public static let propertyNamespace = RuleDocs.projectURL + "/blob/main/docs/oscal.md"
    /// The namespace of every UUID isms makes: a version-5 UUID of the project's URL.
    package static let uuidNamespace = UUIDv5(namespace: .urlNamespace, name: RuleDocs.projectURL + "/oscal")

    public static func uuid(_ name: String) -> String { UUIDv5(namespace: uuidNamespace, name: name).description }

    /// The Annex A id as an OSCAL control id: lower case, the style of NIST's catalogs (`ac-2`): `A.5.15` → `a.5.15`.
    public static func controlID(annexA id: String) -> String { id.lowercased() }

    /// An obligation id as an OSCAL control id (a token: letters, digits, `.`, `-`, `_`, starting with a letter).
    public static func controlID(obligation id: String) -> String {
        var token = String(
            id.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") ? $0 : "_" })
        if !(token.first?.isLetter ?? false) { token = "_" + token }
        return token
    }

    // MARK: what the ISMS implements

    /// One requirement the ISMS implements: an Annex A control or an applicable obligation, and the records behind it.
    package struct Requirement {
        package let controlID: String
        package let label: String
        package let title: String
        /// The controls implementing it (not retired), in record order.
        package let controls: [Record]
        /// The obligation, for obligation requirements.
        package let obligation: Record?
        package let framework: String
    }

    package static let annexAFramework = "ISO/IEC 27001:2022 Annex A"

    package static func requirements(_ isms: ISMS) -> [Requirement] {
        let coverage = AnnexACoverage(isms)
        var result = AnnexA.controls.compactMap { entry -> Requirement? in
            let controls = coverage.activeImplementers(entry.id)
            guard !controls.isEmpty else { return nil }
            return Requirement(
                controlID: controlID(annexA: entry.id), label: entry.id, title: entry.title, controls: controls,
                obligation: nil, framework: annexAFramework)
        }
        let obligations = isms.records(of: .obligation)
            .filter { $0.boolean("applies") != false }
            // Catalogue order within a framework: OBL-GDPR-5 before OBL-GDPR-24, as people count.
            .sorted { framework(of: $0) != framework(of: $1) ? framework(of: $0) < framework(of: $1) : naturalOrder($0.id, $1.id) }
        for obligation in obligations {
            let controls = isms.graph.links(to: obligation.id, field: "satisfies")
                .compactMap { isms.record($0.from) }
                .filter { $0.kind == .control && $0.string("status") != "retired" }
            guard !controls.isEmpty else { continue }
            let ref = obligation.string("ref").map { " " + $0 } ?? ""
            result.append(
                Requirement(
                    controlID: controlID(obligation: obligation.id), label: obligation.id,
                    title: "\(framework(of: obligation))\(ref): \(obligation.title)", controls: unique(controls),
                    obligation: obligation, framework: framework(of: obligation)))
        }
        return result
    }

    package static func framework(of obligation: Record) -> String {
        let source = obligation.string("source")?.trimmingCharacters(in: .whitespaces) ?? ""
        return source.isEmpty ? "Other obligations" : Frameworks.canonicalSource(source)
    }

    private static func unique(_ records: [Record]) -> [Record] {
        var seen = Set<String>()
        return records.filter { seen.insert($0.id).inserted }
    }

    // MARK: component-definition

    public static func componentDefinition(_ isms: ISMS, asOf: Day, generator: String) -> JSONValue {
        let name = isms.config.name ?? "ISMS"
        let requirements = requirements(isms)
        var people = [String]()  // owner keys in order of first use
        func party(_ owner: String?) -> String? {
            guard let owner, !owner.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            if !people.contains(owner) { people.append(owner) }
            return uuid("party:" + owner)
        }
        var frameworks = [String]()
        var byFramework = [String: [JSONValue]]()
        for requirement in requirements {
            if byFramework[requirement.framework] == nil { frameworks.append(requirement.framework) }
            var props = [JSONValue]()
            for control in requirement.controls {
                var details = [control.title]
                if let status = control.string("status") { details.append("status \(status)") }
                if let operation = control.string("operation") { details.append(operation) }
                if let every = control.string("every") { details.append("every \(every)") }
                props.append(property("implemented-by", control.id, remarks: details.joined(separator: "; ")))
            }
            var roles = [JSONValue]()
            let controlOwners = orderedUnique(requirement.controls.compactMap { party($0.owner) })
            if !controlOwners.isEmpty {
                roles.append(.object(["role-id": "control-owner", "party-uuids": .array(controlOwners.map(JSONValue.string))]))
            }
            var description = requirement.controls.map { "\($0.id) \($0.title)" }.joined(separator: "; ")
            if let obligation = requirement.obligation {
                props.insert(property("obligation", obligation.id), at: 0)
                if let source = obligation.string("source") { props.insert(property("source", source), at: 1) }
                if let ref = obligation.string("ref") { props.append(property("ref", ref)) }
                if let owner = party(obligation.owner) {
                    roles.append(.object(["role-id": "obligation-owner", "party-uuids": [.string(owner)]]))
                }
                description = "\(requirement.title). Satisfied by " + description + "."
            } else {
                description = "\(requirement.label) \(requirement.title). Implemented by " + description + "."
            }
            var implemented: [String: JSONValue] = [
                "uuid": .string(uuid("implemented-requirement:" + requirement.label)),
                "control-id": .string(requirement.controlID),
                "description": .string(description),
                "props": .array(props),
            ]
            if !roles.isEmpty { implemented["responsible-roles"] = .array(roles) }
            byFramework[requirement.framework, default: []].append(.object(implemented))
        }
        let implementations: [JSONValue] = frameworks.map { framework in
            .object([
                "uuid": .string(uuid("control-implementation:" + framework)),
                "source": .string("#" + uuid("resource:" + framework)),
                "description": .string(
                    framework == annexAFramework
                        ? "The Annex A controls the ISMS implements (its Statement of Applicability), each with the controls that implement it."
                        : "The applicable \(framework) obligations and the controls that satisfy them; control ids are the obligations' ids."
                ),
                "implemented-requirements": .array(byFramework[framework] ?? []),
            ])
        }
        var component: [String: JSONValue] = [
            "uuid": .string(uuid("component:ISMS")),
            "type": "this-system",
            "title": "ISMS",
            "description": .string(nonEmpty(isms.config.scope) ?? "The information security management system of \(name)."),
        ]
        if !implementations.isEmpty { component["control-implementations"] = .array(implementations) }
        var document: [String: JSONValue] = [
            "uuid": .string(uuid("component-definition:" + name)),
            "metadata": metadata(isms, title: "\(name): controls", asOf: asOf, generator: generator, people: people),
            "components": [.object(component)],
        ]
        if !frameworks.isEmpty { document["back-matter"] = backMatter(frameworks) }
        return .object(["component-definition": .object(document)])
    }

    // MARK: assessment-results

    public static func assessmentResults(_ isms: ISMS, report: CheckReport, asOf: Day, generator: String) -> JSONValue {
        let name = isms.config.name ?? "ISMS"
        let requirements = requirements(isms)
        let collected = timestamp(asOf)
        var observations = [JSONValue]()
        var observationsByRecord = [String: [(uuid: String, severity: Severity)]]()
        for finding in report.findings {
            let identity = [finding.rule, finding.path ?? "", finding.record ?? "", finding.field ?? "", finding.message].joined(
                separator: "\u{1F}")
            let id = uuid("observation:" + identity)
            var place = finding.path ?? "isms.yaml"
            if let line = finding.line { place += ":\(line)" + (finding.column.map { ":\($0)" } ?? "") }
            var props = [property("rule", finding.rule), property("severity", finding.severity.rawValue)]
            if let record = finding.record {
                props.append(property("record", record))
                observationsByRecord[record, default: []].append((id, finding.severity))
            }
            observations.append(
                .object([
                    "uuid": .string(id),
                    "title": .string("\(finding.rule) at \(place)"),
                    "description": .string(finding.message),
                    "methods": ["EXAMINE"],
                    "types": ["finding"],
                    "props": .array(props),
                    "relevant-evidence": [
                        .object([
                            "href": .string(finding.path ?? "isms.yaml"),
                            "description": .string("\(place): \(finding.severity.rawValue) [\(finding.rule)]"),
                        ])
                    ],
                    "collected": .string(collected),
                ]))
        }
        var findings = [JSONValue]()
        for requirement in requirements {
            // The records whose findings bear on the requirement: its controls, their evidence, the obligation.
            var records = requirement.controls.map(\.id)
            for control in requirement.controls {
                records += isms.graph.links(to: control.id, field: "control").filter { $0.fromKind == .evidence }.map(\.from)
            }
            if let obligation = requirement.obligation { records.append(obligation.id) }
            let related = orderedUnique(records).flatMap { observationsByRecord[$0] ?? [] }
            let failing = related.filter { $0.severity != .note }
            let satisfied = failing.isEmpty
            var finding: [String: JSONValue] = [
                "uuid": .string(uuid("finding:" + requirement.label)),
                "title": .string("\(requirement.label) \(requirement.title)"),
                "description": .string(
                    satisfied
                        ? "isms check finds no error or warning on \(orderedUnique(records).joined(separator: ", "))."
                        : "isms check finds \(failing.count) error\(failing.count == 1 ? "" : "s") or warning\(failing.count == 1 ? "" : "s") on the controls, evidence or obligation behind it."
                ),
                "target": .object([
                    "type": "objective-id",
                    "target-id": .string(requirement.controlID),
                    "status": .object([
                        "state": .string(satisfied ? "satisfied" : "not-satisfied"), "reason": .string(satisfied ? "pass" : "fail"),
                    ]),
                ]),
            ]
            if !related.isEmpty {
                finding["related-observations"] = .array(
                    orderedUnique(related.map(\.uuid)).map { .object(["observation-uuid": .string($0)]) })
            }
            findings.append(.object(finding))
        }
        let selection: JSONValue =
            requirements.isEmpty
            ? .object(["include-all": .object([:])])
            : .object(["include-controls": .array(requirements.map { .object(["control-id": .string($0.controlID)]) })])
        var result: [String: JSONValue] = [
            "uuid": .string(uuid("result:" + name + ":" + asOf.description)),
            "title": .string("isms check as of \(asOf)"),
            "description": .string(
                "\(report.recordCount) records checked: \(report.count(.error)) errors, \(report.count(.warning)) warnings, "
                    + "\(report.count(.note)) notes. One observation per finding of isms check; one finding per control the "
                    + "component definition implements, satisfied when no error or warning bears on it."),
            "start": .string(collected),
            "end": .string(collected),
            "reviewed-controls": .object(["control-selections": [selection]]),
        ]
        if !observations.isEmpty { result["observations"] = .array(observations) }
        if !findings.isEmpty { result["findings"] = .array(findings) }
        let planResource = uuid("resource:assessment-plan")
        var resources = [
            JSONValue.object([
                "uuid": .string(planResource),
                "title": "The rules of isms check",
                "description":
                    "There is no separate assessment plan: the assessment is isms check, whose rules are described in docs/rules.md.",
                "rlinks": [.object(["href": .string(RuleDocs.projectURL + "/blob/main/docs/rules.md")])],
            ])
        ]
        if case .object(let matter) = backMatter(orderedUnique(requirements.map(\.framework))), case .array(let more)? = matter["resources"]
        {
            resources += more
        }
        let document: [String: JSONValue] = [
            "uuid": .string(uuid("assessment-results:" + name + ":" + asOf.description)),
            "metadata": metadata(isms, title: "\(name): isms check as of \(asOf)", asOf: asOf, generator: generator, people: []),
            "import-ap": .object(["href": .string("#" + planResource)]),
            "results": [.object(result)],
            "back-matter": .object(["resources": .array(resources)]),
        ]
        return .object(["assessment-results": .object(document)])
    }

    // MARK: shared parts

    package static func timestamp(_ day: Day) -> String { "\(day)T00:00:00Z" }

    package static func property(_ name: String, _ value: String, remarks: String? = nil) -> JSONValue {
        // A property value is one line without surrounding white space.
        let cleaned = value.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        var object: [String: JSONValue] = [
            "name": .string(name), "ns": .string(propertyNamespace), "value": .string(cleaned.isEmpty ? "-" : cleaned),
        ]
        if let remarks { object["remarks"] = .string(remarks) }
        return .object(object)
    }

    private static func metadata(_ isms: ISMS, title: String, asOf: Day, generator: String, people: [String]) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "title": .string(title),
            "last-modified": .string(timestamp(asOf)),
            "version": .string(asOf.description),
            "oscal-version": .string(version),
            "props": [property("generator", generator)],
        ]
        if !people.isEmpty {
            metadata["roles"] = [
                .object([
                    "id": "control-owner", "title": "Control owner", "description": "Accountable for a control's operation (its owner).",
                ]),
                .object([
                    "id": "obligation-owner", "title": "Obligation owner",
                    "description": "Accountable for meeting an obligation (its owner).",
                ]),
            ]
            metadata["parties"] = .array(
                people.map { key in
                    let person = isms.config.people[key]
                    var party: [String: JSONValue] = [
                        "uuid": .string(uuid("party:" + key)),
                        "type": "person",
                        "name": .string(nonEmpty(person?.name) ?? key),
                        "props": [property("roster-key", key)],
                    ]
                    if let email = person?.email, email.range(of: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", options: .regularExpression) != nil {
                        party["email-addresses"] = [.string(email)]
                    }
                    if let role = nonEmpty(person?.role) { party["remarks"] = .string(role) }
                    return .object(party)
                })
        }
        return .object(metadata)
    }

    private static func backMatter(_ frameworks: [String]) -> JSONValue {
        .object([
            "resources": .array(
                frameworks.map { framework in
                    var resource: [String: JSONValue] = [
                        "uuid": .string(uuid("resource:" + framework)),
                        "title": .string(framework),
                    ]
                    if framework == annexAFramework {
                        resource["description"] =
                            "ISO/IEC 27001:2022 Annex A; control ids are the Annex A ids in lower case (A.5.15 is a.5.15). ISO publishes no OSCAL catalog."
                        resource["rlinks"] = [.object(["href": "https://www.iso.org/standard/27001"])]
                    } else {
                        resource["description"] = .string(
                            "The \(framework) obligations of the ISMS (obligations/ with source \(framework)); control ids are obligation ids in lower case."
                        )
                    }
                    return .object(resource)
                })
        ])
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    private static func orderedUnique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
