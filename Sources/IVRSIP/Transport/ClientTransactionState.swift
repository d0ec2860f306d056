/// The client transaction state machines of RFC 3261 17.1 over UDP, pure
/// and driven by an injected clock (milliseconds on any monotonic scale),
/// like `RetransmitTimer`. The endpoint feeds it responses (`receive`) and
/// the passing of time (`fire`) and carries out the actions it returns.
///
/// INVITE client (17.1.1, figure 5):
/// - calling: Timer A retransmits (T1, 2*T1, 4*T1, ... uncapped); Timer B
///   (64*T1) gives up;
/// - proceeding (a 1xx arrived): no retransmission and no timeout; the
///   transaction waits for a final response (the TU bounds the ringing and
///   sends CANCEL);
/// - completed (a 300-699 arrived): it is ACKed, and every retransmission
///   of it is ACKed again, until Timer D (32 s);
/// - terminated: on a 2xx (its ACK belongs to the dialog, 13.2.2.4), after
///   Timer D, or after Timer B.
///
/// Non-INVITE client (17.1.2, figure 6):
/// - trying: Timer E retransmits (T1, 2*T1, ... capped at T2); Timer F
///   (64*T1) gives up;
/// - proceeding (a 1xx arrived): Timer E goes on at T2; Timer F still runs;
/// - completed (a final arrived): retransmissions of the response are
///   absorbed until Timer K (T4);
/// - terminated.
public struct ClientTransactionState: Sendable, Equatable {
    public static let defaultT4 = 5_000
    /// Timer D over an unreliable transport: at least 32 s (17.1.1.2).
    public static let defaultTimerD = 32_000

    public enum Kind: Sendable, Equatable {
        case invite
        case nonInvite
    }

    public enum State: Sendable, Equatable {
        /// INVITE sent, nothing heard yet.
        case calling
        /// Non-INVITE sent, nothing heard yet.
        case trying
        case proceeding
        case completed
        case terminated
    }

    /// What the transaction user's side must do now, in order.
    public enum Action: Sendable, Equatable {
        /// Send the request again (Timer A or E).
        case retransmit
        /// Hand the response to the transaction user (each provisional, and
        /// the first final response only).
        case deliver
        /// Send the ACK for the non-2xx final response (17.1.1.3): on the
        /// first one and on each retransmission of it.
        case ack
        /// No final response in time (Timer B or F): tell the transaction user.
        case timeout
    }

    public let kind: Kind
    public let t1: Int
    public let t2: Int
    public let t4: Int
    public let timerD: Int
    public private(set) var state: State
    /// The interval Timer A/E was last set to.
    public private(set) var interval: Int
    /// When Timer A/E fires next (nil: stopped).
    public private(set) var retransmitAt: Int?
    /// When Timer B/F fires (nil: stopped).
    public private(set) var timeoutAt: Int?
    /// When Timer D/K ends the completed state (nil: not completed).
    public private(set) var endAt: Int?
    /// Requests sent so far, the first included.
    public private(set) var sends = 1

    /// The request was just sent (at `start`).
    /// `reliable` (TCP, TLS): nothing is retransmitted (Timers A and E do
    /// not run), and Timers D and K are zero (17.1.1.2, 17.1.2.2).
    public init(kind: Kind, start: Int, t1: Int = RetransmitTimer.defaultT1, t2: Int = RetransmitTimer.defaultT2,
                t4: Int = defaultT4, timerD: Int = defaultTimerD, reliable: Bool = false) {
        self.kind = kind
        self.t1 = t1
        self.t2 = t2
        self.t4 = reliable ? 0 : t4
        self.timerD = reliable ? 0 : timerD
        self.state = kind == .invite ? .calling : .trying
        self.interval = t1
        self.retransmitAt = reliable ? nil : start + t1
        self.timeoutAt = start + 64 * t1
    }

    /// The earliest pending timer: when `fire` has something to do (nil: none).
    public var nextDeadline: Int? {
        [retransmitAt, timeoutAt, endAt].compactMap { $0 }.min()
    }

    public var isTerminated: Bool { state == .terminated }

    /// A response of this transaction (17.1.3 matched it) arrived.
    public mutating func receive(status: Int, now: Int) -> [Action] {
        switch (kind, state) {
        case (_, .terminated):
            return []
        case (.invite, .calling), (.invite, .proceeding):
            if status < 200 {
                state = .proceeding
                retransmitAt = nil
                timeoutAt = nil
                return [.deliver]
            }
            if status < 300 {
                terminate()
                return [.deliver]
            }
            state = .completed
            retransmitAt = nil
            timeoutAt = nil
            endAt = now + timerD
            return [.ack, .deliver]
        case (.invite, _):
            // Completed: a retransmission of the final response is ACKed again.
            return status >= 300 ? [.ack] : []
        case (.nonInvite, .trying), (.nonInvite, .proceeding):
            if status < 200 {
                state = .proceeding
                return [.deliver]
            }
            state = .completed
            retransmitAt = nil
            timeoutAt = nil
            endAt = now + t4
            return [.deliver]
        case (.nonInvite, _):
            return []  // completed: retransmitted responses are absorbed
        }
    }

    /// Time passed: runs the timers due at `now`.
    public mutating func fire(now: Int) -> [Action] {
        if let endAt, now >= endAt {
            terminate()
            return []
        }
        if let timeoutAt, now >= timeoutAt {
            terminate()
            return [.timeout]
        }
        guard let due = retransmitAt, now >= due else { return [] }
        switch (kind, state) {
        case (.invite, _): interval *= 2
        case (.nonInvite, .proceeding): interval = t2
        case (.nonInvite, _): interval = min(interval * 2, t2)
        }
        retransmitAt = now + interval
        sends += 1
        return [.retransmit]
    }

    /// The transaction user gives up on it (RFC 3261 9.1: no final response
    /// 64*T1 after our CANCEL), or the endpoint closes.
    public mutating func abandon() {
        terminate()
    }

    private mutating func terminate() {
        state = .terminated
        retransmitAt = nil
        timeoutAt = nil
        endAt = nil
    }
}
