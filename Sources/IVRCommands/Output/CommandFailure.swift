import IVRBytecode
import IVRCheck
import IVRRuntime
import IVRSyntax

/// Why a command stopped: the message it prints (one or more lines, without
/// the last newline) and its exit code. Every typed error of the stage
/// modules that reaches the user is turned into one here, so each message
/// and exit code is written once.
public struct CommandFailure: Error, Sendable, Equatable {
    public var message: String
    /// One of `CommandOutput.Code`.
    public var exitCode: Int32

    /// The message and its newline on standard error.
    public var output: CommandOutput { CommandOutput(stderr: message + "\n", exitCode: exitCode) }

    /// The message and its newline, and the exit code, as the runners return them.
    public var printed: (output: String, exitCode: Int32) { (message + "\n", exitCode) }
}

extension CommandFailure {
    /// `build`, `simulate`, `test`, `run`, `serve` and `call` on sources.
    public init(_ error: FlowBuildError) {
        switch error {
        case .severalProjects(let parts):
            let names = parts.map { $0.paths.joined(separator: " ") }.joined(separator: "; ")
            self.init(message: "error: the paths hold \(parts.count) projects (\(names)), each with its own "
                          + "ivr-project.yaml; a bundle is built from one project: give one of them",
                      exitCode: CommandOutput.Code.usage)
        case .unreadable(let e):
            self.init(message: "error: \(e.message)", exitCode: CommandOutput.Code.ioError)
        case .refused(let diagnostics, let strict):
            let errors = diagnostics.count { $0.severity == .error }
            let warnings = diagnostics.count - errors
            var text = diagnostics.map { HumanFormatter.plain.diagnostic($0, detail: .line) }.joined()
            var counts = errors == 0 ? [] : [Self.count(errors, "error")]
            if strict && warnings > 0 { counts.append(Self.count(warnings, "warning") + " (--strict)") }
            text += "error: build refused: " + counts.joined(separator: ", ")
            self.init(message: text, exitCode: CommandOutput.Code.failure)
        case .noFlows(let paths):
            self.init(message: Self.noFlows(in: paths), exitCode: CommandOutput.Code.failure)
        case .doesNotVerify(let e):
            self.init(message: "internal error: the compiled bundle does not verify: \(e)", exitCode: CommandOutput.Code.ioError)
        }
    }

    /// `simulate`, `run`, `serve` and `call`: loading PATH and picking `--flow`.
    public init(_ error: BundleSourceError) {
        switch error {
        case .bundleAndSources(let bundle):
            self.init(message: "error: \(bundle) is a bundle: give one .ivrb, or flow sources, not both",
                      exitCode: CommandOutput.Code.usage)
        case .unreadable(let path):
            self.init(message: Self.cannotRead(path), exitCode: CommandOutput.Code.ioError)
        case .invalid(let path, let e):
            self.init(message: Self.invalidBundle(path, e), exitCode: CommandOutput.Code.ioError)
        case .build(let e):
            self.init(e)
        case .noFlowNamed(let name, let flows):
            self.init(message: Self.noFlowNamed(name, flows: flows), exitCode: CommandOutput.Code.usage)
        case .severalFlows(let flows):
            self.init(message: "error: several flows; pick one with --flow: \(flows.joined(separator: ", "))",
                      exitCode: CommandOutput.Code.usage)
        }
    }

    /// `--at`, `--webhook` and `--transfer` of `simulate` and `run`.
    public init(_ error: CallScriptError) {
        switch error {
        case .invalidTime(let at):
            self.init(message: "error: invalid --at '\(at)': use ISO 8601, like 2026-11-23T10:00:00-05:00",
                      exitCode: CommandOutput.Code.usage)
        case .webhookSyntax(let spec):
            self.init(message: "error: --webhook '\(spec)' must be PREFIX=JSON or PREFIX=@file.json",
                      exitCode: CommandOutput.Code.usage)
        case .webhookFileUnreadable(let prefix, let path):
            self.init(message: "error: --webhook \(prefix): cannot read \(path)", exitCode: CommandOutput.Code.ioError)
        case .webhookNotJSON(let prefix, let file):
            self.init(message: "error: --webhook \(prefix): \(file ?? "the response") is not valid JSON",
                      exitCode: CommandOutput.Code.usage)
        case .webhookNotAnObject(let prefix, let file):
            self.init(message: "error: --webhook \(prefix): \(file ?? "the response") is JSON but not an object",
                      exitCode: CommandOutput.Code.usage)
        case .transferSyntax(let spec):
            self.init(message: "error: --transfer '\(spec)' must be VALUE=RESULT, like sip:sales@pbx.acme.example=busy",
                      exitCode: CommandOutput.Code.usage)
        case .unknownTransferResult(let spec, let word):
            let (message, guess) = TransferOutcome.unknown(word)
            self.init(message: "error: --transfer '\(spec)': \(message)" + (guess.map { "; did you mean '\($0)'?" } ?? ""),
                      exitCode: CommandOutput.Code.usage)
        }
    }

    /// `test`: a project whose tests could not run.
    public init(_ error: FlowTestSuite.Failure) {
        switch error {
        case .build(let e): self.init(e)
        case .unreadable(let file): self.init(message: Self.cannotRead(file), exitCode: CommandOutput.Code.ioError)
        }
    }

    /// A bad `--input` token of `simulate`.
    public init(_ error: InputTokenError) {
        self.init(message: "error: \(error)", exitCode: CommandOutput.Code.usage)
    }

    /// `error: cannot read PATH` (a file given or named on the command line).
    static func cannotRead(_ path: String) -> String { "error: cannot read \(path)" }

    /// `error: cannot write PATH`.
    static func cannotWrite(_ path: String) -> CommandFailure {
        CommandFailure(message: "error: cannot write \(path)", exitCode: CommandOutput.Code.ioError)
    }

    /// A file that is not a valid bundle, and why.
    static func invalidBundle(_ path: String, _ error: BundleError) -> String { "error: \(path): \(error)" }

    /// A project (or test run) with no flow file.
    static func noFlows(in paths: [String]) -> String {
        "error: no flows found in \(paths.isEmpty ? "." : paths.joined(separator: " "))"
    }

    /// `--flow` names none of the bundle's flows (`simulate`, `run`, `call`).
    static func noFlowNamed(_ name: String, flows: [String]) -> String {
        "error: no flow named '\(name)'; flows: \(flows.joined(separator: ", "))"
    }

    /// `1 error`, `2 warnings`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
