import GitKit
import ISMSLoading
import ISMSModel

/// Evidence whose file is not in the ISMS, or no longer the file that was recorded.
public struct MissingArtifactRule: Rule {
    public init() {}
    public static let definition = RuleDescription(
        id: "missing-artifact",
        severity: .error,
        summary: "Evidence whose location is a path with no regular file under the ISMS root, or whose file does not match its sha256.",
        rationale: """
            Evidence is the answer to "what proves it happened", and an auditor will open it. A record that \
            points to a file that is not there proves nothing, and a file whose SHA-256 differs from the one \
            recorded was changed after the fact. Paths are relative to the ISMS root; a path that climbs out of \
            it or passes through a symbolic link is not followed. Locations with a URL scheme (https://…) are not \
            checked.
            """,
        fix:
            "Commit the file at the recorded location, correct the location, or record the file's current sha256 if the change was legitimate.",
        failing: RuleExample([
            (
                "evidence/restore-2026-11.yaml",
                """
                id: EV-restore-2026-11
                title: November restore test
                control: CTRL-1
                collected_on: 2026-11-20
                result: pass
                location: artifacts/restore-2026-11.txt

                """
            ),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backup restore test\nowner: alice\nstatus: operating\nevery: yearly\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Data loss\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
        ]),
        passing: RuleExample([
            (
                "evidence/restore-2026-11.yaml",
                """
                id: EV-restore-2026-11
                title: November restore test
                control: CTRL-1
                collected_on: 2026-11-20
                result: pass
                location: artifacts/restore-2026-11.txt
                sha256: 7aa4d1bb806658e554b433b6e01e5255fa43938d73345060bacfdfba53a84188

                """
            ),
            ("controls/ctrl-1.yaml", "id: CTRL-1\ntitle: Backup restore test\nowner: alice\nstatus: operating\nevery: yearly\n"),
            (
                "risks/risk-1.yaml",
                "id: RISK-1\ntitle: Data loss\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-1]\nreview: {last: 2026-06-01, every: yearly}\n"
            ),
            ("artifacts/restore-2026-11.txt", "Restore of db-prod to staging: 42 tables, checksums match.\n"),
        ])
    )

    public func check(_ context: RuleContext) -> [Finding] {
        context.records(.evidence).compactMap { evidence in
            guard let location = evidence.string("location"), !location.contains("://") else { return nil }
            guard normalisedRelativePath(location) != nil else {
                return finding(
                    "location '\(location)' of \(evidence.id) is not a path inside the ISMS root", in: evidence, field: "location")
            }
            // U+FFFD stands for any byte of a file name that is not UTF-8: git holds `\xFE` and `\xFF` as two files
            // that a commit's tree reads as one such name (and the work tree as none), so the path names no one file.
            if FileName.isUndecodable(location) {
                return finding(
                    "location '\(location)' of \(evidence.id) spells U+FFFD, which stands for any file name byte that is not "
                        + "UTF-8, so it names no one file; name the file in UTF-8 and record that name",
                    in: evidence, field: "location")
            }
            guard let data = context.artifacts.artifact(at: location) else {
                return finding(
                    "location '\(location)' of \(evidence.id) is not a regular file under the ISMS root "
                        + "(missing, or reached through a symbolic link, which is not followed)",
                    in: evidence, field: "location")
            }
            guard let recorded = evidence.string("sha256") else { return nil }
            let actual = SHA256.hex(data)
            guard actual != recorded else { return nil }
            return finding(
                "'\(location)' has SHA-256 \(actual), not the sha256 recorded in \(evidence.id) (\(recorded)): "
                    + "the file changed after it was recorded", in: evidence, field: "sha256")
        }
    }
}
