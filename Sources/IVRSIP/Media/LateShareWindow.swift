import NIOCore

/// The share of a media clock's RTP packets that went out late, over
/// half-second windows: what the node's callers hear when the node is
/// fuller than its cores (`LoadMonitor`'s second signal,
/// `serve --overload-late`).
///
/// A packet is late when its tick fired more than 5 ms after its slot
/// (`IVRMetrics.lateAfterNanoseconds`, as in `ivrc_rtp_packets_late_total`);
/// frames the clock skipped after a stall were never sent and count as late.
/// A window is judged only while the clock paces at least `minimumSessions`
/// calls: with a handful of calls, lateness is the machine's (another
/// process, a stalled virtual machine), and refusing calls would not help.
struct LateShareWindow {
    static let length = TimeAmount.milliseconds(500)
    static let minimumSessions = 100

    private var start: NIODeadline
    private var sent = 0
    private var late = 0
    private var fewestSessions = Int.max

    init(start: NIODeadline) { self.start = start }

    /// Adds one clock firing's packets. At the end of a window, returns its
    /// late share in permille, or -1 when it is not judged (too few calls
    /// at some point of the window, or nothing was due); nil meanwhile.
    mutating func add(sent: Int, late: Int, sessions: Int, now: NIODeadline) -> Int? {
        self.sent += sent
        self.late += late
        fewestSessions = min(fewestSessions, sessions)
        guard now - start >= Self.length else { return nil }
        let share = fewestSessions >= Self.minimumSessions && self.sent > 0 ? self.late * 1000 / self.sent : -1
        self = LateShareWindow(start: now)
        return share
    }
}
