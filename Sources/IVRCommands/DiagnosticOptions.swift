import ArgumentParser
import Foundation

/// Options of every command that reports diagnostics (`check`, `build`, ...).
public struct DiagnosticOptions: ParsableArguments, Sendable {
    @Option(help: "How to print diagnostics: for people, as JSON, as SARIF 2.1.0, or as GitHub Actions annotations.")
    public var format: OutputFormat = .human

    @Flag(help: "Treat warnings as errors.")
    public var strict = false

    @Option(help: "When to colour human output (auto: on a terminal, unless NO_COLOR is set).")
    public var color: ColorMode = .auto

    public init() {}

    /// Whether to colour, for the real standard output and environment.
    public var colorEnabled: Bool {
        color.enabled(isTerminal: CommandOutput.stdoutIsTerminal, environment: ProcessInfo.processInfo.environment)
    }
}
