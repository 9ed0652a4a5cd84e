import Foundation
import GitKit
import ISMSCore
import ISMSModel

/// The signature verdicts of the commits a command shows, with the roster that names their signers.
public struct CommitSignatures: Sendable {
    public let verdicts: [ObjectID: SignatureVerdict]
    public let people: [String: Person]

    public init(verdicts: [ObjectID: SignatureVerdict], people: [String: Person]) {
        self.verdicts = verdicts
        self.people = people
    }

    public subscript(commit: ObjectID) -> SignatureVerdict? { verdicts[commit] }

    /// The text mark (`✓alice`, `✗bad`, `?unknown`, `-`) of a commit, nil when it was not verified.
    /// The mark shown after an author; the principal is a person key or an allowed-signers name, escaped like
    /// any text a repository chose.
    public func mark(_ commit: ObjectID) -> String? { verdicts[commit].map { SafeText.text($0.mark(people: people)) } }
}

extension SignatureVerifier {
    /// Verifies each of `commits` once.
    public func signatures(of commits: some Sequence<ObjectID>, people: [String: Person]) -> CommitSignatures {
        var verdicts = [ObjectID: SignatureVerdict]()
        verdicts.reserveCapacity(commits.underestimatedCount)
        for commit in commits where verdicts[commit] == nil { verdicts[commit] = verdict(for: commit) }
        return CommitSignatures(verdicts: verdicts, people: people)
    }

    /// Verifies each of the history's `commits` once; those the history saw unsigned are not read again.
    public func signatures(of commits: [CommitInfo], people: [String: Person]) -> CommitSignatures {
        var verdicts = [ObjectID: SignatureVerdict]()
        verdicts.reserveCapacity(commits.count)
        for commit in commits where verdicts[commit.id] == nil {
            verdicts[commit.id] = verdict(for: commit.id, carriesSignature: commit.carriesSignature)
        }
        return CommitSignatures(verdicts: verdicts, people: people)
    }
}

extension Workspace {
    /// Where verdicts are cached: beside the history cache, under the git folder shared by all work trees.
    public var signatureCachePath: String? { repository.map { $0.commonDirectory + "/isms/signatures-v1.cache" } }

    /// A verifier trusting the keys at `trustRef` (a revision); `useCache` false neither reads nor writes the cache.
    public func signatureVerifier(trustRef: String, useCache: Bool = true) throws(ToolError) -> SignatureVerifier {
        let trust = try signatureTrust(at: trustRef)
        return SignatureVerifier(trust: trust, repository: repository, cachePath: useCache ? signatureCachePath : nil)
    }

    /// A verifier like `signatureVerifier(trustRef:useCache:)` that shares its verdicts with the other checks of this
    /// run (`sharedVerdicts`): the history rules' at the head and at the merge base.
    package func sharingSignatureVerifier(trustRef: String, useCache: Bool) throws(ToolError) -> SignatureVerifier {
        let trust = try signatureTrust(at: trustRef)
        return SignatureVerifier(
            trust: trust, repository: repository, cachePath: useCache ? signatureCachePath : nil, shared: sharedVerdicts)
    }

    /// The roster of isms.yaml at `revision` (the work tree's when nil); empty when it cannot be read.
    public func people(at revision: String?) -> [String: Person] {
        guard let revision else {
            guard let data = try? workTreeSource.readConfig(),
                let (config, _) = try? ConfigReader.read(data, path: "isms.yaml", ruleIDs: nil)
            else { return [:] }
            return config.people
        }
        // Only isms.yaml is read at the revision (not the whole tree), parsed once with the trusted keys' read of it.
        guard let (repository, prefix) = try? requireRepository(), let commit = try? repository.resolveCommit(revision),
            let root = try? repository.subtree(of: repository.treeOfCommit(commit), at: prefix),
            let config = try? settings.config(inRoot: root, of: repository)
        else { return [:] }
        return config.people
    }
}
