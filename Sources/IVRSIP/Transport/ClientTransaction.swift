import NIOCore

/// A request this endpoint sent and retransmits until a final response
/// (RFC 3261 17.1 over UDP), or gives up on after 64*T1.
// NOTE: created, read and completed only on the endpoint's event loop;
// `@unchecked Sendable` lets its timer closure carry it back there.
final class ClientTransaction: @unchecked Sendable {
    let branch: String
    let method: String
    let bytes: [UInt8]
    let destination: SocketAddress
    var timer: RetransmitTimer
    var scheduled: Scheduled<Void>?
    /// Called once: the final response, or nil on timeout.
    let completion: (SIPMessage?) -> Void
    /// Provisional responses (for an outbound INVITE).
    let provisional: ((SIPMessage) -> Void)?

    init(branch: String, method: String, bytes: [UInt8], destination: SocketAddress, timer: RetransmitTimer,
         provisional: ((SIPMessage) -> Void)? = nil, completion: @escaping (SIPMessage?) -> Void) {
        self.branch = branch
        self.method = method
        self.bytes = bytes
        self.destination = destination
        self.timer = timer
        self.provisional = provisional
        self.completion = completion
    }
}

/// Responses to non-INVITE requests, kept so a retransmitted request gets
/// the same answer (RFC 3261 17.2.2, Timer J = 64*T1). Bounded: the oldest
/// entries go first.
struct ResponseCache {
    private var entries: [String: (bytes: [UInt8], expires: NIODeadline)] = [:]
    private var order: [String] = []
    let limit: Int

    init(limit: Int) { self.limit = limit }

    static func key(_ request: SIPMessage) -> String? {
        guard let branch = request.vias.first?.branch, let callID = request.callID else { return nil }
        return branch + "|" + request.method + "|" + callID
    }

    func lookup(_ key: String, now: NIODeadline) -> [UInt8]? {
        guard let e = entries[key], e.expires > now else { return nil }
        return e.bytes
    }

    mutating func store(_ key: String, _ bytes: [UInt8], expires: NIODeadline) {
        if entries[key] == nil { order.append(key) }
        entries[key] = (bytes, expires)
        while order.count > limit {
            entries[order.removeFirst()] = nil
        }
    }

    mutating func sweep(now: NIODeadline) {
        order.removeAll { key in
            guard let e = entries[key], e.expires > now else { entries[key] = nil; return true }
            return false
        }
    }

    var count: Int { entries.count }
}
