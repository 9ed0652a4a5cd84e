import XCTest

@testable import ISMSKit

/// The pieces under the verifier: the commit object split, the allowed-signers format, times and patterns.
final class SignatureParsingTests: XCTestCase {
    let base = """
        tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904
        author A <a@example.com> 1700000000 +0100
        committer C <c@example.com> 1700000100 +0100
        """

    func testTheSignatureHeaderAndItsContinuationLinesAreTakenOutOfThePayload() {
        let object = base + "\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NI\n \n -----END SSH SIGNATURE-----\n\nMessage\n"
        let signed = SignedCommit(object: Array(object.utf8))
        XCTAssertEqual(signed.signature, "-----BEGIN SSH SIGNATURE-----\nU1NI\n\n-----END SSH SIGNATURE-----\n")
        XCTAssertEqual(String(decoding: signed.payload, as: UTF8.self), base + "\n\nMessage\n")
        XCTAssertEqual(signed.committerTime, 1_700_000_100)
        XCTAssertEqual(signed.committerEmail, "c@example.com")
    }

    func testOnlyTheHeadersAreSearched() {
        let object = base + "\n\nMessage\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NI\n"
        let signed = SignedCommit(object: Array(object.utf8))
        XCTAssertNil(signed.signature)
        XCTAssertEqual(signed.payload, Array(object.utf8))
    }

    func testTheOtherHashsSignatureIsLeftOutOfThePayloadAndUsedOnlyWhenAlone() {
        let both = base + "\ngpgsig SHA1SIG\n more\ngpgsig-sha256 SHA256SIG\n more256\n\nMessage\n"
        let signed = SignedCommit(object: Array(both.utf8))
        XCTAssertEqual(signed.signature, "SHA1SIG\nmore\n")
        XCTAssertEqual(String(decoding: signed.payload, as: UTF8.self), base + "\n\nMessage\n")
        let only = SignedCommit(object: Array((base + "\ngpgsig-sha256 SHA256SIG\n\nMessage\n").utf8))
        XCTAssertEqual(only.signature, "SHA256SIG\n")
        // A mergetag header stays in the payload: it is signed content.
        let tag = SignedCommit(object: Array((base + "\nmergetag object abc\n type commit\n\nMessage\n").utf8))
        XCTAssertNil(tag.signature)
        XCTAssertEqual(tag.payload.count, (base + "\nmergetag object abc\n type commit\n\nMessage\n").utf8.count)
    }

    /// The history notes whether a commit it reads has a signature header, and a verifier trusts a "no" without
    /// reading the commit again: the two must agree on every object.
    func testTheSignatureHeaderTestAgreesWithTheSplit() {
        let objects = [
            base + "\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NI\n -----END SSH SIGNATURE-----\n\nMessage\n",
            base + "\n\nMessage\ngpgsig -----BEGIN SSH SIGNATURE-----\n",
            base + "\ngpgsig-sha256 SHA256SIG\n\nMessage\n",
            base + "\nmergetag object abc\n gpgsig inside a tag\n\nMessage\n",
            base + "\ngpgsi\n\nMessage\n",
            base + "\ngpgsig",
            base + "\n\n",
            base,
            "gpgsig first\n",
            "",
            "\ngpgsig after the empty line\n",
        ]
        for object in objects {
            let bytes = Array(object.utf8)
            XCTAssertEqual(
                bytes.withUnsafeBufferPointer(RawCommit.hasSignatureHeader), SignedCommit(object: bytes).signature != nil,
                object.debugDescription)
        }
    }

    func testAllowedSignersLines() {
        let key = "AAAAC3NzaC1lZDI1NTE5AAAAIGt0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0"
        let text = """
            # comment

            alice@example.com ssh-ed25519 \(key) alice's laptop
            "bob@example.com,*@ops.example.com" namespaces="git,file",valid-after="20260101",valid-before=20261231235959Z ssh-ed25519 \(key)
            *@example.com cert-authority ssh-ed25519 \(key)
            carol@example.com no-such-option ssh-ed25519 \(key)
            dana@example.com valid-before=2026 ssh-ed25519 \(key)
            erin@example.com ssh-rsa \(key)
            frank@example.com ssh-ed25519 not-base64!
            """
        let signers = AllowedSigners(text: text, path: ".isms/allowed_signers")
        XCTAssertEqual(signers.entries.map(\.principals), [["alice@example.com"], ["bob@example.com", "*@ops.example.com"]])
        let bob = signers.entries[1]
        XCTAssertEqual(bob.namespaces, ["git", "file"])
        XCTAssertEqual(bob.validAfter, Int64(Day("2026-01-01")!.ordinal) * 86_400)
        XCTAssertEqual(bob.validBefore, Int64(Day("2026-12-31")!.ordinal) * 86_400 + 86_399)
        XCTAssertTrue(bob.allowsGit)
        XCTAssertEqual(signers.notes.count, 5, signers.notes.joined(separator: "\n"))
        XCTAssertTrue(signers.notes[0].hasPrefix(".isms/allowed_signers:5: cert-authority keys are not supported"), signers.notes[0])
        XCTAssertTrue(signers.notes[1].contains("unknown option no-such-option"), signers.notes[1])
        XCTAssertTrue(signers.notes[2].contains("valid-before must be YYYYMMDD"), signers.notes[2])
        XCTAssertTrue(signers.notes[3].contains("is not a ssh-rsa key"), signers.notes[3])
    }

    func testPatternListsAndTimes() {
        XCTAssertTrue(PatternList.matches("git", ["git"]))
        XCTAssertTrue(PatternList.matches("git", ["file", "g?t"]))
        XCTAssertFalse(PatternList.matches("git", ["*", "!git"]))
        XCTAssertTrue(PatternList.matches("Alice@Example.com", ["*@example.com"]))
        XCTAssertFalse(PatternList.matches("alice@example.org", ["*@example.com"]))
        XCTAssertEqual(SSHTime.parse("19700101"), 0)
        XCTAssertEqual(SSHTime.parse("197001010001Z"), 60)
        XCTAssertEqual(SSHTime.parse("19700101000001"), 1)
        XCTAssertNil(SSHTime.parse("19700230"))
        XCTAssertNil(SSHTime.parse("1970010100"))
        XCTAssertNil(SSHTime.parse("19700101246000"))
    }

    func testGpgStatusLines() {
        let good = """
            [GNUPG:] NEWSIG
            [GNUPG:] GOODSIG 0123456789ABCDEF Alice Example <alice@example.com>
            [GNUPG:] VALIDSIG AAAA 2026-02-01 1769936400 0 4 0 22 10 00 FFFF
            """
        XCTAssertEqual(
            OpenPGPVerifier.verdict(fromStatus: good),
            SignatureVerdict(status: .good, format: .openpgp, principal: "alice@example.com", key: "FFFF"))
        XCTAssertEqual(OpenPGPVerifier.verdict(fromStatus: "[GNUPG:] BADSIG 0123 Alice <a@x>\n").status, .bad)
        XCTAssertEqual(OpenPGPVerifier.verdict(fromStatus: "[GNUPG:] EXPKEYSIG 0123 Alice <a@x>\n").status, .expiredKey)
        XCTAssertEqual(OpenPGPVerifier.verdict(fromStatus: "[GNUPG:] REVKEYSIG 0123 Alice <a@x>\n").status, .expiredKey)
        XCTAssertEqual(
            OpenPGPVerifier.verdict(fromStatus: "[GNUPG:] ERRSIG 0123 22 10 00 1769936400 9 FFFF\n[GNUPG:] NO_PUBKEY 0123\n"),
            SignatureVerdict(
                status: .unknownKey, format: .openpgp, key: "FFFF",
                reason: "no key of the openpgp_keys folder made this signature"))
        XCTAssertEqual(OpenPGPVerifier.verdict(fromStatus: "[GNUPG:] NODATA 1\n").status, .bad)
        XCTAssertEqual(OpenPGPVerifier.verdict(fromStatus: "").status, .bad, "no answer is never good")
    }

    func testTheJSONObjectHasExactlyFourKeys() throws {
        let encoded = try JSONEncoder().encode(SignatureVerdict(status: .unknownKey, format: .ssh, key: "SHA256:x", reason: "why"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["status", "format", "principal", "key"])
        XCTAssertEqual(object["status"] as? String, "unknown-key")
        XCTAssertTrue(object["principal"] is NSNull)
        let unsigned = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(SignatureVerdict.unsigned)) as? [String: Any])
        XCTAssertTrue(unsigned["format"] is NSNull)
    }
}
