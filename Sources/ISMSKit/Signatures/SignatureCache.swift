import Foundation

/// Signature verdicts kept between runs, beside the history cache under the git folder
/// (`<git common dir>/isms/signatures-v1.cache`). A verdict is valid for one commit id and one trust
/// fingerprint (the allowed signers and OpenPGP keys it was judged against), so changing the allowed signers
/// verifies again. The file holds the sections of the four most recently used trusts, newest first:
///
///     isms-signatures 1
///     trust <sha-256 hex>
///     <commit hex> TAB <status> TAB <format or -> TAB <principal or -> TAB <key or -> TAB <reason>
///
/// A file that does not read as this is ignored and replaced. Writes are atomic (a temporary file, renamed).
final class SignatureCache {
    static let header = "isms-signatures 1"
    static let keptTrusts = 4

    let path: String
    let trust: String
    private var current: [ObjectID: SignatureVerdict] = [:]
    /// The other trusts' sections, kept as read.
    private var others: [(trust: String, lines: [Substring])] = []
    private var changed = false

    init(path: String, trust: String) {
        self.path = path
        self.trust = trust
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n")
        guard lines.first == Substring(Self.header) else { return }
        lines.removeFirst()
        var section: String?
        for line in lines {
            if line.hasPrefix("trust ") {
                section = String(line.dropFirst(6))
                if section != trust { others.append((section!, [])) }
                continue
            }
            guard let section else { return }
            if section == trust {
                guard let (id, verdict) = Self.parse(line) else { current = [:]; others = []; return }
                current[id] = verdict
            } else {
                others[others.count - 1].lines.append(line)
            }
        }
    }

    func verdict(for commit: ObjectID) -> SignatureVerdict? { current[commit] }

    func store(_ verdict: SignatureVerdict, for commit: ObjectID) {
        guard current[commit] != verdict else { return }
        current[commit] = verdict
        changed = true
    }

    func save() throws {
        guard changed else { return }
        var out = Self.header + "\ntrust " + trust + "\n"
        for (id, verdict) in current.sorted(by: { $0.key < $1.key }) {
            out += Self.line(id, verdict) + "\n"
        }
        for other in others.prefix(Self.keptTrusts - 1) {
            out += "trust " + other.trust + "\n"
            for line in other.lines { out += line + "\n" }
        }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        do {
            try Data(out.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            unlink(temporary)
            throw error
        }
        changed = false
    }

    private static func line(_ id: ObjectID, _ v: SignatureVerdict) -> String {
        func field(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "-" }
            return text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
        }
        return [id.hex, v.status.rawValue, v.format?.rawValue ?? "-", field(v.principal), field(v.key), field(v.reason)]
            .joined(separator: "\t")
    }

    private static func parse(_ line: Substring) -> (ObjectID, SignatureVerdict)? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, let id = ObjectID(hex: fields[0]), let status = SignatureVerdict.Status(rawValue: fields[1]) else { return nil }
        func optional(_ text: String) -> String? { text == "-" ? nil : text }
        var format: SignatureVerdict.Format?
        if fields[2] != "-" {
            guard let f = SignatureVerdict.Format(rawValue: fields[2]) else { return nil }
            format = f
        }
        return (id, SignatureVerdict(status: status, format: format, principal: optional(fields[3]), key: optional(fields[4]),
                                     reason: optional(fields[5])))
    }
}
