import GitKit
import ISMSCore
import ISMSModel

/// A reference to a record of another kind than the field expects.
public struct WrongLinkKindRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "wrong-link-kind",
        severity: .error,
        summary: "A reference points to a record of the wrong kind.",
        rationale:
            "A risk's controls must be controls, a control's satisfies must be obligations: a link of the wrong kind breaks the chain as surely as a missing one.",
        fix: "Point the field at a record of the kind it expects.",
        failing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\ncontrols: [ASSET-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            ("assets/asset-1.yaml", "id: ASSET-1\ntitle: Laptops\nowner: alice\n"),
        ]),
        passing: RuleExample([
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nassets: [ASSET-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Disk encryption\nowner: alice\nstatus: planned\ndue: 2027-03-01\n"),
            ("assets/asset-1.yaml", "id: ASSET-1\ntitle: Laptops\nowner: alice\n"),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.links.compactMap { link in
            guard let target = context.record(link.to), !link.expected.contains(target.kind) else { return nil }
            let expected = link.expected.map(\.rawValue).joined(separator: " or ")
            return Self.finding(
                "\(link.field) must refer to \(withIndefiniteArticle(expected)), but \(link.to) is \(withIndefiniteArticle(target.kind.rawValue))",
                path: link.path, at: link.location, record: link.from, field: link.field)
        }
    }
}
