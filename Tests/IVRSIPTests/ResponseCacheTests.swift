import NIOCore
import Testing
@testable import IVRSIP

/// The cache of answers to retransmitted non-INVITE requests: bounded,
/// oldest first out, expired entries swept.
@Suite struct ResponseCacheTests {
    @Test func keepsTheNewestUpToTheLimit() {
        var cache = ResponseCache(limit: 100)
        let later = NIODeadline.now() + .seconds(60)
        for i in 0..<10_000 { cache.store("k\(i)", [UInt8(i & 0xFF)], expires: later) }
        #expect(cache.count == 100)
        #expect(cache.lookup("k9999", now: .now()) == [0x0F])
        #expect(cache.lookup("k9900", now: .now()) != nil)
        #expect(cache.lookup("k9899", now: .now()) == nil, "the oldest went first")
        // Storing a key again does not duplicate it.
        cache.store("k9999", [1], expires: later)
        #expect(cache.count == 100)
        #expect(cache.lookup("k9999", now: .now()) == [1])
    }

    @Test func expiredEntriesAreNotServedAndAreSwept() {
        var cache = ResponseCache(limit: 10)
        let now = NIODeadline.now()
        cache.store("old", [1], expires: now + .milliseconds(10))
        cache.store("new", [2], expires: now + .seconds(60))
        #expect(cache.lookup("old", now: now + .seconds(1)) == nil)
        cache.sweep(now: now + .seconds(1))
        #expect(cache.count == 1)
        for i in 0..<20 { cache.store("n\(i)", [3], expires: now + .seconds(60)) }
        #expect(cache.count == 10)
        #expect(cache.lookup("n19", now: now) == [3])
    }

    @Test func aZeroLimitKeepsNothing() {
        var cache = ResponseCache(limit: 0)
        cache.store("k", [1], expires: .now() + .seconds(1))
        #expect(cache.count == 0)
    }
}
