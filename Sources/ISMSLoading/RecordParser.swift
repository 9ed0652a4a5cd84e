import Foundation
import ISMSModel

/// Turns the bytes of one record file into a `Record`, exactly as `isms check` does: the YAML tree from
/// `YAMLReader` (with the configured limits), then the kind's schema. The checker and the history both
/// read records through here, so a value means the same in both.
public enum RecordParser {
    /// `content` is the file's bytes, or why they could not be read (such as over the size limit).
    /// The record is nil when the file is not YAML or has no id; the findings say why.
    public static func parse(_ content: Result<Data, YAMLProblem>, kind: RecordKind, path: String,
                             config: Config) -> (record: Record?, findings: [Finding]) {
        let reader = YAMLReader(maxBytes: config.maxFileBytes, maxDepth: config.maxDepth)
        let node: YAMLNode
        switch content.flatMap({ reader.read($0) }) {
        case .success(let n): node = n
        case .failure(let problem):
            return (nil, [Finding(rule: LoadStage.parseError.id, severity: LoadStage.parseError.severity, message: problem.message,
                                  path: path, location: problem.location, record: nil)])
        }
        var validator = RecordValidator(kind: kind, path: path, config: config)
        let record = validator.validate(node)
        return (record, validator.findings)
    }

    public static func parse(_ data: Data, kind: RecordKind, path: String, config: Config) -> (record: Record?, findings: [Finding]) {
        parse(.success(data), kind: kind, path: path, config: config)
    }
}
