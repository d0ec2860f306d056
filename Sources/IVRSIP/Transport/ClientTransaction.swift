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
    /// The dialog's Call-ID, to stop retransmitting when the call ends.
    var callID: String?
    /// How the endpoint files it: branch and method (RFC 3261 17.1.3).
    var key: String { branch + " " + method }

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
