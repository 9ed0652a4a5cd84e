import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// isms.yaml parsed once per blob: a history command reads it for the engine's limits, for the trusted keys' paths
/// and for the roster that names signers, and those are one blob when they read one revision.
package final class ParsedSettings: Sendable {
    private let parsed = Locked<[ObjectID: Result<Config, ToolError>]>([:])

    package init() {}

    /// The settings in the isms.yaml blob `blob` (values only: rule names are not judged), parsed on the first ask;
    /// `data` reads the blob then. A blob that does not parse throws the same error on every ask.
    package func config(blob: ObjectID, data: () throws -> Data) throws -> Config {
        if let known = parsed.withLock({ $0[blob] }) { return try known.get() }
        let bytes = try data()
        let result = Result { () throws(ToolError) in try ConfigReader.read(bytes, path: "isms.yaml", ruleIDs: nil).0 }
        parsed.withLock { $0[blob] = result }
        return try result.get()
    }

    /// The settings in the regular file isms.yaml of the tree `root`; nil when it is absent, over the size limit
    /// (never inflated) or does not parse; an object that cannot be read throws.
    package func config(inRoot root: ObjectID, of repository: Repository) throws -> Config? {
        guard let entry = try repository.entry(named: "isms.yaml", in: root), entry.mode == .file || entry.mode == .executable,
            try repository.objectSize(entry.id) <= Limits.configBytes
        else { return nil }
        do { return try config(blob: entry.id) { try repository.readObject(entry.id) } } catch is ToolError { return nil }
    }
}
