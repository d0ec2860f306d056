import Foundation

/// How an endpoint listens, answers and routes. Every timer and limit is
/// here so tests and the benchmark can shorten or raise them.
public struct SIPConfiguration: Sendable {
    /// The address to bind the RTP sockets to, and the default listener's.
    public var host: String
    public var port: Int
    /// Where SIP is heard (`--listen`, repeatable): UDP, TCP and TLS
    /// listeners; by default one UDP listener on `host:port`. UDP requests
    /// go out on the first UDP listener.
    public var listeners: [SIPListenAddress]
    /// Certificates and checks of SIP over TLS.
    public var tls = TLSSettings()
    /// What TCP and TLS peers may hold (connections, idle time, sizes).
    public var streamLimits = StreamLimits()
    /// A request that would go over UDP but is larger than this many bytes
    /// goes over TCP to the same address, and back to UDP if TCP is refused
    /// (RFC 3261 18.1.1: 1,300 bytes); nil: always UDP.
    public var udpSizeLimit: Int? = 1_300
    /// The address put in Contact, Via and SDP (default: `host`, or
    /// 127.0.0.1 when binding to 0.0.0.0).
    public var advertisedHost: String
    public var rtpPorts: ClosedRange<Int>
    /// New INVITEs beyond this many live calls get 503.
    public var maxCalls: Int
    /// Smoothed event-loop lag (milliseconds) beyond which the node is
    /// full (`LoadMonitor`): new INVITEs and OPTIONS get 503 with
    /// `Retry-After: 5` until the loops catch up. 0 (the default for
    /// programs that embed the endpoint): never; `ivrc serve` sets 250.
    public var overloadLag = 0
    /// Share of RTP packets sent more than 5 ms late, in permille, beyond
    /// which the node is full as well (`LoadMonitor`; judged only while an
    /// event loop carries 100 calls or more). 0 (the default for programs
    /// that embed the endpoint): never; `ivrc serve` sets 50 (5%).
    public var overloadLatePermille = 0
    /// `IVRServer.start(configuration:)` runs signalling (the SIP sockets,
    /// transactions, dialogs) on an event loop of its own, apart from the
    /// loops that pace and read RTP, so a burst of media work never holds
    /// a SIP datagram back; false: on one of the media loops, as before
    /// (`serve --shared-signalling-loop`, the benchmark's baseline).
    /// Programs that pass their own group to `start(configuration:group:)`
    /// choose with its `signalling` loop.
    public var ownSignallingLoop = true
    /// `IVRServer.start(configuration:)` runs the loops it makes under
    /// real-time scheduling at this `SCHED_RR` priority
    /// (`RealtimePriority`, `serve --realtime-media`); nil: the ordinary
    /// policy. Refused (no right to it): the loops keep the ordinary policy
    /// and the server logs why.
    public var realtimePriority: Int32?
    /// Send 180 Ringing before answering.
    public var ringing: Bool
    /// RFC 3261 timers, milliseconds.
    public var t1: Int
    public var t2: Int
    /// How long a completed non-INVITE client transaction absorbs
    /// retransmitted responses (Timer K = T4), and a completed INVITE
    /// client transaction ACKs retransmitted failures (Timer D).
    public var t4: Int
    public var timerD: Int
    /// How long `placeCall` lets a callee ring (after a 1xx) before it
    /// sends CANCEL; nil: 64*T1.
    public var ringTimeout: Int?
    /// Bridged calls' B legs carry P-Asserted-Identity (RFC 3325) with the
    /// caller ID as well as From (`serve --assert-identity`): for trunks and
    /// PBXs that trust ivrc to assert who is calling.
    public var assertIdentity = false
    /// Where `record` writes its WAV files.
    public var recordingsFolder: String
    /// Refer-To mapping from the manifest's `sip:` block.
    public var referTarget: ReferTarget
    /// Where initial requests (outside a dialog) go first: `--proxy` or the
    /// manifest's `sip.outbound-proxy`, sent as the request's Route header
    /// (RFC 3261 8.1.2, a pre-existing route set of one URI). In-dialog
    /// requests follow the dialog's own route set (Record-Route).
    public var outboundProxy: SIPURI?
    /// The DNS server that locates SIP servers (RFC 3263: SRV, then A/AAAA)
    /// instead of the system resolver's; nil: the system's.
    public var dnsServer: DNSServerAddress?
    /// What 401/407 challenges to our requests are answered with (the
    /// manifest's `sip.credentials`); empty: challenges end the request.
    public var credentials: [DigestCredential] = []
    /// Bindings kept at registrars while serving (`sip.register`).
    public var registrations: [RegistrationSettings] = []
    /// Milliseconds before a failed registration is tried again, doubling
    /// with each failure in a row up to `registrationRetryCap`.
    public var registrationRetryBase = 30_000
    public var registrationRetryCap = 300_000
    /// Milliseconds the shutdown waits for the registrars to answer the
    /// REGISTERs that remove the bindings.
    public var unregisterWait = 5_000
    /// Who may call in (`sip.inbound`); the default lets any source in.
    public var inbound = InboundPolicy()
    /// When calls use SRTP (`--srtp`): see `SRTPPolicy`.
    public var srtp: SRTPPolicy = .optional
    /// Non-INVITE responses kept to answer retransmissions (each for 64*T1).
    public var maxCachedResponses: Int
    /// 400 answers to malformed requests per second (reflection guard).
    public var maxBadRequestAnswersPerSecond: Int

    public init(host: String = "127.0.0.1", port: Int = 5060, advertisedHost: String? = nil,
                rtpPorts: ClosedRange<Int> = 10000...20000, maxCalls: Int = 2000, ringing: Bool = false,
                t1: Int = RetransmitTimer.defaultT1, t2: Int = RetransmitTimer.defaultT2,
                recordingsFolder: String = "recordings", referTarget: ReferTarget = ReferTarget(pbx: nil, trunk: nil)) {
        self.host = host
        self.port = port
        self.listeners = [SIPListenAddress(.udp, host: host, port: port)]
        self.advertisedHost = advertisedHost ?? (host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host)
        self.rtpPorts = rtpPorts
        self.maxCalls = maxCalls
        self.ringing = ringing
        self.t1 = t1
        self.t2 = t2
        self.t4 = ClientTransactionState.defaultT4
        self.timerD = ClientTransactionState.defaultTimerD
        self.recordingsFolder = recordingsFolder
        self.referTarget = referTarget
        self.maxCachedResponses = 20_000
        self.maxBadRequestAnswersPerSecond = 50
    }
}
