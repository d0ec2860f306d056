import Foundation
import Logging
import Testing
@testable import IVRSIP

/// SRTP calls against a live `IVRServer` on loopback: the policy's 488s,
/// an SDES call whose prompt arrives encrypted and whose RFC 4733 key
/// arrives encrypted, replayed and tampered packets dropped and counted in
/// the record, and keys in neither the record nor the log.
///
/// RFC 3261 timers (T1 = 500 ms, so 32 s before a 200 without ACK is given
/// up, not the harness's 1.28 s): early in a full run on two cores a loop
/// can stall longer than that.
@Suite struct SRTPCallTests {
    static func rfcTimers(_ config: inout SIPConfiguration) {
        config.t1 = 500
        config.t2 = 4000
    }

    static func offer(rtpPort: Int, profile: String = "RTP/SAVP", cryptos: [SDESCrypto]) -> String {
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio \(rtpPort) \(profile) 0 101\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n" + cryptos.map { "a=crypto:\($0.attributeValue)\r\n" }.joined()
    }

    /// The crypto attribute of an SDP answer.
    static func crypto(_ body: String) -> SDESCrypto? {
        body.components(separatedBy: "\r\n").first { $0.hasPrefix("a=crypto:") }.flatMap { SDESCrypto(attribute: $0.dropFirst(9)) }
    }

    @Test func requiredAnswersAPlainOfferWith488AndAWarning() async throws {
        let h = try await ServerHarness { $0.srtp = .required; Self.rfcTimers(&$0) }
        let rtp = UDPClient()
        h.client.send(h.invite(callID: "plain1", rtpPort: rtp.port), toPort: h.port)
        let refused = try #require(await h.client.receiveSIP(timeout: 90, until: { $0.isInviteResponse && ($0.status ?? 0) >= 200 }).0)
        #expect(refused.status == 488)
        #expect(refused.header("Warning") == "399 ivrc \"SRTP required\"")
        await h.stop()
    }

    @Test func offAnswersASAVPOfferWith488() async throws {
        let h = try await ServerHarness { $0.srtp = .off; Self.rfcTimers(&$0) }
        let rtp = UDPClient()
        let body = Self.offer(rtpPort: rtp.port, cryptos: [SDESCrypto(tag: 1, suite: .aesCM128HMACSHA1_80, key: .random())])
        h.client.send(h.request("INVITE", callID: "savp1", body: body, type: "application/sdp"), toPort: h.port)
        let refused = try #require(await h.client.receiveSIP(timeout: 90, until: { $0.isInviteResponse && ($0.status ?? 0) >= 200 }).0)
        #expect(refused.status == 488)
        #expect(refused.header("Warning") == "399 ivrc \"SRTP is off\"")
        await h.stop()
    }

    @Test(arguments: [SRTPSuite.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32])
    func anSDESCallIsEncryptedBothWaysAndCountsWhatItDrops(suite: SRTPSuite) async throws {
        let lines = LogLines()
        var logger = Logger(label: "test", factory: { _ in LineLogHandler(lines: lines) })
        logger.logLevel = .trace
        let h = try await ServerHarness(logger: logger) { $0.srtp = .required; Self.rfcTimers(&$0) }
        let rtp = UDPClient()
        let ours = SDESCrypto(tag: 7, suite: suite, key: .random())
        let callID = "srtp-\(suite.tagLength)"
        h.client.send(h.request("INVITE", callID: callID, body: Self.offer(rtpPort: rtp.port, cryptos: [ours]),
                                type: "application/sdp"), toPort: h.port)
        let ok = try #require(await h.client.receiveSIP(timeout: 90, until: { $0.status == 200 && $0.isInviteResponse }).0)
        h.client.send(h.request("ACK", callID: callID, toTag: ok.toTag), toPort: h.port)
        #expect(ok.body.contains("RTP/SAVP 0 101\r\n"))
        let theirs = try #require(Self.crypto(ok.body))
        #expect(theirs.tag == 7 && theirs.suite == suite && theirs.key != ours.key)
        let serverRTP = try #require(ok.audioPort)
        // What we send is protected with our key, what we receive with theirs.
        let sender = try SRTPSession(suite: suite, sendKey: ours.key, receiveKey: theirs.key)
        var heard = 0
        while heard < 10, let bytes = await rtp.receive(timeout: 90) {
            #expect((try? RTPPacket.decode(bytes))?.payload.count == 160 + suite.tagLength, "the tag is on every packet")
            let plain = try sender.unprotect(bytes).get()
            let packet = try RTPPacket.decode(plain)
            #expect(packet.payload.count == 160)
            heard += 1
        }
        #expect(heard == 10 && sender.dropped == SRTPSession.Drops())
        // A replay and a tampered packet, then an RFC 4733 key press, all protected.
        let audio = try #require(sender.protect(RTPPacket(payloadType: 0, sequenceNumber: 50, timestamp: 800, ssrc: 9,
                                                          payload: Array(repeating: 0xFF, count: 160)).encoded()))
        rtp.send(audio, toPort: serverRTP)
        rtp.send(audio, toPort: serverRTP)
        var tampered = try #require(sender.protect(RTPPacket(payloadType: 0, sequenceNumber: 51, timestamp: 960, ssrc: 9,
                                                             payload: Array(repeating: 0xFF, count: 160)).encoded()))
        tampered[40] ^= 0x10
        rtp.send(tampered, toPort: serverRTP)
        // The same key press in the clear is not a key press.
        for bytes in ServerHarness.keyPress(2, timestamp: 1000, sequence: 60) { rtp.send(bytes, toPort: serverRTP) }
        for bytes in ServerHarness.keyPress(1, timestamp: 4242, sequence: 100) { rtp.send(try #require(sender.protect(bytes)), toPort: serverRTP) }
        #expect(await h.client.receiveSIP(timeout: 90) { $0.method == "BYE" }.0 != nil)
        let record = try #require(await h.record(callID))
        #expect(record.inputs.map(\.digits) == ["1"], "the clear '2' is not a key")
        #expect(record.path == ["welcome", "bye"])
        let dropped = try #require(record.media?.srtp)
        #expect(dropped.suite == suite.rawValue)
        #expect(dropped.packetsDropped.replay == 1)
        // The tampered packet fails authentication; the four clear ones fail
        // it too, or are too short to carry a tag (`other`).
        #expect(dropped.packetsDropped.auth >= 1)
        #expect(dropped.packetsDropped.auth + dropped.packetsDropped.other == 1 + 4)
        // No key anywhere but the SDP.
        #expect(await h.waitForNoCalls())
        let texts = lines.all + [record.jsonLine()]
        #expect(lines.all.contains { $0.contains("call ended") && $0.contains("srtp") })
        for text in texts {
            #expect(!text.contains(ours.key.base64) && !text.contains(theirs.key.base64), "\(text)")
        }
        await h.stop()
    }

    /// A re-INVITE renegotiates: the peer's new key is applied (its old
    /// one fails authentication after), and under `required` a plain
    /// re-offer gets 488 while the call goes on.
    @Test func reInvitesApplyNewKeysAndRequiredRefusesAPlainOne() async throws {
        let h = try await ServerHarness { $0.srtp = .required; Self.rfcTimers(&$0) }
        let rtp = UDPClient()
        let first = SDESCrypto(tag: 1, suite: .aesCM128HMACSHA1_80, key: .random())
        h.client.send(h.request("INVITE", callID: "rk1", body: Self.offer(rtpPort: rtp.port, cryptos: [first]),
                                type: "application/sdp"), toPort: h.port)
        let ok = try #require(await h.client.receiveSIP(timeout: 90, until: { $0.status == 200 && $0.isInviteResponse }).0)
        h.client.send(h.request("ACK", callID: "rk1", toTag: ok.toTag), toPort: h.port)
        let theirs = try #require(Self.crypto(ok.body))
        // Plain re-offer: refused, the call stays up.
        h.client.send(h.request("INVITE", callID: "rk1", cseq: 2, toTag: ok.toTag, body: h.offer(rtpPort: rtp.port),
                                type: "application/sdp"), toPort: h.port)
        let refused = try #require(await h.client.receiveSIP(timeout: 90, until: { ($0.status ?? 0) >= 200 && $0.header("CSeq") == "2 INVITE" }).0)
        #expect(refused.status == 488 && refused.header("Warning") == "399 ivrc \"SRTP required\"")
        h.client.send(h.request("ACK", callID: "rk1", cseq: 2, toTag: ok.toTag), toPort: h.port)
        // The same key again: our key stays too.
        h.client.send(h.request("INVITE", callID: "rk1", cseq: 3, toTag: ok.toTag, body: Self.offer(rtpPort: rtp.port, cryptos: [first]),
                                type: "application/sdp"), toPort: h.port)
        let same = try #require(await h.client.receiveSIP(timeout: 90, until: { $0.isInviteResponse && $0.status == 200 && $0.header("CSeq") == "3 INVITE" }).0)
        h.client.send(h.request("ACK", callID: "rk1", cseq: 3, toTag: ok.toTag), toPort: h.port)
        #expect(Self.crypto(same.body) == theirs)
        // A new key: the server answers with a new one of its own and takes ours.
        let second = SDESCrypto(tag: 1, suite: .aesCM128HMACSHA1_80, key: .random())
        h.client.send(h.request("INVITE", callID: "rk1", cseq: 4, toTag: ok.toTag, body: Self.offer(rtpPort: rtp.port, cryptos: [second]),
                                type: "application/sdp"), toPort: h.port)
        let rekeyed = try #require(await h.client.receiveSIP(timeout: 90, until: { $0.isInviteResponse && $0.status == 200 && $0.header("CSeq") == "4 INVITE" }).0)
        h.client.send(h.request("ACK", callID: "rk1", cseq: 4, toTag: ok.toTag), toPort: h.port)
        let newTheirs = try #require(Self.crypto(rekeyed.body))
        #expect(newTheirs.key != theirs.key)
        // Packets under the new server key arrive (after any already in flight).
        let receiver = try SRTPSession(suite: .aesCM128HMACSHA1_80, sendKey: second.key, receiveKey: newTheirs.key)
        var decoded = false
        for _ in 0..<200 {
            guard let bytes = await rtp.receive(timeout: 90) else { break }
            if case .success = receiver.unprotect(bytes) { decoded = true; break }
        }
        #expect(decoded)
        // A key pressed under the old key is dropped; under the new one it counts.
        let old = try SRTPSession(suite: .aesCM128HMACSHA1_80, sendKey: first.key, receiveKey: theirs.key)
        let serverRTP = try #require(ok.audioPort)
        for bytes in ServerHarness.keyPress(2, timestamp: 1000, sequence: 60) { rtp.send(try #require(old.protect(bytes)), toPort: serverRTP) }
        for bytes in ServerHarness.keyPress(1, timestamp: 4242, sequence: 100) { rtp.send(try #require(receiver.protect(bytes)), toPort: serverRTP) }
        #expect(await h.client.receiveSIP(timeout: 90) { $0.method == "BYE" }.0 != nil)
        let record = try #require(await h.record("rk1"))
        #expect(record.inputs.map(\.digits) == ["1"])
        #expect(record.media?.srtp?.packetsDropped.auth == 4)
        await h.stop()
    }

    /// A late offer (INVITE without SDP) under `required`: our 200 offers
    /// RTP/SAVP with two crypto attributes; the ACK's answer keys the call.
    @Test func aLateOfferUnderRequiredOffersSRTP() async throws {
        let h = try await ServerHarness { $0.srtp = .required; Self.rfcTimers(&$0) }
        let rtp = UDPClient()
        h.client.send(h.request("INVITE", callID: "late-srtp"), toPort: h.port)
        let ok = try #require(await h.client.receiveSIP(timeout: 90, until: { $0.status == 200 && $0.isInviteResponse }).0)
        #expect(ok.body.contains("RTP/SAVP 0 8 101\r\n"))
        let offered = ok.body.components(separatedBy: "\r\n").filter { $0.hasPrefix("a=crypto:") }.compactMap { SDESCrypto(attribute: $0.dropFirst(9)) }
        #expect(offered.map(\.suite) == [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32])
        let chosen = try #require(offered.last)
        let mine = SDESCrypto(tag: chosen.tag, suite: chosen.suite, key: .random())
        h.client.send(h.request("ACK", callID: "late-srtp", toTag: ok.toTag, body: Self.offer(rtpPort: rtp.port, cryptos: [mine]),
                                type: "application/sdp"), toPort: h.port)
        let session = try SRTPSession(suite: chosen.suite, sendKey: mine.key, receiveKey: chosen.key)
        let bytes = try #require(await rtp.receive(timeout: 90))
        #expect((try? session.unprotect(bytes).get()) != nil)
        for press in ServerHarness.keyPress(1, timestamp: 4242, sequence: 100) {
            rtp.send(try #require(session.protect(press)), toPort: try #require(ok.audioPort))
        }
        #expect(await h.client.receiveSIP(timeout: 90) { $0.method == "BYE" }.0 != nil)
        #expect(await h.record("late-srtp")?.media?.srtp?.suite == "AES_CM_128_HMAC_SHA1_32")
        await h.stop()
    }

    /// `placeCall(..., srtp: true)`: the INVITE offers RTP/SAVP with _80
    /// then _32; the 200's answer (tag 2) keys the call, and the callee
    /// unprotects the prompt with the key of our tag 2. An answer that
    /// names none of our tags ends the call with BYE. Over UDP without
    /// `srtp`, the offer is plain.
    @Test func placeCallOffersSRTPAndIsKeyedByTheAnswer() async throws {
        let h = try await ServerHarness { Self.rfcTimers(&$0) }
        let callee = UDPClient()
        let rtp = UDPClient()
        let endpoint = h.server.endpoint
        let target = "sip:bob@127.0.0.1:\(callee.port)"
        let call = Task { () -> String in
            do { _ = try await endpoint.placeCall(to: target, flow: 0, srtp: true) } catch { return "\(error)" }
            return "answered"
        }
        let invite = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        #expect(invite.body.contains("RTP/SAVP 0 8 101\r\n"))
        let offered = invite.body.components(separatedBy: "\r\n").filter { $0.hasPrefix("a=crypto:") }
            .compactMap { SDESCrypto(attribute: $0.dropFirst(9)) }
        #expect(offered.map(\.tag) == [1, 2] && offered.map(\.suite) == [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32])
        let ours = SDESCrypto(tag: 2, suite: .aesCM128HMACSHA1_32, key: .random())
        callee.send(OutboundCallTests.response(to: invite, "200 OK", toTag: "s1", body: Self.offer(rtpPort: rtp.port, cryptos: [ours])),
                    toPort: h.port)
        #expect(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0 != nil)
        #expect(await call.value == "answered")
        let session = try SRTPSession(suite: .aesCM128HMACSHA1_32, sendKey: ours.key, receiveKey: offered[1].key)
        let bytes = try #require(await rtp.receive(timeout: 60))
        #expect(bytes.count == 12 + 160 + 4)
        #expect((try? session.unprotect(bytes).get())?.count == 12 + 160)
        h.server.endpoint.hangUpAll()
        let bye = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        callee.send(OutboundCallTests.response(to: bye, "200 OK", toTag: nil), toPort: h.port)
        #expect(await h.record(try #require(invite.header("Call-ID")))?.media?.srtp?.suite == "AES_CM_128_HMAC_SHA1_32")

        // An answer without one of our crypto attributes: ACK, then BYE.
        let refused = Task { () -> String in
            do { _ = try await endpoint.placeCall(to: target, flow: 0, srtp: true) } catch { return "\(error)" }
            return "answered"
        }
        let second = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" && $0.header("Call-ID") != invite.header("Call-ID") }.0)
        callee.send(OutboundCallTests.response(to: second, "200 OK", toTag: "s2", body: h.offer(rtpPort: rtp.port)), toPort: h.port)
        #expect(await callee.receiveSIP(timeout: 60) { $0.method == "BYE" && $0.header("Call-ID") == second.header("Call-ID") }.0 != nil)
        #expect(await refused.value.contains("SRTP offered"))

        // Over UDP, by default: plain.
        let plain = h.placeCall(to: target)
        let third = try #require(await callee.receiveSIP(timeout: 60) {
            $0.method == "INVITE" && ![invite, second].map { $0.header("Call-ID") }.contains($0.header("Call-ID"))
        }.0)
        #expect(third.body.contains("RTP/AVP 0 8 101\r\n") && !third.body.contains("a=crypto"))
        callee.send(OutboundCallTests.response(to: third, "486 Busy Here", toTag: "s3"), toPort: h.port)
        #expect(await plain.value.contains("486"))
        await h.stop()
    }
}
