import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The media clock of one event loop: it paces every media session whose
/// RTP socket lives on that loop, so a loop carrying 500 calls has one
/// timer rather than 500, and it reads their sockets.
///
/// Reading: each tick first reads one datagram from every session socket
/// that has one waiting (`ReadinessSet`, then `RTPSocket.receive` into one
/// buffer of the clock's) and hands it to its session before sending the
/// tick's frames. A packet therefore waits at most a tick (0.5 ms) for its
/// loop, and the loop wakes 2,000 times a second however many calls it
/// carries, where a wake-up per datagram costs 50 a second per call. A
/// socket with several datagrams waiting is read once per tick (40 times
/// its packet rate).
///
/// Sessions sit in one of 40 half-millisecond slots (the least used when
/// they join), so the loop sends about N/40 packets each tick rather than
/// N at once. Tick `i` is due at `start + i * 0.5 ms` on NIO's monotonic
/// clock: every deadline is computed from the start, so scheduling delays
/// never accumulate. A late tick catches up slot by slot; after a stall
/// longer than `maxCatchUp` ticks (100 ms) the clock skips the lost whole
/// 20 ms cycles instead of bursting, and each session's RTP timestamp
/// jumps by the frames it skipped (the prompt resumes where it was; the
/// receiver sees the gap in the timestamps).
///
/// Metrics: each tick's packets are counted on the loop and published
/// once per timer firing (`ivrc_rtp_packets_sent_total`); a tick that
/// fires more than 5 ms (`IVRMetrics.lateAfterNanoseconds`) after its
/// deadline counts its packets in
/// `ivrc_rtp_packets_late_total` too. Frames of skipped cycles are never
/// sent, so they count in neither.
///
/// Overload: the share of packets sent late (skipped frames included) over
/// half-second windows is published in `latePermille` (`LateShareWindow`)
/// for `LoadMonitor`.
///
/// Concurrency: all mutable state is touched only on `eventLoop`, which
/// makes the `@unchecked Sendable` sound.
public final class MediaClock: @unchecked Sendable {
    static let slotCount = 40
    static let tickNanoseconds: Int64 = 500_000
    /// Ticks of delay caught up by sending late; beyond this, time is skipped.
    static let maxCatchUp: Int64 = 200

    public let eventLoop: EventLoop
    /// Where each tick's packets are counted (`IVRMetrics.rtpTick`).
    let metrics: IVRMetrics
    var slots: [[MediaSession]] = Array(repeating: [], count: MediaClock.slotCount)
    var start = NIODeadline.now()
    var tick: Int64 = 0
    var timer: Scheduled<Void>?
    /// Sessions paced by this clock.
    public internal(set) var sessions = 0
    /// Whole 20 ms cycles skipped after stalls (for logs and tests).
    public internal(set) var skippedCycles: Int64 = 0
    var lateWindow = LateShareWindow(start: .now())
    /// The last window's late share in permille; -1: not judged (too few calls, idle).
    let latePermille = Atomic(-1)
    /// The sockets of the sessions paced here, read each tick (nil: the
    /// kernel had no descriptor for it; no session can join).
    let readiness: ReadinessSet?
    /// Each paced session by its socket's descriptor.
    var receivers: [CInt: MediaSession] = [:]
    /// Where datagrams are read, one at a time.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: MediaClock.readSize, alignment: 16)
    /// Longer datagrams are cut to this length (and refused by the session).
    static let readSize = 2_048

    public init(eventLoop: EventLoop, metrics: IVRMetrics = .none) {
        self.eventLoop = eventLoop
        self.metrics = metrics
        readiness = try? ReadinessSet()
    }

    deinit { readBuffer.deallocate() }

    /// Starts pacing `session` and reading its socket (on the loop). Its
    /// first frame goes out within 20 ms. Throws when its socket cannot be
    /// watched (the kernel is out of memory or descriptors).
    func add(_ session: MediaSession) throws {
        eventLoop.preconditionInEventLoop()
        guard session.slot == nil else { return }
        guard let readiness else { throw IOError(errnoCode: EMFILE, reason: "epoll_create1") }
        try readiness.add(session.socket.descriptor)
        receivers[session.socket.descriptor] = session
        var slot = 0
        for i in slots.indices where slots[i].count < slots[slot].count { slot = i }
        slots[slot].append(session)
        session.slot = slot
        sessions += 1
        if timer == nil {
            start = .now()
            tick = 0
            lateWindow = LateShareWindow(start: start)
            schedule()
        }
    }

    /// Stops pacing `session` (on the loop); the timer stops with the last session.
    func remove(_ session: MediaSession) {
        eventLoop.preconditionInEventLoop()
        guard let slot = session.slot else { return }
        readiness?.remove(session.socket.descriptor)
        receivers[session.socket.descriptor] = nil
        slots[slot].removeAll { $0 === session }
        session.slot = nil
        sessions -= 1
        if sessions == 0 {
            timer?.cancel()
            timer = nil
            latePermille.store(-1, ordering: .relaxed)
        }
    }

    func schedule() {
        timer = eventLoop.scheduleTask(deadline: start + .nanoseconds(Self.tickNanoseconds * tick)) { [self] in
            self.fire()
        }
    }

    func fire() {
        guard sessions > 0 else {
            timer = nil
            return
        }
        receive()
        guard sessions > 0 else {  // a packet ended the last call
            timer = nil
            return
        }
        let elapsed = (NIODeadline.now() - start).nanoseconds
        let due = elapsed / Self.tickNanoseconds
        var skippedFrames = 0
        if due - tick > Self.maxCatchUp {
            let cycles = (due - tick) / Int64(Self.slotCount)
            tick += cycles * Int64(Self.slotCount)
            skippedCycles += cycles
            skippedFrames = Int(cycles) * sessions
            for slot in slots {
                for session in slot { session.skip(frames: cycles) }
            }
        }
        // Counted here and published once per tick: no lock or atomic per packet.
        var sent = 0, late = 0
        while tick <= due {
            var sentNow = 0
            for session in slots[Int(tick % Int64(Self.slotCount))] {
                if session.sendFrame() { sentNow += 1 }
            }
            sent += sentNow
            if elapsed - tick * Self.tickNanoseconds > IVRMetrics.lateAfterNanoseconds { late += sentNow }
            tick += 1
        }
        metrics.rtpTick(sent: sent, late: late)
        if let share = lateWindow.add(sent: sent + skippedFrames, late: late + skippedFrames, sessions: sessions,
                                      now: start + .nanoseconds(elapsed)) {
            latePermille.store(share, ordering: .relaxed)
        }
        schedule()
    }
}

extension MediaClock {
    /// Reads one datagram from each socket that has one waiting and hands
    /// it to its session (see the type's comment).
    func receive() {
        guard let readiness else { return }
        let buffer = readBuffer
        readiness.forEachReady { descriptor in
            guard let session = receivers[descriptor] else { return }
            switch session.socket.receive(into: buffer) {
            case .datagram(let count, let source):
                session.received(UnsafeRawBufferPointer(rebasing: buffer[..<count]), from: source)
            case .failed(let code):
                session.socketFailed(code)
            case .empty:
                break
            }
        }
    }
}

/// One clock per event loop of a group, made on first use.
public final class MediaClocks: Sendable {
    private let clocks = Mutex<[ObjectIdentifier: MediaClock]>([:])
    /// Given to every clock made.
    let metrics: IVRMetrics

    public init(metrics: IVRMetrics = .none) { self.metrics = metrics }

    /// The largest late share of any clock's last window, in permille
    /// (`MediaClock.latePermille`); -1 when no clock is judged.
    public var worstLatePermille: Int {
        clocks.withLock { all in all.values.map { $0.latePermille.load(ordering: .relaxed) }.max() ?? -1 }
    }

    /// The clock of `loop` (the clock keeps the loop alive, so the key is never reused).
    public func clock(for loop: EventLoop) -> MediaClock {
        clocks.withLock { all in
            if let clock = all[ObjectIdentifier(loop)] { return clock }
            let clock = MediaClock(eventLoop: loop, metrics: metrics)
            all[ObjectIdentifier(loop)] = clock
            return clock
        }
    }
}
