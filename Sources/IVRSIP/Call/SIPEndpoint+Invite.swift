import Foundation
import NIOCore

extension SIPEndpoint {
    /// A new INVITE (a retransmission never gets here: its server
    /// transaction answers it, see `absorbedByTransaction`).
    func handleInvite(_ request: SIPMessage, leg: CallLeg?, from peer: SIPPeer) {
        if let leg {
            if dialog(request, leg) != nil {
                reinvite(request, leg: leg, from: peer)
            } else if request.to?.tag == nil, leg.inbound, request.from?.tag == leg.remoteTag,
                      request.cseq == leg.invite?.cseq {
                // The same INVITE by another path (a forking proxy's copies
                // merged here, RFC 3261 8.2.2.2): its branch differs, so it
                // is not a retransmission; it gets 482.
                respond(request, request.response(482, toTag: SIPIdentifiers.token(8)))
            } else {
                respond(request, request.response(481))
            }
            return
        }
        if request.to?.tag != nil {
            respond(request, request.response(481))  // a re-INVITE for a dialog we do not know
            return
        }
        let tag = SIPIdentifiers.token(10)
        func reject(_ status: Int, _ why: String? = nil, _ extra: [(String, String)] = []) {
            var r = request.response(status, toTag: tag)
            if let why { r.headers.add("Warning", "399 ivrc \"\(why)\"") }
            if status == 503 { r.headers.add("Retry-After", "\(refusalRetryAfter)") }
            for (name, value) in extra { r.headers.add(name, value) }
            respond(request, r)
            stats.callsRejected += 1
        }
        // RFC 3261 8.2.3: a body we cannot read is 415 with what we accept;
        // an Accept that excludes SDP leaves no answer we could send (406).
        if !request.body.isEmpty, request.contentType != "application/sdp" {
            return reject(415, nil, [("Accept", "application/sdp")])
        }
        if !Self.acceptsSDP(request) {
            return reject(406, "the answer is application/sdp", [("Accept", "application/sdp")])
        }
        guard accepting else { return reject(503, "shutting down") }
        guard calls.count < configuration.maxCalls else { return reject(503, "too many calls") }
        if let load, load.isOverloaded {
            stats.callsShed += 1
            metrics.callShed()
            if stats.loggedOverload != load.overloadEpisodes {
                stats.loggedOverload = load.overloadEpisodes
                logger.warning("overloaded: \(load.reason); new calls get 503 until it catches up")
            }
            return reject(503, "overloaded")
        }
        let user = request.requestURI.flatMap(SIPURI.init)?.user ?? ""
        guard let route = selectFlow(request, requestUser: user) else { return reject(404, "no flow for '\(user.prefix(64))'") }
        let offer: SessionDescription?
        let agreement: SDPNegotiator.Agreement
        if request.body.isEmpty {
            // Late offer: we offer in the 200 OK; media stays silent until the
            // ACK's answer says where to send.
            offer = nil
            agreement = SDPNegotiator.Agreement(codec: .pcmu, payloadType: 0, eventPayloadType: 101,
                                                remoteAddress: peer.address.ipAddress ?? "0.0.0.0", remotePort: 9, direction: .inactive)
        } else {
            guard let parsed = try? SessionDescription(parsing: request.body) else { return reject(400, "malformed SDP") }
            switch SDPNegotiator.agree(offer: parsed, srtp: configuration.srtp) {
            case .success(let agreed): agreement = agreed
            case .failure(let refusal): return reject(488, refusal.warning)
            }
            offer = parsed
        }
        guard let from = request.from, let to = request.to, let callID = request.callID else { return reject(400) }
        var localHeader = NameAddress(displayName: to.displayName, uri: to.uri, parameters: to.parameters)
        localHeader.parameters.append(("tag", tag))
        let contact = request.headers["Contact"].flatMap(NameAddress.init)?.uri ?? from.uri
        let leg = CallLeg(callID: callID, localTag: tag, inbound: true, flow: route.flow, fromURI: from.uri, toURI: to.uri,
                          localHeader: localHeader.description, remoteHeader: request.headers["From"] ?? from.description,
                          remoteContact: contact, remoteAddress: peer)
        leg.served = route.bundle
        leg.listen = listener(of: request, from: peer)?.description
        leg.remoteTag = from.tag
        leg.routeSet = RouteSet.ofRequest(request)
        if peer.transport.isStream {
            leg.connection = peer
        } else if request.vias.count == 1 {
            leg.symmetricAddress = peer
        }
        routeDialog(leg)
        leg.invite = request
        leg.offerInOK = offer == nil
        leg.srtp = agreement.srtp
        // A late offer is ours to make: SRTP when it is required.
        if offer == nil, configuration.srtp == .required { leg.srtpOffer = .fresh() }
        leg.remoteCSeq = request.cseq?.number
        calls[callID] = leg
        metrics.callsActive(calls.count)
        respond(request, request.response(100))
        if configuration.ringing {
            respond(request, dialogResponse(request, 180, toTag: tag))
        }
        let opening: EventLoopFuture<MediaSession> = MediaSession.open(
            host: configuration.host, ports: ports, group: group, clocks: clocks, agreement: agreement)
        opening.whenComplete { result in
            self.eventLoop.execute {
                switch result {
                case .success(let media):
                    self.rtpPortsExhausted = false
                    self.answer(leg, media: media, offer: offer, agreement: agreement)
                case .failure(let error): self.mediaFailed(leg, error)
                }
            }
        }
    }

    /// Sends 200 OK with the SDP answer (or, for a late offer, our offer)
    /// and retransmits it until ACK.
    func answer(_ leg: CallLeg, media: MediaSession, offer: SessionDescription?, agreement: SDPNegotiator.Agreement) {
        guard leg.state == .proceeding, let invite = leg.invite else {
            media.close()  // cancelled while the port was opening
            return
        }
        leg.media = media
        leg.sdpSession = UInt64.random(in: 1...UInt64(Int64.max))
        let sdp = describe(leg, offer.map {
            SDPNegotiator.answer(offer: $0, agreement: agreement, localAddress: configuration.advertisedHost,
                                 localPort: media.localPort, sessionID: leg.sdpSession, version: 0)
        } ?? SDPNegotiator.offer(localAddress: configuration.advertisedHost, localPort: media.localPort, sessionID: leg.sdpSession,
                                 srtp: leg.srtpOffer))
        var ok = dialogResponse(invite, 200, toTag: leg.localTag)
        ok.headers.add("Contact", contactHeader(for: invite))
        ok.headers.add("Allow", Self.allowed)
        ok.headers.add("Content-Type", "application/sdp")
        ok.body = Array(sdp.utf8)
        leg.state = .answered
        let answered = Date()
        leg.answeredAt = answered
        stats.callsAnswered += 1
        metrics.callSetUp(nanoseconds: Int64(max(0, answered.timeIntervalSince(leg.created)) * 1e9))
        leg.lastInviteResponse = respond(invite, ok)
        let now = Int(NIODeadline.now().uptimeNanoseconds / 1_000_000)
        leg.okTimer = (RetransmitTimer(start: now, t1: configuration.t1, t2: configuration.t2), nil)
        scheduleOkRetransmit(leg)
    }

    /// RFC 3261 13.3.1.4: the UAS retransmits 2xx until ACK; after 64*T1 it gives up and sends BYE.
    func scheduleOkRetransmit(_ leg: CallLeg) {
        guard leg.state == .answered, var entry = leg.okTimer else { return }
        let now = Int(NIODeadline.now().uptimeNanoseconds / 1_000_000)
        switch entry.timer.poll(now: now) {
        case .wait(let until):
            entry.scheduled = eventLoop.scheduleTask(in: .milliseconds(Int64(max(1, until - now)))) { [self] in
                self.scheduleOkRetransmit(leg)
            }
            leg.okTimer = entry
        case .retransmit:
            leg.okTimer = entry
            // Over TCP and TLS the transport delivers the 2xx; only the ACK's timeout runs.
            if let bytes = leg.lastInviteResponse, let invite = leg.invite, let destination = responseDestination(invite),
               !destination.transport.isStream {
                send(bytes, to: destination)
            }
            scheduleOkRetransmit(leg)
        case .timeout:
            logger.warning("no ACK for the 200 OK", metadata: ["call-id": "\(leg.callID)"])
            leg.endReason = "no ACK"
            terminate(leg, sendBye: true)
        }
    }

    /// No RTP socket for a new call: 503. Every port of the range taken
    /// (by calls, or by other processes) is logged once, when it starts.
    func mediaFailed(_ leg: CallLeg, _ error: any Error) {
        if let media = error as? MediaError, case .noPorts = media {
            metrics.rtpPortsExhausted()
            if !rtpPortsExhausted {
                rtpPortsExhausted = true
                logger.error("every RTP port of \(ports.range.lowerBound)-\(ports.range.upperBound) is taken (by calls or other processes): new calls get 503",
                             metadata: ["calls": "\(calls.count)", "busy-skipped": "\(ports.busySkipped)"])
            }
            failInvite(leg, status: 503, why: "no RTP port: the range is exhausted")
        } else {
            failInvite(leg, status: 503, why: "no RTP port: \(error)")
        }
    }

    func failInvite(_ leg: CallLeg, status: Int, why: String) {
        guard leg.state == .proceeding, let invite = leg.invite else { return }
        var r = invite.response(status, toTag: leg.localTag)
        r.headers.add("Warning", "399 ivrc \"\(why)\"")
        leg.lastInviteResponse = respond(invite, r)
        leg.endReason = why
        terminate(leg, sendBye: false)
    }

    func handleAck(_ request: SIPMessage, leg: CallLeg?) {
        guard let leg, request.to?.tag == leg.localTag else { return }
        if leg.state == .confirmed, leg.reofferInOK {
            // The answer to the offer of our 200 to a re-INVITE without SDP.
            leg.reofferInOK = false
            if let answer = try? SessionDescription(parsing: request.body),
               case .success(let agreement) = SDPNegotiator.agree(answer: answer, offered: leg.srtpOffer) {
                leg.srtp = agreement.srtp
                leg.srtpOffer = nil
                leg.media?.update(agreement)
            } else {
                logger.warning("re-INVITE: the ACK has no usable SDP answer; media unchanged", metadata: ["call-id": "\(leg.callID)"])
            }
            return
        }
        guard leg.state == .answered else { return }
        leg.okTimer?.scheduled?.cancel()
        leg.okTimer = nil
        if leg.offerInOK {
            // The answer to our offer. Without a usable one there is no media
            // to run a flow on: RFC 3261 13.3.1.4 has the UAS end the call.
            guard !request.body.isEmpty, let answer = try? SessionDescription(parsing: request.body),
                  case .success(let agreement) = SDPNegotiator.agree(answer: answer, offered: leg.srtpOffer) else {
                leg.state = .confirmed
                leg.endReason = "the ACK carries no usable SDP answer"
                logger.warning("late offer: the ACK has no usable SDP answer", metadata: ["call-id": "\(leg.callID)"])
                terminate(leg, sendBye: true)
                return
            }
            leg.srtp = agreement.srtp
            leg.srtpOffer = nil
            leg.media?.update(agreement)
        }
        leg.state = .confirmed
        leg.flowStarted = true
        hooks.started(leg)
    }

    /// A re-INVITE inside a dialog (hold, resume, new address): answer with
    /// the same port and apply the new direction and address.
    func reinvite(_ request: SIPMessage, leg: CallLeg, from peer: SIPPeer) {
        guard leg.state == .confirmed, let media = leg.media else {
            respond(request, request.response(491))
            return
        }
        // A target refresh (RFC 3261 12.2.2): its Contact is the new remote
        // target; the route set stays as the dialog began.
        if let contact = request.headers["Contact"].flatMap(NameAddress.init)?.uri, contact != leg.remoteContact {
            leg.remoteContact = contact
            if leg.symmetricAddress != nil { leg.symmetricAddress = peer }
            routeDialog(leg)
        }
        if peer.transport.isStream, leg.connection != nil { leg.connection = peer }  // the caller reconnected
        var ok = request.response(200)
        ok.headers.add("Contact", contactHeader(for: request))
        ok.headers.add("Content-Type", "application/sdp")
        if request.body.isEmpty {
            // RFC 3261 14.2: no offer in the re-INVITE, so ours goes in the
            // 200 and the answer comes in the ACK.
            leg.reofferInOK = true
            // An SRTP call stays SRTP, with fresh keys of ours.
            leg.srtpOffer = leg.srtp != nil || configuration.srtp == .required ? .fresh() : nil
            ok.body = Array(describe(leg, SDPNegotiator.offer(localAddress: configuration.advertisedHost, localPort: media.localPort,
                                                              sessionID: leg.sdpSession, srtp: leg.srtpOffer)).utf8)
            respond(request, ok)
            return
        }
        guard let offer = try? SessionDescription(parsing: request.body) else {
            respond(request, request.response(488))
            return
        }
        let agreement: SDPNegotiator.Agreement
        switch SDPNegotiator.agree(offer: offer, srtp: configuration.srtp, current: leg.srtp) {
        case .success(let agreed): agreement = agreed
        case .failure(let refusal):
            // The call goes on as it was (RFC 3261 14.2).
            var refused = request.response(488)
            refused.headers.add("Warning", "399 ivrc \"\(refusal.warning)\"")
            respond(request, refused)
            return
        }
        leg.srtp = agreement.srtp
        media.update(agreement)
        ok.body = Array(describe(leg, SDPNegotiator.answer(offer: offer, agreement: agreement, localAddress: configuration.advertisedHost,
                                                           localPort: media.localPort, sessionID: leg.sdpSession, version: 0)).utf8)
        respond(request, ok)
    }

    /// False when the request's `Accept` names media types and none of
    /// them covers `application/sdp` (RFC 3261 8.2.3, RFC 4475 3.3.15).
    static func acceptsSDP(_ request: SIPMessage) -> Bool {
        let ranges = request.headers.values("Accept").map {
            ($0.split(separator: ";").first.map(String.init) ?? $0).trimmingSIPWhitespace().lowercased()
        }
        return ranges.isEmpty || ranges.contains { ["application/sdp", "application/*", "*/*"].contains($0) }
    }

    /// Our SDP as sent: the session's id, and a version that goes up by one
    /// only when the description changed (RFC 3264 8; `version` in `sdp`
    /// is replaced).
    func describe(_ leg: CallLeg, _ sdp: String) -> String {
        var lines = sdp.components(separatedBy: "\r\n")
        guard let o = lines.firstIndex(where: { $0.hasPrefix("o=") }) else { return sdp }
        let rest = lines.enumerated().filter { $0.offset != o }.map(\.element).joined(separator: "\r\n")
        if rest != leg.sdpSent || leg.sdpVersion == 0 {
            leg.sdpVersion += 1
            leg.sdpSent = rest
        }
        var fields = lines[o].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if fields.count >= 3 {
            fields[1] = "\(leg.sdpSession)"
            fields[2] = "\(leg.sdpVersion)"
            lines[o] = fields.joined(separator: " ")
        }
        return lines.joined(separator: "\r\n")
    }
}
