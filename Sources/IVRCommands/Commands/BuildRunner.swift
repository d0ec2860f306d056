import Foundation
import IVRRuntime

/// `ivrc build`, as a function of its arguments: the text to print and the exit code.
public enum BuildRunner {
    public static func run(paths: [String], output: String, strip: Bool, strict: Bool = false,
                           currentDirectory: String = FileManager.default.currentDirectoryPath) -> (output: String, exitCode: Int32) {
        switch FlowBuild.build(paths: paths, currentDirectory: currentDirectory, strip: strip, strict: strict) {
        case .failure(let e):
            return CommandFailure(e).printed
        case .success(let built):
            let target = FilePaths.absolute(output, cwd: currentDirectory)
            guard FileManager.default.createFile(atPath: target, contents: Data(built.bytes)) else {
                return CommandFailure.cannotWrite(output).printed
            }
            var text = warnings(built)
            let n = built.bundle.flows.count
            text += "wrote \(output): \(n) flow\(n == 1 ? "" : "s"), \(built.bytes.count) bytes\(strip ? ", stripped" : "")\n"
            return (text, CommandOutput.Code.success)
        }
    }

    /// The warnings of a build that succeeded, one line each.
    static func warnings(_ built: FlowBuild) -> String {
        built.diagnostics.map { HumanFormatter.plain.diagnostic($0, detail: .line) }.joined()
    }
}
