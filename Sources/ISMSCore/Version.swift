/// The version of isms, in one place: `isms --version`, SARIF's `semanticVersion`, the CI workflow that
/// `isms init` writes.
public enum ISMSVersion {
    public static let current = "0.1.0"
}
