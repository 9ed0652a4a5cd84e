import Foundation
import ISMSKit
import XCTest

@testable import ISMSHistory

/// The record tracking's cheaper paths (issue 16, seventh round) against the plain ones they replace: a state changed
/// in place and split into shards, and strings interned through a table of their own, give exactly what removing and
/// inserting records in whole dictionaries, and a dictionary of exact strings, gave.
final class TrackingStateTests: XCTestCase {
    /// Random commits' operations, applied to a `HistoryState` and to a model of the transition as it was written before
    /// (every old path removed, then every new path inserted, in plain dictionaries): the same records, paths of each
    /// id and gone ids after every commit. The operations keep ids at their paths (changed in place), swap paths,
    /// name one path twice, change ids in place, duplicate ids, and spell paths and ids in both Unicode forms. A state
    /// copied before a commit (a branch point's, shared by both branches) is unchanged by it.
    func testApplyingOperationsGivesWhatRemovingAndInsertingGave() {
        var random = Generator(state: 16)
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let paths = ["risks/a.yaml", "risks/b.yaml", "risks/\(composed).yaml", "risks/\(decomposed).yaml", "controls/c.yaml"]
        let ids = ["RISK-1", "RISK-2", "RISK-\(composed)", "RISK-\(decomposed)", "CTRL-1"]
        let events = HistoryEvent.allCases
        let values: [FieldValue?] = [nil, .string(composed), .string(decomposed), .integer(3), .boolean(true)]
        var state = HistoryState()
        var model = Model()
        var inPlace = 0
        for commit in 0..<3000 {
            var ops = [RecordOp]()
            for _ in 0..<(1 + random.next(4)) {
                // Mostly a record kept at its path under the id it has (the common change, applied in place).
                let path = paths[random.next(paths.count)]
                let keep = random.next(2) == 0
                let oldPath: String? = random.next(5) == 0 ? nil : path
                let newPath: String? = keep ? oldPath : (random.next(5) == 0 ? nil : paths[random.next(paths.count)])
                let held = oldPath.flatMap { model.byPath[ExactString($0)]?.id }
                let oldID = keep ? held ?? ids[random.next(ids.count)] : ids[random.next(ids.count)]
                let newID: String? = newPath == nil ? nil : (keep ? oldID : ids[random.next(ids.count)])
                let fields = (0..<random.next(4)).map { _ in
                    FieldOp(
                        field: ["title", "owner", "likelihood"][random.next(3)], old: nil, new: values[random.next(values.count)],
                        attribution: Int32(commit - random.next(3)))
                }
                if keep, oldPath != nil, held != nil { inPlace += 1 }
                ops.append(
                    RecordOp(
                        event: events[random.next(events.count)], ownEvent: true, kind: .risk, oldID: oldID, newID: newID,
                        oldPath: oldPath, newPath: newPath, fields: fields))
            }
            let branch = state, branchDescription = describe(state)
            state.apply(ops)
            model.apply(ops)
            XCTAssertEqual(describe(state), model.description(ids: ids), "commit \(commit): \(ops)")
            XCTAssertEqual(describe(branch), branchDescription, "commit \(commit): the copy taken before is unchanged")
            if describe(state) != model.description(ids: ids) { return }
        }
        XCTAssertGreaterThan(inPlace, 1000, "the operations kept records at their paths")
    }

    /// Strings are interned byte for byte (two spellings Swift deems equal are two strings) and numbered in the order
    /// first met, from the table's base, across the growth of its slots: what a dictionary of exact strings gave, so
    /// the history cache's bytes do not change.
    func testStringsAreInternedByteForByteInTheOrderFirstMet() {
        var random = Generator(state: 9)
        var table = StringTable(base: 5)
        var expected = [ExactString: Int]()
        var order = [String]()
        let pieces = ["", "a", "caf\u{E9}", "cafe\u{301}", "risks/RISK-", ".yaml", "\u{1F600}", "a much longer path segment/"]
        for _ in 0..<20_000 {
            let text = (0..<random.next(4)).map { _ in pieces[random.next(pieces.count)] }.joined() + String(random.next(400))
            let known = expected[ExactString(text)]
            let index = table.index(text)
            if let known {
                XCTAssertEqual(index, known, text)
            } else {
                XCTAssertEqual(index, 5 + order.count, text)
                expected[ExactString(text)] = index
                order.append(text)
            }
        }
        // Every string again, after every growth of the table: its first number.
        for (i, text) in order.enumerated() { XCTAssertEqual(table.index(text), 5 + i, text) }
        XCTAssertEqual(table.index("caf\u{E9}"), table.index("caf\u{E9}"))
        XCTAssertNotEqual(table.index("caf\u{E9}"), table.index("cafe\u{301}"))
        XCTAssertEqual(table.index(""), table.index(""))
        XCTAssertEqual(Array(table.list.prefix(order.count)).map { Array($0.utf8) }, order.map { Array($0.utf8) })
    }

    /// A state as text: every record byte for byte (path, id, kind, fields in name order), the paths of every id, the
    /// gone ids.
    private func describe(_ state: HistoryState) -> String {
        Model.describe(
            records: state.byPath.map { ($0.key, $0.value) }, paths: { state.pathsOfID[$0] }, gone: state.gone,
            ids: ["RISK-1", "RISK-2", "RISK-caf\u{E9}", "RISK-cafe\u{301}", "CTRL-1"])
    }

    /// The transition as `HistoryState.apply` was written before it changed records in place.
    private struct Model {
        var byPath = [ExactString: TrackedRecord]()
        var pathsOfID = [String: [ExactString]]()
        var gone = Set<String>()

        mutating func remove(_ path: ExactString) -> TrackedRecord? {
            guard let record = byPath.removeValue(forKey: path) else { return nil }
            if var paths = pathsOfID[record.id] {
                paths.removeAll { $0 == path }
                pathsOfID[record.id] = paths.isEmpty ? nil : paths
            }
            return record
        }

        mutating func insert(_ record: TrackedRecord, at path: ExactString) {
            if byPath[path] != nil { _ = remove(path) }
            byPath[path] = record
            var paths = pathsOfID[record.id] ?? []
            paths.insert(path, at: paths.firstIndex { $0 > path } ?? paths.count)
            pathsOfID[record.id] = paths
        }

        mutating func apply(_ ops: [RecordOp]) {
            var carried = [[String: Attributed]?](repeating: nil, count: ops.count)
            for (i, op) in ops.enumerated() {
                if let oldPath = op.oldPath { carried[i] = remove(ExactString(oldPath))?.fields }
            }
            for (i, op) in ops.enumerated() {
                guard let newPath = op.newPath, let newID = op.newID else { continue }
                var fields = carried[i] ?? [:]
                for change in op.fields {
                    fields[change.field] = change.new.map { Attributed(value: $0, commit: change.attribution) }
                }
                insert(TrackedRecord(id: newID, kind: op.kind, fields: fields), at: ExactString(newPath))
            }
            for op in ops {
                if let newID = op.newID { gone.remove(newID) }
                if op.event == .deleted, let oldID = op.oldID, pathsOfID[oldID] == nil { gone.insert(oldID) }
            }
        }

        func description(ids: [String]) -> String {
            Self.describe(records: byPath.map { ($0.key, $0.value) }, paths: { pathsOfID[$0] }, gone: gone, ids: ids)
        }

        static func describe(
            records: [(ExactString, TrackedRecord)], paths: (String) -> [ExactString]?, gone: Set<String>, ids: [String]
        ) -> String {
            func bytes(_ s: String) -> String { s.utf8.map { String($0) }.joined(separator: ".") }
            let lines = records.sorted { $0.0 < $1.0 }.map { path, record in
                "\(bytes(path.string)) \(bytes(record.id)) \(record.kind) "
                    + record.fields.sorted { ExactString($0.key) < ExactString($1.key) }
                    .map { "\($0.key)=\($0.value.value):\($0.value.commit)" }.joined(separator: ",")
            }
            let byID = ids.map { id in "\(bytes(id)) -> " + (paths(id)?.map { bytes($0.string) }.joined(separator: " ") ?? "-") }
            return (lines + byID + ["gone " + gone.map(bytes).sorted().joined(separator: " ")]).joined(separator: "\n")
        }
    }

    /// A small deterministic generator, so a failure can be replayed.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }
}
