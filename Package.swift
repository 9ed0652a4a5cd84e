// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "isms",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "isms", targets: ["isms"]),
        .library(name: "ISMSKit", targets: ["ISMSKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // SSH signature verification (Ed25519, ECDSA P-256/384/521, SHA-2); _CryptoExtras for RSA.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // Heap: the commit walk's priority queue; Deque: the repository's recent trees.
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // Debian's libgit2-dev (1.5). Only GitKit may import this module.
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // The layers, each depending only on those below it, so that a reference upwards does not compile
        // (CONTRIBUTING.md draws them). A layer sees the declarations of those below through `package` access.
        .target(name: "ISMSCore"),
        // The only target that may import CLibGit2: it owns every git_* pointer.
        .target(
            name: "GitKit",
            dependencies: [
                "CLibGit2", "ISMSCore", .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "ISMSModel",
            dependencies: ["GitKit", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "ISMSLoading", dependencies: ["ISMSModel"]),
        .target(
            name: "ISMSHistory",
            dependencies: [
                "ISMSLoading", .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(name: "ISMSRules", dependencies: ["ISMSHistory"]),
        .target(name: "ISMSOutput", dependencies: ["ISMSRules", .product(name: "Crypto", package: "swift-crypto")]),
        // The whole library as one import, for the commands, the tests and other tools.
        .target(name: "ISMSKit", dependencies: ["ISMSOutput"]),
        .target(
            name: "ISMSCommands",
            dependencies: ["ISMSKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "isms", dependencies: ["ISMSCommands"]),
        .testTarget(
            name: "ISMSKitTests",
            dependencies: ["ISMSKit", "ISMSOutput", "ISMSCommands"],
            exclude: ["Fixtures", "Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer target (scripts/fuzz.sh). It exists only when asked for: its entry point comes from
// libFuzzer, so it links only in a build with -sanitize=fuzzer.
if ProcessInfo.processInfo.environment["ISMS_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "isms-fuzz",
            dependencies: ["ISMSKit", "ISMSOutput"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
    package.products.append(.executable(name: "isms-fuzz", targets: ["isms-fuzz"]))
}
