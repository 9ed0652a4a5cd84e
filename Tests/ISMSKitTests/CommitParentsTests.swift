import Foundation
import GitKit
import ISMSKit
import XCTest

@testable import ISMSHistory

/// A commit's parents held inline up to two (`CommitParents`): every count a graph holds comes back whole and in order.
final class CommitParentsTests: XCTestCase {
    /// It fails when a root gets a parent, a second parent or a third and later one of an octopus merge is lost, or the
    /// order changes (the first parent is the one a merge is compared with).
    func testEveryParentComesBackInOrder() {
        for parents: [Int32] in [[], [0], [7], [3, 0], [0, 3], [9, 4, 2], [1, 2, 3, 4, 5, 6, 7, 8]] {
            let node = CommitNode(
                id: ObjectID(hex: String(repeating: "ab", count: 20))!, parents: parents, isShallowBoundary: false, committerTime: 0)
            XCTAssertEqual(Array(node.parents), parents)
            XCTAssertEqual(node.parents.count, parents.count)
            XCTAssertEqual(node.parents.first, parents.first)
            XCTAssertEqual(Array(node.parents.dropFirst()), Array(parents.dropFirst()))
            XCTAssertEqual(node.parents.isEmpty, parents.isEmpty)
        }
    }
}
