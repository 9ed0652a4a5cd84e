import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// The result of reading an ISMS: the records that could be read and the findings made on the way.
public struct LoadedISMS: Sendable {
    public let isms: ISMS
    public let findings: [Finding]

    package init(isms: ISMS, findings: [Finding]) {
        self.isms = isms
        self.findings = findings
    }
}

public enum Loader {
    /// Record files read and parsed at a time: enough to keep every core busy, few enough bytes to hold.
    package static let sliceSize = 4096

    /// Reads the settings and every record of `source`. Bad files become findings; only a missing or
    /// unreadable isms.yaml stops the run. With `policy` (the trusted revision's settings), every policy
    /// setting — limits included, before any record is read — is the trusted one, not the source's. `ruleIDs`: the
    /// rules a `rules:` entry may name (the rules sit above the loader; `load(from:policy:)` in Rules/ passes them).
    public static func load(from source: some RecordSource, policy: Config? = nil, ruleIDs: [String]) throws(ToolError) -> LoadedISMS {
        try load(from: source, policy: policy, ruleIDs: ruleIDs, sliceSize: sliceSize)
    }

    /// `sliceSize`: how many record files are read and parsed at a time (a test reads in slices of a few files).
    /// `listed` is called with the settings once the files are listed and held to the limits, before any record
    /// is read: a caller can start work that needs only the settings (the history) while the records are read.
    package static func load(
        from source: some RecordSource, policy: Config?, ruleIDs: [String], sliceSize: Int,
        listed: (Config) -> Void = { _ in }
    ) throws(ToolError) -> LoadedISMS {
        let configData: Data?
        do { configData = try source.readConfig() } catch let error as ToolError {
            throw error
        } catch let problem as YAMLProblem {
            throw .unreadableConfig(path: "isms.yaml", message: problem.message)
        } catch {
            throw .unreadableConfig(path: "isms.yaml", message: "\(error)")
        }
        guard let configData else { throw .missingAtRevision(revision: source.label, path: "isms.yaml") }
        let (ownConfig, configFindings) = try ConfigReader.read(configData, path: "isms.yaml", ruleIDs: ruleIDs)
        let config = policy.map { ownConfig.applyingPolicy(of: $0) } ?? ownConfig
        var findings = configFindings
        if let deepest = source.deepestFolder, deepest.depth > config.maxTreeDepth {
            throw .treeTooDeep(TreeTooDeep(path: deepest.path, limit: config.maxTreeDepth), in: source.label)
        }

        let entries: [SourceEntry], catalogEntries: [SourceEntry]
        do { entries = try source.recordEntries(); catalogEntries = try source.catalogEntries() } catch {
            throw .git("cannot list records in \(source.label): \(error)", cause: error as? GitError)
        }
        // Counted before anything is read: a pull request can add files faster than a runner can read them. The
        // catalogues count with the records.
        let catalogFiles = catalogEntries.filter { $0.kind == .file }.count
        let recordFiles = entries.filter { $0.kind == .file }.count + catalogFiles
        if recordFiles > config.maxRecords {
            let what = catalogFiles == 0 ? "record files" : "record and catalogue files"
            throw .limitExceeded(
                "\(source.label) holds \(recordFiles) \(what), over the limit of \(config.maxRecords) "
                    + "(limits.records in isms.yaml)")
        }
        listed(config)
        let catalogs = try readCatalogs(catalogEntries, from: source, config: config, findings: &findings)
        let readable = regularFiles(entries, findings: &findings)

        // Read and parsed a slice at a time: only one slice's bytes are held, not every file's beside the records made
        // from them (60 MB of 100,000 records).
        var records = [Record]()
        records.reserveCapacity(readable.count)
        var firstByID = [String: Int]()
        for start in stride(from: 0, to: readable.count, by: max(1, sliceSize)) {
            let slice = Array(readable[start..<min(start + max(1, sliceSize), readable.count)])
            let contents: [Result<Data, YAMLProblem>]
            do { contents = try source.read(slice, limit: config.maxFileBytes) } catch let error as ToolError {
                throw error
            } catch {
                throw .git("cannot read records in \(source.label): \(error)", cause: error as? GitError)
            }
            let parsed: [(record: Record?, findings: [Finding])] = parallelMap(Array(zip(slice, contents))) { entry, content in
                let kind = RecordKind(folder: entry.path.firstPathComponent ?? entry.path)!
                return RecordParser.parse(content, kind: kind, path: entry.path, config: config)
            }
            for (record, recordFindings) in parsed {
                findings += recordFindings
                guard let record else { continue }
                if let first = firstByID[record.id].map({ records[$0] }) {
                    findings.append(
                        LoadStage.duplicateID.finding(
                            "id '\(record.id)' is already used by \(first.path):\(first.idLocation.line)",
                            path: record.path, at: record.idLocation, record: record.id, field: "id"))
                } else {
                    firstByID[record.id] = records.count
                }
                records.append(record)
            }
        }
        return LoadedISMS(isms: ISMS(config: config, records: records, catalogs: catalogs), findings: findings)
    }

    /// The regular files among `entries`; each link, submodule, conflict or other file is a parse-error finding.
    private static func regularFiles(_ entries: [SourceEntry], what: String = "record", findings: inout [Finding]) -> [SourceEntry] {
        var readable = [SourceEntry]()
        for entry in entries {
            if FileName.isUndecodable(entry.path) {
                findings.append(
                    LoadStage.parseError.finding(
                        "this name is not UTF-8 (U+FFFD marks each byte that is not, or the name spells U+FFFD), so it "
                            + "cannot be told from another such name and nothing under it is read; rename it in UTF-8",
                        path: entry.path, at: .start))
                continue
            }
            switch entry.kind {
            case .file: readable.append(entry)
            case .symlink(let target) where !entry.path.hasPathSeparator:
                findings.append(
                    LoadStage.parseError.finding(
                        "the folder \(entry.path)/ is a symbolic link to '\(target)', which is not followed; "
                            + "keep \(what)s in a real folder", path: entry.path, at: .start))
            case .symlink(let target):
                findings.append(
                    LoadStage.parseError.finding(
                        "symbolic link to '\(target)' is not followed; keep \(what)s as regular files",
                        path: entry.path, at: .start))
            case .submodule:
                findings.append(LoadStage.parseError.finding("a submodule is not a \(what)", path: entry.path, at: .start))
            case .conflicted:
                findings.append(
                    LoadStage.parseError.finding(
                        "unresolved merge conflict in the index; resolve it and stage the result",
                        path: entry.path, at: .start))
            case .other:
                findings.append(LoadStage.parseError.finding("not a regular file", path: entry.path, at: .start))
            }
        }
        return readable
    }

    /// The ISMS's own catalogues (`catalogs/*.yaml`), each held to the limits of a record file; a bad file is located
    /// findings and no catalogue, a second file with the same catalogue id a duplicate-id finding.
    private static func readCatalogs(
        _ entries: [SourceEntry], from source: some RecordSource, config: Config,
        findings: inout [Finding]
    ) throws(ToolError) -> [UserCatalog] {
        guard !entries.isEmpty else { return [] }
        let readable = regularFiles(entries, what: "catalogue", findings: &findings)
        let contents: [Result<Data, YAMLProblem>]
        do { contents = try source.read(readable, limit: config.maxFileBytes) } catch let error as ToolError {
            throw error
        } catch {
            throw .git("cannot read catalogues in \(source.label): \(error)", cause: error as? GitError)
        }
        let reader = YAMLReader(maxBytes: config.maxFileBytes, maxDepth: config.maxDepth)
        var catalogs = [UserCatalog]()
        for (entry, content) in zip(readable, contents) {
            switch content.flatMap({ reader.read($0) }) {
            case .failure(let problem):
                findings.append(LoadStage.parseError.finding(problem.message, path: entry.path, at: problem.location))
            case .success(let node):
                let (catalog, catalogFindings) = UserCatalogReader.read(node, path: entry.path)
                findings += catalogFindings
                guard let catalog else { continue }
                if let first = Frameworks.userCatalog(forSource: catalog.id, in: catalogs) {
                    findings.append(
                        LoadStage.duplicateID.finding(
                            "catalogue id '\(catalog.id)' is already used by \(first.path):\(first.idLocation.line)",
                            path: catalog.path, at: catalog.idLocation, record: catalog.id, field: "id"))
                    continue
                }
                catalogs.append(catalog)
            }
        }
        return catalogs
    }
}
