import Foundation
import IVRRuntime
import NIOCore

extension SIPEndpoint {
    /// Why an outbound call did not connect.
    public struct CallFailure: Error, Sendable, CustomStringConvertible {
        public var description: String
        /// The final status the callee answered (486, ...), or 408 when it
        /// did not answer within the ring time (or at all); nil when the
        /// call failed before any answer could come (DNS, transport, SDP).
        public var status: Int? = nil
        /// The status line's reason phrase, when the callee answered one.
        public var reasonPhrase: String? = nil
    }

    /// What an outbound call does besides `placeCall`'s defaults (the B
    /// leg of a bridged transfer, `SIPEndpoint+Bridge`).
    struct OutboundOptions: Sendable {
        /// The Call-ID to use (known before the INVITE goes, to cancel it).
        var callID: String?
        /// Milliseconds it may ring before CANCEL (default: `configuration.ringTimeout`, else 64*T1).
        var ringTime: Int?
        /// The codec offered first (PCMU when nil).
        var firstCodec: SDPNegotiator.Codec?
        /// A bridge's B leg: no flow runs on it and it has no call record of its own.
        var bridgeLeg = false
        /// The event loop of the leg's RTP socket (default: the group's next):
        /// a bridge puts both legs on one loop, so a relayed packet is sent
        /// in the same pass that received it, with no hop between threads.
        var mediaLoop: EventLoop?
        /// Called (on the loop) when an 18x brings SDP: the leg's media now
        /// receives the callee's early media.
        var earlyMedia: (@Sendable (MediaSession) -> Void)?
        /// The flow's `inputs` values (a campaign's contact) and the record's campaign fields.
        var presets = CallPresets()
        var campaignCall: CampaignCall?
        /// Answered, the flow waits for `startHeldFlow` (answering-machine detection first).
        var holdFlow = false
    }

    /// Places a campaign's call (`ivrc campaign`): as `placeCall(to:flow:)`,
    /// with the Call-ID chosen by the caller (the journal names it before
    /// the INVITE goes), `ringTime` milliseconds of ringing before CANCEL,
    /// the contact's `inputs` for the flow, and the campaign fields of its
    /// record. Returns once answered (await `IVRServer.finished(_:)` for the
    /// end of the flow) or throws why it did not connect.
    /// `holdFlow`: the flow does not start on answer but at `startHeldFlow`
    /// (the campaign listens to the callee first, to tell a machine).
    public func placeCampaignCall(to target: String, flow: Int, fromUser: String, callID: String, ringTime: Int,
                                  presets: CallPresets, campaignCall: CampaignCall,
                                  holdFlow: Bool = false) async throws(CallFailure) -> CallLeg {
        var options = OutboundOptions()
        options.callID = callID
        options.ringTime = ringTime
        options.presets = presets
        options.campaignCall = campaignCall
        options.holdFlow = holdFlow
        return try await placeCall(to: target, flow: flow, fromUser: fromUser, srtp: nil, options: options)
    }

    /// Places a call (as `placeCall(to:flow:)`) whose flow starts only once
    /// the callee's first seconds told a person from a machine
    /// (`AnsweringMachineListening`), with `answered_by` set to the verdict,
    /// which the call's record carries too (`answeredBy`). Returns the leg
    /// with the flow started (or the call ended while listening).
    public func placeCallListeningFirst(to target: String, flow: Int, fromUser: String = "ivrc") async throws(CallFailure) -> CallLeg {
        var options = OutboundOptions()
        options.holdFlow = true
        let leg = try await placeCall(to: target, flow: flow, fromUser: fromUser, srtp: nil, options: options)
        var verdict = CallPresets.AnsweredBy.unknown
        if let media = leg.media { verdict = await AnsweringMachineListening.classify(media) }
        logger.info("answered by: \(verdict.rawValue)", metadata: ["call-id": "\(leg.callID)"])
        await startHeldFlow(leg, answeredBy: verdict)
        return leg
    }

    /// Places a call (UAC): INVITE with an offer (PCMU, PCMA,
    /// telephone-event; with SRTP, as `RTP/SAVP` with two SDES crypto
    /// attributes), through the outbound proxy when one is set, ACK on
    /// 2xx, then `hooks.started` runs the flow. Returns once the call is
    /// answered (the leg) or has failed. An SRTP offer whose answer names
    /// none of our crypto attributes ends the call with BYE.
    ///
    /// `srtp`: whether to offer SRTP; nil (the default) offers it when the
    /// INVITE goes over TLS, unless `configuration.srtp` is `.off` (SDES
    /// keys sent in the clear would protect nothing).
    public func placeCall(to target: String, flow: Int, fromUser: String = "ivrc",
                          srtp: Bool? = nil) async throws(CallFailure) -> CallLeg {
        try await placeCall(to: target, flow: flow, fromUser: fromUser, srtp: srtp, options: OutboundOptions())
    }

    func placeCall(to target: String, flow: Int, fromUser: String, srtp: Bool?,
                   options: OutboundOptions) async throws(CallFailure) -> CallLeg {
        guard let uri = SIPURI(target) else { throw CallFailure(description: "'\(target)' is not a sip: URI") }
        let routes = RouteSet(proxy: configuration.outboundProxy)
        let next = routes.addressing(remoteTarget: uri.description).nextHop
        guard let nextURI = SIPURI(next) else { throw CallFailure(description: "'\(next)' is not a sip: URI") }
        // RFC 3263: the next hop's peers in the order to try them.
        let targets: [SIPPeer]
        do { targets = try await locator.locate(nextURI) } catch { throw CallFailure(description: error.description) }
        guard let address = targets.first else { throw CallFailure(description: "cannot locate \(nextURI): no address") }
        let offerSRTP = srtp ?? (address.transport == .tls && configuration.srtp != .off)
        let host = ServerLocator.targetHost(of: nextURI)
        if !ServerLocator.isNumeric(host) {
            eventLoop.execute { for target in targets { self.remember(serverName: host, for: target) } }
        }
        let resolved = address.address
        let placeholder = SDPNegotiator.Agreement(codec: .pcmu, payloadType: 0, eventPayloadType: 101,
                                                  remoteAddress: resolved.ipAddress ?? "0.0.0.0", remotePort: 9, direction: .inactive)
        let media: MediaSession
        do { media = try await MediaSession.open(host: configuration.host, ports: ports, group: options.mediaLoop ?? group,
                                                  clocks: clocks, agreement: placeholder) } catch {
            throw CallFailure(description: "no RTP port: \(error)")
        }
        let result: Result<CallLeg, CallFailure> = await withCheckedContinuation { c in
            eventLoop.execute {
                self.sendInvite(to: uri, routes: routes, targets: targets, flow: flow, fromUser: fromUser, media: media,
                                srtp: offerSRTP ? .fresh() : nil, options: options, done: c)
            }
        }
        return try result.get()
    }

    func sendInvite(to uri: SIPURI, routes: RouteSet, targets: [SIPPeer], flow: Int, fromUser: String, media: MediaSession,
                    srtp: SRTPOffer?, options: OutboundOptions, done: CheckedContinuation<Result<CallLeg, CallFailure>, Never>) {
        if let id = options.callID, abandonedCallIDs.remove(id) != nil {
            media.close()
            return done.resume(returning: .failure(CallFailure(description: "given up before the INVITE was sent")))
        }
        let address = targets[0]
        let tag = SIPIdentifiers.token(10)
        let callID = options.callID ?? newCallID()
        let local = "<sip:\(fromUser)@\(hostPort(address.transport))>;tag=\(tag)"
        let leg = CallLeg(callID: callID, localTag: tag, inbound: false, flow: flow, fromURI: "sip:\(fromUser)@\(hostPort(address.transport))",
                          toURI: uri.description, localHeader: local, remoteHeader: "<\(uri)>", remoteContact: uri.description,
                          remoteAddress: address)
        leg.media = media
        leg.routeSet = routes
        leg.inviteDestination = address
        let heard = listening.first { $0.transport == address.transport } ?? listening.first { $0.transport == .udp }
        leg.listen = heard?.description
        leg.localCSeq = 0
        leg.srtpOffer = srtp
        leg.bridgeLeg = options.bridgeLeg
        leg.earlyMedia = options.earlyMedia
        leg.presets = options.presets
        leg.campaignCall = options.campaignCall
        leg.holdFlow = options.holdFlow
        calls[callID] = leg
        metrics.callsActive(calls.count)
        let sdp = SDPNegotiator.offer(localAddress: configuration.advertisedHost, localPort: media.localPort,
                                      sessionID: UInt64.random(in: 1...UInt64(Int64.max)), srtp: srtp,
                                      first: options.firstCodec ?? .pcmu)
        var invite = request("INVITE", in: leg, body: Array(sdp.utf8), contentType: "application/sdp")
        if options.bridgeLeg, configuration.assertIdentity {
            invite.headers.add("P-Asserted-Identity", "<sip:\(fromUser)@\(configuration.advertisedHost)>")
        }
        leg.invite = invite
        let ringTime = options.ringTime ?? configuration.ringTimeout ?? 64 * configuration.t1
        sendInvite(invite, in: leg, targets: targets, index: 0, uri: uri, ringTime: ringTime, done: done)
    }

    /// Sends the INVITE to `targets[index]`. RFC 3263 4.3: when that
    /// target does not answer (Timer B, or its connection fails) or answers
    /// 503, the same INVITE with a new branch (a new transaction) goes to
    /// the next target, unless this side has given up on the call.
    func sendInvite(_ invite: SIPMessage, in leg: CallLeg, targets: [SIPPeer], index: Int, uri: SIPURI, ringTime: Int,
                    done: CheckedContinuation<Result<CallLeg, CallFailure>, Never>) {
        let address = targets[index]
        leg.remoteAddress = address
        leg.inviteDestination = address
        leg.invite = invite
        sendChallengeable(invite, to: address, in: leg, provisional: { [self] response in
            if leg.earlyMedia != nil { self.startEarlyMedia(leg, response) }
            switch leg.dialing {
            case .calling: leg.dialing = .ringing
            case .cancelWanted(let reason):
                leg.dialing = .ringing
                self.cancelInvite(leg, reason)
            case .ringing, .cancelSent: break
            }
        }, started: { tx, sent in
            // A challenge answered: the new INVITE is the one a CANCEL names.
            leg.inviteTransaction = tx
            leg.invite = sent
        }) { [self] response, authFailure in
            leg.inviteTransaction = nil
            leg.ringTimer?.cancel()
            leg.ringTimer = nil
            if let failed = Self.targetFailed(response, transportFailure: leg.transportFailure), authFailure == nil,
               index + 1 < targets.count, leg.dialing.cancelled == nil, leg.state != .terminated {
                let next = targets[index + 1]
                logger.warning("INVITE to \(address): \(failed); trying \(next) (target \(index + 2) of \(targets.count))",
                               metadata: ["call-id": "\(leg.callID)"])
                leg.transportFailure = nil
                leg.dialing = .calling
                var again = invite
                again.headers.set("Via", newVia(next.transport))
                return sendInvite(again, in: leg, targets: targets, index: index + 1, uri: uri, ringTime: ringTime, done: done)
            }
            done.resume(returning: self.inviteEnded(leg, response, authFailure: authFailure, uri: uri, ringTime: ringTime))
        }
        // The ring timeout belongs to the caller, not the transaction (which
        // waits for a final response once it rings, RFC 3261 17.1.1.2). It
        // is this target's: one that has not rung with others left is
        // passed over at Timer B instead.
        leg.ringTimer = eventLoop.scheduleTask(in: .milliseconds(Int64(ringTime))) { [self] in
            guard leg.inviteTransaction != nil, leg.inviteDestination == address else { return }
            if case .calling = leg.dialing, index + 1 < targets.count { return }
            self.cancelInvite(leg, .ringTimeout)
        }
    }

    /// Why a target is passed over for the next one (RFC 3263 4.3): no
    /// answer (Timer B), its connection failed, or it answered 503; nil
    /// for any other answer, which ends the call attempt.
    static func targetFailed(_ response: SIPMessage?, transportFailure: String?) -> String? {
        guard let response else { return transportFailure ?? "no answer (timeout)" }
        return response.status == 503 ? "503 \(reason(response))" : nil
    }

    /// The INVITE's transaction ended: answered (the leg), or why not. A
    /// non-2xx final response was ACKed by the transaction itself.
    func inviteEnded(_ leg: CallLeg, _ response: SIPMessage?, authFailure: String? = nil, uri: SIPURI,
                     ringTime: Int) -> Result<CallLeg, CallFailure> {
        guard let response, let status = response.status else {
            // Timer B (nothing heard), no 487 within 64*T1 of our CANCEL,
            // or given up on here before it rang (a second hang-up).
            let why: String
            switch leg.dialing {
            case .cancelSent: why = "sent CANCEL, no final answer"
            case .cancelWanted: why = "given up before it rang"
            case .calling, .ringing: why = "timeout"
            }
            if let failure = leg.transportFailure {
                leg.endReason = failure
                terminate(leg, sendBye: false)
                return .failure(CallFailure(description: failure))
            }
            leg.endReason = leg.dialing.cancelled == nil ? "no answer to INVITE" : "no answer (cancelled)"
            terminate(leg, sendBye: false)
            return .failure(CallFailure(description: "no answer from \(uri) (\(why))", status: 408))
        }
        guard (200..<300).contains(status) else {
            if let authFailure {
                leg.endReason = authFailure
                terminate(leg, sendBye: false)
                return .failure(CallFailure(description: authFailure))
            }
            let refused = "\(status) \(Self.reason(response))"
            if leg.dialing.cancelled == .ringTimeout {
                leg.endReason = "no answer (cancelled)"
                terminate(leg, sendBye: false)
                let seconds = Double(ringTime) / 1000
                return .failure(CallFailure(description: "no answer from \(uri) (it rang for \(seconds) s; sent CANCEL, got \(refused))",
                                            status: 408))
            }
            leg.endReason = refused
            terminate(leg, sendBye: false)
            return .failure(CallFailure(description: "the call was refused: \(refused)", status: status,
                                        reasonPhrase: Self.reason(response)))
        }
        // Answered although we cancelled (the 200 crossed our CANCEL): the
        // dialog is confirmed with its ACK, then ended with BYE (RFC 3261 9.1).
        let cancelled = leg.dialing.cancelled != nil
        confirmOutbound(leg, response, startFlow: !cancelled)
        if cancelled, leg.state == .confirmed {
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
        // 13.2.2.4: the ACK carries the INVITE's credentials.
        for name in ["Authorization", "Proxy-Authorization"] {
            for value in leg.invite?.headers.rawValues(name) ?? [] { ack.headers.add(name, value) }
        }
        leg.localCSeq -= 1
        leg.ackBytes = ack.serialized()
        send(ack.serialized(), to: dialogHop(leg))
        leg.answeredAt = Date()
        let answered = (try? SessionDescription(parsing: response.body)).map { SDPNegotiator.agree(answer: $0, offered: leg.srtpOffer) }
        // A 2xx without SDP after early media: the 18x's answer holds (RFC 3261 13.2.1).
        guard case .success(var agreement) = answered ?? leg.earlyAgreement.map({ .success($0) }) else {
            leg.state = .confirmed
            leg.endReason = leg.srtpOffer == nil ? "the answer has no usable SDP" : "the answer has no usable SDP (SRTP offered)"
            terminate(leg, sendBye: true)
            return
        }
        agreement.direction = .sendrecv
        leg.srtp = agreement.srtp
        leg.srtpOffer = nil
        leg.media?.update(agreement)
        leg.state = .confirmed
        guard startFlow, !leg.bridgeLeg, !leg.holdFlow else { return }
        leg.flowStarted = true
        hooks.started(leg)
    }

    /// Starts the flow of a call placed with `holdFlow`, with who answered
    /// (`answered_by`); nothing when the call has ended meanwhile. Returns
    /// once the flow's task exists (`IVRServer.finished` waits for it).
    public func startHeldFlow(_ leg: CallLeg, answeredBy: CallPresets.AnsweredBy) async {
        try? await eventLoop.submit { [self] in
            guard leg.holdFlow, leg.state == .confirmed, !leg.flowStarted else { return }
            leg.presets.answeredBy = answeredBy
            leg.flowStarted = true
            self.hooks.started(leg)
        }.get()
    }

    /// RFC 3261 9.1: CANCEL of our INVITE, with the INVITE's Request-URI,
    /// top Via, From, To, Call-ID, CSeq number and Route. Only once it
    /// rang (a provisional response): before that it waits for one (Timer B
    /// ends a silent INVITE). The INVITE's own transaction then ends with
    /// 487, which it ACKs; without a final response 64*T1 after the
    /// CANCEL it is given up.
    func cancelInvite(_ leg: CallLeg, _ reason: Dialing.CancelReason) {
        guard leg.invite != nil, let tx = leg.inviteTransaction else { return }
        switch leg.dialing {
        case .calling:
            leg.dialing = .cancelWanted(reason)
            return
        case .cancelWanted, .cancelSent:
            return
        case .ringing:
            leg.dialing = .cancelSent(reason)
        }
        // The INVITE as its transaction sent it (over TCP if its size took it there).
        transact(ClientTransaction.cancel(of: tx.request), to: tx.destination) { _ in }
        leg.ringTimer?.cancel()
        leg.ringTimer = eventLoop.scheduleTask(in: .milliseconds(Int64(64 * configuration.t1))) { [self] in
            self.abandon(tx)
        }
    }
}
