import IVRSyntax

/// One file read from disk, kept for printing source lines under diagnostics.
public struct SourceFile: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public var lines: LineTable

    public init(path: String, bytes: [UInt8], lines: LineTable) {
        self.path = path
        self.bytes = bytes
        self.lines = lines
    }

    /// The text of a 1-based line, without its line break.
    public func line(_ number: Int) -> String? {
        guard let span = lines.lineBytes(number) else { return nil }
        return String(decoding: bytes[span], as: UTF8.self)
    }
}

/// Everything `check`, `build` and `test` work on: the manifest, the flows
/// (parsed), the test files found, and what parsing reported.
public struct Project: Sendable {
    /// The folder holding the manifest, if one was found; relative paths
    /// (audio, flows) resolve against it. Spelled like `files` keys: relative
    /// to the current folder when under it ("." for the current folder itself).
    public var root: String?
    /// The folder that relative paths (file names, `root`) are relative to;
    /// nil means the process's current folder.
    public var workingDirectory: String?
    public var manifest: Manifest?
    /// The manifest's path (a key of `files`), if one was found.
    public var manifestFile: String?
    /// Every flow file read, in sorted order, including those too broken to
    /// yield a `Flow`.
    public var flowFiles: [String] = []
    public var flows: [Flow] = []
    /// Other flows of the same project, read only so that references to them
    /// resolve (see `ProjectLoader`); never checked or reported on.
    public var contextFlows: [Flow] = []
    /// Every YAML file read, by path.
    public var files: [String: SourceFile] = [:]
    /// `*.test.yaml` files found, in sorted order.
    public var testFiles: [String] = []
    /// Parse-level diagnostics (YAML, structure).
    public var diagnostics: [Diagnostic] = []

    public init() {}
}
