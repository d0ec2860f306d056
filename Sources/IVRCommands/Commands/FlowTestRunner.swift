import Foundation
import IVRCheck
import IVRRuntime
import IVRSyntax

/// `ivrc test`, as a function: builds the project, runs every case of every
/// `*.test.yaml` (`FlowTestSuite`), prints each case (ok / FAIL with the
/// differences and the transcript), a coverage line, then `N passed, N
/// failed`. Exit 1 when a case failed or a test file is malformed. Problems
/// in a test file are printed at `detail`: the `ivrc test` command passes
/// `.full`, the compiler-style block of `ivrc check` with the source line
/// and a caret.
public enum FlowTestRunner {
    /// Paths that span several projects (each with its own manifest, as in
    /// `ivrc test examples/`) are tested project by project: each project's
    /// cases and coverage line, then one total.
    public static func run(paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath,
                           detail: HumanFormatter.Detail = .help) async -> (output: String, exitCode: Int32) {
        let parts = ProjectLoader.split(paths: paths, currentDirectory: currentDirectory)
        var out = ""
        var passed = 0, failed = 0, projectsRun = 0
        for part in parts {
            switch await FlowTestSuite.run(part, currentDirectory: currentDirectory) {
            case .failure(let error):
                // A folder of other projects holds no flows of its own: not a failure.
                if parts.count > 1, case .build(.noFlows) = error { continue }
                let f = CommandFailure(error)
                if parts.count == 1 { return f.printed }
                out += f.message + "\n"
                return (out, f.exitCode)
            case .success(let result):
                for file in result.files {
                    out += print(file, detail: detail, passed: &passed, failed: &failed)
                }
                out += result.coverage + "\n"
                projectsRun += 1
            }
        }
        if projectsRun == 0 { return (CommandFailure.noFlows(in: paths) + "\n", CommandOutput.Code.failure) }
        out += "\(passed) passed, \(failed) failed\n"
        return (out, failed == 0 ? CommandOutput.Code.success : CommandOutput.Code.failure)
    }

    /// One test file: its problems, then each case, or the file's failure when it is malformed.
    static func print(_ file: FlowTestSuite.FileResult, detail: HumanFormatter.Detail,
                      passed: inout Int, failed: inout Int) -> String {
        var out = ""
        for d in file.diagnostics {
            out += HumanFormatter.plain.diagnostic(d, detail: detail, sources: [file.source.path: file.source])
        }
        guard let cases = file.cases else {
            let errors = file.diagnostics.count { $0.severity == .error }
            failed += 1
            return out + "FAIL \(file.file): malformed test file (\(CommandFailure.count(errors, "error")))\n"
        }
        for c in cases {
            if c.passed {
                passed += 1
                out += "ok   \(file.file): \(c.name)\n"
            } else {
                failed += 1
                out += "FAIL \(file.file): \(c.name)\n"
                for p in c.problems { out += "     \(p)\n" }
                out += Transcript.render(c.record, indent: "     | ")
            }
            for w in c.warnings {
                out += "\(file.file):\(w.range.start.line):\(w.range.start.column): warning: \(w.message)\n   = help: \(w.help)\n"
            }
        }
        return out
    }
}
