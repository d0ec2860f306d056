import ArgumentParser

/// `ivrc test [PATH...]`: run the flow tests (`*.test.yaml`).
public struct FlowTest: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run flow tests (*.test.yaml) against the scripted caller.",
        discussion: """
            Prints each case (ok or FAIL, with the differences and the call's \
            transcript), a coverage line (nodes, menu options and transfer on-fail \
            paths exercised), then "N passed, N failed". Problems in a test file are \
            shown like `ivrc check` shows them, all at once. A case that reads open() \
            with no 'at' gets a warning: its result depends on the date.

            Exit status: 0 all passed, 1 a case failed or the flows have errors, \
            2 an I/O problem.

            Example:
              ivrc test .
            """)

    @Argument(help: "Project files or folders (default: the current folder).")
    public var paths: [String] = []

    public init() {}

    public func run() async throws {
        // A test file's diagnostics as `ivrc check --format human` prints
        // them: header, source line with a caret, notes and help.
        let (text, code) = await FlowTestRunner.run(paths: paths, detail: .full)
        try CommandOutput(stdout: text, exitCode: code).emit()
    }
}
