import Foundation
import IVRCommands
import IVRTestSupport
import IVRBytecode
import IVRRuntime
import Logging
import Synchronization
import Testing
@testable import IVRLive

/// Events over real HTTP: shapes, retries with backoff, give-ups, a bounded
/// queue that never blocks the call, and a call record that is never lost.
@Suite(.serialized, .dedicatedExecutor) struct EventPosterTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func received(_ server: TestHTTPServer, _ name: String) async throws -> [[String: Any]] {
        try await server.get("/received/\(name)") as? [[String: Any]] ?? []
    }

    static func attempts(_ server: TestHTTPServer, _ name: String) async throws -> Int {
        (try await server.get("/attempts/\(name)") as? [String: Any])?["attempts"] as? Int ?? -1
    }

    /// A real call of the bank example (menu 1, then a capture) whose events go to the test server.
    @Test func aCallPostsItsDTMFEventsThenItsSummary() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bundle = try FlowBuild.build(paths: ["examples/first-national-bank"], currentDirectory: repositoryRoot).get().bundle
        let directory = EventsDirectory(urls: ["bank-main": server.url("/events/${flow}")])
        let services = LiveServices(records: folder.file("calls.jsonl"), events: directory, logger: Self.quiet,
                                    poster: EventPoster(backoff: 10, logger: Self.quiet))
        let backend = ScriptedBackend(tokens: try InputToken.parse("1 12345678#").get(), at: Date(timeIntervalSince1970: 1_795_000_000),
                                      webhooks: [("https://", WebhookResponse(status: 200, body: Array(#"{"tier":"gold"}"#.utf8)))])
        let report = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "+15551234567")
        let record = await services.callEnded(report, id: "call-1", backend: "simulate", to: "8000")
        let stats = await services.shutdown(timeout: 60_000)
        #expect(stats.delivered == 3 && stats.failed == 0 && stats.dropped == 0)

        let events = try await Self.received(server, "bank-main")
        #expect(events.count == 3)
        let sorted = events.sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }
        #expect(sorted.map { $0["event"] as? String } == ["dtmf", "dtmf", "summary"])
        #expect(sorted[0]["node"] as? String == "main-menu" && sorted[0]["digits"] as? String == "1" && sorted[0]["kind"] as? String == "menu")
        #expect(sorted[1]["kind"] as? String == "capture" && sorted[1]["digits"] as? String == "12345678")
        #expect(sorted[0]["call"] as? String == "call-1" && sorted[0]["flow"] as? String == "bank-main")
        let summary = sorted[2]
        #expect(summary["id"] as? String == "call-1")
        #expect(summary["outcome"] as? String == "transfer")
        #expect(summary["path"] as? [String] == report.visited)
        #expect((summary["destination"] as? [String: String])?["value"] == "2100")
        // The summary is the call record plus "event" and "seq".
        var fields = summary
        fields["event"] = nil
        fields["seq"] = nil
        let data = try JSONSerialization.data(withJSONObject: fields)
        #expect(CallRecord.parse(line: String(decoding: data, as: UTF8.self)) == record)
        // And the record is in the log.
        let log = try String(contentsOfFile: folder.file("calls.jsonl"), encoding: .utf8)
        #expect(log == record.jsonLine() + "\n")
    }

    /// With an input observer, each `dtmf` event is posted as the input
    /// completes, before the call ends; the summary follows at the end.
    @Test func dtmfEventsArePostedAsTheyHappen() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let bundle = try FlowBuild.build(paths: ["examples/first-national-bank"], currentDirectory: repositoryRoot).get().bundle
        let directory = EventsDirectory(urls: ["bank-main": server.url("/events/live-${flow}")])
        let services = LiveServices(events: directory, logger: Self.quiet, poster: EventPoster(backoff: 10, logger: Self.quiet))
        let observer = try #require(services.inputObserver(callID: "call-2", flow: "bank-main", caller: nil, called: nil))
        let backend = ScriptedBackend(tokens: try InputToken.parse("1 12345678#").get(), at: Date(timeIntervalSince1970: 1_795_000_000),
                                      webhooks: [("https://", WebhookResponse(status: 200, body: Array(#"{"tier":"gold"}"#.utf8)))])
        let report = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "+15551234567", onInput: observer)
        // Both dtmf events were queued during the call, before it ended.
        var before: [[String: Any]] = []
        for _ in 0..<200 where before.count < 2 {
            before = try await Self.received(server, "live-bank-main")
            if before.count < 2 { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(before.count == 2)
        #expect(Set(before.compactMap { $0["event"] as? String }) == ["dtmf"])
        await services.callEnded(report.record(id: "call-2", backend: "simulate"), inputsPosted: true)
        let stats = await services.shutdown(timeout: 60_000)
        #expect(stats.delivered == 3)
        let all = try await Self.received(server, "live-bank-main")
        #expect(all.sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }.map { $0["event"] as? String }
                == ["dtmf", "dtmf", "summary"])
    }

    @Test func sensitiveDigitsAreRedacted() {
        let input = CallRecord.Input(node: "pin", digits: "***", kind: "capture", sensitive: true)
        let json = jsonObject(CallEventPayload.dtmf(call: "c", flow: "f", input: input, seq: 4))
        #expect(json?["digits"] as? String == "***")
        #expect(json?["sensitive"] as? Bool == true)
        #expect(json?["seq"] as? Int == 4)
    }

    @Test func retriesWithExponentialBackoff() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let poster = EventPoster(attempts: 3, backoff: 200, logger: Self.quiet)
        let clock = ContinuousClock()
        let started = clock.now
        poster.post(url: server.url("/events/flaky?fail=2"), json: #"{"event":"summary","seq":1}"#, name: "summary")
        let stats = await poster.finish()
        // Two 503s, then delivered: waits of 200 ms and 400 ms between the tries.
        #expect(clock.now - started >= .milliseconds(600))
        #expect(stats == EventPoster.Stats(queued: 1, delivered: 1, failed: 0, dropped: 0, requests: 3))
        #expect(try await Self.attempts(server, "flaky") == 3)
        #expect(try await Self.received(server, "flaky").count == 1)
    }

    @Test func givesUpAfterThreeTriesButKeepsTheRecord() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let services = LiveServices(records: folder.file("calls.jsonl"),
                                    events: EventsDirectory(urls: ["f": server.url("/events/down?fail=1000")]), logger: Self.quiet,
                                    poster: EventPoster(backoff: 10, logger: Self.quiet))
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let record = CallRecord(id: "c9", flow: "f", from: "+1", to: "800", backend: "sip", start: start, answer: start,
                                end: start.addingTimeInterval(3), outcome: "caller-hangup", destination: nil, path: ["a"], inputs: [])
        await services.callEnded(record)
        let stats = await services.shutdown(timeout: 60_000)
        #expect(stats.failed == 1 && stats.delivered == 0 && stats.requests == 3)
        #expect(try await Self.attempts(server, "down") == 3)
        #expect(try String(contentsOfFile: folder.file("calls.jsonl"), encoding: .utf8) == record.jsonLine() + "\n")
    }

    @Test func unreachableEndpointIsCountedNotFatal() async throws {
        let server = try await TestHTTPServer.start()
        let url = server.url("/events/gone")
        server.stop()
        let poster = EventPoster(attempts: 2, backoff: 10, timeout: 500, logger: Self.quiet)
        poster.post(url: url, json: "{}", name: "summary")
        let stats = await poster.finish()
        #expect(stats.failed == 1 && stats.requests == 2)
    }

    /// Posting never waits for the network; a full queue drops (and counts) events.
    @Test func neverBlocksAndTheQueueIsBounded() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let poster = EventPoster(capacity: 2, attempts: 1, concurrency: 1, logger: Self.quiet)
        let clock = ContinuousClock()
        let started = clock.now
        for i in 1...10 {
            poster.post(url: server.url("/events/slow?delay=300"), json: #"{"seq":\#(i)}"#, name: "event \(i)")
        }
        #expect(clock.now - started < .milliseconds(100))
        let stats = await poster.finish()
        #expect(stats.queued + stats.dropped == 10)
        #expect(stats.dropped >= 5)
        #expect(stats.delivered == stats.queued)
        #expect(try await Self.received(server, "slow").count == stats.delivered)
    }

    /// Keys a menu or a capture refused are not `dtmf` events (live or
    /// from the record), and `seq` has no holes.
    @Test func refusedKeysAreNotEvents() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("f.yaml", """
            ivr: f
            events: {url: "\(server.url("/events/refused"))"}
            nodes:
              menu:
                menu:
                  prompt: {say: "Press 1."}
                  options: {"1": code}
              code:
                - capture: {prompt: {say: "Code?"}, into: code, min: 2, max: 4}
                - hangup
            """)
        var o = SimulateRunner.Options(paths: ["f.yaml"])
        o.currentDirectory = folder.path
        o.input = "9 1 5# 55#"
        o.live = true
        o.records = "calls.jsonl"
        o.liveServices = LiveServices(events: EventsDirectory(paths: ["f.yaml"], currentDirectory: folder.path), logger: Self.quiet)
        #expect(await SimulateRunner.run(o).exitCode == 0)
        let events = try await Self.received(server, "refused").sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }
        #expect(events.map { $0["seq"] as? Int } == [1, 2, 3])
        #expect(events.map { $0["digits"] as? String } == ["1", "55", nil])
        // The record keeps the refused keys, marked.
        let record = try #require(CallRecord.parse(line: try String(contentsOfFile: folder.file("calls.jsonl"), encoding: .utf8)))
        #expect(record.inputs.map(\.digits) == ["9", "1", "5", "55"])
        #expect(record.inputs.map { $0.invalid == true } == [true, false, true, false])
        // Posting from the record alone gives the same events.
        let all = CallEventPayload.all(for: record)
        #expect(all.count == 3)
        #expect(all.last?.json.contains(#""seq":3"#) == true)
    }

    /// An event still being tried when the exit deadline comes is logged as lost.
    @Test func eventsGivenUpAtExitAreLogged() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let messages = Messages()
        let logger = Logger(label: "test", factory: { _ in CapturingLogHandler(messages: messages) })
        let poster = EventPoster(timeout: 5000, logger: logger)
        poster.post(url: server.url("/events/stuck?delay=3000"), json: "{}", name: "summary of call c1")
        let clock = ContinuousClock()
        let started = clock.now
        let stats = await poster.finish(timeout: 300)
        #expect(clock.now - started < .seconds(2))
        #expect(stats.failed + stats.pending == 1 && stats.delivered == 0)
        #expect(messages.all.contains { $0.contains("summary of call c1") && $0.contains("not delivered") }, "\(messages.all)")
    }

    @Test func eventsURLsComeFromTheFlowSources() {
        let d = EventsDirectory(paths: ["examples"], currentDirectory: repositoryRoot)
        #expect(d.urls["bank-main"] == "https://hooks.firstnational.example/ivr/events")
        #expect(d.url(flow: "nope", caller: nil, called: nil) == nil)
        #expect(EventsDirectory(urls: ["f": "https://h/${flow}/${caller}"]).url(flow: "f", caller: "+1", called: nil) == "https://h/f/+1")
    }
}

/// Log messages a test reads back.
final class Messages: Sendable {
    private let list = Mutex<[String]>([])
    var all: [String] { list.withLock { $0 } }
    func add(_ m: String) { list.withLock { $0.append(m) } }
}

/// A log handler that keeps every message (warnings and up).
struct CapturingLogHandler: LogHandler {
    let messages: Messages
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        messages.add("\(event.message)")
    }
}
