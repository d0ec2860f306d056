import Foundation
import NIOCore

extension SIPEndpoint {
    static let allowed = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, NOTIFY"

    /// RFC 3261 8.2 and 17.2: a retransmission goes to its transaction;
    /// then the Request-URI scheme (416) and `Require` (420) are checked
    /// before the method's own handling.
    func handleRequest(_ raw: SIPMessage, from peer: SIPPeer) {
        let request = stamped(raw, from: peer)
        guard admitted(request, from: peer) else { return }  // sip.inbound (SIPEndpoint+InboundAccess)
        if absorbedByTransaction(request, from: peer) { return }
        if request.method != "ACK", let refusal = Self.refusal(request) {
            respond(request, refusal)
            return
        }
        let leg = request.callID.flatMap { calls[$0] }
        if let leg, !["ACK", "CANCEL"].contains(request.method), request.to?.tag == leg.localTag, let n = request.cseq?.number {
            if let last = leg.remoteCSeq, n < last {
                var refused = request.response(500, toTag: leg.localTag)
                refused.headers.add("Warning", "399 ivrc \"CSeq \(n) is lower than \(last): out of order\"")
                respond(request, refused)
                return
            }
            leg.remoteCSeq = n
        }
        switch request.method {
        case "INVITE": handleInvite(request, leg: leg, from: peer)
        case "ACK": handleAck(request, leg: leg)
        case "CANCEL": handleCancel(request, leg: leg, from: peer)
        case "BYE": handleBye(request, leg: leg, from: peer)
        case "OPTIONS":
            // A draining or overloaded node says so to the dispatcher
            // probing it (503), which then sends new calls elsewhere; a
            // live call's own OPTIONS (a keep-alive in its dialog) still gets 200.
            let full = load?.isOverloaded == true
            let refusing = (!accepting || full) && leg == nil
            var ok = request.response(refusing ? 503 : 200, toTag: leg?.localTag ?? SIPIdentifiers.token(8))
            if refusing { ok.headers.add("Retry-After", "\(refusalRetryAfter)") }
            ok.headers.add("Allow", Self.allowed)
            ok.headers.add("Accept", "application/sdp, application/dtmf-relay, application/dtmf, message/sipfrag")
            ok.headers.add("Supported", Self.supported.joined(separator: ", "))
            respond(request, ok)
        case "INFO": handleInfo(request, leg: leg, from: peer)
        case "NOTIFY": handleNotify(request, leg: leg, from: peer)
        default:
            // RFC 3261 8.2.1: a method we know but do not serve is 405, one
            // we have never heard of 501; both list what we allow.
            let known = Self.knownMethods.contains(request.method)
            var refused = request.response(known ? 405 : 501, toTag: leg?.localTag ?? SIPIdentifiers.token(8))
            refused.headers.add("Allow", Self.allowed)
            respond(request, refused)
        }
    }

    /// Methods of RFC 3261 and its standard extensions that this user
    /// agent recognises without serving them (8.2.1: 405, not 501).
    static let knownMethods: Set<String> = ["REGISTER", "MESSAGE", "SUBSCRIBE", "PUBLISH", "UPDATE", "PRACK", "REFER"]

    /// The option tags this UAS supports (RFC 3261 8.2.2.3): none yet.
    static let supported: [String] = []

    /// A refusal every request but ACK gets before its method is looked at:
    /// 416 for a Request-URI that is not `sip:`/`sips:` (8.2.2.1), 420 with
    /// `Unsupported` for a `Require` naming an extension we lack (8.2.2.3;
    /// not for CANCEL). `Proxy-Require` is for proxies and is ignored.
    static func refusal(_ request: SIPMessage) -> SIPMessage? {
        let uri = request.requestURI ?? ""
        let scheme = uri.prefix { $0 != ":" }.lowercased()
        if scheme != "sip" && scheme != "sips" {
            var r = request.response(416, toTag: SIPIdentifiers.token(8))
            r.headers.add("Warning", "399 ivrc \"only sip: and sips: Request-URIs are served\"")
            return r
        }
        let unsupported = request.headers.values("Require").filter { !supported.contains($0.lowercased()) }
        if request.method != "CANCEL", !unsupported.isEmpty {
            var r = request.response(420, toTag: SIPIdentifiers.token(8))
            r.headers.add("Unsupported", unsupported.joined(separator: ", "))
            return r
        }
        return nil
    }

    /// An in-dialog request must name the dialog's tags; else 481.
    func dialog(_ request: SIPMessage, _ leg: CallLeg?) -> CallLeg? {
        guard let leg, leg.state != .terminated, request.to?.tag == leg.localTag else { return nil }
        return leg
    }

    func handleBye(_ request: SIPMessage, leg: CallLeg?, from peer: SIPPeer) {
        guard let leg = dialog(request, leg) else {
            respond(request, request.response(481))
            return
        }
        respond(request, request.response(200))
        leg.remoteHungUp = true
        terminate(leg, sendBye: false)
    }

    func handleCancel(_ request: SIPMessage, leg: CallLeg?, from peer: SIPPeer) {
        // CANCEL matches the INVITE transaction: same Call-ID, branch and CSeq number.
        guard let leg, let invite = leg.invite, invite.vias.first?.branch == request.vias.first?.branch,
              invite.cseq?.number == request.cseq?.number else {
            respond(request, request.response(481))
            return
        }
        respond(request, request.response(200, toTag: leg.localTag))
        guard leg.state == .proceeding else { return }  // too late: the call was answered
        leg.lastInviteResponse = respond(invite, invite.response(487, toTag: leg.localTag))
        leg.remoteHungUp = true
        leg.endReason = "cancelled"
        terminate(leg, sendBye: false)
    }

    func handleInfo(_ request: SIPMessage, leg: CallLeg?, from peer: SIPPeer) {
        guard let leg = dialog(request, leg) else {
            respond(request, request.response(481))
            return
        }
        if request.body.isEmpty {
            respond(request, request.response(200))
        } else if let key = DTMFInfo.key(contentType: request.contentType, body: request.body) {
            respond(request, request.response(200))
            leg.media?.press(key)
        } else {
            let known = request.contentType == "application/dtmf-relay" || request.contentType == "application/dtmf"
            var refused = request.response(known ? 400 : 415)
            if !known { refused.headers.add("Accept", "application/dtmf-relay, application/dtmf") }  // RFC 3261 8.2.3
            respond(request, refused)
        }
    }

    func handleNotify(_ request: SIPMessage, leg: CallLeg?, from peer: SIPPeer) {
        guard let leg = dialog(request, leg) else {
            respond(request, request.response(481))
            return
        }
        respond(request, request.response(200))
        // message/sipfrag (RFC 3515): "SIP/2.0 200 OK".
        let text = String(decoding: request.body.prefix(256), as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 2)
        let terminated = request.headers["Subscription-State"]?.lowercased().hasPrefix("terminated") ?? false
        if parts.count >= 2, parts[0].hasPrefix("SIP/2.0"), let status = Int(parts[1].prefix(3)) {
            let reason = parts.count > 2 ? String(parts[2].prefix { !$0.isNewline }) : ""
            if (200..<300).contains(status) {
                finishTransfer(leg, .connected)
            } else if status >= 300 {
                finishTransfer(leg, .failed("\(status) \(reason)".trimmingSIPWhitespace()))
            } else if terminated {
                finishTransfer(leg, .failed("subscription ended at \(status)"))
            }
        } else if terminated {
            finishTransfer(leg, .failed("subscription ended without a final status"))
        }
    }
}
