import ArgumentParser
import IVRLive

/// `ivrc run PATH... [--flow NAME]`: a live call in the terminal.
public struct Run: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Call a flow from the terminal: prompts printed (and spoken), keys typed are DTMF, real timeouts.",
        discussion: """
            PATH is sources (files, folders) or one .ivrb bundle. Type 0-9, * and # as \
            keypad keys; a key typed during a prompt interrupts it (barge-in). Ctrl-C is \
            the caller hanging up. Prompts are spoken with espeak-ng when it is installed \
            and an audio device exists (--no-speech to only print them). Webhooks are \
            performed over HTTP and events posted to the flow's events.url.

            Examples:
              ivrc run examples/first-national-bank
              ivrc run acme.ivrb --flow 800 --records calls.jsonl
            """)

    @Argument(help: "Flow files or folders, or one .ivrb bundle.")
    public var paths: [String]

    @Option(help: "The flow to call, by name or extension (default: the only flow).")
    public var flow: String?

    @Option(help: "The calling number.")
    public var caller: String = "+15555550100"

    @Option(help: "Append the call record to this JSON-lines file.")
    public var records: String?

    @Flag(inversion: .prefixedNo, help: "Speak prompts with espeak-ng (default: when installed and an audio device exists).")
    public var speech: Bool?

    public init() {}

    public func run() async throws {
        var options = RunRunner.Options(paths: paths)
        options.flow = flow
        options.caller = caller
        options.records = records
        options.speech = speech
        let code = await RunRunner.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}
