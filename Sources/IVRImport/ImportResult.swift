/// An imported flow: its YAML text and what could not be mapped exactly.
public struct ImportResult: Sendable, Equatable {
    /// One flow file, ready for `ivrc check`.
    public var yaml: String
    /// In source order.
    public var warnings: [ImportWarning]

    public init(yaml: String, warnings: [ImportWarning]) {
        self.yaml = yaml
        self.warnings = warnings
    }
}
