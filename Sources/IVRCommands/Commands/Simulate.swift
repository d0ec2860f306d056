import ArgumentParser
import IVRLive
import IVRRuntime

/// `ivrc simulate PATH... [--flow NAME] [--input TOKENS] ...`: one scripted call.
public struct Simulate: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run one call against a scripted caller.",
        discussion: """
            PATH is sources (files, folders) or one .ivrb bundle; both give the same \
            result. Input tokens, separated by spaces or commas: keys ("1", "123456#"), \
            "-" (silence until the timeout), "!" (the caller hangs up). Keys a wait does \
            not use stay buffered (type-ahead). When tokens run out the caller is silent.

            Without a canned --webhook answer or --live, a webhook takes its on-error path. \
            Transfers are answered unless --transfer VALUE=RESULT says otherwise (busy, \
            no-answer, rejected, failed: the transfer's on-fail runs). A bridged transfer \
            (via: bridge) that is answered is bridged; when it asks for a confirm key, \
            --callee-input gives the callee's keys (no key: the attempt is no-answer).

            Examples:
              ivrc simulate . --flow acme-main --input "2 123456#"
              ivrc simulate acme.ivrb --flow 800 --input 1 --json
              ivrc simulate . --webhook https://api.acme.example/='{"tier":"gold"}'
              ivrc simulate . --input 1 --transfer sip:sales@pbx.acme.example=busy
              ivrc simulate . --input 1 --callee-input 1
            """)

    @Argument(help: "Flow files or folders, or one .ivrb bundle.")
    public var paths: [String]

    @Option(help: "The flow to call, by name or extension (default: the only flow).")
    public var flow: String?

    // Unconditional: the tokens may start with "-" (silence), as in --input "- 1".
    @Option(parsing: .unconditional, help: "Input tokens for the scripted caller.")
    public var input: String = ""

    @Option(parsing: .unconditional,
            help: "The callee's keys for a bridged transfer's confirm (tokens as for --input; A-D allowed).")
    public var calleeInput: String = ""

    @OptionGroup public var script: CallScriptOptions

    @Flag(help: "Print the call as JSON.")
    public var json = false

    @Flag(help: "Perform webhooks without a canned answer over real HTTP.")
    public var live = false

    @Option(help: "Append the call record to this JSON-lines file.")
    public var records: String?

    @Flag(help: "Print every executed instruction (an execution trace) first.")
    public var trace = false

    public init() {}

    public func run() async throws {
        var options = SimulateRunner.Options(paths: paths)
        options.flow = flow
        options.input = input
        options.calleeInput = calleeInput
        options.caller = script.caller
        options.at = script.at
        options.json = json
        options.webhooks = script.webhook
        options.transfers = script.transfer
        options.live = live
        if live {
            // Real HTTP and events (IVRLive); the record is written by the runner.
            options.liveServices = LiveServices(events: EventsDirectory(paths: paths, currentDirectory: options.currentDirectory))
        }
        options.records = records
        options.trace = trace
        let (text, code) = await SimulateRunner.run(options)
        try CommandOutput(stdout: code == 0 ? text : "", stderr: code == 0 ? "" : text, exitCode: code).emit()
    }
}
