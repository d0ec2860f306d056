import ArgumentParser
import IVRBytecode

/// `ivrc disasm BUNDLE`: the bundle as readable assembly.
public struct Disasm: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "disasm",
        abstract: "Print a bundle as readable assembly.",
        discussion: """
            The bundle is verified first; a corrupted one is refused (exit 2). \
            Source positions are shown unless the bundle was built with --strip.

            Example:
              ivrc disasm acme.ivrb
            """)

    @Argument(help: "The .ivrb bundle.")
    public var bundle: String

    public init() {}

    public func run() throws {
        let (text, code) = DisasmRunner.run(path: bundle)
        try CommandOutput(stdout: code == 0 ? text : "", stderr: code == 0 ? "" : text, exitCode: code).emit()
    }
}
