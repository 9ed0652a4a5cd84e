import XCTest

@testable import ISMSKit

/// A record kind is declared whole in Model/Kinds/<Kind>Kind.swift (the compiler catches a missing property);
/// these tests catch a declaration whose values are incomplete or clash with another kind's.
final class RecordKindTests: XCTestCase {
    /// The history cache stores a kind as this byte. These values are on disk in users' caches: never change
    /// one; a new kind takes the next free code.
    static let pinnedStorageCodes: [RecordKind: UInt8] = [
        .risk: 0, .control: 1, .obligation: 2, .evidence: 3, .exception: 4, .supplier: 5, .asset: 6,
        .audit: 7, .nonconformity: 8, .managementReview: 9, .objective: 10, .incident: 11, .party: 12, .document: 13,
    ]

    func testStorageCodesArePinnedAndUnique() {
        for kind in RecordKind.allCases {
            guard let pinned = Self.pinnedStorageCodes[kind] else {
                XCTFail("\(kind.rawValue): add its storage code \(kind.storageCode) to pinnedStorageCodes")
                continue
            }
            XCTAssertEqual(kind.storageCode, pinned, "\(kind.rawValue): its storage code changed; existing caches would misread it")
            XCTAssertEqual(RecordKind(storageCode: kind.storageCode), kind, kind.rawValue)
        }
        let codes = RecordKind.allCases.map(\.storageCode)
        XCTAssertEqual(Set(codes).count, codes.count, "storage codes must be unique: \(codes)")
        XCTAssertNil(RecordKind(storageCode: 255))
    }

    func testTheLayoutFingerprintIsStableAndFollowsTheCodes() {
        // The value for the 14 kinds above: it changes only when a kind is added, renamed or recoded (then
        // update it here; the history cache is rebuilt once).
        XCTAssertEqual(
            RecordKind.layoutFingerprint, Self.currentFingerprint,
            "the kinds changed: set currentFingerprint to 0x\(String(RecordKind.layoutFingerprint, radix: 16))")
        // The history cache's version is derived from it, so a changed kind never reads an old cache as complete.
        XCTAssertTrue(HistoryCache.layoutFingerprint.contains("kinds \(RecordKind.layoutFingerprint);"), HistoryCache.layoutFingerprint)
    }

    static let currentFingerprint: UInt64 = 0xe719_5ee1_4917_e612

    func testEveryDeclarationIsComplete() {
        var folders = Set<String>(), templates = Set<String>()
        for kind in RecordKind.allCases {
            let d = kind.declaration, name = kind.rawValue
            XCTAssertTrue(folders.insert(d.folder).inserted, "\(name): folder \(d.folder) is another kind's")
            XCTAssertEqual(RecordKind(folder: d.folder), kind, name)
            XCTAssertNotNil(try? Pattern(d.idPattern), "\(name): id pattern \(d.idPattern) does not compile")
            XCTAssertTrue(d.idPattern.hasPrefix("^") && d.idPattern.hasSuffix("$"), "\(name): anchor the id pattern")
            XCTAssertTrue(templates.insert(d.template).inserted, "\(name): template \(d.template) is another kind's")
            XCTAssertTrue(
                d.template.hasSuffix("." + d.fileFormat.fileExtension),
                "\(name): template \(d.template) is not a .\(d.fileFormat.fileExtension) file")
            XCTAssertFalse(
                Templates.record(kind).isEmpty, "\(name): templates/\(d.template) is missing; add it and run scripts/generate-templates.sh")
            XCTAssertFalse(d.fields.isEmpty, "\(name): declare its fields")
            XCTAssertFalse(d.exampleID.isEmpty, "\(name): declare an example id")
            let names = Schema.of(kind).fields.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "\(name): a field is declared twice: \(names)")
            for group in d.oneOf {
                for field in group { XCTAssertTrue(names.contains(field), "\(name): oneOf names \(field), which it does not declare") }
            }
            for field in d.decisionFields + d.materialFields where field != "*" {
                let top = String(field.prefix { $0 != "." })
                XCTAssertTrue(names.contains(top), "\(name): decision or material field \(field) is not a field of the kind")
            }
            for colour in [d.graphStyle.fill, d.graphStyle.stroke] {
                let hex = colour.dropFirst()
                XCTAssertTrue(
                    colour.hasPrefix("#") && hex.count == 6 && hex.allSatisfy(\.isHexDigit),
                    "\(name): graph colour \(colour) is not #rrggbb")
            }
        }
    }

    func testTheDefaultsOfIsmsYamlComeFromTheDeclarations() {
        XCTAssertEqual(Config.defaultDecisionFields[.risk], RiskKind.decisionFields)
        XCTAssertNil(Config.defaultDecisionFields[.audit], "a kind without decision fields is absent, as before")
        XCTAssertEqual(Config.defaultMaterialFields[.supplier], SupplierKind.materialFields)
    }
}
