import Foundation
import NIOCore

extension SIPEndpoint {
    /// The host and port a URI's requests are sent to (RFC 3263 4.2 for
    /// UDP, without DNS SRV): the `maddr` parameter, else the host; the
    /// port, else 5060 (5061 for `sips:`). Nil for a URI that is not SIP.
    static func hop(of uri: String) -> (host: String, port: Int)? {
        guard let u = SIPURI(uri) else { return nil }
        let host = ((u.parameter("maddr") ?? nil) ?? u.host).trimmingCharacters(in: "[]")
        return (host, u.port ?? (u.scheme == "sips" ? 5061 : 5060))
    }

    /// Points `leg.remoteAddress` at the next hop of the dialog's requests
    /// (RFC 3261 12.2.1.1): the first route of its route set (a loose
    /// router; a strict one is the Request-URI), else the remote target; a
    /// caller that sent its INVITE straight to us, its source address. An
    /// IP address is used at once; a host name is resolved off the event
    /// loop and requests go to the previous next hop until it resolves.
    func routeDialog(_ leg: CallLeg) {
        if leg.routeSet.isEmpty, let symmetric = leg.symmetricAddress {
            leg.remoteAddress = symmetric
            return
        }
        let next = leg.routeSet.addressing(remoteTarget: leg.remoteContact).nextHop
        guard let (host, port) = Self.hop(of: next) else {
            logger.warning("in-dialog requests: '\(next.prefix(120))' is not a SIP URI; they go to \(leg.remoteAddress)",
                           metadata: ["call-id": "\(leg.callID)"])
            return
        }
        if let address = try? SocketAddress(ipAddress: host, port: port) {
            leg.remoteAddress = address
            return
        }
        let loop = eventLoop
        DispatchQueue.global().async {
            let resolved = try? SocketAddress.makeAddressResolvingHost(host, port: port)
            loop.execute {
                guard leg.state != .terminated else { return }
                if let resolved {
                    leg.remoteAddress = resolved
                } else {
                    self.logger.warning("in-dialog requests: cannot resolve \(host.prefix(120)); they go to \(leg.remoteAddress)",
                                        metadata: ["call-id": "\(leg.callID)"])
                }
            }
        }
    }

    /// RFC 3261 12.1.1: a response that sets up a dialog (18x or 2xx to
    /// the INVITE) carries the request's Record-Route values unchanged, in order.
    func dialogResponse(_ invite: SIPMessage, _ status: Int, toTag: String) -> SIPMessage {
        var response = invite.response(status, toTag: toTag)
        for route in invite.headers.rawValues("Record-Route") { response.headers.add("Record-Route", route) }
        return response
    }
}
