import IVRRuntime

/// Live services on Foundation's URLSession for a scripted call
/// (`SimulateRunner.Options.liveServices`): webhooks through `LiveHTTP`, no
/// events posted. For a library user who wants live webhooks without SwiftNIO.
public struct URLSessionServices: LiveCallServices {
    public init() {}

    public func webhook(_ request: WebhookRequest) async throws -> WebhookResponse {
        try await LiveHTTP.perform(request)
    }

    public func inputObserver(callID: String, flow: String, caller: String?, called: String?)
        -> (@Sendable (CallRecord.Input) -> Void)? {
        nil
    }

    public func callEnded(_ record: CallRecord, inputsPosted: Bool) async {}

    public func finish() async {}
}
