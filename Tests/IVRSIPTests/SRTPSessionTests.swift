import Foundation
import Testing
@testable import IVRSIP
import CSRTPCrypto

/// libsrtp2 through `SRTPSession`: round trips for both suites, tampered
/// and replayed packets dropped and counted, bounds, and keys that never
/// print.
@Suite struct SRTPSessionTests {
    static func rtp(sequence: UInt16, payload: [UInt8] = Array(repeating: 0x55, count: 160), payloadType: UInt8 = 0) -> [UInt8] {
        RTPPacket(payloadType: payloadType, sequenceNumber: sequence, timestamp: UInt32(sequence) * 160, ssrc: 0x1234_5678,
                  payload: payload).encoded()
    }

    /// Two ends keyed against each other: what `a` sends, `b` receives.
    static func pair(_ suite: SRTPSuite) throws -> (a: SRTPSession, b: SRTPSession) {
        let k1 = SRTPMasterKey.random(), k2 = SRTPMasterKey.random()
        return (try SRTPSession(suite: suite, sendKey: k1, receiveKey: k2), try SRTPSession(suite: suite, sendKey: k2, receiveKey: k1))
    }

    @Test(arguments: SRTPSuite.allCases) func roundTripAddsTheTagAndEncrypts(suite: SRTPSuite) throws {
        let (a, b) = try Self.pair(suite)
        for seq in UInt16(1000)..<1010 {
            let plain = Self.rtp(sequence: seq)
            let secured = try #require(a.protect(plain))
            #expect(secured.count == plain.count + suite.tagLength)
            #expect(Array(secured.prefix(12)) == Array(plain.prefix(12)), "the header stays in the clear")
            #expect(Array(secured[12..<plain.count]) != Array(plain[12...]), "the payload is encrypted")
            #expect(try b.unprotect(secured).get() == plain)
        }
        // And the other way.
        let back = try #require(b.protect(Self.rtp(sequence: 7)))
        #expect(try a.unprotect(back).get() == Self.rtp(sequence: 7))
        #expect(a.dropped == SRTPSession.Drops() && b.dropped == SRTPSession.Drops())
    }

    /// Known answers: the exact bytes Debian's stock libsrtp2 (its own NSS
    /// ciphers, before ours replace them) produces for this key and packet,
    /// captured once from a C program. Our OpenSSL-backed AES-CM and
    /// HMAC-SHA1 must give the same bytes, and read them back.
    @Test(arguments: [
        (SRTPSuite.aesCM128HMACSHA1_80, "87daa0666d863fcfd79e4d49e28a74714212b32b14f5861ee075d359c3775d4d43eaea54b29f2cc3f4a3c0e7c62e588fe60c809cb9f1da18a23f7d1d5711f3acdd4eee61a6bf148135ae4d70c23a058f4b016eb552e95ec9d35023bf00e0d414e48aacfcfab0967a75752c5327423759c57c333a644e545c1e0cb6e3bf52ea8c787b7eca9db301cd2f3c74cd84ac0ed0787ac5ac81f7d83b67"),
        (SRTPSuite.aesCM128HMACSHA1_32, "87daa0666d863fcfd79e4d49e28a74714212b32b14f5861ee075d359c3775d4d43eaea54b29f2cc3f4a3c0e7c62e588fe60c809cb9f1da18a23f7d1d5711f3acdd4eee61a6bf148135ae4d70c23a058f4b016eb552e95ec9d35023bf00e0d414e48aacfcfab0967a75752c5327423759c57c333a644e545c1e0cb6e3bf52ea8c787b7eca9db301cd2f3c74cd84ac0ed0787ac5"),
    ]) func protectionMatchesStockLibSRTPByteForByte(suite: SRTPSuite, expectedTail: String) throws {
        let key = try #require(SRTPMasterKey(bytes: (0..<30).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }))
        var packet: [UInt8] = [0x80, 0x00, 0x03, 0xe5, 0, 0, 0, 0, 0, 0, 0, 0x09]
        packet += (12..<200).map { UInt8(truncatingIfNeeded: $0 * 997) }
        let expected = "800003e50000000000000009b6631d72376038404e3ca26288774cda7231fb48b72da3e66a42e68b856b26ec6d482f19c79088a026b953f24a"
            + expectedTail
        let before = csrtp_openssl_contexts_created()
        let sender = try SRTPSession(suite: suite, sendKey: key, receiveKey: key)
        #expect(csrtp_openssl_contexts_created() > before, "libsrtp2 uses our OpenSSL ciphers, not its NSS ones")
        let secured = try #require(sender.protect(packet))
        #expect(secured.map { String(format: "%02x", $0) }.joined() == expected)
        let receiver = try SRTPSession(suite: suite, sendKey: key, receiveKey: key)
        #expect(try receiver.unprotect(secured).get() == packet)
    }

    @Test func aTamperedPacketIsDroppedAsAuthFailure() throws {
        let (a, b) = try Self.pair(.aesCM128HMACSHA1_80)
        var secured = try #require(a.protect(Self.rtp(sequence: 1)))
        secured[20] ^= 0x01
        #expect(b.unprotect(secured) == .failure(.auth))
        var tag = try #require(a.protect(Self.rtp(sequence: 2)))
        tag[tag.count - 1] ^= 0x80
        #expect(b.unprotect(tag) == .failure(.auth))
        #expect(b.dropped == SRTPSession.Drops(replay: 0, auth: 2, other: 0))
        // A packet under another key fails the same way.
        let stranger = try SRTPSession(suite: .aesCM128HMACSHA1_80, sendKey: .random(), receiveKey: .random())
        #expect(b.unprotect(try #require(stranger.protect(Self.rtp(sequence: 3)))) == .failure(.auth))
        #expect(b.dropped.auth == 3)
        // The genuine packet still goes through.
        #expect((try? b.unprotect(try #require(a.protect(Self.rtp(sequence: 4)))).get()) != nil)
    }

    @Test func aReplayedPacketIsDroppedAsReplay() throws {
        let (a, b) = try Self.pair(.aesCM128HMACSHA1_32)
        // Sent first, arriving last: far behind the 128-packet window.
        let old = try #require(a.protect(Self.rtp(sequence: 10)))
        let first = try #require(a.protect(Self.rtp(sequence: 500)))
        #expect((try? b.unprotect(first).get()) != nil)
        #expect(b.unprotect(first) == .failure(.replay))
        for seq in UInt16(501)..<700 { _ = b.unprotect(try #require(a.protect(Self.rtp(sequence: seq)))) }
        #expect(b.unprotect(old) == .failure(.replay))
        #expect(b.dropped == SRTPSession.Drops(replay: 2, auth: 0, other: 0))
    }

    @Test func boundsAreCheckedBeforeLibSRTPReadsAnything() throws {
        let (a, b) = try Self.pair(.aesCM128HMACSHA1_80)
        #expect(b.unprotect([0x80, 0, 0]) == .failure(.other))
        #expect(b.unprotect([]) == .failure(.other))
        #expect(b.unprotect([UInt8](repeating: 0x80, count: SRTPSession.maxPacket + 1)) == .failure(.other))
        #expect(b.dropped.other == 3)
        // No room for the tag: refused, counted, nothing written past the buffer.
        var tight = Self.rtp(sequence: 1)
        let n = tight.withUnsafeMutableBytes { a.protect($0, length: $0.count) }
        #expect(n == nil)
        #expect(a.protectFailures == 1)
        // Random datagrams: dropped, never a crash.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...300, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count > 0, Bool.random(using: &generator) { bytes[0] = 0x80 }
            #expect((try? b.unprotect(bytes).get()) == nil)
        }
    }

    @Test func keysHaveTheirLengthAndBase64Form() throws {
        let key = SRTPMasterKey.random()
        #expect(key.bytes.count == 30)
        #expect(key.base64.count == 40)
        #expect(SRTPMasterKey(base64: key.base64) == key)
        #expect(SRTPMasterKey.random() != key)
        #expect(SRTPMasterKey(bytes: Array(repeating: 1, count: 29)) == nil)
        #expect(SRTPMasterKey(bytes: Array(repeating: 1, count: 32)) == nil)
        #expect(SRTPMasterKey(base64: String(key.base64.dropLast())) == nil)
        #expect(SRTPMasterKey(base64: key.base64 + "A") == nil)
        // 32 bytes of base64 (44 characters), and 40 characters that are not base64.
        #expect(SRTPMasterKey(base64: Data(repeating: 7, count: 32).base64EncodedString()) == nil)
        #expect(SRTPMasterKey(base64: String(repeating: "*", count: 40)) == nil)
    }

    @Test func keysNeverPrint() throws {
        let local = SRTPMasterKey.random(), remote = SRTPMasterKey.random()
        let agreement = SRTPAgreement(suite: .aesCM128HMACSHA1_80, tag: 1, localKey: local, remoteKey: remote)
        var media = SDPNegotiator.Agreement(codec: .pcmu, payloadType: 0, eventPayloadType: 101, remoteAddress: "127.0.0.1",
                                            remotePort: 4000, direction: .sendrecv)
        media.srtp = agreement
        let offer = SRTPOffer(cryptos: [SDESCrypto(tag: 1, suite: .aesCM128HMACSHA1_32, key: local)])
        let session = try SRTPSession(suite: .aesCM128HMACSHA1_80, sendKey: local, receiveKey: remote)
        var dumped = ""
        dump(media, to: &dumped)
        dump(offer, to: &dumped)
        let texts = ["\(local)", String(reflecting: local), "\(agreement)", String(reflecting: agreement), "\(media)",
                     String(reflecting: media), "\(offer)", String(reflecting: offer), "\(session)", "\(offer.cryptos[0])", dumped]
        for text in texts {
            #expect(!text.contains(local.base64) && !text.contains(remote.base64), "\(text)")
        }
        #expect("\(local)" == "<redacted>")
        #expect("\(session)".contains("AES_CM_128_HMAC_SHA1_80"))
    }
}
