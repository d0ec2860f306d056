import ArgumentParser

/// The `ivrc` command: the root of the command tree. Each subcommand is one
/// type in its own file; adding one is adding it to `subcommands`.
public struct IVRC: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ivrc",
        abstract: "The IVR flow toolchain: check, compile and run phone trees written in YAML.",
        discussion: """
            Example:
              ivrc check flows/
            """,
        version: IVRCVersion.current,
        subcommands: [
            Check.self, Build.self, Disasm.self, Simulate.self, FlowTest.self, Graph.self, Report.self, Run.self,
            Serve.self, Call.self, Campaign.self, Import.self,
        ])

    public init() {}
}
