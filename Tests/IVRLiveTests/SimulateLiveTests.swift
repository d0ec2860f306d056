import Foundation
import IVRCommands
import IVRTestSupport
import IVRRuntime
import Testing
@testable import IVRLive

/// `ivrc simulate --live`: the scripted caller with real webhooks and events
/// over HTTP (to a loopback server), through IVRRuntime's `LiveCallServices` hook.
@Suite(.dedicatedExecutor) struct SimulateLiveTests {
    @Test func webhooksAndEventsOverHTTP() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("live.yaml", """
            ivr: live
            events:
              url: \(server.url("/events/${flow}"))
            nodes:
              menu:
                menu:
                  prompt: {say: "Press 1 to look up your account."}
                  options:
                    "1": lookup
              lookup:
                - capture:
                    prompt: {say: "Enter your PIN."}
                    into: pin
                    min: 4
                    max: 4
                    sensitive: true
                - webhook:
                    url: \(server.url("/json"))
                    into: customer
                    timeout: 2s
                    on-error: failed
                - say: "Hello ${customer.name.first}, ${customer.tier} member."
                - hangup
              failed:
                - say: Sorry.
                - hangup
            """)
        var o = SimulateRunner.Options(paths: ["live.yaml"])
        o.currentDirectory = folder.path
        o.input = "1 1234"
        o.json = true
        o.live = true
        o.records = "calls.jsonl"
        o.liveServices = LiveServices(events: EventsDirectory(paths: ["live.yaml"], currentDirectory: folder.path))
        let (output, code) = await SimulateRunner.run(o)
        #expect(code == 0)
        #expect(output.contains(#""text":"Hello Ada, gold member.""#))

        // finish() drained the queue before run returned.
        let events = try #require(try await server.get("/received/live") as? [[String: Any]])
        let byEvent = events.sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }
        #expect(byEvent.map { $0["event"] as? String } == ["dtmf", "dtmf", "summary"])
        #expect(byEvent[1]["digits"] as? String == "***" && byEvent[1]["sensitive"] as? Bool == true)
        #expect(byEvent[2]["outcome"] as? String == "hangup")
        let log = try String(contentsOfFile: folder.file("calls.jsonl"), encoding: .utf8)
        #expect(log.contains(#""id":"\#(byEvent[2]["id"] as? String ?? "?")""#))
        #expect(!log.contains("1234"))
    }

    /// A transfer to a value copied from a sensitive capture: the `dtmf`
    /// and `summary` events, the record and the output all show `***`.
    @Test func sensitiveCopiesStayOutOfEventsAndRecords() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("pin.yaml", """
            ivr: pin
            events:
              url: \(server.url("/events/${flow}"))
            nodes:
              ask:
                - capture: {prompt: {say: "PIN"}, into: pin, min: 4, max: 4, sensitive: true}
                - set: {copy: "${pin}", part: "x${copy}y"}
                - transfer: {extension: "${copy}", allow: "^[0-9]{4}$"}
            """)
        var o = SimulateRunner.Options(paths: ["pin.yaml"])
        o.currentDirectory = folder.path
        o.input = "1234"
        o.json = true
        o.live = true
        o.records = "calls.jsonl"
        o.liveServices = LiveServices(events: EventsDirectory(paths: ["pin.yaml"], currentDirectory: folder.path))
        let (output, code) = await SimulateRunner.run(o)
        #expect(code == 0)
        #expect(output.contains(#""destination":{"kind":"extension","value":"***"}"#), "\(output)")
        #expect(!output.contains("1234"), "\(output)")
        let events = try #require(try await server.get("/received/pin") as? [[String: Any]])
        let byEvent = events.sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }
        #expect(byEvent.map { $0["event"] as? String } == ["dtmf", "summary"])
        #expect(byEvent.first?["digits"] as? String == "***")
        #expect((byEvent.last?["destination"] as? [String: Any])?["value"] as? String == "***")
        let posted = try JSONSerialization.data(withJSONObject: events)
        #expect(!String(decoding: posted, as: UTF8.self).contains("1234"))
        let log = try String(contentsOfFile: folder.file("calls.jsonl"), encoding: .utf8)
        #expect(log.contains(#""destination":{"kind":"extension","value":"***"}"#))
        #expect(!log.contains("1234"))
    }
}
