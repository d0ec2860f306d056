import Foundation
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRSIP

/// Dialogs through a proxy (issue 13; RFC 3261 12.1, 12.2, 16.12): a real
/// Kamailio (scripts/kamailio/proxy.cfg, `record_route()` on) between ivrc
/// and a SIPp peer on loopback. The proxy record-routes the INVITE, so
/// every later request of the dialog, from either side, must go through it:
/// ivrc's REFER and BYE as `ivrc serve`, its ACK and BYE as `ivrc call`
/// (which also sends its INVITE to `--proxy` with a Route header). A
/// request relayed by Kamailio reaches SIPp with two Vias, Kamailio's on
/// top, and leaves an `ivrc-e2e:` line in Kamailio's log; one sent around
/// the proxy has ivrc's Via alone.
@Suite(.serialized, .dedicatedExecutor,
       .enabled(if: TestTools.onPath("kamailio"), TestTools.missing("kamailio", package: "kamailio")),
       .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")),
       .timeLimit(.minutes(3)))
struct KamailioTests {
    /// Answers, plays 3 s of "goodbye", hangs up.
    static let hangUpFlow = """
        ivr: main
        extension: "100"
        nodes:
          start:
            - play: goodbye.pcm
            - hangup
        """

    /// The Via header values of a message, top first (long and compact forms).
    static func vias(_ message: SIPMessageView) -> [String] {
        message.text.components(separatedBy: "\r\n").prefix { !$0.isEmpty }.compactMap { line in
            let lower = line.lowercased()
            for name in ["via:", "v:"] where lower.hasPrefix(name) { return String(line.dropFirst(name.count)).trimmingCharacters(in: .whitespaces) }
            return nil
        }
    }

    /// Whether SIPp got `method` through the proxy: two Vias, the proxy's on
    /// top. `nil` when SIPp got no such request.
    static func cameThroughProxy(_ method: String, _ sipp: SIPpRun, _ proxy: KamailioProxy) -> Bool? {
        guard let request = sipp.requests(method).first else { return nil }
        let vias = Self.vias(request)
        return vias.count == 2 && vias[0].hasPrefix("SIP/2.0/UDP 127.0.0.1:\(proxy.port);")
    }

    /// RFC 3261 timers (T1 = 500 ms): a REFER or BYE that goes around the
    /// proxy waits its full 32 s for an answer instead of failing at 1.28 s,
    /// and a loaded machine does not time a transaction out.
    static func harness(flow: String = ServerHarness.flow, outboundProxy proxy: KamailioProxy? = nil) async throws -> ServerHarness {
        try await ServerHarness(flow: flow) { config in
            config.t1 = 500
            config.t2 = 4000
            if let proxy { config.outboundProxy = SIPURI("sip:127.0.0.1:\(proxy.port);lr") }
        }
    }

    /// The record of SIPp's call (by its Call-ID), checked for `outcome`;
    /// then waits for the server to hold no call and stops it.
    static func record(of sipp: SIPpRun, in h: ServerHarness, outcome: String) async throws -> CallRecord {
        let callID = try #require(sipp.firstHeader("Call-ID"))
        let record = try #require(await h.record(callID), "the call has its record")
        #expect(record.outcome == outcome)
        #expect(await h.waitForNoCalls())
        await h.stop()
        return record
    }

    /// Once ivrc's side has ended: SIPp as callee gets 60 s more to end
    /// its scenario, then is ended (without an INVITE it would wait forever).
    static func bound(_ sipp: SIPpRun) {
        Task {
            try? await Task.sleep(for: .seconds(60))
            sipp.kill()
        }
    }

    static func startProxy() async throws -> KamailioProxy {
        let proxy = try KamailioProxy()
        guard await proxy.ready() else {
            let report = proxy.report
            proxy.stop()
            throw ProxyNotReady(report: report)
        }
        return proxy
    }

    struct ProxyNotReady: Error, CustomStringConvertible {
        var report: String
        var description: String { "Kamailio did not answer OPTIONS within 60 s\n\(report)" }
    }

    /// SIPp calls `ivrc serve` (a harness running `flow`) with Kamailio as
    /// its outbound proxy; returns when SIPp's scenario has ended.
    static func callThroughProxy(scenario: String, flow: String) async throws -> (KamailioProxy, ServerHarness, SIPpRun, ProcessRun) {
        let proxy = try await startProxy()
        let h: ServerHarness
        do { h = try await harness(flow: flow) } catch { proxy.stop(); throw error }
        let sipp = SIPpRun(scenario: scenario, remotePort: proxy.port, extra: ["-key", "ivrc_port", String(h.port)])
        let run = try await sipp.result()
        return (proxy, h, sipp, run)
    }

    /// The flow transfers: the REFER reaches the caller through Kamailio,
    /// the caller's 202 and NOTIFY (`SIP/2.0 200 OK`) go back the same way,
    /// and ivrc's BYE goes through Kamailio too.
    @Test func referAndByeOfServeGoThroughTheProxy() async throws {
        let (proxy, h, sipp, run) = try await Self.callThroughProxy(scenario: "caller-via-proxy-transferred.xml", flow: DialogRoutingTests.transferFlow)
        defer { sipp.cleanUp(); proxy.stop() }
        let details = "\(sipp.report(run))\n\(proxy.report)"
        #expect(run.status == 0, "\(details)")
        #expect(Self.cameThroughProxy("REFER", sipp, proxy) == true, "the REFER did not come through Kamailio:\n\(details)")
        #expect(proxy.relayed("REFER").contains { $0.hasPrefix("REFER from 127.0.0.1:\(h.port) ") }, "\(details)")
        #expect(proxy.relayed("NOTIFY").contains { $0.hasPrefix("NOTIFY from 127.0.0.1:\(sipp.port) ") }, "\(details)")
        #expect(Self.cameThroughProxy("BYE", sipp, proxy) == true, "the BYE did not come through Kamailio:\n\(details)")
        #expect(proxy.relayed("BYE").contains { $0.hasPrefix("BYE from 127.0.0.1:\(h.port) ") }, "\(details)")
        #expect(proxy.refused.isEmpty, "\(details)")
        let record = try await Self.record(of: sipp, in: h, outcome: "transfer")
        #expect(record.destination == CallRecord.Destination(kind: "extension", value: "200"))
    }

    /// The flow hangs up: its BYE goes through Kamailio.
    @Test func byeOfServeGoesThroughTheProxy() async throws {
        let (proxy, h, sipp, run) = try await Self.callThroughProxy(scenario: "caller-via-proxy-hung-up-on.xml", flow: Self.hangUpFlow)
        defer { sipp.cleanUp(); proxy.stop() }
        let details = "\(sipp.report(run))\n\(proxy.report)"
        #expect(run.status == 0, "\(details)")
        #expect(proxy.relayed("ACK").contains { $0.hasPrefix("ACK from 127.0.0.1:\(sipp.port) ") }, "\(details)")
        #expect(Self.cameThroughProxy("BYE", sipp, proxy) == true, "the BYE did not come through Kamailio:\n\(details)")
        #expect(proxy.relayed("BYE").contains { $0.hasPrefix("BYE from 127.0.0.1:\(h.port) ") }, "\(details)")
        #expect(proxy.refused.isEmpty, "\(details)")
        _ = try await Self.record(of: sipp, in: h, outcome: "hangup")
    }

    /// The caller hangs up: its BYE, routed by the Record-Route of ivrc's
    /// 200, goes through Kamailio and gets ivrc's 200.
    @Test func callerByeThroughTheProxyIsAnswered() async throws {
        let (proxy, h, sipp, run) = try await Self.callThroughProxy(scenario: "caller-via-proxy-hangs-up.xml", flow: ServerHarness.flow)
        defer { sipp.cleanUp(); proxy.stop() }
        let details = "\(sipp.report(run))\n\(proxy.report)"
        #expect(run.status == 0, "\(details)")
        #expect(proxy.relayed("BYE").contains { $0.hasPrefix("BYE from 127.0.0.1:\(sipp.port) ") }, "\(details)")
        #expect(proxy.refused.isEmpty, "\(details)")
        _ = try await Self.record(of: sipp, in: h, outcome: "caller-hangup")
    }

    /// `SIPConfiguration.outboundProxy`: the INVITE goes to Kamailio with a
    /// Route header; the callee's 200 carries Kamailio's Record-Route, so
    /// the ACK and the flow's BYE go through Kamailio too.
    @Test func placedCallGoesThroughTheOutboundProxy() async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.stop() }
        let h = try await Self.harness(flow: Self.hangUpFlow, outboundProxy: proxy)
        let sipp = SIPpRun(scenario: "callee-behind-proxy.xml")
        defer { sipp.cleanUp() }
        #expect(await sipp.listening(), "SIPp did not bind its port")
        let endpoint = h.server.endpoint
        let target = "sip:callee@127.0.0.1:\(sipp.port)"
        let call = Task { () -> String in
            do { _ = try await endpoint.placeCall(to: target, flow: 0) } catch { return "\(error)" }
            return "answered"
        }
        let outcome = await call.value
        Self.bound(sipp)
        let run = try await sipp.result()
        let details = "\(sipp.report(run))\n\(proxy.report)"
        #expect(run.status == 0, "\(details)")
        #expect(outcome == "answered")
        for method in ["INVITE", "ACK", "BYE"] {
            #expect(Self.cameThroughProxy(method, sipp, proxy) == true, "the \(method) did not come through Kamailio:\n\(details)")
            #expect(proxy.relayed(method).contains { $0.hasPrefix("\(method) from 127.0.0.1:\(h.port) to \(target)") }, "\(details)")
        }
        #expect(proxy.refused.isEmpty, "\(details)")
        _ = try await Self.record(of: sipp, in: h, outcome: "hangup")
    }

    /// The ivrc built with the tests (next to the test bundle, or .build/debug).
    static var ivrcBinary: String? {
        let sibling = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().appendingPathComponent("ivrc").path
        return [sibling, TestTools.repositoryRoot + "/.build/debug/ivrc"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `ivrc call FLOW --to sip:callee@... --proxy "sip:127.0.0.1:PORT;lr"`:
    /// the INVITE, the ACK and the BYE all reach the SIPp callee through
    /// Kamailio; ivrc exits 0 with the call record (outcome hangup).
    @Test func callCommandGoesThroughProxy() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let proxy = try await Self.startProxy()
        defer { proxy.stop() }
        let folder = NSTemporaryDirectory() + "ivrc-proxy-call-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.flowWithoutAudio.write(toFile: folder + "/main.yaml", atomically: true, encoding: .utf8)
        let sipp = SIPpRun(scenario: "callee-behind-proxy.xml")
        defer { sipp.cleanUp() }
        #expect(await sipp.listening(), "SIPp did not bind its port")
        let target = "sip:callee@127.0.0.1:\(sipp.port)"
        let rtp = 36000 + 2 * Int.random(in: 0..<500)
        async let call = runProcess(binary, ["call", folder + "/main.yaml", "--to", target, "--flow", "main",
                                             "--proxy", "sip:127.0.0.1:\(proxy.port);lr", "--tts", "none",
                                             "--rtp-ports", "\(rtp)-\(rtp + 99)", "--recordings", folder],
                                    in: folder)
        let ivrc = try await call
        Self.bound(sipp)
        let run = try await sipp.result()
        let details = "\(sipp.report(run))\n\(proxy.report)\nivrc: exit \(ivrc.status)\n\(ivrc.stdout)\n\(ivrc.stderr.suffix(2000))"
        #expect(ivrc.status == 0, "\(details)")
        #expect(run.status == 0, "\(details)")
        for method in ["INVITE", "ACK", "BYE"] {
            #expect(Self.cameThroughProxy(method, sipp, proxy) == true, "the \(method) did not come through Kamailio:\n\(details)")
            #expect(proxy.relayed(method).contains { $0.contains(" to \(target)") }, "\(details)")
        }
        let invite = try #require(sipp.requests("INVITE").first)
        #expect(invite.header("Route") == nil, "Kamailio removes its own Route")
        #expect(proxy.refused.isEmpty, "\(details)")
        let record = try #require(ivrc.stdout.split(whereSeparator: \.isNewline).compactMap { CallRecord.parse(line: String($0)) }.first,
                                  "\(details)")
        #expect(record.outcome == "hangup")
    }

    /// `ivrc call`'s flow: a spoken line (a tone with `--tts none`), then hang up.
    static let flowWithoutAudio = """
        ivr: main
        nodes:
          start:
            - say: "Goodbye"
            - hangup
        """
}
