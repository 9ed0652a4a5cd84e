import GitKit
import ISMSModel

/// An exception past its expiry date.
public struct ExpiredExceptionRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "expired-exception",
        severity: .error,
        summary: "An exception whose expires date has passed.",
        rationale: """
            An exception is a time-boxed permission not to operate a control (or to carry a risk) as designed. \
            Past its expiry it permits nothing: either the control is back in operation, and the exception should \
            be closed, or the deviation continues without approval, which an auditor reports as a nonconformity. \
            An exception is still valid on its expiry day.
            """,
        fix: "Close the exception (delete the record or move it to an archive), or have it re-approved with a new expires.",
        failing: RuleExample([
            (
                "exceptions/exc-1.yaml",
                "id: EXC-1\ntitle: Legacy VPN without MFA\nowner: alice\nrisk: RISK-1\napproved_by: carol\nexpires: 2026-10-31\n"
            ),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Remote access compromise\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
        ]),
        passing: RuleExample([
            (
                "exceptions/exc-1.yaml",
                "id: EXC-1\ntitle: Legacy VPN without MFA\nowner: alice\nrisk: RISK-1\napproved_by: carol\nexpires: 2027-03-31\n"
            ),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Remote access compromise\nowner: alice\ntreatment: avoid\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.exception).compactMap { exception in
            guard let expires = exception.date("expires"), expires < context.asOf else { return nil }
            return finding(
                "exception \(exception.id) (\(exception.title)) expired on \(expires), \(daysAgo(expires, asOf: context.asOf))",
                in: exception, field: "expires")
        }
    }
}
