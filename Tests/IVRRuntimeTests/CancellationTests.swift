import Foundation
import Testing
@testable import IVRRuntime

/// A backend whose waits really wait (on a task sleep), to show that
/// cancelling the call's task ends every wait and still yields a record.
/// It reports each wait it enters, so the test cancels only once the call
/// is really waiting (a fixed delay raced the scheduler on a loaded CI).
final class SlowBackend: MediaBackend {
    let waiting: AsyncStream<Void>.Continuation
    init(waiting: AsyncStream<Void>.Continuation) { self.waiting = waiting }
    var now: Date { Date(timeIntervalSince1970: 0) }
    func play(file: String, transcript: String?) async throws {}
    func say(text: String, voice: String?, language: String?) async throws {}
    func collect(_ request: CollectRequest) async throws -> CollectResult {
        waiting.yield()
        do {
            try await Task.sleep(for: .seconds(3600))
        } catch {
            throw CallerHungUp(promptsStarted: request.prompts.count)
        }
        return CollectResult(digits: "", ending: .timeout, promptsPlayed: request.prompts.count)
    }
    func transfer(_ request: TransferRequest) async throws -> TransferResult { .connected }
    func record(_ request: RecordRequest) async throws -> String { "" }
    func webhook(_ request: WebhookRequest) async throws -> WebhookResponse { WebhookResponse(status: 200, body: []) }
    func hangup() async {}
}

@Suite struct CancellationTests {
    @Test func cancellingTheCallEndsTheWaitWithACallRecord() async throws {
        let bundle = try Harness.bundle("""
        ivr: c
        nodes:
          a:
            menu:
              prompt: {say: "Hello."}
              options: {"1": hangup}
        """)
        let (waits, waiting) = AsyncStream<Void>.makeStream()
        let task = Task { await CallDriver.run(bundle, flow: 0, backend: SlowBackend(waiting: waiting), caller: "x") }
        var entered = waits.makeAsyncIterator()
        _ = await entered.next()
        task.cancel()
        let record = await task.value
        #expect(record.outcome == .callerHangup)
        #expect(record.trace == ["say:Hello.", "caller-hangup"])
    }

    @Test func cancellingBeforeTheFirstWaitStillYieldsARecord() async throws {
        let bundle = try Harness.bundle("""
        ivr: c
        nodes:
          a:
            menu:
              prompt: {say: "Hello."}
              options: {"1": hangup}
        """)
        let (_, waiting) = AsyncStream<Void>.makeStream()
        let task = Task { await CallDriver.run(bundle, flow: 0, backend: SlowBackend(waiting: waiting), caller: "x") }
        task.cancel()
        let record = await task.value
        #expect(record.outcome == .callerHangup)
        #expect(record.trace.last == "caller-hangup")
    }
}
