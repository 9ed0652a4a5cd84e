import ISMSCore

/// What a history keeps of each commit it read (its author, committer, summary and whether it carries a
/// signature), one column per fact: on a million commits a `Commit` value, its strings and its parents' array
/// per commit were the largest part of a cold read's memory. Each distinct name and address is held once (byte
/// for byte: two spellings of one name that Unicode deems equal stay two); summaries are one run of UTF-8 bytes.
public struct CommitFacts: Sendable {
    /// The distinct (name, e-mail) pairs, by first appearance.
    private var people: [Person] = []
    private var personIndex: [Person: Int32] = [:]
    private var authors: [Int32] = [], committers: [Int32] = []
    private var authorTimes: [Int64] = [], committerTimes: [Int64] = []
    private var authorOffsets: [Int32] = [], committerOffsets: [Int32] = []
    /// Commit i's summary is `summaryBytes[summaryEnds[i - 1]..<summaryEnds[i]]` (from 0 for the first).
    private var summaryBytes: [UInt8] = [], summaryEnds: [Int] = []
    /// 1: carries a signature header, 0: not, -1: not known (`Commit.carriesSignature`).
    private var signatures: [Int8] = []

    private struct Person: Hashable, Sendable {
        let name: ExactString
        let email: ExactString
    }

    public init() {}

    public var count: Int { authors.count }

    public mutating func append(author: GitIdentity, committer: GitIdentity, summary: String, carriesSignature: Bool?) {
        authors.append(person(author))
        committers.append(person(committer))
        authorTimes.append(author.time)
        committerTimes.append(committer.time)
        authorOffsets.append(Int32(clamping: author.offsetMinutes))
        committerOffsets.append(Int32(clamping: committer.offsetMinutes))
        summaryBytes.append(contentsOf: summary.utf8)
        summaryEnds.append(summaryBytes.count)
        signatures.append(carriesSignature.map { $0 ? 1 : 0 } ?? -1)
    }

    private mutating func person(_ identity: GitIdentity) -> Int32 {
        let person = Person(name: ExactString(identity.name), email: ExactString(identity.email))
        if let known = personIndex[person] { return known }
        let index = Int32(people.count)
        people.append(person)
        personIndex[person] = index
        return index
    }

    /// Drops what only appending needs (the index of people).
    public mutating func finishAppending() {
        personIndex = [:]
        summaryBytes.reserveCapacity(0)
    }

    public func author(_ i: Int) -> GitIdentity {
        identity(people[Int(authors[i])], time: authorTimes[i], offset: authorOffsets[i])
    }

    public func committer(_ i: Int) -> GitIdentity {
        identity(people[Int(committers[i])], time: committerTimes[i], offset: committerOffsets[i])
    }

    public func committerTime(_ i: Int) -> Int64 { committerTimes[i] }

    public func summary(_ i: Int) -> String {
        String(decoding: summaryBytes[(i == 0 ? 0 : summaryEnds[i - 1])..<summaryEnds[i]], as: UTF8.self)
    }

    public func carriesSignature(_ i: Int) -> Bool? { signatures[i] < 0 ? nil : signatures[i] == 1 }

    private func identity(_ person: Person, time: Int64, offset: Int32) -> GitIdentity {
        GitIdentity(name: person.name.string, email: person.email.string, time: time, offsetMinutes: Int(offset))
    }

    /// Puts commit `order[p]` at place p, a column at a time.
    public mutating func permute(by order: [Int32]) {
        func gather<T>(_ column: inout [T]) { column = order.map { column[Int($0)] } }
        gather(&authors)
        gather(&committers)
        gather(&authorTimes)
        gather(&committerTimes)
        gather(&authorOffsets)
        gather(&committerOffsets)
        gather(&signatures)
        var bytes = [UInt8](), ends = [Int]()
        bytes.reserveCapacity(summaryBytes.count)
        ends.reserveCapacity(order.count)
        for i in order {
            let i = Int(i)
            bytes.append(contentsOf: summaryBytes[(i == 0 ? 0 : summaryEnds[i - 1])..<summaryEnds[i]])
            ends.append(bytes.count)
        }
        summaryBytes = bytes
        summaryEnds = ends
    }
}
