import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// The bad input against a live server: garbage datagrams,
/// oversized packets, SIP floods (bounded answers, bounded memory), RTP
/// from unexpected sources, and a caller that never ACKs. Each test ends
/// with the server still answering and no call left.
@Suite(.serialized, .dedicatedExecutor) struct HostileInputTests {
    @Test func garbageAndOversizedDatagrams() async throws {
        let h = try await ServerHarness()
        var generator = SystemRandomNumberGenerator()
        for i in 0..<3000 {
            let n = Int.random(in: 0...1400, using: &generator)
            var junk = (0..<n).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if i % 3 == 0 { junk = Array("INVITE sip:100@x SIP/2.0\r\nVia: ".utf8) + junk }
            h.client.send(junk, toPort: h.port)
        }
        // Bigger than any MTU, up to the largest UDP payload (65,507 bytes): read whole, then refused or ignored.
        h.client.send([UInt8](repeating: 0x41, count: 65_000), toPort: h.port)
        // A debug build on a busy 2-core machine takes seconds to work through
        // the flood; the socket's queue is first in, first out, so wait until
        // the server has read what the kernel kept before asking.
        try await Self.waitUntilTheFloodIsRead(h)
        _ = await h.client.drain()
        // Requests are retransmitted as a UA would (a loaded kernel may drop a datagram of the flood's tail).
        let padding = String(repeating: "x", count: 60_000)
        let big = await h.ask(h.request("OPTIONS", callID: "big", branch: "z9hG4bKbig", extraHeaders: "X-Padding: \(padding)\r\n"))
        #expect(big?.status == 200, "a 60 KB request (over the MTU, under 64 KB) is read whole and answered")
        #expect(await h.ask(h.request("OPTIONS", callID: "alive", branch: "z9hG4bKalive"))?.status == 200,
                "still answering after the garbage")
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// Until the server's datagram count stops moving for a second (at most a minute).
    static func waitUntilTheFloodIsRead(_ h: ServerHarness) async throws {
        let endpoint = h.server.endpoint
        var last = -1
        for _ in 0..<120 {
            let read = try await endpoint.eventLoop.submit { endpoint.stats.datagrams }.get()
            if read == last { return }
            last = read
            try await Task.sleep(for: .seconds(1))
        }
    }

    @Test func garbageAndOversizedRTPAreRefused() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "rtpjunk", rtp: rtp))
        let serverRTP = try #require(ok.audioPort)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            var junk = (0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            junk[0] &= 0x3F  // never RTP version 2 (random keys could otherwise be pressed)
            rtp.send(junk, toPort: serverRTP)
        }
        // A well-formed PCMU header on a 60 KB datagram: cut at the 2 KB read, refused by the payload limit.
        let huge = RTPPacket(payloadType: 0, sequenceNumber: 1, timestamp: 0, ssrc: 7, payload: [UInt8](repeating: 0x55, count: 60_000))
        rtp.send(huge.encoded(), toPort: serverRTP)
        let endpoint = h.server.endpoint
        let leg = try #require(try await endpoint.eventLoop.submit { endpoint.calls["rtpjunk"] }.get())
        var rejected = 0
        for _ in 0..<100 where rejected < 100 {
            rejected = await leg.media?.counters().rejected ?? 0
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(rejected >= 100, "bytes that are not RTP version 2 are refused")
        // The call still works: the caller's key ends the menu.
        for bytes in ServerHarness.keyPress(1, timestamp: 1600, sequence: 20) { rtp.send(bytes, toPort: serverRTP) }
        #expect(await h.client.receiveSIP { $0.method == "BYE" }.0 != nil)
        #expect(await h.waitForNoCalls())
        #expect(await h.record("rtpjunk")?.inputs.map(\.digits) == ["1"])
        await h.stop()
    }

    @Test func malformedFloodGetsBoundedAnswers() async throws {
        let h = try await ServerHarness()
        // 1,000 addressable but malformed requests (bad Content-Length): each
        // could be answered 400, but answers are capped at 50 per second.
        let start = Date()
        for i in 0..<1000 {
            h.client.send("OPTIONS sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(h.client.port);branch=z9hG4bKm\(i)\r\n"
                          + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: m\(i)\r\nCSeq: 1 OPTIONS\r\nContent-Length: 99\r\n\r\n",
                          toPort: h.port)
        }
        let answers = await h.client.drain(quiet: 1)
        let seconds = Date().timeIntervalSince(start)
        let badRequests = answers.filter { String(decoding: $0.prefix(12), as: UTF8.self) == "SIP/2.0 400 " }.count
        #expect(badRequests >= 1)
        #expect(badRequests <= 50 * (Int(seconds) + 2), "\(badRequests) answers in \(seconds) s")
        #expect(badRequests == answers.count)
        await h.stop()
    }

    @Test func optionsFloodKeepsTheResponseCacheBounded() async throws {
        let h = try await ServerHarness { $0.maxCachedResponses = 500 }
        for i in 0..<5000 {
            h.client.send(h.request("OPTIONS", callID: "f\(i)", branch: "z9hG4bKflood\(i)"), toPort: h.port)
            if i % 500 == 499 { _ = await h.client.drain(quiet: 0.05) }
        }
        _ = await h.client.drain()
        let endpoint = h.server.endpoint
        let cached = try await endpoint.eventLoop.submit { endpoint.responses.count }.get()
        #expect(cached <= 500)
        #expect(cached > 0)
        #expect(await h.ask(h.request("OPTIONS", callID: "after", branch: "z9hG4bKafter"))?.status == 200)
        await h.stop()
    }

    @Test func inviteFloodBeyondCapacityGets503AndLeavesNoCall() async throws {
        // T1 = 250 ms: an unACKed call lives 64*T1 = 16 s, longer than the
        // flood takes on a busy machine, so no slot frees up during it.
        let h = try await ServerHarness(maxCalls: 10) { $0.t1 = 250; $0.t2 = 4000 }
        for i in 0..<200 {
            h.client.send(h.invite(callID: "flood\(i)", rtpPort: 4100 + 2 * i), toPort: h.port)
        }
        var finals: [String: Int] = [:]
        while let bytes = await h.client.receive(timeout: 1) {
            let m = SIPMessageView(text: String(decoding: bytes, as: UTF8.self))
            if let status = m.status, status >= 200, m.isInviteResponse, let id = m.header("Call-ID") { finals[id] = status }
        }
        let answered = finals.values.filter { $0 == 200 }.count
        #expect(answered <= 10, "never more live calls than max-calls")
        #expect(answered >= 1)
        #expect(finals.values.filter { $0 == 503 }.count >= 150)
        #expect(await h.server.endpoint.activeCallCount() <= 10)
        // Nobody ACKs: timer H (64*T1) ends every answered call with BYE, and each leaves a record.
        #expect(await h.waitForNoCalls())
        for (id, status) in finals where status == 200 {
            let record = await h.record(id)
            #expect(record?.outcome == "error")
            #expect(record?.error == "no ACK")
        }
        #expect(await h.waitForPortsReleased(), "every RTP port released")
        await h.stop()
    }

    @Test func callerThatNeverACKsGetsRetransmissionsThenBYE() async throws {
        let h = try await ServerHarness()
        h.client.send(h.invite(callID: "noack", rtpPort: 4002), toPort: h.port)
        let (bye, seen) = await h.client.receiveSIP { $0.method == "BYE" }
        let oks = seen.filter { $0.status == 200 && $0.isInviteResponse }
        #expect(seen.contains { $0.status == 100 })
        #expect(oks.count >= 3, "the 200 OK is retransmitted until 64*T1")
        #expect(Set(oks.map(\.text)).count == 1, "retransmissions repeat the same 200 OK")
        #expect(oks.first?.header("Content-Type") == "application/sdp")
        #expect(bye?.header("Call-ID") == "noack")
        #expect(await h.waitForNoCalls())
        let record = await h.record("noack")
        #expect(record?.outcome == "error")
        #expect(record?.error == "no ACK")
        #expect(record?.answer != nil)
        #expect(await h.waitForPortsReleased())
        await h.stop()
    }

    @Test func rtpFromAnUnexpectedSourceIsIgnored() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let stranger = UDPClient(host: "127.0.0.2")  // not the address in the SDP
        let ok = try #require(await h.establish(callID: "latch", rtp: rtp))
        let serverRTP = try #require(ok.audioPort)
        // The caller sends first (the session latches onto it); then a stranger presses 2.
        let silence = RTPPacket(payloadType: 0, sequenceNumber: 1, timestamp: 0, ssrc: 7, payload: [UInt8](repeating: 0xFF, count: 160))
        rtp.send(silence.encoded(), toPort: serverRTP)
        _ = await rtp.receive(timeout: 30)
        for bytes in ServerHarness.keyPress(2, timestamp: 800, sequence: 10) { stranger.send(bytes, toPort: serverRTP) }
        // The caller's own key works.
        for bytes in ServerHarness.keyPress(1, timestamp: 1600, sequence: 20) { rtp.send(bytes, toPort: serverRTP) }
        let bye = await h.client.receiveSIP { $0.method == "BYE" }.0
        #expect(bye != nil)
        // The call has ended: whatever the server ever sent the stranger is in its socket by now.
        #expect(await stranger.drain(quiet: 0.01).isEmpty, "no RTP is sent to the stranger")
        #expect(await h.waitForNoCalls())
        let record = await h.record("latch")
        #expect(record?.inputs.map(\.digits) == ["1"], "the stranger's 2 was ignored")
        #expect(record?.path == ["welcome", "bye"])
        await h.stop()
    }

    @Test func aStrangerFirstIsReplacedByTheSDPAddress() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let stranger = UDPClient(host: "127.0.0.2")
        let ok = try #require(await h.establish(callID: "hijack", rtp: rtp))
        let serverRTP = try #require(ok.audioPort)
        // A stranger sends before the caller: the session latches onto it (symmetric RTP) ...
        let packet = RTPPacket(payloadType: 0, sequenceNumber: 1, timestamp: 0, ssrc: 7, payload: [UInt8](repeating: 0xFF, count: 160))
        stranger.send(packet.encoded(), toPort: serverRTP)
        #expect(await stranger.receive(timeout: 30) != nil)
        // ... until the caller at the SDP's address sends: RTP comes back to it, not the stranger.
        _ = await rtp.drain(quiet: 0.01)  // anything sent to the SDP address before the stranger latched
        rtp.send(packet.encoded(), toPort: serverRTP)
        // The first packet to the caller marks the switch: anything the stranger got came before it.
        #expect(await rtp.receive(timeout: 30) != nil)
        _ = await stranger.drain(quiet: 0.01)
        // Ten more packets (200 ms of media) go to the caller, and none to the stranger.
        for _ in 0..<10 { #expect(await rtp.receive(timeout: 30) != nil) }
        #expect(await stranger.drain(quiet: 0.01).isEmpty)
        h.client.send(h.request("BYE", callID: "hijack", cseq: 2, toTag: ok.toTag), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }
}
