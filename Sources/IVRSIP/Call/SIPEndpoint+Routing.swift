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
        resolve((host, port)) { [self] resolved in
            guard leg.state != .terminated else { return }
            if let resolved {
                leg.remoteAddress = resolved
            } else {
                logger.warning("in-dialog requests: cannot resolve \(host.prefix(120)); they go to \(leg.remoteAddress)",
                               metadata: ["call-id": "\(leg.callID)"])
            }
        }
    }

    /// Runs `body` on the event loop with the address of `hop`: at once for
    /// an IP address, after a lookup off the loop for a host name.
    func resolve(_ hop: (host: String, port: Int), _ body: @escaping (SocketAddress?) -> Void) {
        if let address = try? SocketAddress(ipAddress: hop.host, port: hop.port) { return body(address) }
        let loop = eventLoop
        let box = ResolveCallback(body)
        DispatchQueue.global().async {
            let resolved = try? SocketAddress.makeAddressResolvingHost(hop.host, port: hop.port)
            loop.execute { box.body(resolved) }
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

/// Carries a callback to the event loop after a lookup on another queue.
// NOTE: the callback is created and called on the endpoint's event loop only.
final class ResolveCallback: @unchecked Sendable {
    let body: (SocketAddress?) -> Void
    init(_ body: @escaping (SocketAddress?) -> Void) { self.body = body }
}
