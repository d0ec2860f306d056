import Foundation
import NIOCore

extension SIPEndpoint {
    static let allowed = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, NOTIFY"

    func handleRequest(_ raw: SIPMessage, from address: SocketAddress) {
        let request = stamped(raw, from: address)
        if request.method != "INVITE", request.method != "ACK", let key = ResponseCache.key(request),
           let cached = responses.lookup(key, now: .now()) {
            socket.send(cached, to: address)  // a retransmission: the same answer
            return
        }
        let leg = request.callID.flatMap { calls[$0] }
        if let leg, !["ACK", "CANCEL"].contains(request.method), request.to?.tag == leg.localTag, let n = request.cseq?.number {
            if let last = leg.remoteCSeq, n < last {
                var refused = request.response(500, toTag: leg.localTag)
                refused.headers.add("Warning", "399 ivrc \"CSeq \(n) is lower than \(last): out of order\"")
                respond(request, refused, to: address)
                return
            }
            leg.remoteCSeq = n
        }
        switch request.method {
        case "INVITE": handleInvite(request, leg: leg, from: address)
        case "ACK": handleAck(request, leg: leg)
        case "CANCEL": handleCancel(request, leg: leg, from: address)
        case "BYE": handleBye(request, leg: leg, from: address)
        case "OPTIONS":
            var ok = request.response(200, toTag: leg?.localTag ?? SIPIdentifiers.token(8))
            ok.headers.add("Allow", Self.allowed)
            ok.headers.add("Accept", "application/sdp, application/dtmf-relay, application/dtmf, message/sipfrag")
            ok.headers.add("Supported", "")
            respond(request, ok, to: address)
        case "INFO": handleInfo(request, leg: leg, from: address)
        case "NOTIFY": handleNotify(request, leg: leg, from: address)
        default:
            var refused = request.response(leg == nil ? 501 : 405, toTag: leg?.localTag ?? SIPIdentifiers.token(8))
            refused.headers.add("Allow", Self.allowed)
            respond(request, refused, to: address)
        }
    }

    /// An in-dialog request must name the dialog's tags; else 481.
    func dialog(_ request: SIPMessage, _ leg: CallLeg?) -> CallLeg? {
        guard let leg, leg.state != .terminated, request.to?.tag == leg.localTag else { return nil }
        return leg
    }

    func handleBye(_ request: SIPMessage, leg: CallLeg?, from address: SocketAddress) {
        guard let leg = dialog(request, leg) else {
            respond(request, request.response(481), to: address)
            return
        }
        respond(request, request.response(200), to: address)
        leg.remoteHungUp = true
        terminate(leg, sendBye: false)
    }

    func handleCancel(_ request: SIPMessage, leg: CallLeg?, from address: SocketAddress) {
        // CANCEL matches the INVITE transaction: same Call-ID, branch and CSeq number.
        guard let leg, let invite = leg.invite, invite.vias.first?.branch == request.vias.first?.branch,
              invite.cseq?.number == request.cseq?.number else {
            respond(request, request.response(481), to: address)
            return
        }
        respond(request, request.response(200, toTag: leg.localTag), to: address)
        guard leg.state == .proceeding else { return }  // too late: the call was answered
        let terminated = invite.response(487, toTag: leg.localTag)
        leg.lastInviteResponse = terminated.serialized()
        send(terminated, to: leg.remoteAddress)
        leg.remoteHungUp = true
        leg.endReason = "cancelled"
        terminate(leg, sendBye: false)
    }

    func handleInfo(_ request: SIPMessage, leg: CallLeg?, from address: SocketAddress) {
        guard let leg = dialog(request, leg) else {
            respond(request, request.response(481), to: address)
            return
        }
        if request.body.isEmpty {
            respond(request, request.response(200), to: address)
        } else if let key = DTMFInfo.key(contentType: request.contentType, body: request.body) {
            respond(request, request.response(200), to: address)
            leg.media?.press(key)
        } else {
            let known = request.contentType == "application/dtmf-relay" || request.contentType == "application/dtmf"
            respond(request, request.response(known ? 400 : 415), to: address)
        }
    }

    func handleNotify(_ request: SIPMessage, leg: CallLeg?, from address: SocketAddress) {
        guard let leg = dialog(request, leg) else {
            respond(request, request.response(481), to: address)
            return
        }
        respond(request, request.response(200), to: address)
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
