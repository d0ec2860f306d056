import ArgumentParser
import IVRRuntime

/// `ivrc test [PATH...]`: run the flow tests (`*.test.yaml`).
public struct FlowTest: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run flow tests (*.test.yaml) against the scripted caller.",
        discussion: """
            Prints each case (ok or FAIL, with the differences and the call's \
            transcript), a coverage line (nodes and menu options exercised), then \
            "N passed, N failed".

            Exit status: 0 all passed, 1 a case failed or the flows have errors, \
            2 an I/O problem.

            Example:
              ivrc test .
            """)

    @Argument(help: "Project files or folders (default: the current folder).")
    public var paths: [String] = []

    public init() {}

    public func run() async throws {
        let (text, code) = await FlowTestRunner.run(paths: paths)
        try CommandOutput(stdout: text, exitCode: code).emit()
    }
}
