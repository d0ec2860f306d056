import NIOCore

/// Which server transaction a request belongs to (RFC 3261 17.2.3).
///
/// With the magic cookie (`z9hG4bK`) in the top Via's branch: the branch,
/// the sent-by and the method, an ACK matching its INVITE. Without it (an
/// RFC 2543 peer, RFC 4475 3.4): the Request-URI, the From tag, the Call-ID,
/// the CSeq number and method and the whole top Via (again ACK as INVITE;
/// the To tag is left out, since the ACK carries the tag our response
/// added).
enum ServerTransactionKey {
    static let magicCookie = "z9hG4bK"

    static func of(_ request: SIPMessage) -> String? {
        guard let top = request.headers.values("Via").first, let via = Via(top),
              let callID = request.callID, let cseq = request.cseq else { return nil }
        let method = request.method == "ACK" ? "INVITE" : request.method
        if let branch = via.branch, branch.hasPrefix(magicCookie), branch.count > magicCookie.count {
            return [branch, sentBy(via), method].joined(separator: "|")
        }
        let fromTag = request.from?.tag ?? ""
        let bare = Via(transport: via.transport, host: via.host, port: via.port, branch: via.branch ?? "")
        return ["2543", request.requestURI ?? "", fromTag, callID, "\(cseq.number)", method, bare.description]
            .joined(separator: "|")
    }

    static func sentBy(_ via: Via) -> String { via.host.lowercased() + ":" + String(via.port ?? 5060) }
}

/// An INVITE server transaction over UDP (RFC 3261 17.2.1, with the
/// Accepted state of RFC 6026 for a 2xx): it holds the last response sent,
/// which a retransmitted INVITE gets again, whatever it was (100, 180,
/// 404, 503, 200...). A non-2xx final response is retransmitted (Timer G:
/// T1, doubling up to T2) until the ACK or 64*T1 (Timer H); after the ACK
/// it absorbs further ACKs for T4 (Timer I). After a 2xx it absorbs
/// retransmitted INVITEs for 64*T1 (the dialog's own timer resends the 2xx
/// until its ACK).
///
/// Touched only on the SIP socket's event loop (like `CallLeg`), which
/// makes the `@unchecked Sendable` sound.
final class InviteServerTransaction: @unchecked Sendable {
    enum State: Equatable { case proceeding, completed, confirmed, accepted }

    let key: String
    var state = State.proceeding
    /// The last response, as sent.
    var response: [UInt8] = []
    var destination: SIPPeer
    /// When the transaction may be forgotten (none while proceeding).
    var expires: NIODeadline?
    var retransmit: Scheduled<Void>?
    /// Timer G's current interval, in milliseconds.
    var interval = 0

    init(key: String, destination: SIPPeer) {
        self.key = key
        self.destination = destination
    }
}

/// The INVITE server transactions of an endpoint, in a `BoundedTable`
/// like `ResponseCache`'s; a transaction leaving it stops retransmitting.
struct InviteServerTransactions {
    private var table: BoundedTable<InviteServerTransaction>

    init(limit: Int) { table = BoundedTable(limit: max(1, limit)) }

    var entries: [String: InviteServerTransaction] { table.entries }

    subscript(key: String) -> InviteServerTransaction? { table[key] }

    mutating func insert(_ tx: InviteServerTransaction) {
        for old in table.insert(tx.key, tx) { old.retransmit?.cancel() }
    }

    /// Forgets transactions past their time (from the endpoint's sweeper).
    mutating func sweep(now: NIODeadline) {
        for old in table.sweep({ tx in tx.expires.map { $0 <= now } ?? false }) { old.retransmit?.cancel() }
    }

    var count: Int { table.count }
}
