import IVRTestSupport
import Testing
@testable import IVRSIP

/// The registration state machine of RFC 3261 10.2 on an injected clock
/// (milliseconds): the grant honoured, the refresh at half of it, 423
/// answered with Min-Expires, backoff doubling to its cap, unregister.
@Suite(.dedicatedExecutor) struct RegistrationClientTests {
    typealias Client = RegistrationClient

    @Test func theFirstRegisterAsksForTheConfiguredExpiry() {
        var c = Client(expires: 600)
        #expect(c.state == .idle)
        #expect(c.start(now: 0) == .send(expires: 600))
        #expect(c.state == .registering)
        #expect(c.start(now: 10) == .none, "started once")
    }

    /// RFC 3261 10.2.4: the registrar's grant wins over what was asked;
    /// the refresh goes out at half the grant, not half of what we asked.
    @Test func theGrantIsHonouredAndRefreshedAtHalfOfIt() {
        var c = Client(expires: 3600)
        _ = c.start(now: 1000)
        #expect(c.received(status: 200, granted: 60, reason: "OK", now: 2000) == .none)
        #expect(c.state == .registered(granted: 60, until: 62_000))
        #expect(c.takeEvent() == .registered(granted: 60))
        #expect(c.takeEvent() == nil, "an event is told once")
        #expect(c.nextDeadline == 32_000, "half of 60 s after the 200")
        #expect(c.fire(now: 31_999) == .none, "not yet")
        #expect(c.fire(now: 32_000) == .send(expires: 3600), "the refresh asks for the configured expiry again")
        #expect(c.state == .registering)
    }

    @Test func withoutAGrantTheAskedExpiryCounts() {
        var c = Client(expires: 120)
        _ = c.start(now: 0)
        _ = c.received(status: 200, granted: nil, reason: "OK", now: 0)
        #expect(c.state == .registered(granted: 120, until: 120_000))
        #expect(c.nextDeadline == 60_000)
    }

    @Test func aGrantOfZeroIsAFailure() {
        var c = Client(expires: 120, backoffBase: 1000)
        _ = c.start(now: 0)
        _ = c.received(status: 200, granted: 0, reason: "OK", now: 0)
        #expect(c.state == .failed(reason: "200 OK granted 0 s", retryAt: 1000))
    }

    @Test func refreshDelayIsHalfTheGrantAtLeastHalfASecond() {
        #expect(Client.refreshDelay(granted: 600) == 300_000)
        #expect(Client.refreshDelay(granted: 5) == 2500)
        #expect(Client.refreshDelay(granted: 1) == 500)
    }

    /// RFC 3261 10.2.8: 423 Interval Too Brief is asked again at once with
    /// its Min-Expires, which the refreshes keep.
    @Test func intervalTooBriefIsRetriedWithMinExpires() {
        var c = Client(expires: 30)
        _ = c.start(now: 0)
        #expect(c.received(status: 423, granted: nil, minExpires: 300, reason: "Interval Too Brief", now: 10) == .send(expires: 300))
        #expect(c.takeEvent() == .intervalTooBrief(minExpires: 300))
        #expect(c.expires == 300)
        _ = c.received(status: 200, granted: 300, reason: "OK", now: 20)
        #expect(c.fire(now: 20 + 150_000) == .send(expires: 300))
    }

    @Test func a423ThatDoesNotRaiseTheExpiryIsAFailure() {
        var c = Client(expires: 300, backoffBase: 1000)
        _ = c.start(now: 0)
        #expect(c.received(status: 423, granted: nil, minExpires: 300, reason: "Interval Too Brief", now: 0) == .none)
        #expect(c.state == .failed(reason: "423 Interval Too Brief", retryAt: 1000))
        _ = c.fire(now: 1000)
        #expect(c.received(status: 423, granted: nil, minExpires: nil, reason: "Interval Too Brief", now: 1000) == .none)
        #expect(c.failures == 2)
    }

    /// Failures in a row wait 30 s, 60 s, 120 s, 240 s, then 300 s (the cap)
    /// for good; a success starts the doubling over.
    @Test func failuresBackOffDoublingUpToTheCap() {
        var c = Client(expires: 600)
        var now = 0
        _ = c.start(now: now)
        var waits: [Int] = []
        for i in 0..<7 {
            if i % 2 == 0 {
                _ = c.failed(reason: "no answer", now: now)
            } else {
                _ = c.received(status: 503, granted: nil, reason: "Service Unavailable", now: now)
            }
            let due = try! #require(c.nextDeadline)
            waits.append(due - now)
            #expect(c.fire(now: due - 1) == .none)
            now = due
            #expect(c.fire(now: now) == .send(expires: 600), "the retry")
        }
        #expect(waits == [30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000])
        #expect(c.failures == 7)
        _ = c.received(status: 200, granted: 600, reason: "OK", now: now)
        #expect(c.failures == 0)
        _ = c.fire(now: now + 300_000)
        _ = c.failed(reason: "no answer", now: now + 300_000)
        #expect(c.nextDeadline == now + 300_000 + 30_000, "after a success the backoff starts at the base again")
    }

    @Test func backoffBaseAndCapAreConfigurable() {
        let c = Client(expires: 60, backoffBase: 1000, backoffCap: 3000)
        #expect((1...5).map { c.backoff(failures: $0) } == [1000, 2000, 3000, 3000, 3000])
    }

    @Test func aFailedRefreshIsLoggedWithItsRetry() {
        var c = Client(expires: 60, backoffBase: 2000)
        _ = c.start(now: 0)
        _ = c.received(status: 200, granted: 60, reason: "OK", now: 0)
        _ = c.takeEvent()
        _ = c.fire(now: 30_000)
        _ = c.received(status: 403, granted: nil, reason: "Forbidden", now: 30_100)
        #expect(c.takeEvent() == .failed(reason: "403 Forbidden", retryIn: 2000))
        #expect(c.state == .failed(reason: "403 Forbidden", retryAt: 32_100))
    }

    /// Shutdown: one REGISTER with expires 0; its answer (any) ends it and
    /// nothing is sent again.
    @Test func unregisterSendsExpiresZeroOnceAndStops() {
        var c = Client(expires: 60)
        _ = c.start(now: 0)
        _ = c.received(status: 200, granted: 60, reason: "OK", now: 0)
        #expect(c.unregister(now: 5000) == .send(expires: 0))
        #expect(c.state == .unregistering)
        #expect(c.nextDeadline == nil, "no refresh after unregister")
        #expect(c.fire(now: 100_000) == .none)
        #expect(c.received(status: 200, granted: 0, reason: "OK", now: 5100) == .none)
        #expect(c.state == .unregistered)
        #expect(c.takeEvent() == .unregistered(failure: nil))
        #expect(c.unregister(now: 6000) == .none, "once")
    }

    @Test func unregisterAfterAFailureStillRemovesAndNeverStartedSendsNothing() {
        var c = Client(expires: 60)
        _ = c.start(now: 0)
        _ = c.failed(reason: "no answer", now: 0)
        #expect(c.unregister(now: 10) == .send(expires: 0))
        _ = c.failed(reason: "no answer", now: 20)
        #expect(c.state == .unregistered, "a failed unregister is not retried")
        #expect(c.takeEvent() == .unregistered(failure: "no answer"))
        #expect(c.nextDeadline == nil)
        var idle = Client(expires: 60)
        #expect(idle.unregister(now: 0) == .none)
        #expect(idle.state == .unregistered)
    }
}
