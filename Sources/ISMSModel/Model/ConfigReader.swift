import Foundation
import ISMSCore

/// Reads `isms.yaml`. A file that is not YAML is a tool error (exit 2); a bad setting is a finding. Each key
/// is read by its declaration in `Config.declarations`.
package enum ConfigReader {
    /// `ruleIDs`: the rules a `rules` entry may name. The rules sit above the model, so the caller hands them
    /// down (`read(_:path:)` in Rules/ passes the registry's). Nil, for a reader below the rules that only wants
    /// the values: every entry with a valid severity is kept, and names are not judged.
    package static func read(_ data: Data, path: String, ruleIDs: [String]?) throws(ToolError) -> (Config, [Finding]) {
        let node: YAMLNode
        switch YAMLReader(maxBytes: Limits.configBytes).read(data) {
        case .success(let n): node = n
        case .failure(let problem) where problem.kind == .empty: return (Config(), [])
        case .failure(let problem) where problem.kind == .tooLarge:
            throw .unreadableConfig(path: path, message: Limits.configTooLarge(data.count).message)
        case .failure(let problem):
            throw .unreadableConfig(path: path, message: "\(problem.location.line):\(problem.location.column): \(problem.message)")
        }
        guard let pairs = node.pairs else {
            throw .unreadableConfig(path: path, message: "1:1: isms.yaml must be a mapping of settings")
        }
        var reader = SettingsReader(path: path, ruleIDs: ruleIDs)
        for pair in pairs {
            if let declaration = Config.declarationsByName[pair.key] {
                declaration.read(&reader, pair)
            } else {
                reader.unknown(pair.key, known: Config.keys.map(\.key), in: "isms.yaml", at: pair.keyLocation, field: pair.key)
            }
        }
        return (reader.config, reader.findings)
    }
}

/// The state of one read of isms.yaml, with the value readers the declarations share. A bad value is a
/// located finding and leaves the default.
package struct SettingsReader {
    package var config = Config()
    package var findings = [Finding]()
    package let path: String
    package let ruleIDs: [String]?

    package init(path: String, ruleIDs: [String]?) {
        self.path = path
        self.ruleIDs = ruleIDs
    }

    package mutating func invalid(_ message: String, _ at: SourceLocation, field: String) {
        findings.append(LoadStage.invalid(message, path: path, at: at, field: field))
    }

    package mutating func unknown(_ key: String, known: [String], in place: String, at: SourceLocation, field: String) {
        findings.append(LoadStage.unknown(key, known: known, in: place, path: path, at: at, field: field))
    }

    package mutating func text(_ node: YAMLNode, _ field: String) -> String? {
        guard let s = node.scalar, !s.isNull else {
            invalid("\(field) must be text, not \(node.shapeName)", node.location, field: field)
            return nil
        }
        return s.text
    }

    package mutating func integer(_ node: YAMLNode, _ field: String, _ range: ClosedRange<Int>) -> Int? {
        // Plain digits only, as in records: `+5`, `05` and `'5'` are refused.
        guard let s = node.scalar, s.isPlain, let n = Int(s.text), String(n) == s.text, range.contains(n) else {
            invalid("\(field) must be an integer from \(range.lowerBound) to \(range.upperBound)", node.location, field: field)
            return nil
        }
        return n
    }

    /// A path relative to the ISMS root that stays below it.
    package mutating func relativePath(_ node: YAMLNode, _ field: String) -> String? {
        guard let path = text(node, field) else { return nil }
        let parts = path.pathComponents()
        guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
            invalid("\(field) must be a path relative to the ISMS root that stays below it", node.location, field: field)
            return nil
        }
        return parts.filter { $0 != "." }.joined(separator: "/")
    }

    /// Each entry of a mapping from record kinds (`decision_fields`, `id_patterns`), in file order; an unknown
    /// kind is reported and skipped.
    package mutating func forEachKind(in pair: YAMLPair, _ body: (inout SettingsReader, RecordKind, YAMLPair) -> Void) {
        for entry in pair.value.pairs ?? [] {
            guard let kind = RecordKind(rawValue: entry.key) else {
                unknown(
                    entry.key, known: RecordKind.allCases.map(\.rawValue), in: "the record kinds", at: entry.keyLocation,
                    field: "\(pair.key).\(entry.key)")
                continue
            }
            body(&self, kind, entry)
        }
    }
}

/// Reads `context` from isms.yaml; a bad value is a located finding and is left out.
package enum ContextReader {
    package static func read(_ node: YAMLNode, path: String, findings: inout [Finding]) -> ISMSContext {
        var context = ISMSContext()
        context.location = node.location
        func invalid(_ message: String, _ at: SourceLocation, _ field: String) {
            findings.append(LoadStage.invalid(message, path: path, at: at, field: field))
        }
        func unknown(_ key: String, _ known: [String], _ where_: String, _ at: SourceLocation) {
            findings.append(LoadStage.unknown(key, known: known, in: where_, path: path, at: at, field: "\(where_).\(key)"))
        }
        guard let pairs = node.pairs else {
            invalid("context must be a mapping {internal, external, climate_change}", node.location, "context")
            return context
        }
        for pair in pairs {
            switch pair.key {
            case "internal", "external":
                guard let items = pair.value.items else {
                    invalid("context.\(pair.key) must be a list of issues", pair.value.location, "context.\(pair.key)")
                    continue
                }
                let texts = items.compactMap { item -> String? in
                    guard let s = item.scalar, !s.isNull else {
                        invalid("context.\(pair.key) must hold text, not \(item.shapeName)", item.location, "context.\(pair.key)")
                        return nil
                    }
                    return s.text
                }
                if pair.key == "internal" { context.internalIssues = texts } else { context.externalIssues = texts }
            case "climate_change":
                guard let fields = pair.value.pairs else {
                    invalid("context.climate_change must be a mapping {relevant, reason}", pair.value.location, "context.climate_change")
                    continue
                }
                for field in fields {
                    switch field.key {
                    case "relevant":
                        if let s = field.value.scalar, s.isPlain, s.text == "true" || s.text == "false" {
                            context.climateRelevant = s.text == "true"
                        } else {
                            invalid(
                                "context.climate_change.relevant must be true or false", field.value.location,
                                "context.climate_change.relevant")
                        }
                    case "reason":
                        if let s = field.value.scalar, !s.isNull, !s.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                            context.climateReason = s.text
                        } else {
                            invalid(
                                "context.climate_change.reason must say why climate change is or is not relevant", field.value.location,
                                "context.climate_change.reason")
                        }
                    default: unknown(field.key, ["relevant", "reason"], "context.climate_change", field.keyLocation)
                    }
                }
            default: unknown(pair.key, ["internal", "external", "climate_change"], "context", pair.keyLocation)
            }
        }
        return context
    }
}
