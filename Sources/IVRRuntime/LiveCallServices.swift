/// Live services a command plugs into a scripted call (`simulate --live`):
/// real webhooks, and the finished call's record for events. IVRLive's
/// `LiveServices` implements it; IVRRuntime itself does no networking.
public protocol LiveCallServices: Sendable {
    /// Performs a webhook for real; throws `WebhookFailure` when it fails.
    func webhook(_ request: WebhookRequest) async throws -> WebhookResponse
    /// Called as each menu choice or capture completes (posts its `dtmf` event
    /// at once); nil when the services post nothing live.
    func inputObserver(callID: String, flow: String, caller: String?, called: String?)
        -> (@Sendable (CallRecord.Input) -> Void)?
    /// The call is over (post its events; the `dtmf` ones only when
    /// `inputsPosted` is false, i.e. no observer posted them already).
    func callEnded(_ record: CallRecord, inputsPosted: Bool) async
    /// Delivers what is pending and releases connections; called once.
    func finish() async
}
