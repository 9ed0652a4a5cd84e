import GitKit
import ISMSModel

/// An exception that runs longer than the risk method allows.
public struct ExceptionTooLongRule: Rule {
    public init() {}

    package static func exception(expires: String) -> (String, String) {
        (
            "exceptions/exc-1.yaml",
            """
            id: EXC-1
            title: Legacy VPN without MFA
            owner: alice
            risk: RISK-1
            reason: The vendor ships MFA support in the next release.
            requested_by: bob
            approved_by: carol
            approved_on: 2026-10-01
            expires: \(expires)

            """
        )
    }
    package static let risk = exampleRisk("likelihood: 2\nimpact: 2\ntreatment: avoid\n")

    public static let definition = RuleDescription(
        id: "exception-too-long",
        severity: .error,
        summary:
            "An exception whose expires lies further after approved_on (else the day judged) than risk_method.max_exception_days allows (default 730).",
        rationale: """
            An exception is a time-boxed permission to deviate; one that runs for a decade is a permanent change of the \
            control, made without treating the risk. The risk method sets the longest exception per level of the risk \
            concerned (the exception's risk, else the highest of the risks its control reduces); by default two years. \
            Without approved_on the period counts from the day judged.
            """,
        fix: "Shorten expires to within the limit, or treat the deviation as a change of the control and its risks.",
        failing: RuleExample([exception(expires: "2036-01-01"), risk]),
        passing: RuleExample([exception(expires: "2027-03-31"), risk])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        let method = context.method
        return context.records(.exception).compactMap { exception in
            guard let expires = exception.date("expires") else { return nil }
            let start = exception.date("approved_on") ?? context.asOf
            let level = context.level(ofException: exception)
            let limit = method.maxException(level: level)
            let days = start.days(until: expires)
            guard days > limit else { return nil }
            let from = exception.date("approved_on") != nil ? "approved on \(start)" : "as of \(start)"
            let at = level.map { " at level \(method.levelName($0))" } ?? ""
            return finding(
                "exception \(exception.id) runs \(days) days (\(from), expires \(expires)); the risk method allows \(limit)\(at)",
                in: exception, field: "expires")
        }
    }
}
