import ISMSCore
import ISMSModel

/// The traceability graph as Mermaid or Graphviz DOT: every record and link, or the part around one record.
public enum GraphReport {
    public enum Format: String, CaseIterable, Sendable { case mermaid, dot }

    /// The records shown (ids; a link target that no record has is shown as a missing node) and the links between them.
    public struct Selection: Sendable {
        public let ids: [String]
        public let links: [Link]
    }

    /// Everything, or around `from`: the record, its direct neighbours by links both ways, and every chain
    /// risk → control → evidence → obligation through it (through its neighbours when it is an asset,
    /// supplier or exception). A chain is followed outward from the record, never back: from a risk, its
    /// controls, their evidence and obligations, not the other risks of those controls.
    public static func select(_ isms: ISMS, from: String?) -> Selection {
        var selected = Set<String>()
        if let from {
            selected.insert(from)
            let neighbours = isms.graph.links(from: from).map(\.to) + isms.graph.links(to: from).map(\.from)
            selected.formUnion(neighbours)
            let chainKinds: Set<RecordKind> = [.risk, .control, .evidence, .obligation]
            if let record = isms.record(from), chainKinds.contains(record.kind) {
                selected.formUnion(chain(through: record, in: isms))
            } else {
                for id in neighbours {
                    if let record = isms.record(id), chainKinds.contains(record.kind) {
                        selected.formUnion(chain(through: record, in: isms))
                    }
                }
            }
        } else {
            // Every record, and every id a link points to that no record has.
            selected = Set(isms.records.map(\.id)).union(isms.graph.links.map(\.to))
        }
        let links = isms.graph.links.filter { selected.contains($0.from) && selected.contains($0.to) }
        let ids = selected.sorted { a, b in
            let ka = isms.record(a)?.kind, kb = isms.record(b)?.kind
            if ka != kb {
                guard let ka else { return false }
                guard let kb else { return true }
                return ka < kb
            }
            return naturalOrder(a, b)
        }
        return Selection(ids: ids, links: links)
    }

    /// The chain through `record`: the record itself on its own level, everything on the levels around it.
    package static func chain(through record: Record, in isms: ISMS) -> Set<String> {
        func evidence(_ control: String) -> [String] {
            isms.graph.links(to: control, field: "control").filter { $0.fromKind == .evidence }.map(\.from)
        }
        func risks(_ control: String) -> [String] {
            isms.graph.links(to: control, field: "controls").filter { $0.fromKind == .risk }.map(\.from)
        }
        func obligations(_ control: String) -> [String] {
            isms.graph.links(from: control, field: "satisfies").map(\.to)
        }
        var ids: Set<String> = [record.id]
        switch record.kind {
        case .risk:
            for control in record.list("controls").map(\.value) {
                ids.insert(control)
                ids.formUnion(evidence(control) + obligations(control))
            }
        case .control:
            ids.formUnion(risks(record.id) + evidence(record.id) + obligations(record.id))
        case .evidence:
            if let control = record.string("control") {
                ids.insert(control)
                ids.formUnion(risks(control) + obligations(control))
            }
        case .obligation:
            for link in isms.graph.links(to: record.id, field: "satisfies") where link.fromKind == .control {
                ids.insert(link.from)
                ids.formUnion(risks(link.from) + evidence(link.from))
            }
        // Not on the risk → control → evidence → obligation chain: the record alone. Listed, so a new kind decides.
        case .exception, .supplier, .asset, .audit, .nonconformity, .managementReview, .objective, .incident, .party, .document:
            break
        }
        return ids
    }

    public static func render(_ isms: ISMS, _ selection: Selection, format: Format) -> String {
        switch format {
        case .mermaid: return mermaid(isms, selection)
        case .dot: return dot(isms, selection)
        }
    }

    /// The id and title shown on a node, control characters escaped (`SafeText`): a title's line break must not
    /// end a Mermaid or DOT statement.
    package static func label(_ id: String, _ isms: ISMS) -> (String, String?) {
        guard let record = isms.record(id) else { return (SafeText.text(id), "no such record") }
        var title = record.title
        if title.count > 48 { title = String(title.prefix(47)).trimmingCharacters(in: .whitespaces) + "…" }
        return (SafeText.text(id), title == id ? nil : SafeText.text(title))
    }

    package static func mermaid(_ isms: ISMS, _ selection: Selection) -> String {
        var names = [String: String](), used = Set<String>()
        for id in selection.ids {
            var name = String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            if name.first?.isNumber ?? true { name = "n_" + name }
            var candidate = name, n = 2
            while used.contains(candidate) { candidate = "\(name)_\(n)"; n += 1 }
            used.insert(candidate)
            names[id] = candidate
        }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "#", with: "#35;").replacingOccurrences(of: "\"", with: "#quot;")
                .replacingOccurrences(of: "<", with: "#lt;").replacingOccurrences(of: ">", with: "#gt;")
        }
        var out = "flowchart LR\n"
        for kind in RecordKind.allCases {
            let c = kind.graphStyle
            // A Mermaid class name is a word: management-review becomes management_review.
            out += "  classDef \(kind.rawValue.replacingOccurrences(of: "-", with: "_")) fill:\(c.fill),stroke:\(c.stroke),color:#1d2330\n"
        }
        out += "  classDef missing fill:#ffffff,stroke:#a1261b,stroke-dasharray:4 3,color:#a1261b\n"
        for id in selection.ids {
            let (head, title) = label(id, isms)
            let text = escape(head) + (title.map { "<br/>" + escape($0) } ?? "")
            let kind = isms.record(id)?.kind.rawValue.replacingOccurrences(of: "-", with: "_") ?? "missing"
            out += "  \(names[id]!)[\"\(text)\"]:::\(kind)\n"
        }
        for link in selection.links {
            out += "  \(names[link.from]!) -->|\(escape(SafeText.text(link.field)))| \(names[link.to]!)\n"
        }
        return out
    }

    package static func dot(_ isms: ISMS, _ selection: Selection) -> String {
        func quote(_ text: String) -> String {
            "\""
                + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        var out = "digraph isms {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#5b6475\"];\n"
        for id in selection.ids {
            let (head, title) = label(id, isms)
            var attributes = "label=\(quote(head + (title.map { "\n" + $0 } ?? "")))"
            if let c = isms.record(id)?.kind.graphStyle {
                attributes += ", fillcolor=\(quote(c.fill)), color=\(quote(c.stroke))"
            } else {
                attributes += ", style=\"rounded,dashed\", color=\"#a1261b\", fontcolor=\"#a1261b\""
            }
            out += "  \(quote(SafeText.text(id))) [\(attributes)];\n"
        }
        for link in selection.links {
            out += "  \(quote(SafeText.text(link.from))) -> \(quote(SafeText.text(link.to))) [label=\(quote(SafeText.text(link.field)))];\n"
        }
        return out + "}\n"
    }
}
