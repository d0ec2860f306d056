import Foundation
import Logging
import IVRRuntime
import Synchronization

/// Delivers call events (JSON objects) to `events.url` endpoints without
/// ever making a call wait: `post` only puts the event in a bounded queue;
/// a background task sends it, retrying with exponential backoff.
///
/// - Each event gets up to `attempts` tries; a try fails on no connection, a
///   timeout, or a status outside 200-299. Between tries it waits `backoff`,
///   then twice that, and so on.
/// - At most `concurrency` events are in flight at once, so one slow
///   endpoint cannot hold back every other call's events forever.
/// - When the queue holds `capacity` events, new ones are dropped.
/// - Failures and drops are logged (warning) and counted in `stats`; the call
///   record is written to the call-record log independently, so it is never lost.
public final class EventPoster: Sendable {
    /// Delivery counters.
    public struct Stats: Sendable, Equatable {
        /// Events accepted by `post`.
        public var queued = 0
        public var delivered = 0
        /// Events given up after every try failed.
        public var failed = 0
        /// Events refused because the queue was full.
        public var dropped = 0
        /// HTTP requests made (tries, including retries).
        public var requests = 0
        public var pending: Int { queued - delivered - failed }
    }

    /// One event to deliver.
    struct Item: Sendable {
        var url: String
        var body: String
        var name: String
    }

    private let state = Counters()
    private let continuation: AsyncStream<Item>.Continuation
    private let worker: Task<Void, Never>
    let logger: Logger
    /// The client this poster made (and shuts down in `finish`), when none was given.
    private let ownedClient: HTTPWebhookClient?

    /// `client`: the process's shared HTTP client (without one, the poster
    /// makes its own and shuts it down in `finish`). Times are milliseconds.
    public init(capacity: Int = 1000, attempts: Int = 3, backoff: Int = 250, timeout: Int = 5000, concurrency: Int = 8,
                logger: Logger = EventPoster.defaultLogger, client shared: HTTPWebhookClient? = nil) {
        let client = shared ?? HTTPWebhookClient()
        ownedClient = shared == nil ? client : nil
        let (stream, continuation) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingOldest(max(1, capacity)))
        self.continuation = continuation
        self.logger = logger
        let state = self.state
        worker = Task {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await item in stream {
                    if running >= max(1, concurrency) {
                        await group.next()
                        running -= 1
                    }
                    running += 1
                    group.addTask {
                        let ok = await Self.deliver(item, client: client, attempts: max(1, attempts), backoff: backoff,
                                                    timeout: timeout, state: state, logger: logger)
                        state.update { if ok { $0.delivered += 1 } else { $0.failed += 1 } }
                    }
                }
            }
        }
    }

    /// Queues one event (a JSON object's text) for `url`; never waits.
    /// `name` is how log messages call it (`summary of call c1`).
    public func post(url: String, json: String, name: String) {
        switch continuation.yield(Item(url: url, body: json, name: name)) {
        case .enqueued:
            state.update { $0.queued += 1 }
        case .dropped:
            state.update { $0.dropped += 1 }
            logger.warning("event queue full: dropped \(name) for \(url)")
        case .terminated:
            state.update { $0.dropped += 1 }
            logger.warning("events are shut down: dropped \(name) for \(url)")
        @unknown default:
            state.update { $0.dropped += 1 }
        }
    }

    public var stats: Stats { state.value }

    /// `ivrc.events`, warnings and errors only.
    public static var defaultLogger: Logger {
        var logger = Logger(label: "ivrc.events")
        logger.logLevel = .warning
        return logger
    }

    /// Stops accepting events and waits for the queued ones to be delivered
    /// or given up, at most `timeout` milliseconds; returns the final counts.
    @discardableResult
    public func finish(timeout: Int = 10_000) async -> Stats {
        continuation.finish()
        let worker = self.worker
        // At the deadline the worker is cancelled: tries in flight stop, the rest are counted as failed.
        let deadline = Task {
            try? await Task.sleep(for: .milliseconds(max(1, timeout)))
            worker.cancel()
        }
        await worker.value
        deadline.cancel()
        await ownedClient?.shutdown()
        let s = stats
        if s.pending > 0 { logger.warning("\(s.pending) event(s) still undelivered at exit") }
        return s
    }

    static func deliver(_ item: Item, client: HTTPWebhookClient, attempts: Int, backoff: Int, timeout: Int,
                        state: Counters, logger: Logger) async -> Bool {
        var delay = backoff
        var reason = "not tried"
        for attempt in 1...attempts {
            if Task.isCancelled {
                // finish() ran out of time: say so, the event is lost.
                logger.warning("\(item.name) to \(item.url) not delivered: gave up at exit after \(attempt - 1) of \(attempts) tries (\(reason))")
                return false
            }
            state.update { $0.requests += 1 }
            do {
                _ = try await client.send(url: item.url, json: item.body, timeout: timeout)
                return true
            } catch {
                reason = (error as? WebhookFailure)?.reason ?? String(describing: error)
                if Task.isCancelled { reason = "cancelled at exit during try \(attempt)" }
                if attempt < attempts {
                    logger.info("\(item.name) to \(item.url): try \(attempt) failed (\(reason)); retrying in \(delay)ms")
                    try? await Task.sleep(for: .milliseconds(delay))
                    delay *= 2
                } else {
                    logger.warning("\(item.name) to \(item.url) not delivered after \(attempts) tries: \(reason)")
                    return false
                }
            }
        }
        return false  // not reached: the last try returns
    }
}

/// The poster's counters, shared with its background task.
final class Counters: Sendable {
    private let mutex = Mutex(EventPoster.Stats())
    func update(_ change: (inout EventPoster.Stats) -> Void) { mutex.withLock { change(&$0) } }
    var value: EventPoster.Stats { mutex.withLock { $0 } }
}
