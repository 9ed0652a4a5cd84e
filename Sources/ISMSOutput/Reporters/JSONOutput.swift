import Foundation

/// One JSON style for every command: sorted keys, no escaped slashes, pretty-printed. Keys are sorted, so the
/// order in which a type declares or encodes them never reaches the output.
public enum JSONOutput {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
