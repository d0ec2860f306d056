import Foundation
import IVRImport
import IVRRuntime

/// The logic of `ivrc import`, free of process I/O but for the files it reads and writes.
public struct ImportRunner: Sendable {
    public var format: ImportFormat
    public var name: String?
    /// The folder relative paths resolve against (default: the process's).
    public var currentDirectory: String?

    public init(format: ImportFormat, name: String? = nil, currentDirectory: String? = nil) {
        self.format = format
        self.name = name
        self.currentDirectory = currentDirectory
    }

    /// The flow on stdout (or in `output`), the warnings on stderr as
    /// `FILE:LINE: warning: ...`. Exit 1 with `FILE:LINE:COLUMN: error: ...`
    /// when the file is not of its format, 2 when it cannot be read or the
    /// output cannot be written.
    public func run(file: String, output: String? = nil) -> CommandOutput {
        let cwd = currentDirectory ?? FileManager.default.currentDirectoryPath
        guard let data = FileManager.default.contents(atPath: FilePaths.absolute(file, cwd: cwd)) else {
            return CommandFailure(message: CommandFailure.cannotRead(file), exitCode: CommandOutput.Code.ioError).output
        }
        let text = String(decoding: data, as: UTF8.self)
        let result: ImportResult
        do {
            result = try FlowImporter.importFlow(format, text: text, name: name)
        } catch {
            return CommandFailure(message: "\(file):\(error.line):\(error.column): error: \(error.message)",
                                  exitCode: CommandOutput.Code.failure).output
        }
        var stderr = result.warnings.map { "\(file):\($0.line): warning: \($0.message)\n" }.joined()
        let count = CommandFailure.count(result.warnings.count, "warning")
        guard let output else {
            if !result.warnings.isEmpty { stderr += "imported with \(count)\n" }
            return CommandOutput(stdout: result.yaml, stderr: stderr, exitCode: CommandOutput.Code.success)
        }
        do {
            try Data(result.yaml.utf8).write(to: URL(fileURLWithPath: FilePaths.absolute(output, cwd: cwd)))
        } catch {
            return CommandFailure.cannotWrite(output).output
        }
        stderr += "wrote \(output) (\(count)); check it with: ivrc check \(output)\n"
        return CommandOutput(stderr: stderr, exitCode: CommandOutput.Code.success)
    }

    /// `[a-z][a-z0-9_-]*`, as the flow language names flows.
    static func isFlowName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }
}
