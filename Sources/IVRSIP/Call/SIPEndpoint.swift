import Foundation
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// The SIP user agent: its listeners (UDP sockets, TCP and TLS listeners
/// and their connections), the dialogs on them, their transactions and media. Answers calls as a UAS (and places them as a
/// UAC for `ivrc call`); the flow itself runs elsewhere, started through
/// `hooks`.
///
/// Concurrency: all mutable state is touched only on the endpoint's event
/// loop `loop` (every SIP socket and connection is bound to it, so
/// messages arrive there; public methods hop there), which makes the
/// `@unchecked Sendable` sound.
public final class SIPEndpoint: @unchecked Sendable {
    /// What the endpoint asks of its owner.
    public struct Hooks: Sendable {
        /// The flow for a Request-URI user part; nil answers 404.
        public var route: @Sendable (String) -> Route?
        /// The dialog is confirmed: run the flow.
        public var started: @Sendable (CallLeg) -> Void
        /// The dialog is over (after its flow, or without one).
        public var ended: @Sendable (CallLeg) -> Void

        public init(route: @escaping @Sendable (String) -> Route?, started: @escaping @Sendable (CallLeg) -> Void,
                    ended: @escaping @Sendable (CallLeg) -> Void) {
            self.route = route
            self.started = started
            self.ended = ended
        }

        /// Hooks whose route names only a flow (the owner has one bundle).
        public init(flow: @escaping @Sendable (String) -> Int?, started: @escaping @Sendable (CallLeg) -> Void,
                    ended: @escaping @Sendable (CallLeg) -> Void) {
            self.init(route: { flow($0).map { Route(flow: $0) } }, started: started, ended: ended)
        }
    }

    /// Where a new call goes: a flow, and the bundle it is a flow of (a
    /// server's bundle as it was when the INVITE came; the call keeps it
    /// through a reload). Nil bundle: the owner has only one.
    public struct Route: Sendable {
        public var flow: Int
        public var bundle: ServedBundle?
        public init(flow: Int, bundle: ServedBundle? = nil) {
            self.flow = flow
            self.bundle = bundle
        }
    }

    public let configuration: SIPConfiguration
    let group: EventLoopGroup
    let hooks: Hooks
    let ports: PortAllocator
    /// The 20 ms pacing clock of each event loop (see `MediaClock`).
    let clocks: MediaClocks
    /// What the endpoint counts: calls, setup time, RTP, registrations (`IVRMetrics.none` by default).
    public let metrics: IVRMetrics
    let logger: Logger
    /// The one event loop of signalling: every listener and connection
    /// (one of its own in `ivrc serve`, else one of `group`'s).
    let loop: EventLoop
    /// The first UDP listener: UDP requests and responses go out on it.
    var socket: UDPSocket?
    var udpSockets: [UDPSocket] = []
    var streamListeners: [Channel] = []
    /// Open TCP and TLS connections by their far end.
    var streams: [SIPPeer: StreamConnection] = [:]
    /// Host names that TLS peers' certificates must show (from the URIs
    /// they were found by); bounded like the other tables.
    var serverNames: [SIPPeer: String] = [:]
    var tlsClientContextCache: NIOSSLContext?
    /// The listeners as bound (port 0 replaced by the port chosen).
    public private(set) var listening: [SIPListenAddress] = []
    public var eventLoop: EventLoop { loop }
    /// The port of the first listener.
    public var localPort: Int { listening.first?.port ?? 0 }

    /// The bound port of the first listener of `transport`.
    public func localPort(_ transport: SIPTransport) -> Int? {
        listening.first { $0.transport == transport }?.port
    }

    var calls: [String: CallLeg] = [:]
    var transactions: [String: ClientTransaction] = [:]
    var responses: ResponseCache
    var inviteTransactions: InviteServerTransactions
    var accepting = true
    /// Set at once by `stopAccepting` (readable from any thread, for `/readyz`).
    let drainingFlag = Atomic(false)
    /// Whether the RTP port range was found exhausted at the last try
    /// (logged once per exhaustion, see `mediaFailed`).
    var rtpPortsExhausted = false
    var badRequestBudget = (second: Int64(0), count: 0)
    /// Nonce counts of the digest nonces answered (bounded).
    var nonceCounts: [String: UInt32] = [:]
    /// `sip.inbound`: rate buckets and the nonces of inbound challenges.
    var access: InboundAccess
    var sweeper: RepeatedTask?
    /// Whether the event loops are too late to take more calls (see `LoadMonitor`).
    public internal(set) var load: LoadMonitor?
    /// The bindings kept at registrars (`configuration.registrations`).
    let registrations: [Registration]
    var drainWaiters: [CheckedContinuation<Void, Never>] = []
    /// Bridge B legs given up on before their INVITE was sent (while their
    /// destination was still being located): the INVITE is not sent.
    var abandonedCallIDs: Set<String> = []
    /// Counters for logs and tests.
    public internal(set) var stats = Stats()

    /// What the endpoint has seen.
    public struct Stats: Sendable {
        public var datagrams = 0
        public var malformed = 0
        /// Errors the SIP socket reported (`socketFailed`).
        public var socketErrors = 0
        public var callsAnswered = 0
        public var callsRejected = 0
        /// New calls refused (503) because the loops were overloaded (`LoadMonitor`).
        public var callsShed = 0
        /// The overload episode last logged (one warning per episode).
        var loggedOverload = 0
        /// `sip.inbound`: requests answered 403, or dropped, for their
        /// source (scanners included); requests from scanners; INVITEs
        /// over the per-source rate (503); challenged (401); wrong digest
        /// answers (403); authenticated INVITEs let in.
        public var sourcesRefused = 0
        public var sourcesDropped = 0
        public var scanners = 0
        public var invitesRateLimited = 0
        public var invitesChallenged = 0
        public var authFailures = 0
        public var invitesAuthenticated = 0
        /// TCP and TLS: connections accepted, refused at the limits with
        /// nothing idle to close, closed to make room, opened by us,
        /// failed (framing, TLS, slow senders), closed for idleness.
        public var connectionsAccepted = 0
        public var connectionsRefused = 0
        public var connectionsEvicted = 0
        public var connectionsOpened = 0
        public var connectionErrors = 0
        public var connectionsIdleClosed = 0
    }

    /// Media runs on `group`'s loops, signalling on `signalling` (nil: on
    /// one of `group`'s loops, shared with media).
    public init(configuration: SIPConfiguration, group: EventLoopGroup, signalling: EventLoop? = nil, hooks: Hooks,
                logger: Logger, metrics: IVRMetrics = .none) {
        self.configuration = configuration
        self.group = group
        self.hooks = hooks
        self.logger = logger
        self.metrics = metrics
        self.clocks = MediaClocks(metrics: metrics)
        self.loop = signalling ?? group.next()
        self.ports = PortAllocator(range: configuration.rtpPorts)
        self.responses = ResponseCache(limit: configuration.maxCachedResponses)
        self.inviteTransactions = InviteServerTransactions(limit: configuration.maxCachedResponses)
        self.registrations = configuration.registrations.enumerated().map {
            Registration(settings: $1, index: $0, host: configuration.advertisedHost,
                         backoffBase: configuration.registrationRetryBase, backoffCap: configuration.registrationRetryCap)
        }
        self.access = InboundAccess(policy: configuration.inbound)
    }

    /// Binds every listener (`configuration.listeners`) and starts the
    /// housekeeping timer. A listener that cannot bind closes the ones
    /// bound before it and throws.
    public func start() async throws {
        let box = EndpointBox(self)
        var bound: [SIPListenAddress] = []
        do {
            for listen in configuration.listeners {
                switch listen.transport {
                case .udp:
                    let index = bound.count
                    let udp = try await UDPSocket.bind(host: listen.host, port: listen.port, group: loop,
                                                       failed: { box.endpoint.socketFailed($0) }) { buffer, from in
                        box.endpoint.received(buffer.readableBytesView, from: SIPPeer(.udp, from), listener: index)
                    }
                    udpSockets.append(udp)
                    bound.append(SIPListenAddress(.udp, host: listen.host, port: udp.localPort))
                case .tcp, .tls:
                    let channel = try await bindStreamListener(listen)
                    streamListeners.append(channel)
                    bound.append(SIPListenAddress(listen.transport, host: listen.host, port: channel.localAddress?.port ?? listen.port))
                }
            }
        } catch {
            for udp in udpSockets { await udp.close() }
            for listener in streamListeners { try? await listener.close().get() }
            udpSockets = []
            streamListeners = []
            throw error
        }
        let listening = bound
        try await loop.submit {
            self.socket = self.udpSockets.first
            self.listening = listening
        }.get()
        var probed = Array(group.makeIterator())
        if !probed.contains(where: { $0 === loop }) { probed.append(loop) }  // signalling on a loop of its own
        let clocks = self.clocks
        load = LoadMonitor(loops: probed, threshold: .milliseconds(Int64(max(0, configuration.overloadLag))),
                           lateLimit: configuration.overloadLatePermille, mediaLate: { clocks.worstLatePermille })
        sweeper = loop.scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { [self] _ in
            let now = NIODeadline.now()
            self.responses.sweep(now: now)
            self.inviteTransactions.sweep(now: now)
            self.sweepIdleStreams(now: now)
        }
    }

    /// Live dialogs (answered or not).
    public var activeCalls: Int { (try? eventLoop.submit { self.calls.count }.wait()) ?? 0 }

    public func activeCallCount() async -> Int {
        (try? await eventLoop.submit { self.calls.count }.get()) ?? 0
    }

    /// Refuses new calls, and answers OPTIONS, with 503 and
    /// `Retry-After: drainRetryAfter` from now on (draining).
    public func stopAccepting() {
        drainingFlag.store(true, ordering: .sequentiallyConsistent)
        eventLoop.execute { self.accepting = false }
    }

    /// True once `stopAccepting` was called: the node is draining (for `/readyz`).
    public var isDraining: Bool { drainingFlag.load(ordering: .sequentiallyConsistent) }

    /// The `Retry-After` of the 503s of a draining node, in seconds.
    public static let drainRetryAfter = 30
    /// `Retry-After` of a 503 for a full node (`--max-calls`, `--overload-lag`):
    /// a moment, not the drain's long goodbye.
    public static let overloadRetryAfter = 5

    /// The `Retry-After` seconds of a 503 refusing a new call or a probe now.
    var refusalRetryAfter: Int { accepting ? Self.overloadRetryAfter : Self.drainRetryAfter }

    /// RTP ports of `--rtp-ports` found taken by another process and
    /// skipped, since the start (for metrics).
    public var rtpPortsBusySkipped: Int { ports.busySkipped }

    /// Calls refused because every RTP port of the range was taken.
    public var rtpPortExhaustions: Int { ports.exhaustions }

    /// Returns when no call is left.
    public func drained() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            eventLoop.execute {
                if self.calls.isEmpty { c.resume() } else { self.drainWaiters.append(c) }
            }
        }
    }

    /// Hangs up every call now: BYE once answered; an inbound call not yet
    /// answered gets 480; our own INVITE still ringing is cancelled (its
    /// 487 then ends it). One that has not rung yet cannot be cancelled
    /// (RFC 3261 9.1): it is cancelled when it rings, or, asked a second
    /// time, given up at once (no more retransmissions; the callee's
    /// answers are then ignored).
    public func hangUpAll() {
        eventLoop.execute {
            for leg in Array(self.calls.values) {
                leg.endedHere = true
                if leg.state == .proceeding, !leg.inbound {
                    if case .cancelWanted(.hangUp) = leg.dialing, let tx = leg.inviteTransaction {
                        self.abandon(tx)
                    } else {
                        self.cancelInvite(leg, .hangUp)
                    }
                } else if leg.state == .proceeding {
                    self.failInvite(leg, status: 480, why: "the server is shutting down")
                } else {
                    self.terminate(leg, sendBye: leg.state == .confirmed || leg.state == .answered)
                }
            }
        }
    }

    public func close() async {
        sweeper?.cancel()
        load?.stop()
        try? await eventLoop.submit {
            for tx in self.inviteTransactions.entries.values { tx.retransmit?.cancel() }
            for reg in self.registrations { self.stopSending(reg) }
            for connection in self.streams.values { connection.close() }
            self.streams = [:]
        }.get()
        for listener in streamListeners { try? await listener.close().get() }
        for udp in udpSockets { await udp.close() }
    }

    // MARK: Datagrams

    /// An error the SIP socket reported: a transient one (a peer's ICMP
    /// error for an earlier response) is logged and the server goes on
    /// serving on the same socket; any other has closed the socket.
    func socketFailed(_ failure: UDPSocket.Failure) {
        stats.socketErrors += 1
        if failure.isTransient {
            logger.warning("SIP socket: \(failure); still serving", metadata: ["port": "\(localPort)"])
        } else {
            logger.error("SIP socket closed: \(failure)", metadata: ["port": "\(localPort)"])
        }
    }

    /// One datagram, or one message framed on a TCP or TLS connection,
    /// read in place from the receive buffer (nothing is copied before
    /// parsing; see `UDPSocket`). Over a stream, a message that cannot be
    /// parsed also closes the connection: its framing cannot be trusted.
    func received(_ bytes: ByteBufferView, from peer: SIPPeer, listener: Int? = nil) {
        stats.datagrams += 1
        // Keep-alives (CRLF) and tiny garbage are ignored outright.
        if bytes.count < 16 && !peer.transport.isStream { return }
        var message: SIPMessage
        do {
            message = try SIPParser.parse(bytes)
        } catch {
            stats.malformed += 1
            answerMalformed(bytes, error: error, to: peer)
            if peer.transport.isStream, let connection = streams[peer] {
                streams[peer] = nil
                connection.close()
            }
            return
        }
        message.source = peer
        if let listener, listening.indices.contains(listener) { message.arrival = listening[listener] }
        if message.isRequest { handleRequest(message, from: peer) } else { handleResponse(message) }
    }

    /// The listener a request came in on: the UDP socket's (`arrival`,
    /// set as it is read), or over TCP or TLS the listener whose port the
    /// connection's local end has (looked up only when asked: for INVITEs).
    func listener(of request: SIPMessage, from peer: SIPPeer) -> SIPListenAddress? {
        if let arrival = request.arrival { return arrival }
        guard peer.transport.isStream, let port = streams[peer]?.channel?.localAddress?.port else { return nil }
        return listening.first { $0.transport == peer.transport && $0.port == port }
    }

    func send(_ message: SIPMessage, to peer: SIPPeer) {
        send(message.serialized(), to: peer)
    }

    /// Adds `received`/`rport` to the top Via (RFC 3261 18.2.1, RFC 3581 4)
    /// so the response finds its way back (see `responseDestination`).
    func stamped(_ request: SIPMessage, from peer: SIPPeer) -> SIPMessage {
        var request = request
        request.headers = Self.stamped(request.headers, from: peer.address)
        return request
    }

    static func stamped(_ headers: SIPHeaders, from address: SocketAddress) -> SIPHeaders {
        var headers = headers
        let raw = headers.values("Via")
        guard var top = raw.first.flatMap({ Via($0, anyVersion: true) }) else { return headers }
        let rport = top.parameter("rport") != nil
        if let ip = address.ipAddress, ip != top.host || rport { top.setParameter("received", ip) }
        if rport, let port = address.port { top.setParameter("rport", String(port)) }
        headers.remove("Via")
        headers.add("Via", top.description)
        for via in raw.dropFirst() { headers.add("Via", via) }
        return headers
    }

    /// Tries to answer a request too broken to parse (400, or 505 for
    /// another SIP version) when a usable Via says where the answer goes;
    /// rate limited. Responses and unaddressable requests are dropped.
    func answerMalformed(_ bytes: ByteBufferView, error: SIPParseError, to peer: SIPPeer) {
        let second = NIODeadline.now().uptimeNanoseconds / 1_000_000_000
        if badRequestBudget.second != Int64(second) { badRequestBudget = (Int64(second), 0) }
        guard badRequestBudget.count < configuration.maxBadRequestAnswersPerSecond,
              let salvaged = MalformedRequest.salvage(bytes) else { return }
        badRequestBudget.count += 1
        let headers = Self.stamped(salvaged, from: peer.address)
        var response = SIPMessage(.response(status: error.status, reason: SIPMessage.reasonPhrase(error.status)), headers: headers)
        response.headers.add("Warning", "399 ivrc \"\(error.message.replacingAll("\"", "'").prefix(120))\"")
        response.headers.add("Server", "ivrc")
        if peer.transport.isStream, streamOpen(peer) { return send(response, to: peer) }
        guard let top = headers.values("Via").first.flatMap({ Via($0, anyVersion: true) }),
              let destination = Self.destination(top, transport: peer.transport) else { return }
        send(response, to: destination)
    }

    // MARK: Building requests

    /// Our Contact for requests and dialogs over `transport`: the
    /// listener of that transport (`;transport=tcp` or `tls` on the URI).
    /// Without a listener of that transport (`ivrc call` over TLS without
    /// a certificate), the UDP listener's: the peer's in-dialog requests
    /// then come over UDP, where ivrc hears them.
    func contactHeader(_ transport: SIPTransport = .udp, user: String = "ivrc") -> String {
        let heard = transport != .udp && localPort(transport) == nil && localPort(.udp) != nil ? SIPTransport.udp : transport
        return "<sip:\(user)@\(hostPort(heard))\(heard == .udp ? "" : ";transport=" + heard.rawValue)>"
    }

    /// Our Contact in a response that sets up or refreshes a dialog: the
    /// listener of the request's transport; a SIPS URI when the request's
    /// Request-URI is one (RFC 3261 12.1.1).
    func contactHeader(for request: SIPMessage) -> String {
        let transport = request.source?.transport ?? .udp
        if transport == .tls, request.requestURI?.lowercased().hasPrefix("sips:") == true {
            return "<sips:ivrc@\(hostPort(.tls))>"
        }
        return contactHeader(transport)
    }

    /// The top Via of a request this endpoint starts: the transport, a new
    /// branch, and `rport` so the answer comes back to this socket (RFC 3581).
    func newVia(_ transport: SIPTransport = .udp) -> String {
        "SIP/2.0/\(transport.viaName) \(hostPort(transport));branch=\(SIPIdentifiers.branch());rport"
    }

    /// The advertised host and the port of our listener of `transport`
    /// (the first listener's when there is none of that transport).
    func hostPort(_ transport: SIPTransport = .udp) -> String {
        let host = configuration.advertisedHost.contains(":") ? "[\(configuration.advertisedHost)]" : configuration.advertisedHost
        return "\(host):\(localPort(transport) ?? localPort)"
    }

    /// A request inside `leg`'s dialog, addressed by its route set (RFC
    /// 3261 12.2.1.1): send it to `dialogHop(leg)`.
    func request(_ method: String, in leg: CallLeg, body: [UInt8] = [], contentType: String? = nil) -> SIPMessage {
        leg.localCSeq += 1
        let addressing = leg.routeSet.addressing(remoteTarget: leg.remoteContact)
        let transport = dialogHop(leg).transport
        var h = SIPHeaders()
        h.add("Via", newVia(transport))
        h.add("Max-Forwards", "70")
        for route in addressing.routes { h.add("Route", route) }
        h.add("From", leg.localHeader)
        h.add("To", leg.remoteHeader)
        h.add("Call-ID", leg.callID)
        h.add("CSeq", "\(leg.localCSeq) \(method)")
        h.add("Contact", contactHeader(transport))
        h.add("User-Agent", "ivrc")
        if let contentType { h.add("Content-Type", contentType) }
        return .request(method, uri: addressing.requestURI, headers: h, body: body)
    }
}

/// Gives the socket callback a strong reference to its endpoint.
final class EndpointBox: Sendable {
    let endpoint: SIPEndpoint
    init(_ endpoint: SIPEndpoint) { self.endpoint = endpoint }
}
