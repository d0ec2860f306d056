import Foundation
import NIOCore

extension SIPEndpoint {
    /// Why an outbound call did not connect.
    public struct CallFailure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Places a call (UAC): INVITE with an offer (PCMU, PCMA,
    /// telephone-event), ACK on 2xx, then `hooks.started` runs the flow.
    /// Returns once the call is answered (the leg) or has failed.
    public func placeCall(to target: String, flow: Int, fromUser: String = "ivrc") async throws(CallFailure) -> CallLeg {
        guard let uri = SIPURI(target) else { throw CallFailure(description: "'\(target)' is not a sip: URI") }
        let address: SocketAddress
        do { address = try SocketAddress.makeAddressResolvingHost(uri.host.trimmingCharacters(in: "[]"), port: uri.port ?? 5060) } catch {
            throw CallFailure(description: "cannot resolve \(uri.host): \(error)")
        }
        let placeholder = SDPNegotiator.Agreement(codec: .pcmu, payloadType: 0, eventPayloadType: 101,
                                                  remoteAddress: address.ipAddress ?? "0.0.0.0", remotePort: 9, direction: .inactive)
        let media: MediaSession
        do { media = try await MediaSession.open(host: configuration.host, ports: ports, group: group, clocks: clocks,
                                                  agreement: placeholder) } catch {
            throw CallFailure(description: "no RTP port: \(error)")
        }
        let result: Result<CallLeg, CallFailure> = await withCheckedContinuation { c in
            eventLoop.execute { self.sendInvite(to: uri, address: address, flow: flow, fromUser: fromUser, media: media, done: c) }
        }
        return try result.get()
    }

    func sendInvite(to uri: SIPURI, address: SocketAddress, flow: Int, fromUser: String, media: MediaSession,
                    done: CheckedContinuation<Result<CallLeg, CallFailure>, Never>) {
        let tag = SIPIdentifiers.token(10)
        let callID = SIPIdentifiers.token(24) + "@" + configuration.advertisedHost
        let local = "<sip:\(fromUser)@\(hostPort)>;tag=\(tag)"
        let leg = CallLeg(callID: callID, localTag: tag, inbound: false, flow: flow, fromURI: "sip:\(fromUser)@\(hostPort)",
                          toURI: uri.description, localHeader: local, remoteHeader: "<\(uri)>", remoteContact: uri.description,
                          remoteAddress: address)
        leg.media = media
        leg.localCSeq = 0
        calls[callID] = leg
        let sdp = SDPNegotiator.offer(localAddress: configuration.advertisedHost, localPort: media.localPort,
                                      sessionID: UInt64.random(in: 1...UInt64(Int64.max)))
        let invite = request("INVITE", in: leg, body: Array(sdp.utf8), contentType: "application/sdp")
        leg.invite = invite
        transact(invite, to: address, provisional: { _ in leg.ringing = true }) { [self] response in
            guard let response, let status = response.status else {
                // It rang for 64*T1 (32 s) without an answer: cancel it so it stops ringing.
                if leg.ringing { self.cancelInvite(leg) }
                leg.endReason = leg.ringing ? "no answer (cancelled)" : "no answer to INVITE"
                self.terminate(leg, sendBye: false)
                let why = leg.ringing ? "it rang without an answer; sent CANCEL" : "timeout"
                return done.resume(returning: .failure(CallFailure(description: "no answer from \(uri) (\(why))")))
            }
            guard (200..<300).contains(status) else {
                self.ackFailure(invite, response, to: address)
                leg.endReason = "\(status) \(Self.reason(response))"
                self.terminate(leg, sendBye: false)
                return done.resume(returning: .failure(CallFailure(description: "the call was refused: \(status) \(Self.reason(response))")))
            }
            self.confirmOutbound(leg, response)
            guard leg.state == .confirmed else {
                return done.resume(returning: .failure(CallFailure(description: leg.endReason ?? "bad answer")))
            }
            done.resume(returning: .success(leg))
        }
    }

    /// 2xx: the dialog is set up from the response; ACK; apply the SDP answer.
    func confirmOutbound(_ leg: CallLeg, _ response: SIPMessage) {
        if let to = response.headers["To"] { leg.remoteHeader = to }
        leg.remoteTag = response.to?.tag
        if let contact = response.headers["Contact"].flatMap(NameAddress.init)?.uri { leg.remoteContact = contact }
        var ack = request("ACK", in: leg)
        ack.headers.set("CSeq", "\(leg.invite?.cseq?.number ?? 1) ACK")
        leg.localCSeq -= 1
        leg.ackBytes = ack.serialized()
        socket.send(ack.serialized(), to: leg.remoteAddress)
        leg.answeredAt = Date()
        guard let answer = try? SessionDescription(parsing: response.body), let agreement = SDPNegotiator.agree(offer: answer) else {
            leg.state = .confirmed
            leg.endReason = "the answer has no usable SDP"
            terminate(leg, sendBye: true)
            return
        }
        leg.media?.update(SDPNegotiator.Agreement(codec: agreement.codec, payloadType: agreement.payloadType,
                                                  eventPayloadType: agreement.eventPayloadType, remoteAddress: agreement.remoteAddress,
                                                  remotePort: agreement.remotePort, direction: .sendrecv))
        leg.state = .confirmed
        leg.flowStarted = true
        hooks.started(leg)
    }

    /// RFC 3261 9.1: CANCEL of our INVITE, with the INVITE's Request-URI,
    /// top Via, From, To, Call-ID and CSeq number. The INVITE's own
    /// transaction then ends with 487 (ACKed as any failure).
    func cancelInvite(_ leg: CallLeg) {
        guard let invite = leg.invite else { return }
        var h = SIPHeaders()
        if let via = invite.headers.rawValues("Via").first { h.add("Via", via) }
        h.add("Max-Forwards", "70")
        if let from = invite.headers["From"] { h.add("From", from) }
        if let to = invite.headers["To"] { h.add("To", to) }
        if let callID = invite.callID { h.add("Call-ID", callID) }
        h.add("CSeq", "\(invite.cseq?.number ?? 1) CANCEL")
        transact(.request("CANCEL", uri: invite.requestURI ?? "", headers: h), to: leg.remoteAddress) { _ in }
    }

    /// RFC 3261 17.1.1.3: a non-2xx final answer is ACKed in the same transaction.
    func ackFailure(_ invite: SIPMessage, _ response: SIPMessage, to address: SocketAddress) {
        var h = SIPHeaders()
        if let via = invite.headers.rawValues("Via").first { h.add("Via", via) }
        h.add("Max-Forwards", "70")
        if let from = invite.headers["From"] { h.add("From", from) }
        if let to = response.headers["To"] { h.add("To", to) }
        if let callID = invite.callID { h.add("Call-ID", callID) }
        h.add("CSeq", "\(invite.cseq?.number ?? 1) ACK")
        send(.request("ACK", uri: invite.requestURI ?? "", headers: h), to: address)
    }
}
