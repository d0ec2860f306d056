/// One binding's registration (RFC 3261 10.2), pure and driven by an
/// injected clock (milliseconds on any monotonic scale), like
/// `ClientTransactionState`: the endpoint tells it what happened to each
/// REGISTER (`start`, `received`, `failed`, `fire`) and sends the REGISTER
/// it asks for (`Action.send(expires:)`), then arms one timer at `nextDeadline`.
///
/// - A `2xx` is the registrar's grant (the `expires` of our Contact, else
///   the `Expires` header, else what we asked): registered until then, the
///   refresh goes out at half the grant.
/// - `423 Interval Too Brief`: asked again at once with its `Min-Expires`
///   (kept for the refreshes); a `423` that does not raise what we ask is a failure.
/// - Any other final response, a timeout, or a failed authentication: retried
///   after `backoff` (the base doubling with each failure in a row, up to the cap).
/// - `unregister`: one REGISTER with expires 0, then nothing more.
public struct RegistrationClient: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// Not started.
        case idle
        /// A REGISTER is out (the first, or after a failure).
        case registering
        /// Bound until `until` (clock ms), refreshed at `refreshAt`.
        case registered(granted: Int, until: Int)
        /// The last attempt failed; the next is due at `retryAt`.
        case failed(reason: String, retryAt: Int)
        /// The expires=0 REGISTER is out.
        case unregistering
        /// Removed (or given up on at shutdown): nothing more is sent.
        case unregistered
    }

    public enum Action: Sendable, Equatable {
        /// Send a REGISTER asking for `expires` seconds (0: remove the binding).
        case send(expires: Int)
        case none
    }

    /// What the log says about a change.
    public enum Event: Sendable, Equatable {
        case registered(granted: Int)
        case intervalTooBrief(minExpires: Int)
        case failed(reason: String, retryIn: Int)
        /// The binding removed; or the attempt failed (`failure`: why).
        case unregistered(failure: String?)
    }

    /// Seconds asked for (raised by a 423's Min-Expires).
    public private(set) var expires: Int
    public let backoffBase: Int
    public let backoffCap: Int
    public private(set) var state: State = .idle
    /// When `fire` has something to do: the refresh or the retry.
    public private(set) var nextDeadline: Int?
    /// Failures in a row (0 once registered).
    public private(set) var failures = 0
    /// The last change, for the log (see `takeEvent`).
    public private(set) var lastEvent: Event?

    /// The change since the last call, once.
    public mutating func takeEvent() -> Event? {
        defer { lastEvent = nil }
        return lastEvent
    }

    /// `expires` in seconds; `backoffBase` and `backoffCap` in milliseconds.
    public init(expires: Int, backoffBase: Int = 30_000, backoffCap: Int = 300_000) {
        self.expires = max(0, expires)
        self.backoffBase = max(1, backoffBase)
        self.backoffCap = max(self.backoffBase, backoffCap)
    }

    /// The refresh delay for a grant of `granted` seconds: half of it,
    /// at least 500 ms.
    public static func refreshDelay(granted: Int) -> Int { max(500, granted * 1000 / 2) }

    /// The wait before attempt n+1 after `failures` failures in a row:
    /// base, 2*base, 4*base, ... up to the cap.
    public func backoff(failures: Int) -> Int {
        var delay = backoffBase
        for _ in 1..<max(1, failures) {
            delay *= 2
            if delay >= backoffCap { return backoffCap }
        }
        return min(delay, backoffCap)
    }

    /// The first REGISTER.
    public mutating func start(now: Int) -> Action {
        guard state == .idle else { return .none }
        state = .registering
        nextDeadline = nil
        return .send(expires: expires)
    }

    /// The final response to our last REGISTER. `granted`: the expiry the
    /// registrar gave our Contact (nil: it named none); `minExpires`: a
    /// 423's `Min-Expires`.
    public mutating func received(status: Int, granted: Int?, minExpires: Int? = nil, reason: String, now: Int) -> Action {
        switch state {
        case .unregistering:
            state = .unregistered
            nextDeadline = nil
            lastEvent = .unregistered(failure: (200..<300).contains(status) ? nil : "\(status) \(reason)")
            return .none
        case .idle, .unregistered:
            return .none
        case .registering, .registered, .failed:
            break
        }
        if (200..<300).contains(status) {
            let grant = granted ?? expires
            guard grant > 0 else { return failed(reason: "\(status) \(reason) granted 0 s", now: now) }
            failures = 0
            state = .registered(granted: grant, until: now + grant * 1000)
            nextDeadline = now + Self.refreshDelay(granted: grant)
            lastEvent = .registered(granted: grant)
            return .none
        }
        if status == 423, let minExpires, minExpires > expires {
            expires = minExpires
            state = .registering
            nextDeadline = nil
            lastEvent = .intervalTooBrief(minExpires: minExpires)
            return .send(expires: expires)
        }
        return failed(reason: "\(status) \(reason)", now: now)
    }

    /// No final response (a timeout), an authentication that failed, or a
    /// registrar that cannot be reached.
    public mutating func failed(reason: String, now: Int) -> Action {
        switch state {
        case .unregistering:
            state = .unregistered
            nextDeadline = nil
            lastEvent = .unregistered(failure: reason)
            return .none
        case .idle, .unregistered:
            return .none
        case .registering, .registered, .failed:
            failures += 1
            let delay = backoff(failures: failures)
            state = .failed(reason: reason, retryAt: now + delay)
            nextDeadline = now + delay
            lastEvent = .failed(reason: reason, retryIn: delay)
            return .none
        }
    }

    /// Time passed: the refresh or the retry, when due.
    public mutating func fire(now: Int) -> Action {
        guard let due = nextDeadline, now >= due else { return .none }
        switch state {
        case .registered, .failed:
            state = .registering
            nextDeadline = nil
            return .send(expires: expires)
        case .idle, .registering, .unregistering, .unregistered:
            nextDeadline = nil
            return .none
        }
    }

    /// Shutdown: remove the binding (expires 0) unless nothing was ever
    /// sent; no refresh or retry after this.
    public mutating func unregister(now: Int) -> Action {
        nextDeadline = nil
        switch state {
        case .idle, .unregistered, .unregistering:
            state = .unregistered
            return .none
        case .registering, .registered, .failed:
            state = .unregistering
            return .send(expires: 0)
        }
    }

    /// The expires=0 REGISTER got no answer in time: stop waiting.
    public mutating func giveUp() {
        nextDeadline = nil
        state = .unregistered
    }
}
