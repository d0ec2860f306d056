import NIOCore
import Synchronization

/// Whether the node is full: how late each event loop (media and signalling) runs a
/// task due at a known time. Every `period` a probe is scheduled on every
/// loop for an exact deadline; when it runs, its lateness (how long the loop
/// was busy with other work: media ticks, relays, SIP) feeds that loop's
/// smoothed lag (an exponential average over about `smoothing` probes).
/// The node is overloaded while some loop's smoothed lag exceeds
/// `threshold`, and stays so until every loop is back under half of it
/// (hysteresis, so the verdict does not flap with each probe).
///
/// A second signal, the media itself: the share of RTP packets a loop's
/// clock sent more than 5 ms late over its last half second
/// (`MediaClock.latePermille`, judged only while the loop carries 100 calls
/// or more). Past `lateLimit` permille the node is full too, and again it
/// stays so until the share is under half of it. A loop can send a tenth
/// of its packets late while a 20 ms probe still runs only a few
/// milliseconds behind on average, so the lag alone lets a node take calls
/// long after its callers hear it.
///
/// A loop that is that late delays every RTP packet it sends and every SIP
/// message it reads by as much: new calls would only make all calls worse,
/// so `SIPEndpoint` answers new INVITEs with 503 and `Retry-After` (a
/// dispatcher in front sends them to another node) while overloaded.
///
/// Concurrency: the lags are under a lock (a probe takes it 50 times a
/// second per loop); the verdict is an atomic any thread may read.
public final class LoadMonitor: Sendable {
    public static let period = TimeAmount.milliseconds(20)
    static let smoothing: Int64 = 16

    /// Smoothed lag beyond which the node refuses new calls (nanoseconds).
    public let threshold: Int64
    private let loops: [EventLoop]
    /// Per loop: the smoothed lag in nanoseconds.
    private let lags: Mutex<[Int64]>
    private let overloaded = Atomic(false)
    /// Times the verdict went to overloaded (for logs and tests).
    private let episodes = Atomic(0)
    private let running = Atomic(true)
    /// Late share in permille beyond which the node is full (0: not used).
    public let lateLimit: Int
    /// The worst media clock's late share in permille (-1: not judged).
    private let mediaLate: @Sendable () -> Int
    private let lastLate = Atomic(-1)

    /// Probes every loop of `group`; `threshold` of smoothed lag (zero: never
    /// overloaded). `probing` false starts no probe (tests feed `record`).
    public convenience init(group: EventLoopGroup, threshold: TimeAmount, lateLimit: Int = 0,
                            mediaLate: @escaping @Sendable () -> Int = { -1 }, probing: Bool = true) {
        self.init(loops: Array(group.makeIterator()), threshold: threshold, lateLimit: lateLimit, mediaLate: mediaLate, probing: probing)
    }

    /// Probes each of `loops` (the media group's and the signalling loop);
    /// `lateLimit` permille of late RTP as `mediaLate` reports it (0: not
    /// used; `MediaClocks.worstLatePermille`).
    public init(loops: [EventLoop], threshold: TimeAmount, lateLimit: Int = 0, mediaLate: @escaping @Sendable () -> Int = { -1 },
                probing: Bool = true) {
        self.loops = loops
        lags = Mutex(loops.map { _ in 0 })
        self.threshold = threshold.nanoseconds
        self.lateLimit = max(0, lateLimit)
        self.mediaLate = mediaLate
        guard threshold.nanoseconds > 0 || lateLimit > 0, probing else {
            running.store(false, ordering: .relaxed)
            return
        }
        for i in loops.indices { schedule(i, at: .now() + Self.period) }
    }

    /// True while some loop runs more than `threshold` late, smoothed.
    public var isOverloaded: Bool { overloaded.load(ordering: .relaxed) }
    /// How many times the node became overloaded since it started.
    public var overloadEpisodes: Int { episodes.load(ordering: .relaxed) }
    /// The largest smoothed lag of any loop, in milliseconds.
    public var worstLagMilliseconds: Double {
        Double(lags.withLock { $0.max() ?? 0 }) / 1e6
    }
    /// The worst media clock's late share at the last probe, in permille (-1: not judged).
    public var latePermille: Int { lastLate.load(ordering: .relaxed) }

    /// Why the node is full, for the log: the signal over its limit.
    public var reason: String {
        let late = latePermille
        if lateLimit > 0, late > lateLimit {
            return "\(Self.percent(late)) of the RTP packets of an event loop went out more than 5 ms late (over \(Self.percent(lateLimit)))"
        }
        return "an event loop runs \(String(format: "%.0f", worstLagMilliseconds)) ms late (over \(threshold / 1_000_000) ms)"
    }

    static func percent(_ permille: Int) -> String {
        permille % 10 == 0 ? "\(permille / 10)%" : "\(permille / 10).\(permille % 10)%"
    }

    public func stop() { running.store(false, ordering: .relaxed) }

    private func schedule(_ i: Int, at deadline: NIODeadline) {
        guard running.load(ordering: .relaxed) else { return }
        loops[i].scheduleTask(deadline: deadline) { [self] in
            let late = max(0, (NIODeadline.now() - deadline).nanoseconds)
            record(i, late: late)
            schedule(i, at: .now() + Self.period)
        }
    }

    /// Folds one probe's lateness into loop `i`'s average and updates the verdict.
    func record(_ i: Int, late: Int64) {
        let worst = lags.withLock { lags in
            lags[i] += (late - lags[i]) / Self.smoothing
            return lags.max() ?? 0
        }
        let late = lateLimit > 0 ? mediaLate() : -1
        lastLate.store(late, ordering: .relaxed)
        let lagOver = threshold > 0 && worst > threshold
        let lateOver = lateLimit > 0 && late > lateLimit
        if lagOver || lateOver {
            if overloaded.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
                episodes.add(1, ordering: .relaxed)
            }
        } else if (threshold == 0 || worst < threshold / 2) && late < (lateLimit + 1) / 2 {
            overloaded.store(false, ordering: .relaxed)
        }
    }
}
