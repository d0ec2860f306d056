import ArgumentParser
import IVRImport

/// `ivrc import FORMAT FILE [-o OUT.yaml] [--name NAME]`: a phone tree of
/// another platform as one flow.
public struct Import: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a FreeSWITCH IVR, Twilio Studio flow or Amazon Connect contact flow into an ivrc flow.",
        discussion: """
            Writes one flow (standard output without -o) and lists on standard \
            error, with source line numbers, what could not be mapped exactly; \
            what has no equivalent is a node marked NOT IMPORTED. Check the result \
            with 'ivrc check'. Exit 0 written, 1 the input is not a valid file of \
            that format (the message gives its line and column), 2 a file cannot \
            be read or written. docs/import.md shows each mapping.

            Examples:
              ivrc import freeswitch ivr_menus/demo_ivr.xml -o flows/demo.yaml
              ivrc import freeswitch ivr.conf.xml --name main-line > flows/main-line.yaml
              ivrc import studio owl-bank-flow.json -o flows/owl-bank.yaml
              ivrc import connect example-air.json -o flows/example-air.yaml
            """)

    @Argument(help: "The source platform.")
    public var format: ImportFormatArgument

    @Argument(help: "The file to import.", completion: .file())
    public var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the flow here instead of standard output.", valueName: "out.yaml"),
            completion: .file(extensions: ["yaml"]))
    public var output: String?

    @Option(help: "The flow's name (default: from the source).")
    public var name: String?

    public init() {}

    public func validate() throws {
        if let name, !ImportRunner.isFlowName(name) {
            throw ValidationError("--name '\(name)' must match [a-z][a-z0-9_-]*")
        }
    }

    public func run() throws {
        try ImportRunner(format: format.format, name: name).run(file: file, output: output).emit()
    }
}

/// The formats `ivrc import` offers on its command line.
public enum ImportFormatArgument: String, CaseIterable, Sendable, ExpressibleByArgument {
    case freeswitch
    case studio
    case connect

    var format: ImportFormat {
        switch self {
        case .freeswitch: .freeswitch
        case .studio: .studio
        case .connect: .connect
        }
    }
}
