/// Live services a command plugs into a scripted call (`simulate --live`):
/// real webhooks, and the finished call's record for events. IVRLive's
/// `LiveServices` implements it; IVRRuntime itself does no networking.
public protocol LiveCallServices: Sendable {
    /// Performs a webhook for real; throws `WebhookFailure` when it fails.
    func webhook(_ request: WebhookRequest) async throws -> WebhookResponse
    /// The call is over (post its events).
    func callEnded(_ record: CallRecord) async
    /// Delivers what is pending and releases connections; called once.
    func finish() async
}
