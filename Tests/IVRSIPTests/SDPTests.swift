import Testing
@testable import IVRSIP

@Suite struct SDPTests {
    static func offer(_ media: String, session: String = "") -> SessionDescription? {
        let text = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n" + session + media
        return try? SessionDescription(parsing: Array(text.utf8))
    }

    @Test func picksFirstG711InOfferOrderAndKeepsEventType() throws {
        let o = try #require(Self.offer("m=audio 4000 RTP/AVP 96 8 0 100\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:100 telephone-event/8000\r\na=fmtp:100 0-16\r\n"))
        let a = try #require((try? SDPNegotiator.agree(offer: o).get()))
        #expect(a.codec == .pcma)
        #expect(a.payloadType == 8)
        #expect(a.eventPayloadType == 100)
        #expect(a.remoteAddress == "10.0.0.5")
        #expect(a.remotePort == 4000)
        #expect(a.direction == .sendrecv)
        let answer = SDPNegotiator.answer(offer: o, agreement: a, localAddress: "127.0.0.1", localPort: 10000, sessionID: 7, version: 1)
        #expect(answer.contains("m=audio 10000 RTP/AVP 8 100\r\n"))
        #expect(answer.contains("a=rtpmap:8 PCMA/8000\r\n"))
        #expect(answer.contains("a=rtpmap:100 telephone-event/8000\r\n"))
        #expect(answer.contains("a=ptime:20\r\n"))
        #expect(answer.contains("c=IN IP4 127.0.0.1\r\n"))
        // The answer parses back.
        let back = try SessionDescription(parsing: Array(answer.utf8))
        #expect(back.media.first?.payloadTypes == [8, 100])
    }

    @Test func staticPayloadWithoutRtpmapAndMediaLevelConnection() throws {
        let o = try #require(Self.offer("m=audio 5004 RTP/AVP 0\r\nc=IN IP4 192.0.2.9\r\n"))
        let a = try #require((try? SDPNegotiator.agree(offer: o).get()))
        #expect(a.codec == .pcmu)
        #expect(a.eventPayloadType == nil)
        #expect(a.remoteAddress == "192.0.2.9")
    }

    @Test func nothingMatchingIsNil() throws {
        let o = try #require(Self.offer("m=audio 4000 RTP/AVP 9 18\r\na=rtpmap:18 G729/8000\r\n"))
        #expect((try? SDPNegotiator.agree(offer: o).get()) == nil)
        let video = try #require(Self.offer("m=video 4002 RTP/AVP 31\r\n"))
        #expect((try? SDPNegotiator.agree(offer: video).get()) == nil)
        let wrongRate = try #require(Self.offer("m=audio 4000 RTP/AVP 97\r\na=rtpmap:97 PCMU/16000\r\n"))
        #expect((try? SDPNegotiator.agree(offer: wrongRate).get()) == nil)
    }

    @Test func holdDirections() throws {
        let sendonly = try #require(Self.offer("m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n"))
        #expect((try? SDPNegotiator.agree(offer: sendonly).get())?.direction == .recvonly)
        let inactive = try #require(Self.offer("m=audio 4000 RTP/AVP 0\r\n", session: "a=inactive\r\n"))
        #expect((try? SDPNegotiator.agree(offer: inactive).get())?.direction == .inactive)
        let oldHold = try #require(try? SessionDescription(parsing: Array("v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n".utf8)))
        #expect((try? SDPNegotiator.agree(offer: oldHold).get())?.direction == .recvonly)
    }

    @Test func otherStreamsAreRefusedWithPortZero() throws {
        let o = try #require(Self.offer("m=video 4002 RTP/AVP 31\r\nm=audio 4000 RTP/AVP 0\r\n"))
        let a = try #require((try? SDPNegotiator.agree(offer: o).get()))
        let text = SDPNegotiator.answer(offer: o, agreement: a, localAddress: "127.0.0.1", localPort: 10002, sessionID: 1, version: 1)
        #expect(text.contains("m=video 0 RTP/AVP 31\r\n"))
        #expect(text.contains("m=audio 10002 RTP/AVP 0\r\n"))
    }

    @Test func malformedSDP() {
        #expect(throws: SIPParseError.self) { try SessionDescription(parsing: Array("o=x\r\n".utf8)) }
        #expect(throws: SIPParseError.self) { try SessionDescription(parsing: Array("v=0\r\nm=audio x RTP/AVP 0\r\n".utf8)) }
        #expect(throws: SIPParseError.self) { try SessionDescription(parsing: Array("v=0\r\nc=IN\r\n".utf8)) }
        #expect(throws: SIPParseError.self) { try SessionDescription(parsing: [0xFF, 0xFE]) }
    }
}
