import ArgumentParser

/// The options `simulate` and `run` share: who calls, when, and how
/// webhooks and transfers answer. Both runners read them with
/// `CallScript.parse`.
public struct CallScriptOptions: ParsableArguments {
    @Option(help: "The calling number.")
    public var caller: String = "+15555550100"

    @Option(help: "The call's time for open(), ISO 8601 (2026-11-23T10:00:00-05:00).")
    public var at: String?

    @Option(help: "PREFIX=JSON or PREFIX=@file.json: a canned 200 answer for URLs starting with PREFIX (repeatable).")
    public var webhook: [String] = []

    @Option(help: """
        VALUE=RESULT: how a transfer to the destination VALUE goes: answered, busy, no-answer, rejected or \
        failed (anything but answered runs its on-fail) (repeatable).
        """)
    public var transfer: [String] = []

    public init() {}
}
