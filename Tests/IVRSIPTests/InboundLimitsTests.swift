import Foundation
import Testing
@testable import IVRSIP

/// The pieces of `sip.inbound` without a socket: the token bucket, the
/// bounded table of buckets, the stateless nonces, the server's reading
/// of a digest answer, and the scanner list.
struct InboundLimitsTests {
    @Test func bucketAllowsOneSecondsBurstThenTheRate() {
        var bucket = TokenBucket(rate: 5, now: 1000)
        let burst = (0..<5).map { _ in bucket.take(now: 1000) }
        #expect(burst.allSatisfy { $0 }, "a full bucket: 5 at once")
        let sixth = bucket.take(now: 1000)
        #expect(!sixth, "the sixth in the same millisecond is refused")
        let early = bucket.take(now: 1199)
        #expect(!early, "199 ms refill 0.995 of a token")
        let refilled = bucket.take(now: 1200)
        #expect(refilled, "200 ms refill one token at 5/s")
        let again = bucket.take(now: 1200)
        #expect(!again)
        let later = [bucket.take(now: 100_000), bucket.take(now: 100_000)]
        #expect(later == [true, true], "refilled after a pause")
        var full = TokenBucket(rate: 5, now: 0)
        let taken = (0..<6).map { _ in full.take(now: 50_000) }
        #expect(taken == [true, true, true, true, true, false], "never more than one second's burst, however long the pause")
    }

    @Test func bucketReportsRefusalsAtMostOncePerSecond() {
        var bucket = TokenBucket(rate: 1, now: 0)
        let first = bucket.take(now: 0)
        let second = bucket.take(now: 10)
        #expect(first && !second)
        let report = bucket.report(now: 10)
        #expect(report == 1, "the first refusal is reported at once")
        let refused = stride(from: UInt64(20), to: 900, by: 10).map { bucket.take(now: $0) }
        #expect(!refused.contains(true))
        let soon = bucket.report(now: 900)
        #expect(soon == nil, "not again within the second")
        #expect(bucket.unreported == refused.count)
        let pending = bucket.unreported
        let late = bucket.report(now: 1010)
        #expect(late == pending, "the count since, a second later")
        let quiet = bucket.report(now: 5000)
        #expect(quiet == nil, "nothing refused since")
    }

    @Test func limiterKeepsOneBucketPerSourceInABoundedTable() {
        var limiter = InviteRateLimiter(rate: 2, maxSources: 100)
        let one = (0..<3).map { _ in limiter.admit("192.0.2.1", now: 0).admitted }
        #expect(one == [true, true, false], "the third from one source")
        let other = limiter.admit("192.0.2.2", now: 0).admitted
        #expect(other, "another source has its own bucket")
        for i in 0..<10_000 { _ = limiter.admit("10.\(i / 65536).\(i / 256 % 256).\(i % 256)", now: 1) }
        #expect(limiter.trackedSources == 100, "a flood from many addresses keeps at most maxSources buckets")
    }

    @Test func noncesCheckOutFreshThenStaleAndForgedOnesAreUnknown() {
        let nonces = DigestNonces(lifetime: .seconds(180))
        let nonce = nonces.make(now: 5_000)
        #expect(nonce.count == 80)
        #expect(nonces.check(nonce, now: 5_000) == .fresh)
        #expect(nonces.check(nonce, now: 185_000) == .fresh)
        #expect(nonces.check(nonce, now: 185_001) == .stale)
        #expect(nonces.check(nonce, now: 4_999) == .unknown, "made in the future")
        var altered = Array(nonce.utf8)
        altered[15] = altered[15] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")  // the time changed, the MAC kept
        #expect(nonces.check(String(decoding: altered, as: UTF8.self), now: 5_000) == .unknown)
        #expect(DigestNonces(lifetime: .seconds(180)).check(nonce, now: 5_000) == .unknown, "another process's key")
        #expect(nonces.check("", now: 0) == .unknown)
        #expect(nonces.check(String(repeating: "z", count: 80), now: 0) == .unknown)
        #expect(nonces.make(now: 5_000) == nonce, "stateless: the time and the key make the nonce")
    }

    @Test func digestAnswerIsCheckedAgainstThePassword() throws {
        let challenge = DigestChallenge(realm: "ivr.example", nonce: "abc", algorithm: .sha256, qopAuth: true)
        let credential = DigestCredential(realm: nil, user: "carrier", password: "s3cret")
        let sent = DigestAuthorization(challenge: challenge, credential: credential, method: "INVITE", uri: "sip:100@ivr.example")
        let answer = try DigestAnswer(parsing: sent.headerValue)
        #expect(answer.user == "carrier" && answer.uri == "sip:100@ivr.example" && answer.nonceCount == 1 && answer.algorithm == .sha256)
        #expect(answer.isAnswered(by: "s3cret", method: "INVITE"))
        #expect(!answer.isAnswered(by: "wrong", method: "INVITE"))
        #expect(!answer.isAnswered(by: "s3cret", method: "BYE"))
        #expect(DigestAnswer.realm(of: sent.headerValue) == "ivr.example")
        let noQop = DigestAuthorization(challenge: DigestChallenge(realm: "r", nonce: "n", qopAuth: false), credential: credential,
                                        method: "INVITE", uri: "sip:x")
        #expect(throws: DigestAnswer.Problem.missing("qop")) { try DigestAnswer(parsing: noQop.headerValue) }
        #expect(throws: DigestAnswer.Problem.nonceCount) {
            try DigestAnswer(parsing: sent.headerValue.replacingOccurrences(of: "nc=00000001", with: "nc=1"))
        }
        #expect(throws: DigestAnswer.Problem.algorithm("MD5-sess")) {
            try DigestAnswer(parsing: sent.headerValue.replacingOccurrences(of: "algorithm=SHA-256", with: "algorithm=MD5-sess"))
        }
        #expect(throws: DigestAnswer.Problem.malformed) { try DigestAnswer(parsing: "Basic Zm9vOmJhcg==") }
    }

    @Test func scannerUserAgentsAreRecognised() {
        #expect(ScannerUserAgents.isScanner("friendly-scanner"))
        #expect(ScannerUserAgents.isScanner("SIPVicious 0.3"))
        #expect(ScannerUserAgents.isScanner("sipcli/v1.8"))
        #expect(!ScannerUserAgents.isScanner("Linphone/5.2"))
        #expect(!ScannerUserAgents.isScanner(nil))
    }
}
