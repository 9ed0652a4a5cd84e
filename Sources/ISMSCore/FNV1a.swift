/// 64-bit FNV-1a: a stable, non-cryptographic hash for cache file names and keys, SARIF fingerprints and layout
/// fingerprints. Stable across runs and machines, which Swift's per-process seeded `Hasher` is not.
@inlinable
package func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var hash: UInt64 = 0xcbf29ce484222325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
    return hash
}
