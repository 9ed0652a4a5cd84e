/// OpenSSH pattern lists (ssh_config(5), PATTERNS): `*` and `?` wildcards, a leading `!` negates; a negated
/// match wins over any positive one. In Model, not beside the allowed-signers reader: `decision_fields` globs
/// with it too, and the model sits below the signatures.
package enum PatternList {
    package static func matches(_ text: String, _ patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if glob(text.lowercased(), String(pattern.dropFirst()).lowercased()) { return false }
            } else if glob(text.lowercased(), pattern.lowercased()) {
                matched = true
            }
        }
        return matched
    }

    package static func isPattern(_ text: String) -> Bool { text.contains("*") || text.contains("?") || text.hasPrefix("!") }

    /// `*` any run of characters, `?` one character.
    package static func glob(_ text: String, _ pattern: String) -> Bool {
        let t = Array(text), p = Array(pattern)
        var ti = 0, pi = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                ti += 1; pi += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
