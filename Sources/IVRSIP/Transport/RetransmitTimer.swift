/// The retransmission schedule of RFC 3261 over UDP, as a pure state
/// machine driven by an injected clock (times in milliseconds on any
/// monotonic scale):
///
/// - the UAS 2xx-to-INVITE (13.3.1.4): first retransmit after T1, each
///   interval doubling, capped at T2 (uncapped on request), until an answer;
/// - give up after 64*T1 (Timer H: the UAS sends BYE).
///
/// Client transactions have their own state machine with these timers and
/// their states: `ClientTransactionState`.
public struct RetransmitTimer: Sendable, Equatable {
    public static let defaultT1 = 500
    public static let defaultT2 = 4_000

    /// What to do now.
    public enum Action: Sendable, Equatable {
        /// Nothing until this time.
        case wait(until: Int)
        /// Send again; the next deadline is set.
        case retransmit
        /// 64*T1 passed without an answer.
        case timeout
    }

    public let t1: Int
    public let t2: Int
    /// false for an INVITE client transaction (its interval keeps doubling).
    public let capped: Bool
    public let start: Int
    public private(set) var interval: Int
    public private(set) var next: Int
    public private(set) var sends = 1

    public init(start: Int, t1: Int = defaultT1, t2: Int = defaultT2, capped: Bool = true) {
        self.t1 = t1
        self.t2 = t2
        self.capped = capped
        self.start = start
        self.interval = t1
        self.next = start + t1
    }

    /// The final deadline: 64*T1 after the first send.
    public var deadline: Int { start + 64 * t1 }

    public mutating func poll(now: Int) -> Action {
        if now >= deadline { return .timeout }
        guard now >= next else { return .wait(until: min(next, deadline)) }
        interval = capped ? min(interval * 2, t2) : interval * 2
        next = now + interval
        sends += 1
        return .retransmit
    }
}
