/// The transports SIP runs on (RFC 3261 18): datagrams over UDP, a byte
/// stream over TCP, and the same stream inside TLS.
public enum SIPTransport: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case udp, tcp, tls

    /// The name in a Via's sent-protocol (`SIP/2.0/TLS`) and in a URI's
    /// `transport=` parameter (lower case there).
    public var viaName: String { rawValue.uppercased() }

    /// The port a URI without one means (RFC 3261 19.1.2): 5061 for TLS.
    public var defaultPort: Int { self == .tls ? 5061 : 5060 }

    /// Stream transports frame messages by Content-Length (RFC 3261 18.3).
    public var isStream: Bool { self != .udp }

    /// The transport of a Via's sent-protocol or a `transport=` value
    /// (any case); nil for one ivrc does not speak (SCTP, WS).
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    public var description: String { rawValue }
}
