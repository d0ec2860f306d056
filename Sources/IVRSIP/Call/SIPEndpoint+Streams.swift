import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// SIP over TCP and TLS (RFC 3261 18): listeners, the connections they
/// accept and the ones this endpoint opens, all on the endpoint's event
/// loop. A response goes back on the connection its request came on; a
/// request to a peer reuses an open connection to its address, else opens
/// one (`send(_:to:)`). `StreamLimits` bounds what peers can hold.
extension SIPEndpoint {
    /// Binds a `tcp:` or `tls:` listener; returns its channel.
    func bindStreamListener(_ listen: SIPListenAddress) async throws -> Channel {
        let box = EndpointBox(self)
        let transport = listen.transport
        let serverContext = transport == .tls ? try tlsServerContext() : nil
        return try await ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                // Runs on the endpoint's loop (childGroup), like every handler below.
                channel.eventLoop.makeCompletedFuture {
                    try box.endpoint.accept(channel, transport: transport, context: serverContext)
                }
            }
            .bind(host: listen.host, port: listen.port)
            .get()
    }

    /// A new inbound connection: admitted within `StreamLimits` (making
    /// room by closing the idlest connection that carries no call), given
    /// its pipeline, and filed by its peer.
    func accept(_ channel: Channel, transport: SIPTransport, context: NIOSSLContext?) throws {
        guard let remote = channel.remoteAddress else { throw SIPStreamFramingError(description: "no remote address") }
        let peer = SIPPeer(transport, remote)
        // sip.inbound with `drop`: a source that could never be let in gets no connection at all.
        let policy = configuration.inbound
        if policy.drop, policy.auth == nil, !policy.allow.isEmpty, !policy.allow.contains(where: { $0.contains(remote) }) {
            stats.sourcesDropped += 1
            throw SIPStreamFramingError(description: "outside sip.inbound.allow")
        }
        guard makeRoom(for: remote) else {
            stats.connectionsRefused += 1
            throw SIPStreamFramingError(description: "connection limit reached")
        }
        let connection = StreamConnection(peer: peer, inbound: true, channel: channel)
        let limits = configuration.streamLimits
        if let context {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
            connection.handshakeTimer = loop.scheduleTask(in: .milliseconds(Int64(limits.handshakeTimeout))) {
                channel.pipeline.fireErrorCaught(SIPStreamFramingError(description: "TLS handshake not finished in time"))
            }
        }
        try addStreamHandlers(channel, connection)
        streams[peer]?.close()
        streams[peer] = connection
        stats.connectionsAccepted += 1
    }

    private func addStreamHandlers(_ channel: Channel, _ connection: StreamConnection) throws {
        let limits = configuration.streamLimits
        let decoder = SIPStreamDecoder(limits: limits.framing, messageTimeout: .milliseconds(Int64(limits.messageTimeout)))
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(decoder))
        try channel.pipeline.syncOperations.addHandler(StreamConnectionHandler(box: EndpointBox(self), connection: connection))
    }

    /// Whether one more connection from `source` fits the limits, after
    /// closing, if needed, the idlest connections that carry no live call
    /// (that source's first, for the per-source limit).
    func makeRoom(for source: SocketAddress) -> Bool {
        let limits = configuration.streamLimits
        let ip = source.ipAddress
        let fromSource = streams.values.filter { $0.peer.address.ipAddress == ip }
        if fromSource.count >= limits.maxConnectionsPerSource {
            guard evictIdlest(among: fromSource) else { return false }
        }
        if streams.count >= limits.maxConnections {
            guard evictIdlest(among: Array(streams.values)) else { return false }
        }
        return true
    }

    private func evictIdlest(among candidates: [StreamConnection]) -> Bool {
        let busy = peersInUse()
        guard let idlest = candidates.filter({ !busy.contains($0.peer) }).min(by: { $0.lastActivity < $1.lastActivity }) else {
            return false
        }
        stats.connectionsEvicted += 1
        streams[idlest.peer] = nil
        idlest.close()
        return true
    }

    /// The connections live calls and registrations run on (never closed
    /// to make room or for idleness).
    func peersInUse() -> Set<SIPPeer> {
        var peers = Set(registrations.compactMap { $0.registeredUntil != nil ? $0.registrar : nil })
        for leg in calls.values where leg.remoteAddress.transport.isStream || leg.connection != nil {
            peers.insert(leg.remoteAddress)
            if let c = leg.connection { peers.insert(c) }
        }
        return peers
    }

    /// The connection to `peer`, opened now when there is none.
    func connection(to peer: SIPPeer) -> StreamConnection? {
        if let open = streams[peer], !open.closed { return open }
        guard makeRoom(for: peer.address) else {
            logger.warning("cannot open a \(peer.transport) connection to \(peer): connection limit reached")
            return nil
        }
        let connection = StreamConnection(peer: peer, inbound: false, serverName: serverNames[peer])
        streams[peer] = connection
        let limits = configuration.streamLimits
        let box = EndpointBox(self)
        let context: NIOSSLContext?
        do { context = peer.transport == .tls ? try tlsClientContext() : nil } catch {
            logger.error("TLS to \(peer): \(error)")
            streams[peer] = nil
            return nil
        }
        let serverName = connection.serverName
        ClientBootstrap(group: loop)
            .connectTimeout(.milliseconds(Int64(limits.handshakeTimeout)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                    }
                    try box.endpoint.addStreamHandlers(channel, connection)
                }
            }
            .connect(to: peer.address)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    if connection.closed { channel.close(promise: nil) } else { connection.opened(channel) }
                case .failure(let error):
                    box.endpoint.streamFailed(connection, error)
                    box.endpoint.streamEnded(connection)
                }
            }
        stats.connectionsOpened += 1
        return connection
    }

    /// Sends bytes to a peer: a datagram over UDP, else over the peer's
    /// connection (opened when needed).
    func send(_ bytes: [UInt8], to peer: SIPPeer) {
        switch peer.transport {
        case .udp:
            guard let socket else {
                logger.warning("no UDP listener: cannot send to \(peer)")
                return
            }
            socket.send(bytes, to: peer.address)
        case .tcp, .tls:
            if loop.inEventLoop {
                connection(to: peer)?.write(bytes, maxPending: configuration.streamLimits.maxPendingBytes)
            } else {
                loop.execute { self.send(bytes, to: peer) }
            }
        }
    }

    /// Whether a connection to `peer` is open (a response can go back on it).
    func streamOpen(_ peer: SIPPeer) -> Bool {
        guard let c = streams[peer] else { return false }
        return !c.closed
    }

    /// A connection failed (connect, TLS, framing, a slow sender): logged;
    /// it is closed by its handler.
    func streamFailed(_ connection: StreamConnection, _ error: Error) {
        if connection.failure == nil { connection.failure = Self.describe(error) }
        if connection.inbound {
            stats.connectionErrors += 1
            logger.debug("\(connection.peer): \(Self.describe(error)); closed")
        } else {
            logger.warning("connection to \(connection.peer) failed: \(Self.describe(error))")
        }
    }

    /// The connection is gone: forgotten, and the requests it was to carry
    /// fail now rather than at their timeout (RFC 3261 8.1.3.1: a
    /// transport error is a final answer of its own).
    func streamEnded(_ connection: StreamConnection) {
        connection.ended()
        if streams[connection.peer] === connection { streams[connection.peer] = nil }
        let why = connection.failure.map { "cannot reach \(connection.peer): \($0)" } ?? "the connection to \(connection.peer) closed"
        for tx in Array(transactions.values) where tx.destination == connection.peer && !tx.state.isTerminated {
            if fallBackToUDP(tx) { continue }
            if let callID = tx.callID, let leg = calls[callID], leg.transportFailure == nil { leg.transportFailure = why }
            abandon(tx)
        }
    }

    /// Closes connections silent for longer than the idle timeout that
    /// carry no live call (from the housekeeping timer).
    func sweepIdleStreams(now: NIODeadline) {
        guard !streams.isEmpty else { return }
        let limit = TimeAmount.milliseconds(Int64(configuration.streamLimits.idleTimeout))
        let busy = peersInUse()
        for connection in Array(streams.values) where now - connection.lastActivity > limit && !busy.contains(connection.peer) {
            stats.connectionsIdleClosed += 1
            streams[connection.peer] = nil
            connection.close()
        }
    }

    // MARK: TLS

    func tlsServerContext() throws -> NIOSSLContext {
        let tls = configuration.tls
        guard let certificate = tls.certificate, let key = tls.privateKey else {
            throw TLSSetupError(description: "a tls: listener needs --tls-cert and --tls-key")
        }
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        var config = TLSConfiguration.makeServerConfiguration(certificateChain: chain,
                                                              privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        config.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: config)
    }

    /// The client context (made once): the chain is checked against
    /// `--tls-ca` (else the system's roots), and the certificate must name
    /// the URI's host, or for a URI with an IP address, that address.
    func tlsClientContext() throws -> NIOSSLContext {
        if let cached = tlsClientContextCache { return cached }
        let tls = configuration.tls
        var config = TLSConfiguration.makeClientConfiguration()
        config.minimumTLSVersion = .tlsv12
        config.certificateVerification = tls.verifyPeers ? .fullVerification : .none
        if let ca = tls.trustedCAs { config.trustRoots = .file(ca) }
        if let certificate = tls.certificate, let key = tls.privateKey {
            config.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            config.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        let context = try NIOSSLContext(configuration: config)
        tlsClientContextCache = context
        return context
    }
}

extension SIPEndpoint {
    /// A transport error as a person reads it: TLS library errors become
    /// `TLS handshake failed (certificate verify failed)`.
    static func describe(_ error: Error) -> String {
        let text = "\(error)"
        if let error = error as? NIOSSLError, case .handshakeFailed = error {
            if let range = text.range(of: "OPENSSL_internal:") {
                let code = text[range.upperBound...].prefix { $0.isLetter || $0 == "_" || $0.isNumber }
                return "TLS handshake failed (\(code.lowercased().replacingOccurrences(of: "_", with: " ")))"
            }
            return "TLS handshake failed"
        }
        return String(text.prefix(300))
    }
}

/// TLS cannot be set up as configured.
public struct TLSSetupError: Error, CustomStringConvertible {
    public let description: String
}
