import Foundation
import Testing
@testable import IVRSIP

/// SRTP in offer/answer: the policy, the suite chosen, our fresh key and
/// the peer's tag in the answer, re-offers, and our own SRTP offer keyed
/// by its answer end to end through libsrtp.
@Suite struct SDPSRTPTests {
    static let k1 = SRTPMasterKey.random(), k2 = SRTPMasterKey.random()

    static func offer(profile: String = "RTP/SAVP", cryptos: [String] = ["1 AES_CM_128_HMAC_SHA1_80 inline:\(k1.base64)"]) -> SessionDescription {
        var text = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
        text += "m=audio 4000 \(profile) 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
        for c in cryptos { text += "a=crypto:\(c)\r\n" }
        return try! SessionDescription(parsing: Array(text.utf8))
    }

    @Test func aSAVPOfferIsAnsweredWithTheFirstSupportedSuiteOurKeyAndItsTag() throws {
        let o = Self.offer(cryptos: ["1 AES_256_CM_HMAC_SHA1_80 inline:\(Data(repeating: 1, count: 46).base64EncodedString())",
                                     "2 AES_CM_128_HMAC_SHA1_32 inline:\(Self.k1.base64)|2^31",
                                     "3 AES_CM_128_HMAC_SHA1_80 inline:\(Self.k2.base64)"])
        let a = try SDPNegotiator.agree(offer: o, srtp: .optional).get()
        let keys = try #require(a.srtp)
        #expect(keys.suite == .aesCM128HMACSHA1_32 && keys.tag == 2 && keys.remoteKey == Self.k1)
        #expect(keys.localKey != Self.k1 && keys.localKey != Self.k2)
        #expect(a.profile == "RTP/SAVP")
        let text = SDPNegotiator.answer(offer: o, agreement: a, localAddress: "127.0.0.1", localPort: 10000, sessionID: 1, version: 1)
        #expect(text.contains("m=audio 10000 RTP/SAVP 0 101\r\n"))
        #expect(text.contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:\(keys.localKey.base64)\r\n"))
        #expect(!text.contains(Self.k1.base64), "never the peer's key back")
        let back = try SessionDescription(parsing: Array(text.utf8))
        #expect(back.media[0].cryptos.count == 1)
        // Another offer, another key of ours.
        #expect(try SDPNegotiator.agree(offer: o, srtp: .optional).get().srtp?.localKey != keys.localKey)
    }

    @Test func bestEffortAVPWithCryptoIsSRTPUnderOptionalAndRequiredPlainUnderOff() throws {
        let o = Self.offer(profile: "RTP/AVP")
        for policy in [SRTPPolicy.optional, .required] {
            let a = try SDPNegotiator.agree(offer: o, srtp: policy).get()
            #expect(a.srtp?.remoteKey == Self.k1)
            let text = SDPNegotiator.answer(offer: o, agreement: a, localAddress: "127.0.0.1", localPort: 10000, sessionID: 1, version: 1)
            #expect(text.contains("m=audio 10000 RTP/AVP 0 101\r\n"), "the answer keeps the offer's profile")
            #expect(text.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"))
        }
        let plain = try SDPNegotiator.agree(offer: o, srtp: .off).get()
        #expect(plain.srtp == nil)
        #expect(!SDPNegotiator.answer(offer: o, agreement: plain, localAddress: "127.0.0.1", localPort: 10000, sessionID: 1,
                                      version: 1).contains("a=crypto"))
    }

    @Test func thePolicyRefusesWhatItMust() throws {
        let plain = Self.offer(profile: "RTP/AVP", cryptos: [])
        #expect(try SDPNegotiator.agree(offer: plain, srtp: .optional).get().srtp == nil)
        #expect(try SDPNegotiator.agree(offer: plain, srtp: .off).get().srtp == nil)
        #expect(SDPNegotiator.agree(offer: plain, srtp: .required) == .failure(.srtpRequired))
        #expect(SDPNegotiator.Refusal.srtpRequired.warning == "SRTP required")
        // Plain with only crypto we cannot key: still a plain offer.
        let unusable = Self.offer(profile: "RTP/AVP", cryptos: ["1 AES_256_CM_HMAC_SHA1_80 inline:xyz"])
        #expect(SDPNegotiator.agree(offer: unusable, srtp: .required) == .failure(.srtpRequired))
        #expect(try SDPNegotiator.agree(offer: unusable, srtp: .optional).get().srtp == nil)
        // SAVP: off refuses it; no common suite refuses it under every other policy.
        #expect(SDPNegotiator.agree(offer: Self.offer(), srtp: .off) == .failure(.srtpOff))
        let noSuite = Self.offer(cryptos: ["1 AES_256_CM_HMAC_SHA1_80 inline:xyz", "2 AES_CM_128_HMAC_SHA1_80 inline:short"])
        #expect(SDPNegotiator.agree(offer: noSuite, srtp: .optional) == .failure(.noCryptoSuite))
        #expect(SDPNegotiator.agree(offer: noSuite, srtp: .required) == .failure(.noCryptoSuite))
        #expect(SDPNegotiator.agree(offer: Self.offer(cryptos: []), srtp: .optional) == .failure(.noCryptoSuite))
        // No codec stays what it was.
        let opus = try SessionDescription(parsing: Array(
            "v=0\r\nc=IN IP4 10.0.0.5\r\nm=audio 4000 RTP/AVP 96\r\na=rtpmap:96 opus/48000/2\r\n".utf8))
        #expect(SDPNegotiator.agree(offer: opus, srtp: .optional) == .failure(.noCodec))
    }

    @Test func aRefusedSAVPLineLetsALaterPlainLineBeAnswered() throws {
        let text = "v=0\r\nc=IN IP4 10.0.0.5\r\nm=audio 4000 RTP/SAVP 0\r\nm=audio 4002 RTP/AVP 0\r\n"
        let o = try SessionDescription(parsing: Array(text.utf8))
        let a = try SDPNegotiator.agree(offer: o, srtp: .off).get()
        #expect(a.mediaIndex == 1 && a.remotePort == 4002)
        let answer = SDPNegotiator.answer(offer: o, agreement: a, localAddress: "127.0.0.1", localPort: 10000, sessionID: 1, version: 1)
        #expect(answer.contains("m=audio 0 RTP/SAVP 0\r\nm=audio 10000 RTP/AVP 0\r\n"))
    }

    @Test func aReOfferWithTheSameKeyKeepsOursANewKeyGetsANewOne() throws {
        let first = try #require(try SDPNegotiator.agree(offer: Self.offer(), srtp: .optional).get().srtp)
        let same = try #require(try SDPNegotiator.agree(offer: Self.offer(), srtp: .optional, current: first).get().srtp)
        #expect(same == first)
        let rekeyed = Self.offer(cryptos: ["1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.k2.base64)"])
        let next = try #require(try SDPNegotiator.agree(offer: rekeyed, srtp: .optional, current: first).get().srtp)
        #expect(next.remoteKey == Self.k2 && next.localKey != first.localKey)
    }

    /// Our offer (as `ivrc call` over TLS sends it) -> the peer answers it
    /// as our own negotiator would -> both ends protect and unprotect each
    /// other's packets.
    @Test func ourSRTPOfferKeyedByItsAnswerWorksBothWays() throws {
        let ours = SRTPOffer.fresh()
        #expect(ours.cryptos.map(\.suite) == [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32])
        #expect(ours.cryptos.map(\.tag) == [1, 2])
        #expect(ours.cryptos[0].key != ours.cryptos[1].key)
        let offerText = SDPNegotiator.offer(localAddress: "127.0.0.1", localPort: 20000, sessionID: 5, srtp: ours)
        #expect(offerText.contains("m=audio 20000 RTP/SAVP 0 8 101\r\n"))
        #expect(offerText.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(ours.cryptos[0].key.base64)\r\n"
                                   + "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:\(ours.cryptos[1].key.base64)\r\n"))
        #expect(!SDPNegotiator.offer(localAddress: "127.0.0.1", localPort: 20000, sessionID: 5).contains("SAVP"))
        // The callee.
        let offer = try SessionDescription(parsing: Array(offerText.utf8))
        let theirs = try SDPNegotiator.agree(offer: offer, srtp: .required).get()
        let answerText = SDPNegotiator.answer(offer: offer, agreement: theirs, localAddress: "127.0.0.2", localPort: 30000,
                                              sessionID: 9, version: 1)
        // Back at the caller.
        let agreed = try SDPNegotiator.agree(answer: try SessionDescription(parsing: Array(answerText.utf8)), offered: ours).get()
        let keys = try #require(agreed.srtp)
        let peer = try #require(theirs.srtp)
        #expect(keys.suite == .aesCM128HMACSHA1_80 && keys.tag == 1)
        #expect(keys.localKey == peer.remoteKey && keys.remoteKey == peer.localKey)
        let caller = try SRTPSession(suite: keys.suite, sendKey: keys.localKey, receiveKey: keys.remoteKey)
        let callee = try SRTPSession(suite: peer.suite, sendKey: peer.localKey, receiveKey: peer.remoteKey)
        let packet = SRTPSessionTests.rtp(sequence: 77)
        #expect(try callee.unprotect(try #require(caller.protect(packet))).get() == packet)
        #expect(try caller.unprotect(try #require(callee.protect(packet))).get() == packet)
    }

    @Test func anAnswerMustNameOneOfOurCryptoAttributes() throws {
        let ours = SRTPOffer.fresh()
        func answer(_ cryptos: [String], profile: String = "RTP/SAVP") throws -> SessionDescription {
            var text = "v=0\r\nc=IN IP4 10.0.0.5\r\nm=audio 4000 \(profile) 0\r\n"
            for c in cryptos { text += "a=crypto:\(c)\r\n" }
            return try SessionDescription(parsing: Array(text.utf8))
        }
        #expect(SDPNegotiator.agree(answer: try answer([]), offered: ours) == .failure(.noCryptoSuite))
        #expect(SDPNegotiator.agree(answer: try answer([], profile: "RTP/AVP"), offered: ours) == .failure(.noCryptoSuite))
        #expect(SDPNegotiator.agree(answer: try answer(["3 AES_CM_128_HMAC_SHA1_80 inline:\(Self.k1.base64)"]), offered: ours)
                == .failure(.noCryptoSuite), "a tag we did not offer")
        #expect(SDPNegotiator.agree(answer: try answer(["1 AES_CM_128_HMAC_SHA1_32 inline:\(Self.k1.base64)"]), offered: ours)
                == .failure(.noCryptoSuite), "our tag 1 is _80")
        let two = try SDPNegotiator.agree(answer: try answer(["2 AES_CM_128_HMAC_SHA1_32 inline:\(Self.k1.base64)"]), offered: ours).get()
        #expect(two.srtp?.suite == .aesCM128HMACSHA1_32 && two.srtp?.localKey == ours.cryptos[1].key)
        // A plain offer's answer: crypto ignored.
        let plain = try SDPNegotiator.agree(answer: try answer(["1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.k1.base64)"]), offered: nil).get()
        #expect(plain.srtp == nil)
    }
}
