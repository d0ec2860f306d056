import ArgumentParser
import IVRCheck
import IVRRuntime
import IVRSyntax

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

    /// A test file's diagnostic as `ivrc check --format human` prints one:
    /// header, source line with a caret, notes and help.
    static let render: FlowTestRunner.Render = { diagnostic, source in
        HumanFormatter(color: false).block(diagnostic, sources: [source.path: source])
    }

    public func run() async throws {
        let (text, code) = await FlowTestRunner.run(paths: paths, render: Self.render)
        try CommandOutput(stdout: text, exitCode: code).emit()
    }
}
