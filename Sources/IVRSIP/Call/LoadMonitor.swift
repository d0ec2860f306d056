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

    /// Probes every loop of `group`; `threshold` of smoothed lag (zero: never
    /// overloaded). `probing` false starts no probe (tests feed `record`).
    public convenience init(group: EventLoopGroup, threshold: TimeAmount, probing: Bool = true) {
        self.init(loops: Array(group.makeIterator()), threshold: threshold, probing: probing)
    }

    /// Probes each of `loops` (the media group's and the signalling loop).
    public init(loops: [EventLoop], threshold: TimeAmount, probing: Bool = true) {
        self.loops = loops
        lags = Mutex(loops.map { _ in 0 })
        self.threshold = threshold.nanoseconds
        guard threshold.nanoseconds > 0, probing else {
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
        if worst > threshold {
            if overloaded.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
                episodes.add(1, ordering: .relaxed)
            }
        } else if worst < threshold / 2 {
            overloaded.store(false, ordering: .relaxed)
        }
    }
}
