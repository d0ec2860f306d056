import Foundation
import IVRRuntime
import IVRTestSupport
import NIOCore
import Prometheus
import Testing
@testable import IVRSIP

/// What `IVRMetrics` counts on a real server, read from a Prometheus
/// registry of the test's own (never the process-wide one, so these run
/// beside every other suite): one call end to end, and the late packets
/// of a stalled media clock.
@Suite(.serialized, .dedicatedExecutor) struct ServerMetricsTests {
    /// A registry and the metrics made from it.
    static func metrics() -> (PrometheusCollectorRegistry, IVRMetrics) {
        let registry = PrometheusCollectorRegistry()
        return (registry, IVRMetrics(factory: PrometheusMetricsFactory(registry: registry)))
    }

    /// The samples of the registry's text: `name{labels}` -> value.
    static func samples(_ registry: PrometheusCollectorRegistry) -> [String: Double] {
        var found: [String: Double] = [:]
        for line in registry.emitToString().split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            found[String(line[..<space])] = value
        }
        return found
    }

    @Test func oneCallCountsEverywhere() async throws {
        let (registry, metrics) = Self.metrics()
        // RFC timers (T1 500 ms): on a loaded machine the test's ACK may come after 64 x 20 ms.
        let h = try await ServerHarness(metrics: metrics) { config in
            config.t1 = 500
            config.t2 = 4000
        }
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "metrics-1", rtp: rtp))
        var heard = 0
        while heard < 5, await rtp.receive(timeout: 30) != nil { heard += 1 }
        #expect(heard == 5)
        #expect(Self.samples(registry)["ivrc_calls_active"] == 1)
        _ = await h.ask(h.request("BYE", callID: "metrics-1", cseq: 2, toTag: ok.toTag))
        #expect(await h.waitForRecords(1) == 1)
        #expect(await h.waitForNoCalls())
        #expect(await h.waitForPortsReleased())
        let s = Self.samples(registry)
        #expect(s["ivrc_calls_total{flow=\"main\",outcome=\"caller-hangup\"}"] == 1, "\(registry.emitToString())")
        #expect(s["ivrc_calls_active"] == 0)
        #expect(s["ivrc_call_setup_seconds_count"] == 1)
        #expect((s["ivrc_call_setup_seconds_sum"] ?? -1) >= 0)
        #expect((s["ivrc_rtp_packets_sent_total"] ?? 0) >= 5)
        #expect(s["ivrc_reloads_total{result=\"ok\"}"] == 0)
        #expect(s["ivrc_reloads_total{result=\"failed\"}"] == 0)
        await h.stop()
    }

    /// Two webhooks, one answered 200 and one 500: both timed, one an error.
    @Test func webhooksAreTimedAndTheirErrorsCounted() async throws {
        let (registry, metrics) = Self.metrics()
        let flow = """
            ivr: main
            extension: "100"
            nodes:
              start:
                - webhook:
                    url: https://hooks.example/ok
                    timeout: 3s
                    on-error: failed
                - webhook:
                    url: https://hooks.example/broken
                    timeout: 3s
                    on-error: failed
                - hangup
              failed: hangup
            """
        let h = try await ServerHarness(flow: flow, metrics: metrics, webhook: { request in
            WebhookResponse(status: request.url.hasSuffix("/ok") ? 200 : 500, body: Array("{}".utf8))
        })
        let rtp = UDPClient()
        _ = try #require(await h.establish(callID: "metrics-webhooks", rtp: rtp))
        #expect(await h.waitForRecords(1) == 1)
        let s = Self.samples(registry)
        #expect(s["ivrc_webhook_seconds_count"] == 2, "\(registry.emitToString())")
        #expect(s["ivrc_webhook_errors_total"] == 1)
        #expect(s["ivrc_calls_total{flow=\"main\",outcome=\"hangup\"}"] == 1)
        await h.stop()
    }

    /// The same text twice through espeak-ng: synthesized once (a miss), then read from the cache (a hit).
    @Test(.enabled(if: TextToSpeech.findEngine() != nil, TestTools.missing("espeak-ng", package: "espeak-ng")))
    func theTTSCacheCountsHitsAndMisses() async throws {
        let (registry, metrics) = Self.metrics()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tts = TextToSpeech.espeak(executable: try #require(TextToSpeech.findEngine()), cacheFolder: folder.path)
        let logger = CallServices.quietLogger()
        let first = await tts.render("Metrics count this.", voice: nil, language: nil, logger: logger, metrics: metrics)
        let second = await tts.render("Metrics count this.", voice: nil, language: nil, logger: logger, metrics: metrics)
        #expect(first == second)
        let s = Self.samples(registry)
        #expect(s["ivrc_tts_cache_misses_total"] == 1)
        #expect(s["ivrc_tts_cache_hits_total"] == 1)
    }

    /// `ivrc_registration_state{registrar}`: 0 while registering, 1 once
    /// the registrar's 200 grants the binding, 0 again once it is removed.
    @Test func registrationStateFollowsTheBinding() async throws {
        let (registry, metrics) = Self.metrics()
        let registrar = UDPClient()
        let h = try await ServerHarness(metrics: metrics) { config in
            config.t1 = 200
            config.t2 = 1600
            config.registrations = [RegistrationSettings(registrar: SIPURI("sip:127.0.0.1:\(registrar.port)")!,
                                                         aor: SIPURI("sip:4420@registrar.example")!,
                                                         credential: nil, expires: 3600, flow: nil)]
        }
        let series = "ivrc_registration_state{registrar=\"sip:127.0.0.1:\(registrar.port)\"}"
        let register = try #require(await RegistrationTests.register(at: registrar, from: h))
        #expect(Self.samples(registry)[series] == 0, "\(registry.emitToString())")
        registrar.send(RegistrationTests.ok(register, expires: 3600), toPort: h.port)
        var state = 0.0
        for _ in 0..<600 where state != 1 {
            try await Task.sleep(for: .milliseconds(50))
            state = Self.samples(registry)[series] ?? -1
        }
        #expect(state == 1, "\(registry.emitToString())")
        _ = await RegistrationTests.stop(h, answering: registrar)
        #expect(Self.samples(registry)[series] == 0, "removed on shutdown")
    }

    /// What `ivrc serve` reports about itself: the bundle serving (one
    /// series, replaced on reload), reloads by result, exhausted RTP ports.
    @Test func bundleInfoReloadsAndPortExhaustion() {
        let (registry, metrics) = Self.metrics()
        metrics.bundleServing(bundle: "aaa111", server: "node-1")
        #expect(Self.samples(registry)["ivrc_bundle_info{bundle=\"aaa111\",server=\"node-1\"}"] == 1)
        metrics.bundleServing(bundle: "bbb222", server: "node-1")
        metrics.reloaded(succeeded: true)
        metrics.reloaded(succeeded: false)
        metrics.reloaded(succeeded: true)
        metrics.rtpPortsExhausted()
        let s = Self.samples(registry)
        #expect(s["ivrc_bundle_info{bundle=\"bbb222\",server=\"node-1\"}"] == 1)
        #expect(s["ivrc_bundle_info{bundle=\"aaa111\",server=\"node-1\"}"] == nil, "\(registry.emitToString())")
        #expect(s["ivrc_reloads_total{result=\"ok\"}"] == 2)
        #expect(s["ivrc_reloads_total{result=\"failed\"}"] == 1)
        #expect(s["ivrc_rtp_ports_exhausted_total"] == 1)
    }

    /// A loop blocked for 60 ms: the ticks it caught up fired more than
    /// 5 ms after their deadlines, so their packets count as late; every
    /// late packet was also sent.
    @Test func aStalledClockCountsLatePackets() async throws {
        let (registry, metrics) = Self.metrics()
        let h = try await ServerHarness()
        let client = UDPClient()
        let clocks = MediaClocks(metrics: metrics)
        let agreement = SDPNegotiator.Agreement(codec: .pcmu, payloadType: 0, eventPayloadType: 101, remoteAddress: "127.0.0.1",
                                                remotePort: client.port, direction: .sendrecv)
        let session = try await MediaSession.open(host: "127.0.0.1", ports: h.server.endpoint.ports, group: h.server.endpoint.eventLoop,
                                                  clocks: clocks, agreement: agreement)
        _ = await client.receive(timeout: 30)
        let before = Self.samples(registry)["ivrc_rtp_packets_late_total"] ?? 0
        _ = try await session.eventLoop.submit { usleep(60_000) }.get()
        var late = before
        for _ in 0..<400 where late == before {
            _ = await client.receive(timeout: 1)
            late = Self.samples(registry)["ivrc_rtp_packets_late_total"] ?? 0
        }
        #expect(late > before, "\(registry.emitToString())")
        #expect((Self.samples(registry)["ivrc_rtp_packets_sent_total"] ?? 0) >= late)
        session.close()
        await h.stop()
    }
}
