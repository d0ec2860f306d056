import ArgumentParser
import IVRLive

/// `ivrc run PATH... [--flow NAME]`: a live call in the terminal.
public struct Run: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Call a flow from the terminal: prompts printed (and spoken), keys typed are DTMF, real timeouts.",
        discussion: """
            PATH is sources (files, folders) or one .ivrb bundle. Type 0-9, * and # as \
            keypad keys; a key typed during a prompt interrupts it (barge-in). Ctrl-C is \
            the caller hanging up. Prompts are spoken with espeak-ng when it is installed \
            and an audio device exists (--no-speech to only print them). Webhooks are \
            performed over HTTP (unless --webhook cans an answer) and events posted to \
            the flow's events.url. Transfers connect unless --transfer VALUE=RESULT says \
            otherwise; --at starts the call's clock (what open() reads) at that time.

            Examples:
              ivrc run examples/first-national-bank
              ivrc run acme.ivrb --flow 800 --records calls.jsonl
              ivrc run examples/dental-front-desk --at 2026-11-23T10:00:00-06:00 --transfer scheduling=busy
            """)

    @Argument(help: "Flow files or folders, or one .ivrb bundle.")
    public var paths: [String]

    @Option(help: "The flow to call, by name or extension (default: the only flow).")
    public var flow: String?

    @OptionGroup public var script: CallScriptOptions

    @Option(help: "Append the call record to this JSON-lines file.")
    public var records: String?

    @Flag(inversion: .prefixedNo, help: "Speak prompts with espeak-ng (default: when installed and an audio device exists).")
    public var speech: Bool?

    public init() {}

    public func run() async throws {
        var options = RunRunner.Options(paths: paths)
        options.flow = flow
        options.caller = script.caller
        options.at = script.at
        options.webhooks = script.webhook
        options.transfers = script.transfer
        options.records = records
        options.speech = speech
        let code = await RunRunner.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}
