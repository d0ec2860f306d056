import Foundation
import Synchronization
import IVRRuntime
import Logging

/// The live world around calls, shared by every call of a process
/// (`simulate --live`, `run`, the SIP backend): real webhooks over HTTP,
/// events posted to each flow's `events.url`, and the call-record log.
///
/// ```swift
/// let live = LiveServices(records: "calls.jsonl", events: EventsDirectory(paths: ["."], currentDirectory: cwd))
/// let backend = LiveBackend(wrapping: someBackend, services: live)
/// let report = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "+15551234567")
/// await live.callEnded(report, id: "c1", backend: "sip")
/// await live.shutdown()
/// ```
public final class LiveServices: Sendable {
    public let http: HTTPWebhookClient
    public let events: EventPoster
    public let directory: EventsDirectory
    let log: CallRecordLog?
    let logger: Logger

    /// `records`: the call-record log to append to (nil: none). `poster`:
    /// how events are delivered (default: through `http`).
    public init(records: String? = nil, events directory: EventsDirectory = EventsDirectory(),
                http: HTTPWebhookClient = HTTPWebhookClient(), logger: Logger = EventPoster.defaultLogger,
                poster: EventPoster? = nil) {
        self.http = http
        self.directory = directory
        self.log = records.map(CallRecordLog.init(path:))
        self.logger = logger
        self.events = poster ?? EventPoster(logger: logger, client: http)
    }

    /// A webhook step, for real.
    public func webhook(_ request: WebhookRequest) async throws -> WebhookResponse {
        try await http.perform(request)
    }

    /// A call is over: its record goes to the log first (so it is never lost),
    /// then its `dtmf` and `summary` events are queued for the flow's
    /// `events.url`. Returns the record.
    @discardableResult
    public func callEnded(_ report: CallReport, id: String, backend: String, to: String? = nil) async -> CallRecord {
        let record = report.record(id: id, backend: backend, to: to)
        await callEnded(record)
        return record
    }

    /// Posts each completed menu choice or capture as a `dtmf` event the
    /// moment it happens (queued: it never blocks the call). Pass the
    /// observer to `CallDriver.run(onInput:)` and end the call with
    /// `callEnded(_:inputsPosted: true)`.
    public func inputObserver(callID: String, flow: String, caller: String?, called: String?)
        -> (@Sendable (CallRecord.Input) -> Void)? {
        guard let url = directory.url(flow: flow, caller: caller, called: called) else { return nil }
        let counter = EventCounter()
        let events = self.events
        return { input in
            let seq = counter.next()
            events.post(url: url, json: CallEventPayload.dtmf(call: callID, flow: flow, input: input, seq: seq),
                        name: "dtmf \(seq) of call \(callID)")
        }
    }

    /// The same for a record made elsewhere; every event is posted now.
    public func callEnded(_ record: CallRecord) async {
        await callEnded(record, inputsPosted: false)
    }

    /// A call is over: the record goes to the log, then its `summary` (and,
    /// unless an input observer already posted them, its `dtmf` events).
    public func callEnded(_ record: CallRecord, inputsPosted: Bool) async {
        if let log {
            do {
                try await log.append(record)
            } catch {
                logger.error("call \(record.id): cannot append the call record: \(error)")
            }
        }
        guard let url = directory.url(flow: record.flow, caller: record.from, called: record.to) else { return }
        let all = CallEventPayload.all(for: record)
        for event in inputsPosted ? Array(all.suffix(1)) : all {
            events.post(url: url, json: event.json, name: event.name)
        }
    }

    /// Delivers what is queued (waiting at most `timeout` ms), closes the log
    /// and the HTTP client. Returns the event counters.
    @discardableResult
    public func shutdown(timeout: Int = 10_000) async -> EventPoster.Stats {
        let stats = await events.finish(timeout: timeout)
        await log?.close()
        await http.shutdown()
        return stats
    }
}

/// A media backend with real webhooks: everything else goes to the wrapped
/// backend (the terminal, SIP, or the scripted caller).
public final class LiveBackend<Inner: MediaBackend>: MediaBackend {
    public let inner: Inner
    let services: LiveServices

    public init(wrapping inner: Inner, services: LiveServices) {
        self.inner = inner
        self.services = services
    }

    public var now: Date { inner.now }
    public func play(file: String, transcript: String?) async throws { try await inner.play(file: file, transcript: transcript) }
    public func say(text: String, voice: String?, language: String?) async throws {
        try await inner.say(text: text, voice: voice, language: language)
    }
    public func collect(_ request: CollectRequest) async throws -> CollectResult { try await inner.collect(request) }
    public func transfer(_ request: TransferRequest) async throws -> TransferResult { try await inner.transfer(request) }
    public func record(_ request: RecordRequest) async throws -> String { try await inner.record(request) }
    public func waitForCallee(_ wait: CalleeWait) async throws -> Bool { try await inner.waitForCallee(wait) }
    public func webhook(_ request: WebhookRequest) async throws -> WebhookResponse {
        if Task.isCancelled { throw CallerHungUp() }
        return try await services.webhook(request)
    }
    public func hangup() async { await inner.hangup() }
}

/// `simulate --live` uses these services through IVRRuntime's hook.
extension LiveServices: LiveCallServices {
    /// Ends `simulate --live`: drains the events (at most 10 s) and, when
    /// some were not delivered, says how many on standard error.
    public func finish() async {
        let stats = await shutdown()
        let lost = stats.failed + stats.dropped + stats.pending
        if lost > 0 { logger.warning("\(lost) of \(stats.queued + stats.dropped) event(s) not delivered") }
    }
}

/// Numbers one call's events from 1, from whichever thread reports an input.
final class EventCounter: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock { v in
            v += 1
            return v
        }
    }
}
