import NIOCore

extension SIPEndpoint {
    /// How many forked answers a call keeps ACKs for (a peer inventing To
    /// tags cannot grow it further; later ones are still ACKed and ended).
    static let maxForks = 16

    /// A `2xx` to our INVITE after the first (its transaction ended on the
    /// first). The same To tag: our ACK was lost, send it again (RFC 3261
    /// 13.2.2.4). Another To tag: a forking proxy let a second callee
    /// answer; that dialog is ACKed and ended at once with BYE, through its
    /// own Record-Route (13.2.2.4, 12.1.2), and the call goes on with the first.
    func handleLateInviteSuccess(_ response: SIPMessage, leg: CallLeg) {
        let tag = response.to?.tag ?? ""
        if tag == leg.remoteTag {
            if let ack = leg.ackBytes { send(ack, to: dialogHop(leg)) }
            return
        }
        if let fork = leg.forks[tag] {
            send(fork.ack, to: fork.destination)
            return
        }
        guard let invite = leg.invite, let cseq = invite.cseq?.number else { return }
        let target = response.headers["Contact"].flatMap(NameAddress.init)?.uri ?? leg.remoteContact
        let addressing = RouteSet.ofResponse(response).addressing(remoteTarget: target)
        let destination = Self.hop(of: addressing.nextHop).flatMap { hop in
            (try? SocketAddress(ipAddress: hop.host, port: hop.port)).map { SIPPeer(hop.transport, $0) }
        } ?? leg.inviteDestination ?? leg.remoteAddress
        func request(_ method: String, _ number: UInt32) -> SIPMessage {
            var h = SIPHeaders()
            h.add("Via", newVia(destination.transport))
            h.add("Max-Forwards", "70")
            for route in addressing.routes { h.add("Route", route) }
            h.add("From", leg.localHeader)
            h.add("To", response.headers["To"] ?? "")
            h.add("Call-ID", leg.callID)
            h.add("CSeq", "\(number) \(method)")
            h.add("User-Agent", "ivrc")
            return .request(method, uri: addressing.requestURI, headers: h)
        }
        let ack = request("ACK", cseq).serialized()
        send(ack, to: destination)
        if leg.forks.count < Self.maxForks { leg.forks[tag] = (ack, destination) }
        logger.notice("a second callee answered the forked INVITE: ACKed and ended with BYE",
                      metadata: ["call-id": "\(leg.callID)", "to-tag": "\(tag.prefix(64))"])
        transact(request("BYE", cseq + 1), to: destination) { _ in }
    }
}
