import Foundation

/// A string compared byte for byte.
///
/// Swift's `String` equality, hashing and ordering are canonical: `"café"` spelled with `é` (NFC) equals
/// `"café"` spelled with `e` and a combining accent (NFD). Git paths are bytes, so those are two files, and a
/// dictionary keyed by `String` would silently keep one of them (a record `check --rev` never reads). Paths
/// that identify files are keyed by this type.
public struct ExactString: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let string: String

    public init(_ string: String) { self.string = string }

    /// On the contiguous bytes (`memcmp`): `elementsEqual` over the UTF-8 views goes a byte at a time through their
    /// iterators, and every lookup of a path in a dictionary ends in one comparison.
    public static func == (a: ExactString, b: ExactString) -> Bool {
        var a = a.string, b = b.string
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        var copy = string
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Byte order (git's order of names).
    /// (On the strings' contiguous bytes: `lexicographicallyPrecedes` over the UTF-8 views, a byte at a time
    /// through their iterators, was most of the time to list the 2,000 records of a commit; `memcmp`, which
    /// compares unsigned bytes, passes the long prefixes paths share faster than a loop.)
    public static func < (a: ExactString, b: ExactString) -> Bool {
        var a = a.string, b = b.string
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let order = memcmp(p, q, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }

    public var description: String { string }
}

extension String {
    /// Byte-wise equality, where `==` is canonical equivalence.
    package func isExactly(_ other: String) -> Bool { ExactString(self) == ExactString(other) }
}
