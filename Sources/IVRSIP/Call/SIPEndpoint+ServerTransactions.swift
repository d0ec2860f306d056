import NIOCore

/// The server side of RFC 3261 17.2 and 18.2.2: where a response goes,
/// and the transactions that absorb retransmitted requests.
extension SIPEndpoint {
    /// Where responses to `request` go (RFC 3261 18.2.2, RFC 3581 4): the
    /// address the request came from (its `received`) and the port of the
    /// top Via's sent-by (5060 when it names none), or, when the Via holds
    /// `rport`, the port the request came from. `request` is as stamped by
    /// `stamped(_:from:)`. A `maddr` is not followed: responses never leave
    /// for an address that did not send us the request. Over TCP and TLS
    /// the response goes back on the request's connection while it is
    /// open; once closed, on a new connection to the same address and the
    /// Via's port (18.2.2). The transport is the one the request came on,
    /// whatever its Via claims (a request over UDP whose Via says TCP is
    /// answered over UDP, as RFC 4475's torture messages expect).
    func responseDestination(_ request: SIPMessage) -> SIPPeer? {
        if let source = request.source, source.transport.isStream, streamOpen(source) { return source }
        guard let top = request.headers.values("Via").first.flatMap({ Via($0, anyVersion: true) }) else { return nil }
        return Self.destination(top, transport: request.source?.transport)
    }

    /// `transport`: the one the request came on (nil: the Via's).
    static func destination(_ stamped: Via, transport arrived: SIPTransport? = nil) -> SIPPeer? {
        let transport = arrived ?? SIPTransport(name: stamped.transport) ?? .udp
        let ip = (stamped.parameter("received") ?? nil) ?? stamped.host
        let port = (stamped.parameter("rport") ?? nil).flatMap { Int($0) } ?? stamped.port ?? transport.defaultPort
        return (try? SocketAddress(ipAddress: ip.trimmingCharacters(in: "[]"), port: port)).map { SIPPeer(transport, $0) }
    }

    /// Sends a response to `request` and records it in the request's server
    /// transaction: the INVITE transaction (resent on a retransmitted
    /// INVITE; a non-2xx final one also on Timer G until the ACK), or the
    /// cache of final responses to non-INVITE requests (Timer J, 64*T1).
    /// Returns the bytes sent.
    @discardableResult
    func respond(_ request: SIPMessage, _ response: SIPMessage) -> [UInt8] {
        var response = response
        if response.headers["Server"] == nil { response.headers.add("Server", "ivrc") }
        let bytes = response.serialized()
        guard let destination = responseDestination(request) else { return bytes }
        send(bytes, to: destination)
        guard let key = ServerTransactionKey.of(request), let status = response.status else { return bytes }
        let timerJ = NIODeadline.now() + .milliseconds(Int64(64 * configuration.t1))
        if request.method == "INVITE" {
            guard let tx = inviteTransactions[key], tx.state == .proceeding else { return bytes }
            tx.response = bytes
            tx.destination = destination
            if status >= 300 {
                tx.state = .completed
                tx.expires = timerJ  // Timer H
                tx.interval = configuration.t1
                if !destination.transport.isStream { scheduleTimerG(tx) }  // 17.2.1: Timer G only over UDP
            } else if status >= 200 {
                tx.state = .accepted
                tx.expires = timerJ
            }
        } else if status >= 200 {
            responses.store(key, bytes, expires: timerJ)
        }
        return bytes
    }

    /// Timer G: the non-2xx final response again after T1, 2*T1... (capped
    /// at T2) until the ACK; Timer H (64*T1) ends it.
    func scheduleTimerG(_ tx: InviteServerTransaction) {
        guard let expires = tx.expires, NIODeadline.now() + .milliseconds(Int64(tx.interval)) < expires else { return }
        tx.retransmit = eventLoop.scheduleTask(in: .milliseconds(Int64(tx.interval))) { [self] in
            guard tx.state == .completed, self.inviteTransactions[tx.key] === tx else { return }
            self.send(tx.response, to: tx.destination)
            tx.interval = min(tx.interval * 2, self.configuration.t2)
            self.scheduleTimerG(tx)
        }
    }

    /// Hands a retransmission to its server transaction: true when the
    /// request was absorbed there (a retransmitted request gets the last
    /// response again; an ACK to a non-2xx final response ends Timer G).
    func absorbedByTransaction(_ request: SIPMessage, from peer: SIPPeer) -> Bool {
        guard let key = ServerTransactionKey.of(request) else { return false }
        let destination = responseDestination(request) ?? peer
        switch request.method {
        case "ACK":
            guard let tx = inviteTransactions[key] else { return false }
            switch tx.state {
            case .completed:
                tx.state = .confirmed
                tx.retransmit?.cancel()
                tx.expires = .now() + .milliseconds(Int64(configuration.t4))  // Timer I
                return true
            case .confirmed: return true
            case .proceeding, .accepted: return false  // the ACK of a 2xx belongs to the dialog
            }
        case "INVITE":
            if let tx = inviteTransactions[key] {
                if !tx.response.isEmpty { send(tx.response, to: destination) }
                return true
            }
            inviteTransactions.insert(InviteServerTransaction(key: key, destination: destination))
            return false
        default:
            guard let cached = responses.lookup(key, now: .now()) else { return false }
            send(cached, to: destination)
            return true
        }
    }
}
