import Foundation
import IVRCheck
import IVRSyntax

/// The logic of `ivrc check`, free of process I/O: load the project, run
/// the checker, render the report, choose the exit code.
public struct CheckRunner: Sendable {
    public var format: OutputFormat
    public var strict: Bool
    public var color: Bool
    /// The folder relative paths resolve against (and display paths are relative to).
    public var currentDirectory: String?

    public init(format: OutputFormat = .human, strict: Bool = false, color: Bool = false,
                currentDirectory: String? = nil) {
        self.format = format
        self.strict = strict
        self.color = color
        self.currentDirectory = currentDirectory
    }

    /// Checks the project made of `paths` (none: the current folder).
    /// Exit code 0 without errors, 1 with errors (warnings count with
    /// `strict`), 2 when a path is missing or unreadable.
    /// Paths that span several projects (each with its own manifest) are
    /// checked project by project, in one report.
    public func run(paths: [String]) -> CommandOutput {
        let cwd = currentDirectory ?? FileManager.default.currentDirectoryPath
        switch ProjectLoader.loadAll(paths: paths, currentDirectory: cwd) {
        case .failure(let error):
            return CommandOutput(stderr: "error: \(error.message)\n", exitCode: CommandOutput.Code.ioError)
        case .success(let projects):
            var diagnostics: [Diagnostic] = []
            var sources: [String: SourceFile] = [:]
            for project in projects {
                diagnostics += Checker.check(project)
                sources.merge(project.files) { first, _ in first }
            }
            return report(CheckReport(diagnostics: diagnostics, sources: sources, fileCount: sources.count, strict: strict))
        }
    }

    /// Renders a report and picks its exit code.
    public func report(_ report: CheckReport) -> CommandOutput {
        CommandOutput(
            stdout: format.render(report, color: color),
            // GitHub's standard output is workflow commands only; the log
            // still shows the summary.
            stderr: format == .github ? report.summary + "\n" : "",
            exitCode: report.errorCount > 0 ? CommandOutput.Code.failure : CommandOutput.Code.success)
    }
}
