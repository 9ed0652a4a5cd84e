import ArgumentParser
import ISMSKit
import ISMSModel
import ISMSOutput
import ISMSRules

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule with its default severity.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @Option(help: "Output format: text, json, or markdown (the source of docs/rules.md).")
    var format: Format = .text

    func run() throws {
        switch format {
        case .text:
            let width = RuleRegistry.all.map { type(of: $0).id.count }.max() ?? 0
            for rule in RuleRegistry.all {
                let d = rule.definition
                Terminal.write(
                    d.id.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                        + d.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + d.summary + "\n")
            }
        case .json:
            struct Item: Encodable { let id, severity, summary, rationale, fix: String }
            let items = RuleRegistry.all.map { r in
                Item(
                    id: r.definition.id, severity: r.definition.severity.rawValue, summary: r.definition.summary,
                    rationale: r.definition.rationale, fix: r.definition.fix)
            }
            Terminal.write(JSONOutput.encode(RulesDocument(rules: items)) + "\n")
        case .markdown:
            Terminal.write(RuleDocs.markdown())
        }
    }
}

private struct RulesDocument<T: Encodable>: Encodable {
    let version = 1
    let rules: [T]
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a rule: why it matters, a failing example and the fix.")

    // A list rather than an enum, so that a misspelt rule still gets "did you mean".
    @Argument(help: "The rule id, such as untraced-control.", completion: .list(RuleRegistry.all.map { type(of: $0).id }))
    var rule: String

    func run() throws {
        guard let found = RuleRegistry.rule(rule) else {
            var message = "unknown rule '\(rule)'"
            if let close = closest(to: rule, in: RuleRegistry.all.map { type(of: $0).id }) { message += "; did you mean '\(close)'?" }
            throw ToolError.invalidArgument(message + " (isms rules lists them)")
        }
        Terminal.write(RuleDocs.explanation(found.definition))
    }
}
