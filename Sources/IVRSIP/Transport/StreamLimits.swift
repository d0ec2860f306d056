/// What a TCP or TLS peer may take from `ivrc serve` (docs/sip.md "Limits
/// on TCP and TLS"). A connection over a limit is not refused while an idle
/// one can make room: the connection that has been quiet longest and
/// carries no live call is closed instead, so a flood of idle connections
/// cannot lock out a real caller.
public struct StreamLimits: Sendable, Equatable {
    /// Open connections in all (inbound and outbound).
    public var maxConnections: Int
    /// Open connections from one source IP address.
    public var maxConnectionsPerSource: Int
    /// Milliseconds a connection may stay silent (keep-alives count) before
    /// it is closed, unless a live call runs on it.
    public var idleTimeout: Int
    /// Milliseconds from a message's first byte to its last: a slower
    /// sender is closed (one byte a second never completes a message).
    public var messageTimeout: Int
    /// Milliseconds for a TLS handshake, and for an outbound connection to open.
    public var handshakeTimeout: Int
    /// Header section and body sizes (`SIPStreamFramer.Limits`).
    public var framing: SIPStreamFramer.Limits
    /// Bytes queued for a connection that is still opening; more are dropped.
    public var maxPendingBytes: Int

    public init(maxConnections: Int = 4_096, maxConnectionsPerSource: Int = 256, idleTimeout: Int = 120_000,
                messageTimeout: Int = 10_000, handshakeTimeout: Int = 10_000,
                framing: SIPStreamFramer.Limits = SIPStreamFramer.Limits(), maxPendingBytes: Int = 262_144) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerSource = maxConnectionsPerSource
        self.idleTimeout = idleTimeout
        self.messageTimeout = messageTimeout
        self.handshakeTimeout = handshakeTimeout
        self.framing = framing
        self.maxPendingBytes = maxPendingBytes
    }
}
