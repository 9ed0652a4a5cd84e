import Foundation
import ISMSCore
import ISMSModel

/// Turns a YAML tree into a `Record` following the kind's schema. Every defect becomes a located finding;
/// a value that fails is left out of the record.
package struct RecordValidator {
    package let kind: RecordKind
    package let path: String
    package let config: Config
    package private(set) var findings: [Finding] = []
    /// In the order met; a record's path is met once (YAML rejects a duplicate key, and a name holds no dot).
    private var fields: [(key: String, value: Field)] = []
    private var objects: [(key: String, value: SourceLocation)] = []
    private var rejected: Set<String> = []
    /// For the history, which keeps only each version's values (`RecordParser.values`): a list's item locations
    /// are not gathered, and the id pattern runs once per distinct id (`matchedIDs`), not once per version.
    private let valuesOnly: Bool
    private let matchedIDs: MatchedIDs?

    package init(kind: RecordKind, path: String, config: Config) {
        self.kind = kind
        self.path = path
        self.config = config
        valuesOnly = false
        matchedIDs = nil
    }

    package init(valuesOf kind: RecordKind, path: String, config: Config, matchedIDs: MatchedIDs) {
        self.kind = kind
        self.path = path
        self.config = config
        valuesOnly = true
        self.matchedIDs = matchedIDs
    }

    package mutating func validate(_ root: YAMLNode) -> Record? {
        guard let (id, idLocation) = validateFields(root) else { return nil }
        // A pattern that ran over its time budget is reported once, at isms.yaml (see `Checker`), not per id.
        if config.idPattern(kind).match(id) == false {
            var message = "id '\(id)' does not match the \(kind.rawValue) id pattern \(config.idPattern(kind).source)"
            if let other = config.kind(ofID: id), other != kind {
                message += "; it looks like \(withIndefiniteArticle(other.rawValue)) id, which belongs in \(other.folder)/"
            }
            findings.append(LoadStage.idPattern.finding(message, path: path, at: idLocation, record: id, field: "id"))
        }
        var record = Record(
            kind: kind, id: id, path: path, idLocation: idLocation, fields: FieldMap(unsorted: fields),
            objects: FieldMap(unsorted: objects))
        record.rejected = rejected
        return record
    }

    /// What the history keeps of a record: its id and its fields' values, as `validate` would give them
    /// (`record.fields.mapValues(\.value)`), without building the record; nil where `validate` gives nil.
    package mutating func values(_ root: YAMLNode) -> (id: String, fields: [String: FieldValue])? {
        guard let (id, _) = validateFields(root) else { return nil }
        // The history keeps no finding: the pattern runs only for what the run may have to report (a pattern over
        // its time budget, see `validate`), and an id it has already met cannot tell it more.
        if matchedIDs?.insert(kind: kind, id: id) ?? true { _ = config.idPattern(kind).match(id) }
        var values = [String: FieldValue](minimumCapacity: fields.count)
        // A later entry of a path replaces an earlier one, as in `FieldMap(unsorted:)`.
        for index in fields.indices { values[fields[index].key] = fields[index].value.value }
        return (id, values)
    }

    /// Validates every field and the kind's one-of groups; the record's id and where it stands, when it has one.
    private mutating func validateFields(_ root: YAMLNode) -> (String, SourceLocation)? {
        guard let pairs = root.pairs else {
            findings.append(
                LoadStage.parseError.finding("a record must be a mapping of fields, not \(root.shapeName)", path: path, at: root.location))
            return nil
        }
        let schema = Schema.of(kind)
        fields.reserveCapacity(pairs.count * 2)
        let idNode = root["id"]
        let id = idNode?.scalar.flatMap { $0.isNull ? nil : $0.text }
        validateMapping(pairs, specs: schema.fields, prefix: "", parentLocation: root.location, record: id)
        // An empty value counts as absent here too (`control:` with no risk names nothing).
        for group in schema.oneOf
        where !group.contains(where: { name in pairs.contains { $0.key == name && !($0.value.scalar?.isNull ?? false) } }) {
            findings.append(
                LoadStage.missingField.finding(
                    "\(kind.rawValue) needs one of: \(group.joined(separator: ", "))",
                    path: path, at: root.location, record: id, field: group[0]))
        }
        guard let id, let idLocation = idNode?.location else { return nil }
        return (id, idLocation)
    }

    private mutating func validateMapping(
        _ pairs: [YAMLPair], specs: [FieldSpec], prefix: String,
        parentLocation: SourceLocation, record: String?
    ) {
        // Per spec, the index of its pair (-1: none), found in one pass over the pairs: a key is met at most once (YAML
        // refuses a repeated key), and the specs are searched by index, never copied (each copy retained four strings).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: specs.count) { pairOfSpec in
            pairOfSpec.initialize(repeating: -1)
            for pairIndex in pairs.indices {
                let key = pairs[pairIndex].key
                guard let specIndex = specs.firstIndex(name: key) else {
                    let where_ = prefix.isEmpty ? withIndefiniteArticle(kind.rawValue) : String(prefix.dropLast())
                    findings.append(
                        LoadStage.unknownField.finding(
                            LoadStage.unknownMessage(key, known: specs.map(\.name), in: where_),
                            path: path, at: pairs[pairIndex].keyLocation, record: record, field: prefix + key))
                    continue
                }
                if pairOfSpec[specIndex] < 0 { pairOfSpec[specIndex] = pairIndex }
                if pairs[pairIndex].value.scalar?.isNull == true { continue }  // an empty value counts as absent
                validate(
                    pairs[pairIndex].value, spec: specs[specIndex], name: Schema.sharedName(prefix.isEmpty ? key : prefix + key),
                    keyLocation: pairs[pairIndex].keyLocation, record: record)
            }
            for specIndex in specs.indices {
                let pairIndex = pairOfSpec[specIndex]
                let present = pairIndex >= 0 && !(pairs[pairIndex].value.scalar?.isNull ?? false)
                switch specs[specIndex].requirement {
                case .optional: continue
                case .required:
                    guard !present else { continue }
                case .onlyWhen, .requiredWhen:
                    break
                }
                checkRequirement(
                    specs[specIndex], pair: pairIndex >= 0 ? pairs[pairIndex] : nil, present: present, pairs: pairs, prefix: prefix,
                    parentLocation: parentLocation, record: record)
            }
        }
    }

    /// A spec's requirement against its pair (nil when absent), for a spec that is not simply optional.
    private mutating func checkRequirement(
        _ spec: FieldSpec, pair: YAMLPair?, present: Bool, pairs: [YAMLPair], prefix: String,
        parentLocation: SourceLocation, record: String?
    ) {
        if case .onlyWhen(let field, let equals) = spec.requirement, let pair, present,
            let sibling = pairs.first(where: { $0.key == field })?.value.scalar, !sibling.isNull, sibling.text != equals
        {
            let name = prefix + spec.name
            findings.append(
                LoadStage.invalidValue.finding(
                    "'\(name)' applies only when \(prefix + field) is \(equals), not \(sibling.text)",
                    path: path, at: pair.keyLocation, record: record, field: name))
            // Left out of the record, as any value that fails is.
            rejected.insert(name)
            fields.removeAll { $0.key == name || $0.key.hasPrefix(name + ".") }
            return
        }
        guard !present else { return }
        switch spec.requirement {
        case .optional, .onlyWhen: return
        case .required:
            let message = "\(kind.rawValue) is missing required field '\(prefix + spec.name)'"
            let at = pair?.keyLocation ?? parentLocation
            findings.append(LoadStage.missingField.finding(message, path: path, at: at, record: record, field: prefix + spec.name))
        case .requiredWhen(let field, let equals):
            guard let sibling = pairs.first(where: { $0.key == field })?.value.scalar, sibling.text == equals else { return }
            let message = "'\(prefix + spec.name)' is required when \(prefix + field) is \(equals)"
            findings.append(
                LoadStage.missingField.finding(message, path: path, at: parentLocation, record: record, field: prefix + spec.name))
        }
    }

    private mutating func validate(_ node: YAMLNode, spec: FieldSpec, name: String, keyLocation: SourceLocation, record: String?) {
        switch spec.type {
        case .object(let children):
            guard let pairs = node.pairs else {
                invalid(
                    "'\(name)' must be a mapping (\(children.map(\.name).joined(separator: ", "))), not \(node.shapeName)", node, name,
                    record)
                return
            }
            objects.append((name, node.location))
            validateMapping(pairs, specs: children, prefix: name + ".", parentLocation: node.location, record: record)
        case .keyed(let children):
            guard let entries = node.pairs else {
                invalid(
                    "'\(name)' must be a mapping of names to mappings (\(children.map(\.name).joined(separator: ", "))), not \(node.shapeName)",
                    node, name, record)
                return
            }
            objects.append((name, node.location))
            for entry in entries {
                // The name becomes part of a dotted path (`actions.CA-1.due`): no dots, nothing invisible.
                guard !entry.key.isEmpty,
                    entry.key.unicodeScalars.allSatisfy({
                        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
                    })
                else {
                    invalid("'\(name)' names '\(entry.key)': a name may hold only letters, digits, - and _", node, name, record)
                    continue
                }
                let entryName = name + "." + entry.key
                guard let pairs = entry.value.pairs else {
                    invalid(
                        "'\(entryName)' must be a mapping (\(children.map(\.name).joined(separator: ", "))), not \(entry.value.shapeName)",
                        entry.value, entryName, record)
                    continue
                }
                objects.append((entryName, entry.value.location))
                validateMapping(pairs, specs: children, prefix: entryName + ".", parentLocation: entry.value.location, record: record)
            }
        case .list(let element):
            guard let items = node.items else {
                invalid("'\(name)' must be a list, not \(node.shapeName)", node, name, record)
                return
            }
            var values = [FieldValue]()
            var locations = [SourceLocation]()
            values.reserveCapacity(items.count)
            if !valuesOnly { locations.reserveCapacity(items.count) }
            for item in items {
                if let value = scalar(item, type: element, name: name, record: record) {
                    values.append(value)
                    if !valuesOnly { locations.append(item.location) }
                }
            }
            // A list with a bad item is kept without it: its other references are still checked.
            fields.append((name, Field(value: .list(values), location: node.location, keyLocation: keyLocation, itemLocations: locations)))
        default:
            var type = spec.type
            // Risk scores run to the scale of the configured risk method, not the schema's widest.
            if kind == .risk, case .integer = type {
                let method = config.riskMethod
                type = .integer(1...(name.hasSuffix("likelihood") ? method.likelihood.count : method.impact.count))
            }
            if let value = scalar(node, type: type, name: name, record: record) {
                fields.append((name, Field(value: value, location: node.location, keyLocation: keyLocation, itemLocations: [])))
            }
        }
    }

    private mutating func scalar(_ node: YAMLNode, type: FieldType, name: String, record: String?) -> FieldValue? {
        guard let scalar = node.scalar, !scalar.isNull else {
            invalid("'\(name)' must be \(withIndefiniteArticle(type.name)), not \(node.shapeName)", node, name, record)
            return nil
        }
        let text = scalar.text
        switch type {
        case .text:
            return .string(text)
        case .integer(let range):
            guard scalar.isPlain, let n = Int(text), String(n) == text else {
                invalid("'\(name)' must be an integer from \(range.lowerBound) to \(range.upperBound), not '\(text)'", node, name, record)
                return nil
            }
            guard range.contains(n) else {
                invalid("'\(name)' is \(n), outside \(range.lowerBound)–\(range.upperBound)", node, name, record)
                return nil
            }
            return .integer(n)
        case .boolean:
            guard scalar.isPlain, text == "true" || text == "false" else {
                invalid("'\(name)' must be true or false, not '\(text)'", node, name, record)
                return nil
            }
            return .boolean(text == "true")
        case .date:
            guard let day = Day(text) else {
                invalid("'\(name)' must be a date YYYY-MM-DD, not '\(text)'", node, name, record)
                return nil
            }
            return .date(day)
        case .cadence:
            guard Cadence(text) != nil else {
                invalid("'\(name)' must be a cadence (\(Cadence.names.joined(separator: ", "))), not '\(text)'", node, name, record)
                return nil
            }
            return .string(text)
        case .choice(let values):
            guard values.contains(text) else {
                var message = "'\(name)' must be one of \(values.joined(separator: ", ")), not '\(text)'"
                if let close = closest(to: text, in: values) { message += "; did you mean '\(close)'?" }
                invalid(message, node, name, record)
                return nil
            }
            return .string(text)
        case .reference, .referenceOrText:
            // Whether the id exists and has the right kind is the graph rules' question.
            return .string(text)
        case .sha256:
            guard text.utf8.count == 64, text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                invalid("'\(name)' must be 64 lower-case hexadecimal digits", node, name, record)
                return nil
            }
            return .string(text)
        case .timestamp:
            guard Timestamp(text) != nil else {
                invalid("'\(name)' must be a date and time with its zone (2026-03-02T14:05:00+01:00), not '\(text)'", node, name, record)
                return nil
            }
            return .string(text)
        case .number:
            guard DecimalNumber.parse(text) != nil else {
                invalid("'\(name)' must be a number (99.5), not '\(text)'", node, name, record)
                return nil
            }
            return .string(text)
        case .list, .object, .keyed:
            invalid("'\(name)' must be \(withIndefiniteArticle(type.name)), not a scalar", node, name, record)
            return nil
        }
    }

    private mutating func invalid(_ message: String, _ node: YAMLNode, _ name: String, _ record: String?) {
        rejected.insert(name)
        findings.append(LoadStage.invalidValue.finding(message, path: path, at: node.location, record: record, field: name))
    }
}

/// The ids whose kind's id pattern has run this history run, by kind; shared by the parser threads.
package final class MatchedIDs: Sendable {
    private struct Key: Hashable {
        let kind: RecordKind
        /// Byte for byte: two spellings of one canonical string are two texts to a regular expression.
        let id: ExactString
    }
    /// In shards by the id's last byte, so that the parser threads seldom wait for each other's lock.
    private let shards = (0..<16).map { _ in Locked<Set<Key>>([]) }

    package init() {}

    /// Whether `id` is new for `kind` (it is then remembered).
    package func insert(kind: RecordKind, id: String) -> Bool {
        let key = Key(kind: kind, id: ExactString(id))
        return shards[Int(id.utf8.last ?? 0) & 15].withLock { $0.insert(key).inserted }
    }
}

extension [FieldSpec] {
    /// The index of the spec named `name`, comparing names where they stand (no spec is copied).
    fileprivate func firstIndex(name: String) -> Int? {
        for index in indices where self[index].name == name { return index }
        return nil
    }
}
