import Foundation
import IVRBytecode
import IVRRuntime
import IVRTestSupport
import Logging
import Testing
@testable import IVRSIP

/// Operating a node, in process with a raw SIP client: draining answers
/// OPTIONS and new INVITEs with 503 while a live call finishes; a reload
/// gives new calls the new bundle and lets live ones finish on theirs;
/// records name the bundle, the node and the listener; `servers:` keeps
/// flows off other nodes; RTP ports held by other processes are skipped.
@Suite(.timeLimit(.minutes(3))) struct ServerOperationsTests {
    /// A menu that waits (5 s a try) until 1 is pressed, then plays
    /// "Goodbye" (3 s) and hangs up: a call that stays live on demand.
    static let waiting = ServerHarness.flow

    /// The same extension with another first node: which bundle a call ran is in its path.
    static let changed = """
        ivr: main
        extension: "100"
        nodes:
          changed:
            - play: goodbye.pcm
            - hangup
        """

    /// RFC 3261 timers (T1 500 ms): the test's ACK may come late on a loaded
    /// machine, and 64*T1 of a short T1 would end the call with "no ACK" first.
    static func patientTimers(_ config: inout SIPConfiguration) {
        config.t1 = 500
        config.t2 = 4000
    }

    /// Presses `key` on a call whose 200 OK is `ok`.
    static func press(_ key: UInt8, ok: SIPMessageView, rtp: UDPClient) {
        guard let port = ok.audioPort else { return }
        for packet in ServerHarness.keyPress(key, timestamp: 8000, sequence: 10) { rtp.send(packet, toPort: port) }
    }

    /// INVITE, 200 OK, ACK for `callID` alone (another call's 200, sent
    /// again while its ACK is on the way, is not taken for this one's).
    static func establish(_ h: ServerHarness, callID: String, rtp: UDPClient) async -> SIPMessageView? {
        h.client.send(h.invite(callID: callID, rtpPort: rtp.port), toPort: h.port)
        guard let ok = await h.client.receiveSIP(until: {
            $0.status == 200 && $0.isInviteResponse && $0.header("Call-ID") == callID
        }).0 else { return nil }
        h.client.send(h.request("ACK", callID: callID, toTag: ok.toTag), toPort: h.port)
        return ok
    }

    /// Polls `condition` for up to 30 s.
    static func until(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<600 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func drainingAnswersOptionsAndInvitesWith503WhileTheLiveCallFinishes() async throws {
        let h = try await ServerHarness(configure: Self.patientTimers)
        let before = await h.ask(h.request("OPTIONS", callID: "probe-before"))
        #expect(before?.status == 200)
        #expect(before?.header("Retry-After") == nil)
        #expect(!h.server.isDraining)

        let rtp = UDPClient()
        let ok = try #require(await Self.establish(h, callID: "live", rtp: rtp), "the call is answered")
        await h.server.beginDraining()
        #expect(h.server.isDraining)
        let server = h.server
        let draining = Task { await server.drain() }

        let after = await h.ask(h.request("OPTIONS", callID: "probe-after"))
        #expect(after?.status == 503, "\(after?.text ?? "no answer")")
        #expect(after?.header("Retry-After") == "\(SIPEndpoint.drainRetryAfter)")
        h.client.send(h.request("OPTIONS", callID: "live", cseq: 2, toTag: ok.toTag), toPort: h.port)
        let keepAlive = await h.client.receiveSIP { $0.header("CSeq") == "2 OPTIONS" && $0.header("Call-ID") == "live" }.0
        #expect(keepAlive?.status == 200, "the live call's own OPTIONS: \(keepAlive?.text ?? "no answer")")
        h.client.send(h.invite(callID: "late", rtpPort: 9), toPort: h.port)
        let refused = await h.client.receiveSIP { $0.isInviteResponse && $0.header("Call-ID") == "late" && ($0.status ?? 0) >= 300 }.0
        #expect(refused?.status == 503)
        #expect(refused?.header("Retry-After") == "\(SIPEndpoint.drainRetryAfter)")

        // The live call goes on: its menu still takes a key, then it ends by itself.
        Self.press(1, ok: ok, rtp: rtp)
        #expect(await ServerHarness.hearGoodbye(rtp), "the live call still plays its flow while draining")
        await draining.value
        let record = try #require(await h.record("live"), "the live call's record is written")
        #expect(record.path == ["welcome", "bye"])
        #expect(record.outcome == "hangup")
        await h.stop()
    }

    @Test func recordsNameTheBundleTheNodeAndTheListener() async throws {
        let h = try await ServerHarness(serverName: "node-7", configure: Self.patientTimers)
        let rtp = UDPClient()
        let ok = try #require(await Self.establish(h, callID: "identity", rtp: rtp))
        Self.press(1, ok: ok, rtp: rtp)
        let record = try #require(await h.record("identity"))
        #expect(record.server == "node-7")
        #expect(record.listen == "udp:127.0.0.1:\(h.port)")
        let hash = try #require(record.bundle)
        #expect(hash == h.server.served.hash)
        #expect(hash.count == 64 && hash.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        // In the JSON line too.
        let line = record.jsonLine()
        #expect(line.contains("\"bundle\":\"\(hash)\"") && line.contains("\"server\":\"node-7\"")
                && line.contains("\"listen\":\"udp:127.0.0.1:\(h.port)\""), "\(line)")
        await h.stop()
    }

    @Test func aReloadGivesNewCallsTheNewBundleAndLiveCallsKeepTheirs() async throws {
        let h = try await ServerHarness(configure: Self.patientTimers)
        let old = h.server.served.hash
        let rtpA = UDPClient()
        let okA = try #require(await Self.establish(h, callID: "started-before", rtp: rtpA))

        try Self.changed.write(toFile: h.folder + "/main.yaml", atomically: true, encoding: .utf8)
        let built = try FlowBuild.build(paths: [h.folder + "/main.yaml"], currentDirectory: h.folder).get()
        let served = await h.server.reload(bundle: built.bundle, bytes: built.bytes, from: "main.yaml")
        #expect(served.hash == ServedBundle.hash(built.bytes))
        #expect(served.hash != old)
        #expect(h.server.reloads == {
            var counts = IVRServer.ReloadCounts()
            counts.succeeded = 1
            return counts
        }())

        let rtpB = UDPClient()
        _ = try #require(await Self.establish(h, callID: "started-after", rtp: rtpB))
        let b = try #require(await h.record("started-after"))
        #expect(b.path == ["changed"], "\(b.jsonLine())")
        #expect(b.bundle == served.hash)

        // The call that started before still runs the old flow, to its end.
        Self.press(1, ok: okA, rtp: rtpA)
        let a = try #require(await h.record("started-before"))
        #expect(a.path == ["welcome", "bye"])
        #expect(a.outcome == "hangup")
        #expect(a.bundle == old)

        h.server.reloadRefused(from: "main.yaml", reason: "a test")
        #expect(h.server.reloads.refused == 1)
        #expect(h.server.served.hash == served.hash, "a refused reload keeps the bundle")
        await h.stop()
    }

    static let everywhere = """
        ivr: everywhere
        extension: "300"
        nodes:
          start: hangup
        """

    static let elsewhere = """
        ivr: elsewhere
        extension: "400"
        servers: [node-b]
        nodes:
          start: hangup
        """

    static let here = """
        ivr: here
        extension: "500"
        servers: [node-b, node-a]
        nodes:
          start: hangup
        """

    /// The answer to an INVITE for `user` (a final one).
    static func finalAnswer(_ h: ServerHarness, user: String, callID: String) async -> SIPMessageView? {
        let rtp = UDPClient()
        let invite = h.request("INVITE", user: user, callID: callID, body: h.offer(rtpPort: rtp.port), type: "application/sdp")
        h.client.send(invite, toPort: h.port)
        let answer = await h.client.receiveSIP { $0.isInviteResponse && $0.header("Call-ID") == callID && ($0.status ?? 0) >= 200 }.0
        if let answer, answer.status == 200 {
            h.client.send(h.request("ACK", user: user, callID: callID, toTag: answer.toTag), toPort: h.port)
        }
        return answer
    }

    @Test func aNodeServesItsFlowsAndThoseWithoutServers() async throws {
        let a = try await ServerHarness(flow: Self.everywhere, moreFlows: [Self.elsewhere, Self.here], serverName: "node-a",
                                         configure: Self.patientTimers)
        #expect(await Self.finalAnswer(a, user: "300", callID: "a-everywhere")?.status == 200)
        #expect(await Self.finalAnswer(a, user: "500", callID: "a-here")?.status == 200)
        let refused = await Self.finalAnswer(a, user: "400", callID: "a-elsewhere")
        #expect(refused?.status == 404, "\(refused?.text ?? "no answer")")
        #expect(await Self.finalAnswer(a, user: "elsewhere", callID: "a-by-name")?.status == 404, "by name too")
        #expect(a.server.served.servedFlowNames == ["everywhere", "here"])
        await a.stop()

        let b = try await ServerHarness(flow: Self.everywhere, moreFlows: [Self.elsewhere, Self.here], serverName: "node-b",
                                         configure: Self.patientTimers)
        #expect(await Self.finalAnswer(b, user: "400", callID: "b-elsewhere")?.status == 200)
        #expect(await Self.finalAnswer(b, user: "300", callID: "b-everywhere")?.status == 200)
        #expect(await b.record("b-elsewhere")?.server == "node-b")
        await b.stop()
    }

    @Test func portsHeldByOtherProcessesAreSkipped() async throws {
        let lines = LogLines()
        var logger = Logger(label: "test", factory: { _ in LineLogHandler(lines: lines) })
        logger.logLevel = .info
        // Six even ports; another "process" holds all but the last.
        let base = 39_000 + 20 * Int.random(in: 0..<40)
        let h = try await ServerHarness(logger: logger) {
            Self.patientTimers(&$0)
            $0.rtpPorts = base...(base + 11)
        }
        let blockers = stride(from: base, to: base + 10, by: 2).map { UDPClient(port: $0) }
        try #require(blockers.allSatisfy { $0.bound }, "the test's blockers got their ports")

        let rtp = UDPClient()
        let ok = try #require(await Self.establish(h, callID: "skips", rtp: rtp), "the call gets the one free port")
        #expect(ok.audioPort == base + 10)
        #expect(h.server.endpoint.rtpPortsBusySkipped >= 5)

        // Now the range is exhausted: 503, logged once however many calls try.
        for id in ["full-1", "full-2"] {
            let answer = await Self.finalAnswer(h, user: "100", callID: id)
            #expect(answer?.status == 503, "\(answer?.text ?? "no answer")")
            #expect(answer?.header("Warning")?.contains("exhausted") == true)
        }
        #expect(h.server.endpoint.rtpPortExhaustions == 2)
        #expect(lines.all.filter { $0.contains("every RTP port of") }.count == 1, "\(lines.all)")

        Self.press(1, ok: ok, rtp: rtp)
        #expect(await h.record("skips")?.outcome == "hangup")
        await h.stop()
        withExtendedLifetime(blockers) {}
    }
}
