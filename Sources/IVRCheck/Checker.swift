import IVRSyntax

/// Runs every check over a loaded project and returns the diagnostics,
/// parse-level ones included, sorted for output. (Being written.)
public enum Checker {
    public static func check(_ project: Project) -> [Diagnostic] {
        Diagnostic.sortedForOutput(project.diagnostics)
    }
}
