import Foundation
import IVRRuntime
import NIOCore

/// One call's SIP dialog (RFC 3261 section 12) and its media.
///
/// Concurrency: the mutable SIP state is touched only on the endpoint's
/// event loop; `media`, once set, is itself thread-safe. That confinement
/// makes the `@unchecked Sendable` sound.
public final class CallLeg: @unchecked Sendable {
    /// Where the dialog is.
    public enum State: Sendable, Equatable {
        /// INVITE received (or sent), no final answer yet.
        case proceeding
        /// 200 OK sent, waiting for ACK.
        case answered
        /// ACK received: the flow runs.
        case confirmed
        case terminated
    }

    public let callID: String
    public let localTag: String
    public let inbound: Bool
    /// The flow the call runs.
    public let flow: Int
    /// The bundle `flow` is of, when the owner may change bundles (a
    /// server's reload): the one the call was routed with.
    public internal(set) var served: ServedBundle?
    /// The listener the call's INVITE came in on (`udp:127.0.0.1:5060`);
    /// for a call placed here, the listener of the transport it went out over.
    public internal(set) var listen: String?
    /// The caller's URI (From of the INVITE) and the called URI (To).
    public let fromURI: String
    public let toURI: String
    /// The caller's user part (the `caller` variable) and the called user part.
    public let callerUser: String
    public let calledUser: String
    public let created = Date()

    public internal(set) var state = State.proceeding
    var remoteTag: String?
    /// Our From/To as we send them in requests inside the dialog.
    var localHeader: String
    var remoteHeader: String
    /// The remote target (RFC 3261 12.1): the other side's Contact URI,
    /// the Request-URI of in-dialog requests unless a strict router is first
    /// in `routeSet`.
    var remoteContact: String
    /// The proxies in-dialog requests pass through (Record-Route); before
    /// the dialog exists, an outbound call's is the outbound proxy.
    var routeSet = RouteSet()
    /// The next hop of requests in the dialog: the first route's address,
    /// else the remote target's (see `SIPEndpoint.routeDialog`).
    var remoteAddress: SIPPeer
    /// Where a caller that sent its INVITE straight to us (one Via, no
    /// Record-Route) is reached: the address it sent from, which also
    /// reaches a caller behind NAT whose Contact names a private address.
    var symmetricAddress: SIPPeer?
    /// The TCP or TLS connection the caller's INVITE came on: in-dialog
    /// requests go back on it while it is open (`SIPEndpoint.dialogHop`).
    var connection: SIPPeer?
    /// Why a request of this call could not be delivered (TCP or TLS
    /// connection failed), for the call's failure and record.
    var transportFailure: String?
    var localCSeq: UInt32 = 1
    /// The highest CSeq the other side used in this dialog (RFC 3261 12.2.2:
    /// a lower one is out of order, 500).
    var remoteCSeq: UInt32?
    /// Our SDP's `o=` session id and version (RFC 3264 8: the id stays, the
    /// version goes up by one when the description changes), and the last
    /// description sent, without its `o=` line, to tell.
    var sdpSession: UInt64 = 0
    var sdpVersion: UInt64 = 0
    var sdpSent = ""
    /// A re-INVITE without SDP: our 200 carried an offer, its ACK the answer.
    var reofferInOK = false
    /// The SRTP keys in use (nil: plain RTP), and the crypto attributes of
    /// an SRTP offer of ours still waiting for its answer.
    var srtp: SRTPAgreement?
    var srtpOffer: SRTPOffer?
    var invite: SIPMessage?
    var lastInviteResponse: [UInt8]?
    /// Our ACK to a 2xx (outbound calls), re-sent if the 2xx is retransmitted.
    var ackBytes: [UInt8]?
    /// Where our INVITE went (outbound calls): the outbound proxy or the callee.
    var inviteDestination: SIPPeer?
    /// Dialogs of other callees that answered our forked INVITE, by To
    /// tag: their ACK, re-sent when their 2xx comes again (they get BYE).
    var forks: [String: (ack: [UInt8], destination: SIPPeer)] = [:]
    var okTimer: (timer: RetransmitTimer, scheduled: Scheduled<Void>?)?
    /// An INVITE without SDP (RFC 3261 13.2.1 "late offer"): our 200 OK
    /// carries the offer and the caller's ACK the answer.
    var offerInOK = false
    /// What was dialled: the INVITE's Request-URI (an inbound call's To
    /// header may name someone else), else the To URI.
    var dialledURI: String { invite?.requestURI ?? toURI }
    /// Our outbound INVITE's client transaction, until it ends.
    var inviteTransaction: ClientTransaction?
    /// Where our own INVITE is, and whether this side gave up on it.
    var dialing = Dialing.calling
    /// Bounds the ringing (`SIPConfiguration.ringTimeout`), then the wait
    /// for the 487 after our CANCEL (64*T1).
    var ringTimer: Scheduled<Void>?
    /// This side ended the call (a signal, a shutdown): a flow cut short
    /// is recorded as `hangup`, not as the caller's.
    var endedHere = false
    var transferWaiter: CheckedContinuation<TransferOutcome, Never>?
    var transferTimer: Scheduled<Void>?
    /// The flow's task, once started.
    var task: Task<Void, Never>?
    public internal(set) var media: MediaSession?
    public internal(set) var answeredAt: Date?
    public internal(set) var endedAt: Date?
    /// Why the call ended before its flow ran (CANCEL, no ACK, media failure).
    public internal(set) var endReason: String?
    var flowStarted = false
    /// The B leg of a bridged transfer: no flow, no call record of its own.
    public internal(set) var bridgeLeg = false
    /// A bridge's B leg: told when an 18x brings SDP (`startEarlyMedia`).
    var earlyMedia: (@Sendable (MediaSession) -> Void)?
    /// The SDP answer of an 18x (early media), until the 2xx.
    var earlyAgreement: SDPNegotiator.Agreement?
    /// The dialog ended by the remote side (BYE or CANCEL).
    public internal(set) var remoteHungUp = false
    /// What the flow knows on entry: a campaign contact's `inputs` and `answered_by`.
    var presets = CallPresets()
    /// A campaign's call: what its record carries besides the call (`ivrc campaign`).
    var campaignCall: CampaignCall?
    /// Answered, the flow waits for `SIPEndpoint.startHeldFlow`.
    var holdFlow = false

    init(callID: String, localTag: String, inbound: Bool, flow: Int, fromURI: String, toURI: String,
         localHeader: String, remoteHeader: String, remoteContact: String, remoteAddress: SIPPeer) {
        self.callID = callID
        self.localTag = localTag
        self.inbound = inbound
        self.flow = flow
        self.fromURI = fromURI
        self.toURI = toURI
        self.callerUser = SIPURI(fromURI)?.user ?? fromURI
        self.calledUser = SIPURI(toURI)?.user ?? toURI
        self.localHeader = localHeader
        self.remoteHeader = remoteHeader
        self.remoteContact = remoteContact
        self.remoteAddress = remoteAddress
    }
}

/// Where an outbound INVITE is until its final response (RFC 3261 9.1:
/// a CANCEL may only follow a provisional response).
enum Dialing: Equatable {
    /// Sent; nothing but `100 Trying` heard.
    case calling
    /// A provisional response came: the callee rings.
    case ringing
    /// This side gave up before any provisional came: the CANCEL goes out
    /// at the first one.
    case cancelWanted(CancelReason)
    /// CANCEL sent; the INVITE's own transaction ends with the 487.
    case cancelSent(CancelReason)

    enum CancelReason: Equatable {
        /// The callee rang past the ring timeout.
        case ringTimeout
        /// A signal or shutdown on this side.
        case hangUp
    }

    var cancelled: CancelReason? {
        switch self {
        case .calling, .ringing: nil
        case .cancelWanted(let r), .cancelSent(let r): r
        }
    }
}

/// How a REFER ended.
public enum TransferOutcome: Sendable, Equatable {
    case connected
    case failed(String)
    /// The caller hung up while it was pending.
    case hungUp
}

/// Random identifiers: tags, branches, Call-IDs.
enum SIPIdentifiers {
    static func token(_ length: Int = 16) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet.randomElement() ?? "x" })
    }

    /// An RFC 3261 branch: the magic cookie and a random token.
    static func branch() -> String { "z9hG4bK" + token(20) }
}
