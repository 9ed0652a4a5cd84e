/// A record's fields (or objects) by dotted path: an array sorted by path, searched by halving, with the reading
/// side of a Dictionary's interface (subscript, keys, values, mapValues, iteration as `(key:value:)` pairs).
/// A record has a few dozen fields at most; a Dictionary's table (a quarter to a half of its buckets empty, and
/// grown by doubling while the record is validated) cost more than a third of a loaded ISMS's memory
/// (docs/performance.md, "A loaded record in half the memory"). Iterates in path order.
public struct FieldMap<Value> {
    public typealias Element = (key: String, value: Value)
    /// Sorted by key, each key once. Every method is inlinable: unspecialised, a generic map made each caller in
    /// another module (the rules, the loader) copy entries through the runtime's generic witnesses.
    @usableFromInline var entries: ContiguousArray<Element>

    @inlinable
    public init() { entries = [] }

    /// Exactly as large as `dictionary`: a loaded record is not grown again.
    @inlinable
    public init(_ dictionary: [String: Value]) {
        var entries = ContiguousArray<Element>()
        entries.reserveCapacity(dictionary.count)
        for (key, value) in dictionary { entries.append((key, value)) }
        entries.sort { $0.key < $1.key }
        self.entries = entries
    }

    /// From entries in any order (as a record's validation meets them); a later entry of a key replaces an earlier
    /// one, as assigning into a Dictionary does. Exactly as large as `entries`.
    @inlinable
    package init(unsorted entries: [Element]) {
        var sorted = ContiguousArray(entries)
        sorted.sort { $0.key < $1.key }
        var index = 1
        while index < sorted.count, sorted[index - 1].key != sorted[index].key { index += 1 }
        if index < sorted.count {
            self = FieldMap([String: Value](entries, uniquingKeysWith: { _, last in last }))
        } else {
            self.entries = sorted
        }
    }

    /// Where `key` is, or where it would be inserted.
    @inlinable func position(of key: String) -> (index: Int, found: Bool) {
        entries.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return (0, false) }
            var low = 0, high = buffer.count
            while low < high {
                let middle = (low + high) / 2
                let candidate = Self.key(at: base + middle)
                if candidate == key { return (middle, true) }
                if candidate < key { low = middle + 1 } else { high = middle }
            }
            return (low, false)
        }
    }

    /// The key alone, the entry's first member (at its start): reading `entries[i].key` copied the whole entry,
    /// retaining and releasing the value's storage.
    @inlinable static func key(at entry: UnsafePointer<Element>) -> String {
        UnsafeRawPointer(entry).load(as: String.self)
    }

    @inlinable
    public subscript(key: String) -> Value? {
        get {
            let (index, found) = position(of: key)
            return found ? entries[index].value : nil
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): entries[index].value = value
            case (true, nil): entries.remove(at: index)
            case (false, let value?):
                // One more slot, not double: a loaded record gains a field rarely (a document's body).
                if entries.count == entries.capacity { entries.reserveCapacity(entries.count + 1) }
                entries.insert((key, value), at: index)
            case (false, nil): break
            }
        }
    }

    @inlinable
    public var count: Int { entries.count }
    @inlinable
    public var isEmpty: Bool { entries.isEmpty }
    @inlinable
    public var keys: Keys { Keys(entries: entries) }
    @inlinable
    public var values: Values { Values(entries: entries) }

    /// A Dictionary, as `Dictionary.mapValues` gives.
    @inlinable
    public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> [String: T] {
        var result = [String: T](minimumCapacity: entries.count)
        for entry in entries { result[entry.key] = try transform(entry.value) }
        return result
    }

    public struct Keys: RandomAccessCollection {
        @usableFromInline let entries: ContiguousArray<(key: String, value: Value)>
        @inlinable init(entries: ContiguousArray<(key: String, value: Value)>) { self.entries = entries }
        @inlinable
        public var startIndex: Int { 0 }
        @inlinable
        public var endIndex: Int { entries.count }
        @inlinable
        public subscript(position: Int) -> String {
            precondition(position >= 0 && position < entries.count, "FieldMap.Keys: index out of range")
            return entries.withUnsafeBufferPointer { FieldMap.key(at: $0.baseAddress! + position) }
        }
    }

    public struct Values: RandomAccessCollection {
        @usableFromInline let entries: ContiguousArray<(key: String, value: Value)>
        @inlinable init(entries: ContiguousArray<(key: String, value: Value)>) { self.entries = entries }
        @inlinable
        public var startIndex: Int { 0 }
        @inlinable
        public var endIndex: Int { entries.count }
        @inlinable
        public subscript(position: Int) -> Value { entries[position].value }
    }
}

extension FieldMap: Sequence {
    @inlinable
    public func makeIterator() -> IndexingIterator<ContiguousArray<Element>> { entries.makeIterator() }
    @inlinable
    public var underestimatedCount: Int { entries.count }
}

extension FieldMap: ExpressibleByDictionaryLiteral {
    @inlinable
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init([String: Value](uniqueKeysWithValues: elements))
    }
}

extension FieldMap: Equatable where Value: Equatable {
    @inlinable
    public static func == (a: FieldMap, b: FieldMap) -> Bool {
        a.entries.elementsEqual(b.entries) { $0.key == $1.key && $0.value == $1.value }
    }
}

extension FieldMap: Hashable where Value: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}

extension FieldMap: Sendable where Value: Sendable {}
extension FieldMap.Keys: Sendable where Value: Sendable {}
extension FieldMap.Values: Sendable where Value: Sendable {}
