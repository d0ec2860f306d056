import Foundation

/// Everything the interpreter needs from telephony, and nothing more. Every
/// method may suspend; each throws `CallerHungUp` when the caller hangs up
/// (and a cancelled task counts as a hang-up). Time comes from `now`, so a
/// scripted backend runs on a virtual clock.
public protocol MediaBackend: AnyObject {
    /// The backend's clock: a real or a virtual one.
    var now: Date { get }
    func play(file: String, transcript: String?) async throws
    func say(text: String, voice: String?, language: String?) async throws
    /// Plays the prompts (barge-in) and waits for keys.
    func collect(_ request: CollectRequest) async throws -> CollectResult
    func transfer(_ request: TransferRequest) async throws -> TransferResult
    /// Records the caller; returns where the recording is (a file name or URL).
    func record(_ request: RecordRequest) async throws -> String
    /// Performs an HTTP request; throws `WebhookFailure` when there is no answer.
    func webhook(_ request: WebhookRequest) async throws -> WebhookResponse
    /// The flow hangs up.
    func hangup() async
    /// Waits for the callee's beep or silence (`wait`); true when it came
    /// before the timeout.
    func waitForCallee(_ wait: CalleeWait) async throws -> Bool
}

extension MediaBackend {
    /// Backends with no callee audio to listen to (the scripted caller, the
    /// terminal): the beep or the silence is there at once.
    public func waitForCallee(_ wait: CalleeWait) async throws -> Bool { true }
}
