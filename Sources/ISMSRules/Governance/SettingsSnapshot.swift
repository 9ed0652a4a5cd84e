import Foundation
import ISMSCore
import ISMSHistory
import ISMSModel

/// isms.yaml and the trust files flattened to `field → value` text, for comparing two revisions setting by
/// setting (`policy-changed`, the `settings` of `isms diff`). Read from the YAML tree rather than `Config`, so a
/// value the reader refuses still shows as changed, and a setting added later is compared without new code.
public struct SettingsSnapshot: Sendable, Equatable {
    /// Dotted setting path (`rules.unsigned-decision`, `people.alex.email`, `.isms/allowed_signers: alex@…`) → value.
    public var values: [String: String]
    /// Keys trusted by the trust files: `ssh <type> <key>` and `openpgp <file> <sha256>`.
    public var keys: Set<String>

    public init(values: [String: String] = [:], keys: Set<String> = []) {
        self.values = values
        self.keys = keys
    }

    /// The top-level setting a field belongs to (`rules` for `rules.x`); trust-file fields are `allowed_signers`
    /// and `openpgp_keys`.
    public static func setting(of field: String) -> String {
        if field.hasPrefix(trustFilePrefix) { return "allowed_signers" }
        if field.hasPrefix(openPGPPrefix) { return "openpgp_keys" }
        // A quoted first key (one holding a dot) is no setting isms knows: policy, as every unknown key.
        if field.hasPrefix("\"") { return field }
        return String(field.prefix { $0 != "." })
    }

    /// Whether `field` names a trusted key rather than a line of isms.yaml.
    public static func isTrustFile(_ field: String) -> Bool { field.hasPrefix(trustFilePrefix) || field.hasPrefix(openPGPPrefix) }

    package static let trustFilePrefix = "allowed_signers file: "
    package static let openPGPPrefix = "openpgp_keys file: "

    /// Flattens isms.yaml (`data`, nil when absent) and the trust material it names.
    public static func read(config data: Data?, allowedSigners: (String) -> Data?, openPGPKeys: (String) -> [(name: String, data: Data)])
        -> SettingsSnapshot
    {
        var snapshot = SettingsSnapshot()
        var signersPath = Config.defaultAllowedSigners, keysPath = Config.defaultOpenPGPKeys
        if let data, case .success(let node) = YAMLReader(maxBytes: Limits.configBytes).read(data), let pairs = node.pairs {
            for pair in pairs { flatten(pair.value, into: &snapshot.values, at: segment(pair.key)) }
            if let (config, _) = try? ConfigReader.read(data, path: "isms.yaml") {
                signersPath = config.allowedSigners
                keysPath = config.openPGPKeys
            }
        } else if let data, !data.isEmpty {
            // Not YAML at all: compared as its bytes, so the change still counts.
            snapshot.values["isms.yaml"] = SHA256.hex(data)
        }
        if let text = allowedSigners(signersPath).map({ String(decoding: $0, as: UTF8.self) }) {
            let signers = AllowedSigners(text: text, path: signersPath)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for entry in signers.entries {
                let field = trustFilePrefix + entry.principals.joined(separator: ",")
                // The whole line: a changed validity or namespace is a change of trust too.
                let value = lines[entry.line - 1].trimmingCharacters(in: .whitespacesAndNewlines)
                snapshot.values[field] = snapshot.values[field].map { $0 + "\n" + value } ?? value
                snapshot.keys.insert("ssh \(entry.keyType) \(Data(entry.keyBlob).base64EncodedString())")
            }
            // Lines the parser ignores still change the file: count them as one field, never as a key.
            let other =
                text.split(separator: "\n", omittingEmptySubsequences: true)
                .filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count - signers.entries.count
            if other > 0 { snapshot.values[trustFilePrefix + "(unreadable lines)"] = String(other) }
        }
        for key in openPGPKeys(keysPath) {
            let digest = SHA256.hex(key.data)
            snapshot.values[openPGPPrefix + key.name] = digest
            snapshot.keys.insert("openpgp \(digest)")
        }
        return snapshot
    }

    /// Flattens a mapping into dotted paths, unambiguously: a key holding a dot or a quote is quoted (`"a.b"`),
    /// and a list or a nested value inside a list is written as JSON, so two different settings never flatten to
    /// the same field and value (`[a, b]` and `["a, b"]`, `rules: {x: off}` and `"rules.x": off`).
    private static func flatten(_ node: YAMLNode, into values: inout [String: String], at path: String) {
        if let pairs = node.pairs, !pairs.isEmpty {
            for pair in pairs { flatten(pair.value, into: &values, at: path + "." + segment(pair.key)) }
        } else if node.items != nil {
            values[path] = json(node)
        } else if let scalar = node.scalar {
            values[path] = scalar.isNull ? "null" : scalar.text
        } else {
            values[path] = node.shapeName
        }
    }

    package static func segment(_ key: String) -> String {
        guard key.contains(".") || key.contains("\"") || key.isEmpty else { return key }
        return quoted(key)
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func json(_ node: YAMLNode) -> String {
        if let pairs = node.pairs { return "{" + pairs.map { quoted($0.key) + ": " + json($0.value) }.joined(separator: ", ") + "}" }
        if let items = node.items { return "[" + items.map(json).joined(separator: ", ") + "]" }
        if let scalar = node.scalar { return scalar.isNull ? "null" : quoted(scalar.text) }
        return node.shapeName
    }

    /// The fields whose values differ, sorted.
    public func changedFields(from old: SettingsSnapshot) -> [String] {
        Set(values.keys).union(old.values.keys).filter { values[$0] != old.values[$0] }.sorted()
    }
}
