import Foundation

/// Input limits, documented in docs/format.md and settable under `limits:` in isms.yaml.
public enum Limits {
    public static let defaultFileBytes = 1_048_576
    public static let defaultDepth = 32
    /// The most record files `isms check` reads (tried: 100,000 in 10 s and 0.5 GB; docs/reliability.md).
    public static let defaultRecords = 250_000
    /// The most commits the history reads from a revision (tried: docs/reliability.md).
    public static let defaultCommits = 1_000_000
    /// The deepest folder nesting read from a git tree: git's own `core.maxTreeDepth` default, so no tree git
    /// itself accepts is refused. The walks are iterative and do not need it to stay on the stack; it bounds
    /// the length of paths and the work a hostile tree can ask for.
    public static let defaultTreeDepth = 4_096
    /// The record bytes one history run may parse (1 GiB): the history reads every version of every record,
    /// and 200 versions of a 1 MiB record pack into 252 KB, so without an aggregate bound a small repository
    /// costs minutes and hundreds of MB.
    public static let defaultHistoryBytes = 1_073_741_824
    /// What isms.yaml may set `limits.file_bytes`, `limits.depth`, `limits.records`, `limits.commits`,
    /// `limits.tree_depth` and `limits.history_bytes` to.
    public static let fileBytesRange = 1_024...1_073_741_824
    public static let depthRange = 4...64
    public static let recordsRange = 1...10_000_000
    public static let commitsRange = 1...100_000_000
    public static let treeDepthRange = 1...65_536
    public static let historyBytesRange = 1_024...1_099_511_627_776
    /// The largest keyed cache file (base findings, reassessment answers, path changes, path blobs) read back: 40
    /// bytes a commit for 6 million commits; a larger file is passed over (the run is only slower).
    public static let cacheFileBytes = 268_435_456
    /// isms.yaml itself: not settable (it is where the settings are), checked before it is read.
    public static let configBytes = 1_048_576
}
