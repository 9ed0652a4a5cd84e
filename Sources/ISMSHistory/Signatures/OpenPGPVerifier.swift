import Foundation
import GitKit

/// OpenPGP signatures, verified by GnuPG. This file is the one sanctioned place where the product runs another
/// program (ArchitectureTests names it): OpenPGP is not verified natively, and `gpg` is the reference.
///
/// gpg runs with a temporary home folder (`--homedir` and `GNUPGHOME`, mode 0700, removed afterwards) holding
/// only the public keys of the trust revision's `openpgp_keys` folder, so it never reads or writes the user's
/// ~/.gnupg and trusts nothing else. It is never asked to start an agent. Results come from `--status-fd`:
/// GOODSIG with VALIDSIG is good, BADSIG bad, EXPKEYSIG/EXPSIG/REVKEYSIG expired-key, ERRSIG with a missing
/// key (or NO_PUBKEY) unknown-key; anything else is bad. Without gpg every OpenPGP signature is not-verified.
package final class OpenPGPVerifier {
    package static let timeout: TimeInterval = 30

    private let gpg: String
    private let home: String
    /// Why verification cannot run (gpg missing, keys not importable); nil when it can.
    package let unavailable: String?

    /// Imports `keys` (file name and content) into a fresh home folder. `gpg` is the program to run (when it
    /// is not an executable file, gpg counts as not installed); nil looks for `gpg` on PATH.
    package init(keys: [(name: String, data: Data)], gpg: String? = nil) {
        home = Self.temporaryFolder()
        let program: String?
        if let gpg { program = FileManager.default.isExecutableFile(atPath: gpg) ? gpg : nil } else { program = Self.onPath("gpg") }
        guard let program else {
            self.gpg = ""
            unavailable = "gpg is not installed (OpenPGP signatures need GnuPG)"
            return
        }
        self.gpg = program
        guard !home.isEmpty else {
            unavailable = "cannot create a temporary folder for gpg"
            return
        }
        var files = [String]()
        for (index, key) in keys.enumerated() {
            let path = home + "/key-\(index)"
            guard FileManager.default.createFile(atPath: path, contents: key.data) else { continue }
            files.append(path)
        }
        if !files.isEmpty {
            let result = Self.run(gpg: program, home: home, ["--import"] + files)
            if result == nil {
                unavailable = "gpg could not be run"
                return
            }
        }
        unavailable = nil
    }

    deinit {
        if !home.isEmpty { try? FileManager.default.removeItem(atPath: home) }
    }

    /// Verifies an armored OpenPGP signature over `payload`.
    package func verify(signature: String, payload: [UInt8]) -> SignatureVerdict {
        if let unavailable { return SignatureVerdict(status: .notVerified, format: .openpgp, reason: unavailable) }
        let signaturePath = home + "/signature.asc", payloadPath = home + "/payload"
        guard FileManager.default.createFile(atPath: signaturePath, contents: Data(signature.utf8)),
            FileManager.default.createFile(atPath: payloadPath, contents: Data(payload))
        else {
            return SignatureVerdict(status: .notVerified, format: .openpgp, reason: "cannot write gpg's input files")
        }
        defer {
            try? FileManager.default.removeItem(atPath: signaturePath)
            try? FileManager.default.removeItem(atPath: payloadPath)
        }
        guard
            let status = Self.run(
                gpg: gpg, home: home, ["--trust-model", "always", "--status-fd", "1", "--verify", signaturePath, payloadPath])
        else {
            return SignatureVerdict(status: .notVerified, format: .openpgp, reason: "gpg could not be run or did not answer")
        }
        return Self.verdict(fromStatus: status)
    }

    /// Reads gpg's `--status-fd` lines.
    package static func verdict(fromStatus output: String) -> SignatureVerdict {
        var fields = [String: [String]]()
        for line in output.split(separator: "\n") where line.hasPrefix("[GNUPG:] ") {
            let parts = line.dropFirst("[GNUPG:] ".count).split(separator: " ", maxSplits: 10).map(String.init)
            guard let keyword = parts.first, fields[keyword] == nil else { continue }
            fields[keyword] = Array(parts.dropFirst())
        }
        // The primary key's fingerprint is VALIDSIG's last field (present since GnuPG 1.4.7), else its first.
        let fingerprint = fields["VALIDSIG"].flatMap { $0.count >= 10 ? $0[9] : $0.first }
        func email(_ values: [String]?) -> String? {
            guard let uid = values?.dropFirst().joined(separator: " "), !uid.isEmpty else { return nil }
            if let open = uid.lastIndex(of: "<"), let close = uid.lastIndex(of: ">"), open < close {
                return String(uid[uid.index(after: open)..<close])
            }
            return uid
        }
        if let bad = fields["BADSIG"] {
            return SignatureVerdict(
                status: .bad, format: .openpgp, principal: email(bad), key: bad.first,
                reason: "the OpenPGP signature does not match the commit")
        }
        for (keyword, why) in [
            ("EXPKEYSIG", "the OpenPGP key has expired"), ("REVKEYSIG", "the OpenPGP key was revoked"),
            ("EXPSIG", "the OpenPGP signature has expired"),
        ] {
            if let values = fields[keyword] {
                return SignatureVerdict(
                    status: .expiredKey, format: .openpgp, principal: email(values) ?? email(fields["GOODSIG"]),
                    key: fingerprint ?? values.first, reason: why)
            }
        }
        if let good = fields["GOODSIG"], fingerprint != nil {
            return SignatureVerdict(status: .good, format: .openpgp, principal: email(good), key: fingerprint)
        }
        if let error = fields["ERRSIG"] {
            let key = error.count >= 7 && error[6] != "-" ? error[6] : error.first
            if error.count >= 6 && error[5] == "9" || fields["NO_PUBKEY"] != nil {
                return SignatureVerdict(
                    status: .unknownKey, format: .openpgp, key: key,
                    reason: "no key of the openpgp_keys folder made this signature")
            }
            if error.count >= 6 && error[5] == "4" {
                return SignatureVerdict(
                    status: .notVerified, format: .openpgp, key: key, reason: "gpg does not support the signature's algorithm")
            }
            return SignatureVerdict(status: .bad, format: .openpgp, key: key, reason: "gpg could not check the signature")
        }
        return SignatureVerdict(status: .bad, format: .openpgp, reason: "gpg found no valid OpenPGP signature")
    }

    /// Runs gpg in the temporary home with `arguments`; its status output, or nil when it could not run or
    /// took longer than `timeout`.
    private static func run(gpg: String, home: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gpg)
        process.arguments = ["--homedir", home, "--batch", "--no-tty", "--no-autostart", "--no-permission-warning"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GNUPGHOME"] = home
        environment["LC_ALL"] = "C"
        environment.removeValue(forKey: "GPG_AGENT_INFO")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Not `waitUntilExit()`: on Linux it polls its run loop every 50 ms, so every gpg run idled up to 50 ms
        // (measured: 51 ms for /bin/true, 0.9 ms with a termination handler and a semaphore).
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { return nil }
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        timer.cancel()
        guard process.terminationReason == .exit else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func temporaryFolder() -> String {
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("isms-gpg-XXXXXX")
        var bytes = Array(template.utf8CString)
        guard let created = bytes.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { return "" }
        return String(cString: created)
    }
}
