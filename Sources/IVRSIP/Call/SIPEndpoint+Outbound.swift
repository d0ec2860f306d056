import Foundation
import NIOCore

extension SIPEndpoint {
    /// Why an outbound call did not connect.
    public struct CallFailure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Places a call (UAC): INVITE with an offer (PCMU, PCMA,
    /// telephone-event), through the outbound proxy when one is set, ACK
    /// on 2xx, then `hooks.started` runs the flow. Returns once the call is
    /// answered (the leg) or has failed.
    public func placeCall(to target: String, flow: Int, fromUser: String = "ivrc") async throws(CallFailure) -> CallLeg {
        guard let uri = SIPURI(target) else { throw CallFailure(description: "'\(target)' is not a sip: URI") }
        let routes = RouteSet(proxy: configuration.outboundProxy)
        let next = routes.addressing(remoteTarget: uri.description).nextHop
        guard let hop = Self.hop(of: next) else { throw CallFailure(description: "'\(next)' is not a sip: URI") }
        let address: SocketAddress
        do { address = try SocketAddress.makeAddressResolvingHost(hop.host, port: hop.port) } catch {
            throw CallFailure(description: "cannot resolve \(hop.host): \(error)")
        }
        let placeholder = SDPNegotiator.Agreement(codec: .pcmu, payloadType: 0, eventPayloadType: 101,
                                                  remoteAddress: address.ipAddress ?? "0.0.0.0", remotePort: 9, direction: .inactive)
        let media: MediaSession
        do { media = try await MediaSession.open(host: configuration.host, ports: ports, group: group, clocks: clocks,
                                                  agreement: placeholder) } catch {
            throw CallFailure(description: "no RTP port: \(error)")
        }
        let result: Result<CallLeg, CallFailure> = await withCheckedContinuation { c in
            eventLoop.execute {
                self.sendInvite(to: uri, routes: routes, address: address, flow: flow, fromUser: fromUser, media: media, done: c)
            }
        }
        return try result.get()
    }

    func sendInvite(to uri: SIPURI, routes: RouteSet, address: SocketAddress, flow: Int, fromUser: String, media: MediaSession,
                    done: CheckedContinuation<Result<CallLeg, CallFailure>, Never>) {
        let tag = SIPIdentifiers.token(10)
        let callID = SIPIdentifiers.token(24) + "@" + configuration.advertisedHost
        let local = "<sip:\(fromUser)@\(hostPort)>;tag=\(tag)"
        let leg = CallLeg(callID: callID, localTag: tag, inbound: false, flow: flow, fromURI: "sip:\(fromUser)@\(hostPort)",
                          toURI: uri.description, localHeader: local, remoteHeader: "<\(uri)>", remoteContact: uri.description,
                          remoteAddress: address)
        leg.media = media
        leg.routeSet = routes
        leg.localCSeq = 0
        calls[callID] = leg
        let sdp = SDPNegotiator.offer(localAddress: configuration.advertisedHost, localPort: media.localPort,
                                      sessionID: UInt64.random(in: 1...UInt64(Int64.max)))
        let invite = request("INVITE", in: leg, body: Array(sdp.utf8), contentType: "application/sdp")
        leg.invite = invite
        let ringTime = configuration.ringTimeout ?? 64 * configuration.t1
        leg.inviteTransaction = transact(invite, to: address, provisional: { [self] _ in
            leg.ringing = true
            if leg.cancelWanted { self.cancelInvite(leg) }
        }) { [self] response in
            leg.inviteTransaction = nil
            leg.ringTimer?.cancel()
            leg.ringTimer = nil
            done.resume(returning: self.inviteEnded(leg, response, uri: uri, ringTime: ringTime))
        }
        // The ring timeout belongs to the caller, not the transaction (which
        // waits for a final response once it rings, RFC 3261 17.1.1.2).
        leg.ringTimer = eventLoop.scheduleTask(in: .milliseconds(Int64(ringTime))) { [self] in
            guard leg.inviteTransaction != nil else { return }
            leg.ringTimedOut = true
            self.cancelInvite(leg)
        }
    }

    /// The INVITE's transaction ended: answered (the leg), or why not. A
    /// non-2xx final response was ACKed by the transaction itself.
    func inviteEnded(_ leg: CallLeg, _ response: SIPMessage?, uri: SIPURI, ringTime: Int) -> Result<CallLeg, CallFailure> {
        guard let response, let status = response.status else {
            // Timer B (nothing heard), or no 487 within 64*T1 of our CANCEL.
            leg.endReason = leg.cancelSent ? "no answer (cancelled)" : "no answer to INVITE"
            terminate(leg, sendBye: false)
            let why = leg.cancelSent ? "sent CANCEL, no final answer" : "timeout"
            return .failure(CallFailure(description: "no answer from \(uri) (\(why))"))
        }
        guard (200..<300).contains(status) else {
            let refused = "\(status) \(Self.reason(response))"
            if leg.ringTimedOut {
                leg.endReason = "no answer (cancelled)"
                terminate(leg, sendBye: false)
                let seconds = Double(ringTime) / 1000
                return .failure(CallFailure(description: "no answer from \(uri) (it rang for \(seconds) s; sent CANCEL, got \(refused))"))
            }
            leg.endReason = refused
            terminate(leg, sendBye: false)
            return .failure(CallFailure(description: "the call was refused: \(refused)"))
        }
        // Answered although we cancelled (the 200 crossed our CANCEL): the
        // dialog is confirmed with its ACK, then ended with BYE (RFC 3261 9.1).
        confirmOutbound(leg, response, startFlow: !leg.cancelWanted)
        if leg.cancelWanted, leg.state == .confirmed {
            leg.endReason = "answered after CANCEL"
            terminate(leg, sendBye: true)
            return .failure(CallFailure(description: "no answer from \(uri) (answered after CANCEL; sent BYE)"))
        }
        guard leg.state == .confirmed else { return .failure(CallFailure(description: leg.endReason ?? "bad answer")) }
        return .success(leg)
    }

    /// 2xx: the dialog is set up from the response (its remote target
    /// and route set, RFC 3261 12.1.2); ACK through that route set (13.2.2.4);
    /// apply the SDP answer.
    func confirmOutbound(_ leg: CallLeg, _ response: SIPMessage, startFlow: Bool = true) {
        if let to = response.headers["To"] { leg.remoteHeader = to }
        leg.remoteTag = response.to?.tag
        if let contact = response.headers["Contact"].flatMap(NameAddress.init)?.uri { leg.remoteContact = contact }
        leg.routeSet = RouteSet.ofResponse(response)
        routeDialog(leg)
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
        guard startFlow else { return }
        leg.flowStarted = true
        hooks.started(leg)
    }

    /// RFC 3261 9.1: CANCEL of our INVITE, with the INVITE's Request-URI,
    /// top Via, From, To, Call-ID, CSeq number and Route. Only once it
    /// rang (a provisional response): before that it waits for one (Timer B
    /// ends a silent INVITE). The INVITE's own transaction then ends with
    /// 487, which it ACKs; without a final response 64*T1 after the
    /// CANCEL it is given up.
    func cancelInvite(_ leg: CallLeg) {
        guard let invite = leg.invite, let tx = leg.inviteTransaction else { return }
        leg.cancelWanted = true
        guard leg.ringing, !leg.cancelSent else { return }
        leg.cancelSent = true
        transact(ClientTransaction.cancel(of: invite), to: tx.destination) { _ in }
        leg.ringTimer?.cancel()
        leg.ringTimer = eventLoop.scheduleTask(in: .milliseconds(Int64(64 * configuration.t1))) { [self] in
            self.abandon(tx)
        }
    }
}
