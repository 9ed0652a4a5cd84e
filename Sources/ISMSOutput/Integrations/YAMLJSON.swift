import Foundation
import ISMSModel

/// A YAML file as the JSON instance a JSON Schema judges, typed the way isms types YAML: a plain `true` or
/// `false` is a boolean, plain digits that read back the same (`42`, `-3`; not `+3`, `03`, `0x3`) are a number, a
/// plain empty value, `~` or `null` is null, and every other scalar is a string (`no`, `on`, `3.0`, `2026-01-05`,
/// and anything quoted). Mapping keys keep their order of appearance in the file only as far as JSON objects do.
public enum YAMLJSON {
    public static func instance(_ node: YAMLNode) -> JSONValue {
        switch node.value {
        case .scalar(let scalar):
            guard scalar.isPlain else { return .string(scalar.text) }
            if scalar.isNull { return .null }
            if scalar.text == "true" || scalar.text == "false" { return .bool(scalar.text == "true") }
            if let n = Int(scalar.text), String(n) == scalar.text { return .number(n) }
            return .string(scalar.text)
        case .sequence(let items):
            return .array(items.map(instance))
        case .mapping(let pairs):
            var object = [String: JSONValue]()
            for pair in pairs { object[pair.key] = instance(pair.value) }
            return .object(object)
        }
    }

    /// Reads `data` as one YAML document and returns its JSON instance, or the reason it is not YAML.
    public static func instance(of data: Data) -> Result<JSONValue, YAMLProblem> {
        YAMLReader().read(data).map(instance)
    }
}
