import NIOCore

/// Where a SIP message comes from or goes to: a transport and a socket
/// address. Over TCP and TLS the address names the connection's far end:
/// a response to a request goes back on the connection the request came
/// on, and a request to a peer reuses an open connection to its address.
public struct SIPPeer: Sendable, Hashable, CustomStringConvertible {
    public var transport: SIPTransport
    public var address: SocketAddress

    public init(_ transport: SIPTransport = .udp, _ address: SocketAddress) {
        self.transport = transport
        self.address = address
    }

    public var description: String { "\(transport):\(address.ipAddress ?? "?"):\(address.port ?? 0)" }
}
