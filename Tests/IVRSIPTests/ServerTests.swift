import Foundation
import IVRTestSupport
import IVRRuntime
import Testing
@testable import IVRSIP

/// The UAS over real UDP on 127.0.0.1: routing, rejections, retransmitted
/// requests, CANCEL, and whole calls with paced RTP, RFC 4733 and SIP INFO
/// DTMF, and their call records.
@Suite(.serialized, .dedicatedExecutor) struct ServerTests {
    @Test func optionsRoutingAndRejections() async throws {
        let h = try await ServerHarness()
        h.client.send(h.request("OPTIONS", callID: "o1"), toPort: h.port)
        let (ok, _) = await h.client.receiveSIP { $0.status != nil }
        #expect(ok?.status == 200)
        #expect(ok?.header("Allow")?.contains("INVITE") == true)
        #expect(ok?.header("Accept")?.contains("application/sdp") == true)
        // Non-2xx finals to an INVITE are retransmitted until ACK (timer G), so
        // each answer is picked by its Call-ID.
        func answer(_ id: String) async -> Int? {
            await h.client.receiveSIP { ($0.status ?? 0) >= 200 && $0.header("Call-ID") == id }.0?.status
        }
        h.client.send(h.request("INVITE", user: "nobody", callID: "i404", body: h.offer(rtpPort: 4000), type: "application/sdp"), toPort: h.port)
        #expect(await answer("i404") == 404)
        h.client.send(h.request("INVITE", callID: "i488", body: h.offer(rtpPort: 4000, codecs: "18"), type: "application/sdp"), toPort: h.port)
        #expect(await answer("i488") == 488)
        h.client.send(h.request("INVITE", callID: "i415", body: "hello", type: "text/plain"), toPort: h.port)
        #expect(await answer("i415") == 415)
        h.client.send(h.request("BYE", callID: "unknown", toTag: "zzz"), toPort: h.port)
        #expect(await answer("unknown") == 481)
        h.client.send(h.request("INFO", callID: "unknown2", toTag: "zzz"), toPort: h.port)
        #expect(await answer("unknown2") == 481)
        h.client.send(h.request("SUBSCRIBE", callID: "sub"), toPort: h.port)
        #expect(await answer("sub") == 405, "a method SIP defines but ivrc does not serve (RFC 3261 8.2.1)")
        h.client.send(h.request("FROBNICATE", callID: "frob"), toPort: h.port)
        #expect(await answer("frob") == 501, "a method nobody defined")
        // A request the parser refuses gets 400 when it can be addressed.
        h.client.send("INVITE sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(h.client.port);branch=z9hG4bKbad\r\n"
                      + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: bad\r\nCSeq: 1 INVITE\r\nContent-Length: 500\r\n\r\n",
                      toPort: h.port)
        let bad = await h.client.receiveSIP { $0.status != nil && $0.header("Call-ID") == "bad" }.0
        #expect(bad?.status == 400)
        #expect(bad?.header("Warning")?.contains("Content-Length") == true)
        #expect(await h.waitForNoCalls())
        // Rejected INVITEs never became calls: no record.
        #expect(h.records.count == 0)
        await h.stop()
    }

    @Test func retransmittedRequestsGetTheSameAnswer() async throws {
        // RFC 3261 timers (T1 = 500 ms): a non-INVITE answer stays cached for
        // 64 x T1 = 32 s. With the harness's 20 ms T1 it would be 1.28 s, less
        // than a loaded machine may take between the two sends.
        let h = try await ServerHarness { $0.t1 = 500; $0.t2 = 4000 }
        let options = h.request("OPTIONS", callID: "o2", branch: "z9hG4bKsame")
        h.client.send(options, toPort: h.port)
        let first = await h.client.receiveSIP { $0.status == 200 }.0
        h.client.send(options, toPort: h.port)
        let second = await h.client.receiveSIP { $0.status == 200 }.0
        #expect(first != nil && first?.text == second?.text, "a retransmission is answered from the cache, byte for byte")
        // A retransmitted INVITE gets the last response again, and no second call.
        let rtp = UDPClient()
        let invite = h.invite(callID: "again", rtpPort: rtp.port, branch: "z9hG4bKinv")
        h.client.send(invite, toPort: h.port)
        let ok = await h.client.receiveSIP { $0.status == 200 && $0.isInviteResponse }.0
        h.client.send(invite, toPort: h.port)
        let again = await h.client.receiveSIP { $0.status == 200 && $0.isInviteResponse }.0
        #expect(ok?.toTag != nil && ok?.toTag == again?.toTag)
        #expect(await h.server.endpoint.activeCallCount() == 1)
        h.client.send(h.request("ACK", callID: "again", toTag: ok?.toTag), toPort: h.port)
        h.client.send(h.request("BYE", callID: "again", cseq: 2, toTag: ok?.toTag), toPort: h.port)
        #expect(await h.client.receiveSIP { $0.status == 200 && $0.header("CSeq")?.hasSuffix("BYE") == true }.0 != nil)
        #expect(await h.waitForNoCalls())
        #expect(await h.record("again")?.outcome == "caller-hangup")
        await h.stop()
    }

    @Test func cancelBeforeAnswerGets487() async throws {
        let h = try await ServerHarness()
        let branch = "z9hG4bKcancelme"
        h.client.send(h.request("INVITE", callID: "cx", branch: branch, body: h.offer(rtpPort: 4004), type: "application/sdp"), toPort: h.port)
        h.client.send(h.request("CANCEL", callID: "cx", branch: branch), toPort: h.port)
        let (final, seen) = await h.client.receiveSIP { ($0.status ?? 0) >= 200 && $0.isInviteResponse }
        let all = seen + (final.map { [$0] } ?? [])
        // Either CANCEL won (200 to CANCEL and 487) or the answer did (200 to INVITE): never a leak.
        #expect(final != nil)
        if final?.status == 487 {
            #expect(all.contains { $0.status == 200 && $0.header("CSeq")?.hasSuffix("CANCEL") == true })
            h.client.send(h.request("ACK", callID: "cx", toTag: final?.toTag, branch: branch), toPort: h.port)
        } else {
            h.client.send(h.request("ACK", callID: "cx", toTag: final?.toTag), toPort: h.port)
            h.client.send(h.request("BYE", callID: "cx", cseq: 2, toTag: final?.toTag), toPort: h.port)
        }
        #expect(await h.waitForNoCalls())
        #expect(await h.record("cx")?.outcome == "caller-hangup")
        await h.stop()
    }

    @Test func aCallWithPacedRTPAndRFC4733() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let answer = try #require(await h.establish(callID: "call1", rtp: rtp))
        #expect(answer.body.contains("a=rtpmap:0 PCMU/8000"))
        #expect(answer.body.contains("a=rtpmap:101 telephone-event/8000"))
        #expect(answer.body.contains("a=ptime:20"))
        let serverRTP = try #require(answer.audioPort)
        var packets: [(RTPPacket, Int64)] = []
        while packets.count < 25, let (bytes, at) = await rtp.receiveStamped(timeout: 30), let p = try? RTPPacket.decode(bytes) {
            packets.append((p, at))
        }
        #expect(packets.count == 25)
        #expect(packets.first?.0.marker == true)
        #expect(packets.dropFirst().allSatisfy { !$0.0.marker })
        #expect(Set(packets.map(\.0.ssrc)).count == 1)
        for (a, b) in zip(packets, packets.dropFirst()) {
            #expect(b.0.sequenceNumber == a.0.sequenceNumber &+ 1)
            // 160 samples a frame; after a stall longer than the clock catches
            // up (a loaded machine), the timestamp moves on by the skipped frames.
            let step = b.0.timestamp &- a.0.timestamp
            #expect(step >= 160 && step % 160 == 0 && step <= 160 * 100, "timestamp step \(step)")
            #expect(b.0.payload.count == 160)
        }
        // Paced, never bursted: 24 frames take at least 24 * 20 ms less the
        // catch-up allowed after a stall (kernel send stamps; a slow test
        // cannot shrink this, only a sender running ahead of its clock could).
        if let first = packets.first?.1, let last = packets.last?.1, first > 0 {
            #expect(Double(last - first) / 1e9 >= 0.3, "24 intervals of 20 ms")
        }
        // The prompt (a 440 Hz tone for `say` without TTS) is audible: not all silence. On a loaded
        // machine the first frames may be silence while the prompt is prepared; read on up to 10 s.
        var audible = packets.contains { p in p.0.payload.contains { $0 != 0xFF } }
        var more = 0
        while !audible, more < 500, let (bytes, _) = await rtp.receiveStamped(timeout: 30), let p = try? RTPPacket.decode(bytes) {
            audible = p.payload.contains { $0 != 0xFF }
            more += 1
        }
        #expect(audible, "the prompt is heard (\(25 + more) packets read)")
        for bytes in ServerHarness.keyPress(1, timestamp: 4242, sequence: 100) { rtp.send(bytes, toPort: serverRTP) }
        let (bye, _) = await h.client.receiveSIP { $0.method == "BYE" }
        #expect(bye != nil)
        #expect(await h.waitForNoCalls())
        let record = await h.record("call1")
        #expect(record?.outcome == "hangup")
        #expect(record?.inputs.map(\.digits) == ["1"], "the retransmitted end packets count once")
        #expect(record?.path == ["welcome", "bye"])
        #expect(record?.answer != nil)
        await h.stop()
    }

    /// RFC 3261 13.2.1 late offer: an INVITE without SDP gets our offer in
    /// the 200 OK; the ACK's answer says where to send, and the call runs.
    @Test func lateOfferInviteWithoutSDP() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        h.client.send(h.request("INVITE", callID: "late1"), toPort: h.port)
        let ok = try #require(await h.client.receiveSIP(until: { $0.status == 200 && $0.isInviteResponse }).0)
        #expect(ok.header("Content-Type") == "application/sdp")
        #expect(ok.body.contains("m=audio ") && ok.body.contains("RTP/AVP 0 8 101"))
        #expect(ok.body.contains("a=rtpmap:8 PCMA/8000") && ok.body.contains("a=rtpmap:101 telephone-event/8000"))
        let serverRTP = try #require(ok.audioPort)
        // The answer picks PCMA: the server must send PCMA to the ACK's address.
        let answer = "v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio \(rtp.port) RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
        h.client.send(h.request("ACK", callID: "late1", toTag: ok.toTag, body: answer, type: "application/sdp"), toPort: h.port)
        var packets: [RTPPacket] = []
        while packets.count < 5, let bytes = await rtp.receive(timeout: 30), let p = try? RTPPacket.decode(bytes) { packets.append(p) }
        #expect(packets.count == 5)
        #expect(packets.allSatisfy { $0.payloadType == 8 })
        for bytes in ServerHarness.keyPress(1, timestamp: 4242, sequence: 100) { rtp.send(bytes, toPort: serverRTP) }
        #expect(await h.client.receiveSIP { $0.method == "BYE" }.0 != nil)
        #expect(await h.waitForNoCalls())
        let record = await h.record("late1")
        #expect(record?.outcome == "hangup")
        #expect(record?.path == ["welcome", "bye"])
        await h.stop()
    }

    /// `o=` session id and version of an SDP body.
    static func origin(_ body: String) -> (session: String, version: Int)? {
        guard let line = body.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("o=") }) else { return nil }
        let f = line.split(separator: " ")
        guard f.count >= 3, let version = Int(f[2]) else { return nil }
        return (String(f[1]), version)
    }

    /// Re-INVITEs: hold and resume keep the SDP session id and bump its
    /// version only when the answer changes (RFC 3264 8); a re-INVITE
    /// without SDP gets our offer and the ACK's answer moves the media
    /// (RFC 3261 14.2); a request with a lower CSeq is out of order (500).
    @Test func reinvitesKeepTheSessionAndOrder() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "re1", rtp: rtp))
        let tag = ok.toTag
        let first = try #require(Self.origin(ok.body))
        func reinvite(_ cseq: Int, _ body: String) async -> SIPMessageView? {
            h.client.send(h.request("INVITE", callID: "re1", cseq: cseq, toTag: tag, body: body,
                                    type: body.isEmpty ? nil : "application/sdp"), toPort: h.port)
            let answer = await h.client.receiveSIP { $0.status == 200 && $0.header("CSeq") == "\(cseq) INVITE" }.0
            return answer
        }
        let hold = h.offer(rtpPort: rtp.port) + "a=sendonly\r\n"
        let held = try #require(await reinvite(2, hold))
        #expect(held.body.contains("a=recvonly"))
        let second = try #require(Self.origin(held.body))
        #expect(second.session == first.session && second.version == first.version + 1)
        h.client.send(h.request("ACK", callID: "re1", cseq: 2, toTag: tag), toPort: h.port)
        let again = try #require(await reinvite(3, hold))
        #expect(Self.origin(again.body)?.version == second.version, "the same answer keeps its version")
        h.client.send(h.request("ACK", callID: "re1", cseq: 3, toTag: tag), toPort: h.port)

        // Resume without SDP: our offer in the 200, the answer in the ACK, to a new port.
        let moved = UDPClient()
        let offered = try #require(await reinvite(4, ""))
        #expect(offered.body.contains("RTP/AVP 0 8 101"))
        #expect(Self.origin(offered.body)?.session == first.session)
        #expect((Self.origin(offered.body)?.version ?? 0) > second.version)
        let answer = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio \(moved.port) RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
        h.client.send(h.request("ACK", callID: "re1", cseq: 4, toTag: tag, body: answer, type: "application/sdp"), toPort: h.port)
        #expect(await moved.receive(timeout: 10) != nil, "RTP goes to the address of the ACK's answer")

        // Out of order: CSeq 1 after 4.
        h.client.send(h.request("INFO", callID: "re1", cseq: 1, toTag: tag), toPort: h.port)
        #expect(await h.client.receiveSIP { $0.status != nil && $0.header("CSeq") == "1 INFO" }.0?.status == 500)
        h.client.send(h.request("BYE", callID: "re1", cseq: 5, toTag: tag), toPort: h.port)
        #expect(await h.client.receiveSIP { $0.status != nil && $0.header("CSeq") == "5 BYE" }.0?.status == 200)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// A late-offer call whose ACK brings no answer has no media: BYE, no flow.
    @Test func lateOfferWithoutAnAnswerIsEnded() async throws {
        let h = try await ServerHarness()
        h.client.send(h.request("INVITE", callID: "late2"), toPort: h.port)
        let ok = try #require(await h.client.receiveSIP(until: { $0.status == 200 && $0.isInviteResponse }).0)
        h.client.send(h.request("ACK", callID: "late2", toTag: ok.toTag), toPort: h.port)
        #expect(await h.client.receiveSIP { $0.method == "BYE" }.0 != nil)
        #expect(await h.waitForNoCalls())
        #expect(await h.waitForPortsReleased())
        await h.stop()
    }

    @Test func infoDTMFAndCallerHangUpMidPrompt() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "info1", rtp: rtp))
        _ = await rtp.receive(timeout: 5)
        h.client.send(h.request("INFO", callID: "info1", cseq: 2, toTag: ok.toTag, body: "Signal=1\r\nDuration=160\r\n",
                                type: "application/dtmf-relay"), toPort: h.port)
        #expect(await h.client.receiveSIP { $0.status != nil && $0.header("CSeq")?.hasSuffix("INFO") == true }.0?.status == 200)
        // The caller hangs up while "Goodbye" plays.
        #expect(await ServerHarness.hearGoodbye(rtp))
        h.client.send(h.request("BYE", callID: "info1", cseq: 3, toTag: ok.toTag), toPort: h.port)
        #expect(await h.client.receiveSIP { $0.header("CSeq")?.hasSuffix("BYE") == true }.0?.status == 200)
        #expect(await h.waitForNoCalls())
        let record = await h.record("info1")
        #expect(record?.outcome == "caller-hangup")
        #expect(record?.inputs.map(\.digits) == ["1"])
        await h.stop()
    }
}
