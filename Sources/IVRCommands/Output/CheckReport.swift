import IVRCheck
import IVRSyntax

/// What every output format prints: the diagnostics (already sorted, with
/// `--strict` applied), the sources they point into, and how many files
/// were checked.
public struct CheckReport: Sendable {
    public var diagnostics: [Diagnostic]
    /// Source files by path, for printing source lines.
    public var sources: [String: SourceFile]
    /// How many files were checked (flows and the manifest).
    public var fileCount: Int

    public init(diagnostics: [Diagnostic], sources: [String: SourceFile] = [:], fileCount: Int, strict: Bool = false) {
        self.diagnostics = strict ? diagnostics.map(Self.promoted) : diagnostics
        self.sources = sources
        self.fileCount = fileCount
    }

    /// A report for a loaded project: its files and the given diagnostics.
    public init(project: Project, diagnostics: [Diagnostic], strict: Bool = false) {
        self.init(diagnostics: diagnostics, sources: project.files, fileCount: project.files.count, strict: strict)
    }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// Always both counts, as in the spec's example: `2 errors, 1 warning in 3 files`,
    /// `0 errors, 0 warnings in 1 file`.
    public var summary: String {
        Self.plural(errorCount, "error") + ", " + Self.plural(warningCount, "warning")
            + " in " + Self.plural(fileCount, "file")
    }

    /// A warning made an error by `--strict`.
    static func promoted(_ diagnostic: Diagnostic) -> Diagnostic {
        var copy = diagnostic
        copy.severity = .error
        return copy
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
