import Foundation
import XCTest

@testable import ISMSKit

/// The digests isms prints, now swift-crypto's: SHA-256 as missing-artifact's sha256 check and the cache keys spell it
/// (FIPS 180-4 / NIST vectors), and the SHA-1 behind name-based UUIDs (RFC 9562 vectors).
final class SHA256Tests: XCTestCase {
    func testEmptyInput() {
        XCTAssertEqual(SHA256.hex(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testABC() {
        XCTAssertEqual(SHA256.hex(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// 56 bytes: the padding no longer fits the block, so a second one is needed.
    func testTwoBlockMessage() {
        XCTAssertEqual(
            SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// One million 'a': many whole blocks before the tail.
    func testMillionA() {
        XCTAssertEqual(
            SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The pattern JSON Schema gives a `sha256` field accepts exactly what `hex` writes.
    func testHexPatternMatchesHex() throws {
        let pattern = try Pattern(SHA256.hexPattern)
        XCTAssertTrue(pattern.matches(SHA256.hex(Data("abc".utf8))))
        XCTAssertFalse(pattern.matches(SHA256.hex(Data("abc".utf8)).uppercased()))
    }

    func testLowercaseHex() {
        XCTAssertEqual(lowercaseHex([]), "")
        XCTAssertEqual(lowercaseHex([0x00, 0x0f, 0xa0, 0xff]), "000fa0ff")
    }

    /// RFC 9562 (and RFC 4122's errata) DNS namespace vectors, as Python's `uuid.uuid5(uuid.NAMESPACE_DNS, name)` gives them.
    func testUUIDv5KnownVectors() {
        let dns = UUIDv5(bytes: [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8])
        XCTAssertEqual(UUIDv5(namespace: dns, name: "www.example.com").description, "2ed6657d-e927-568b-95e1-2665a8aea6a2")
        XCTAssertEqual(UUIDv5(namespace: dns, name: "python.org").description, "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        XCTAssertEqual(
            UUIDv5(namespace: .urlNamespace, name: "https://example.com/").description,
            "dd2c1780-811a-5296-81c5-178a0ef488bc")
    }
}
