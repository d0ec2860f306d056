import ArgumentParser
import Foundation
import IVRRuntime

/// `ivrc build [PATH...] -o OUT.ivrb [--strip]`: check, then write one bundle.
public struct Build: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Check flows and compile them into one .ivrb bundle.",
        discussion: """
            Refuses to write a bundle when the flows have errors. The same sources \
            always give the same bytes. --strip leaves out the debug section \
            (instruction -> file:line:column). --strict refuses on warnings too.

            Exit status: 0 written, 1 the flows have errors, 2 an I/O problem, \
            64 a malformed command line.

            Example:
              ivrc build . -o acme.ivrb
              ivrc build --strict --strip flows/ -o dist/acme.ivrb
            """)

    @Argument(help: "Flow files or folders (default: the current folder).")
    public var paths: [String] = []

    @Option(name: .shortAndLong, help: "The bundle to write ('-': standard output).")
    public var output: String

    @Flag(help: "Leave out the debug section.")
    public var strip = false

    @Flag(help: "Treat warnings as errors: refuse to write the bundle when there are any.")
    public var strict = false

    public init() {}

    public func run() throws {
        if output == "-" {
            // The bundle on standard output (`ivrc build -o - | ssh host 'cat > app.ivrb'`); messages on stderr.
            switch FlowBuild.build(paths: paths, currentDirectory: FileManager.default.currentDirectoryPath,
                                   strip: strip, strict: strict) {
            case .failure(let e):
                try CommandFailure(e).output.emit()
            case .success(let built):
                FileHandle.standardOutput.write(Data(built.bytes))
                try CommandOutput(stderr: BuildRunner.warnings(built), exitCode: CommandOutput.Code.success).emit()
            }
            return
        }
        let (text, code) = BuildRunner.run(paths: paths, output: output, strip: strip, strict: strict)
        try CommandOutput(stdout: code == 0 ? text : "", stderr: code == 0 ? "" : text, exitCode: code).emit()
    }
}
