import CLibGit2

extension Repository {
    /// A string from the repository's configuration (local, global and system, as git reads them), or nil.
    public func configString(_ key: String) throws -> String? {
        try serialised { try readConfigString(key) }
    }

    private func readConfigString(_ key: String) throws -> String? {
        var config: OpaquePointer?
        try check(git_repository_config_snapshot(&config, pointer), "read configuration")
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        let code = git_config_get_string(&value, config, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "read configuration \(key)")
        return value.map { String(cString: $0) }
    }
}
