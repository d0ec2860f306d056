import NIOCore

/// A request this endpoint sent, in its RFC 3261 17.1 client transaction:
/// the request, where it went, and its `ClientTransactionState`. Every
/// request the endpoint sends except ACK runs through one (see
/// `SIPEndpoint.transact`).
// NOTE: created, read and completed only on the endpoint's event loop;
// `@unchecked Sendable` lets its timer closure carry it back there.
final class ClientTransaction: @unchecked Sendable {
    let branch: String
    let method: String
    private(set) var request: SIPMessage
    private(set) var bytes: [UInt8]
    private(set) var destination: SIPPeer
    var state: ClientTransactionState
    /// The request as it would have gone over UDP, when its size sent it
    /// over TCP instead (RFC 3261 18.1.1): used if TCP cannot connect.
    private(set) var udpFallback: (request: SIPMessage, destination: SIPPeer)?
    var scheduled: Scheduled<Void>?
    /// The ACK of a non-2xx final response, re-sent on its retransmissions.
    var ackBytes: [UInt8]?
    /// Called once: the final response, or nil on timeout (or when abandoned).
    let completion: (SIPMessage?) -> Void
    /// Provisional responses.
    let provisional: ((SIPMessage) -> Void)?
    /// The dialog's Call-ID, to stop retransmitting when the call ends.
    var callID: String?
    /// How the endpoint files it: branch and method (RFC 3261 17.1.3).
    var key: String { Self.key(branch: branch, method: method) }

    static func key(branch: String, method: String) -> String { branch + " " + method }

    init(request: SIPMessage, branch: String, destination: SIPPeer, state: ClientTransactionState,
         provisional: ((SIPMessage) -> Void)? = nil, completion: @escaping (SIPMessage?) -> Void) {
        self.branch = branch
        self.method = request.method
        self.request = request
        self.bytes = request.serialized()
        self.destination = destination
        self.state = state
        self.provisional = provisional
        self.completion = completion
        self.callID = request.callID
    }

    /// Sends this request over TCP instead of UDP (18.1.1: larger than the
    /// UDP size limit): the top Via says TCP; the UDP form is kept.
    func moveToTCP() {
        guard destination.transport == .udp else { return }
        udpFallback = (request, destination)
        request = request.withTopViaTransport(.tcp)
        bytes = request.serialized()
        destination = SIPPeer(.tcp, destination.address)
    }

    /// TCP could not connect: the UDP form, to go out over UDP in a
    /// transaction state started anew (`state`).
    func moveBackToUDP(_ state: ClientTransactionState) -> Bool {
        guard let (request, destination) = udpFallback else { return false }
        udpFallback = nil
        self.request = request
        self.bytes = request.serialized()
        self.destination = destination
        self.state = state
        return true
    }

    /// RFC 3261 17.1.1.3: the ACK of a non-2xx final response to `invite`,
    /// built by its transaction: the INVITE's Request-URI, top Via (the
    /// same branch), From, Call-ID, CSeq number and Route headers; the To
    /// of the response (with the callee's tag); CSeq method ACK.
    static func ack(for invite: SIPMessage, response: SIPMessage) -> SIPMessage {
        companion("ACK", of: invite, to: response.headers["To"])
    }

    /// RFC 3261 9.1: the CANCEL of `invite`: the same fields, its own To.
    static func cancel(of invite: SIPMessage) -> SIPMessage {
        companion("CANCEL", of: invite, to: invite.headers["To"])
    }

    /// A request in the INVITE's own transaction (ACK of a failure, CANCEL).
    private static func companion(_ method: String, of invite: SIPMessage, to: String?) -> SIPMessage {
        var h = SIPHeaders()
        if let via = invite.headers.rawValues("Via").first { h.add("Via", via) }
        h.add("Max-Forwards", "70")
        if let from = invite.headers["From"] { h.add("From", from) }
        if let to { h.add("To", to) }
        if let callID = invite.callID { h.add("Call-ID", callID) }
        h.add("CSeq", "\(invite.cseq?.number ?? 1) \(method)")
        for route in invite.headers.rawValues("Route") { h.add("Route", route) }
        return .request(method, uri: invite.requestURI ?? "", headers: h)
    }
}
