import IVRSyntax

/// Runs every check over a loaded project and returns the diagnostics,
/// parse-level ones included, sorted for output.
///
/// Which checks exist, what each reads and which codes it raises is
/// `CheckRegistry`; how they run on the cores is `CheckScheduler`, which
/// hands back each check's findings in the registry's order, so the output
/// does not depend on which thread finished first.
public enum Checker {
    public static func check(_ project: Project) -> [Diagnostic] {
        var out = project.diagnostics
        for findings in CheckScheduler.standard.run(project) { out += findings.diagnostics }
        return Diagnostic.sortedForOutput(dedupe(out))
    }

    /// Drops exact repeats (a target inside an aliased mapping is seen once per use).
    private static func dedupe(_ list: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return list.filter { seen.insert($0).inserted }
    }
}
