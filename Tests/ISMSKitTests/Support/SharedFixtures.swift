import Foundation

/// Fixtures that take a while to make (SSH keys, generated histories), made once and then shared by every
/// test process of a run and by later runs. `swift test --parallel` runs each test in a process of its own,
/// so a lazily made static would be made again in each; these live on disk instead, in
/// `.build/isms-test-fixtures/` (gone with `make clean`), one folder per fixture, named after what it holds
/// and how it was made. A fixture is made in a temporary folder and renamed into place whole, so processes
/// making it at once never see half of one: the first rename wins, the others use it.
/// Tests never change a fixture: they read it, or work on a copy (`copy(_:)`).
enum SharedFixtures {
    static let root: String = {
        let top = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = top.appendingPathComponent(".build/isms-test-fixtures").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// The folder of fixture `name`, made by `make` (into the folder it is given) if no process made it yet.
    static func folder(_ name: String, make: (String) throws -> Void) throws -> String {
        let final = root + "/" + name
        if FileManager.default.fileExists(atPath: final) { return final }
        var template = Array((root + "/.making-\(name)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: root])
        }
        let temporary = String(cString: made)
        do {
            try make(temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        // rename(2) of a folder fails on a non-empty one: another process placed the fixture first.
        if rename(temporary, final) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            guard FileManager.default.fileExists(atPath: final) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final])
            }
        }
        return final
    }

    /// A copy of fixture folder `fixture` (times, modes and links kept) in a temporary folder of the test's own.
    static func copy(_ fixture: String, name: String = "isms-fixture") -> TemporaryFolder {
        let folder = TemporaryFolder(name)
        try! FileManager.default.removeItem(atPath: folder.path)
        let copied = runProcess("/bin/cp", ["-a", fixture, folder.path])
        precondition(copied.status == 0, "cp -a \(fixture) failed: \(copied.stderr)")
        return folder
    }

    /// A short, stable digest of a file's bytes (FNV-1a), to name a fixture after the script that makes it.
    static func digest(ofFile path: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in FileManager.default.contents(atPath: path) ?? Data() { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
