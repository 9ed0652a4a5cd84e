import Foundation
import ISMSHistory

/// What `isms history` and `isms log` show of one change: a record's (`HistoryEntry`) or isms.yaml's (`SettingEntry`).
public protocol HistoryItem: Sendable {
    var commit: CommitInfo { get }
    var record: String { get }
    var path: String { get }
    var oldPath: String? { get }
    var oldID: String? { get }
    var event: HistoryEvent { get }
    var changes: [FieldChange] { get }
}

extension HistoryEntry: HistoryItem {}

extension SettingEntry: HistoryItem {
    public var record: String { Self.path }
    public var path: String { Self.path }
    public var oldPath: String? { nil }
    public var oldID: String? { nil }
    public var event: HistoryEvent { .modified }
}

/// One entry of `isms log`: a record's change or a change to the ISMS decisions in isms.yaml.
public enum LogItem: HistoryItem {
    case recordChange(HistoryEntry)
    case settingChange(SettingEntry)

    package var item: any HistoryItem {
        switch self {
        case .recordChange(let entry): return entry
        case .settingChange(let entry): return entry
        }
    }
    public var commit: CommitInfo { item.commit }
    public var record: String { item.record }
    public var path: String { item.path }
    public var oldPath: String? { item.oldPath }
    public var oldID: String? { item.oldID }
    public var event: HistoryEvent { item.event }
    public var changes: [FieldChange] { item.changes }
}
