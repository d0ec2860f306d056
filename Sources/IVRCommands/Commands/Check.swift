import ArgumentParser

/// `ivrc check [PATH...]`: parse and check flows, print diagnostics.
public struct Check: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and check IVR flows; print diagnostics.",
        discussion: """
            PATH is a flow file or a folder, searched recursively for *.yaml and \
            *.yml (*.test.yaml files are tests, ivr-project.yaml is the manifest). \
            With no PATH, the current folder is checked.

            Exit status: 0 no errors (warnings allowed unless --strict), 1 errors, \
            2 a path is missing or unreadable, 64 a malformed command line.

            Examples:
              ivrc check
              ivrc check flows/main.yaml
              ivrc check --strict --format github .
            """)

    @Argument(help: "Flow files or folders (default: the current folder).")
    public var paths: [String] = []

    @OptionGroup public var options: DiagnosticOptions

    public init() {}

    public func run() async throws {
        try CheckRunner(format: options.format, strict: options.strict, color: options.colorEnabled)
            .run(paths: paths)
            .emit()
    }
}
