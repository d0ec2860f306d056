import Foundation
import NIOCore

extension SIPEndpoint {
    /// The transport, host and port a URI's requests are sent to (RFC 3263
    /// 4.1 and 4.2 without DNS): TLS for `sips:`, else the `transport`
    /// parameter (`udp`, `tcp`, `tls`; UDP when absent or another); the
    /// `maddr` parameter, else the host; the port, else the transport's
    /// (5060, 5061 for TLS). Nil for a URI that is not SIP.
    static func hop(of uri: String) -> Hop? {
        guard let u = SIPURI(uri) else { return nil }
        let host = ((u.parameter("maddr") ?? nil) ?? u.host).trimmingCharacters(in: "[]")
        let named = (u.parameter("transport") ?? nil).flatMap(SIPTransport.init(name:)) ?? .udp
        let transport: SIPTransport = u.scheme == "sips" ? .tls : named
        return Hop(transport: transport, host: host, port: u.port ?? transport.defaultPort)
    }

    /// Where a URI's requests go before any lookup.
    struct Hop: Sendable, Equatable {
        var transport: SIPTransport
        var host: String
        var port: Int
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
        guard let hop = Self.hop(of: next) else {
            logger.warning("in-dialog requests: '\(next.prefix(120))' is not a SIP URI; they go to \(leg.remoteAddress)",
                           metadata: ["call-id": "\(leg.callID)"])
            return
        }
        resolve(hop) { [self] resolved in
            guard leg.state != .terminated else { return }
            if let resolved {
                leg.remoteAddress = resolved
            } else {
                logger.warning("in-dialog requests: cannot resolve \(hop.host.prefix(120)); they go to \(leg.remoteAddress)",
                               metadata: ["call-id": "\(leg.callID)"])
            }
        }
    }

    /// Where the dialog's next request goes: back on the connection the
    /// caller's INVITE came on while it is open (TCP, TLS), else the next
    /// hop `routeDialog` found.
    func dialogHop(_ leg: CallLeg) -> SIPPeer {
        if let connection = leg.connection, streamOpen(connection) { return connection }
        return leg.remoteAddress
    }

    /// Finds the servers of a URI (RFC 3263): SRV and addresses through
    /// `configuration.dnsServer` when set, else the system's resolver.
    var locator: ServerLocator { ServerLocator(server: configuration.dnsServer) }

    /// Runs `body` on the event loop with the peer of `hop`: at once for
    /// an IP address, after a lookup off the loop for a host name (whose
    /// TLS certificate must then name it): its first A/AAAA record from
    /// `configuration.dnsServer` when one is set, else the system's resolver.
    func resolve(_ hop: Hop, _ body: @escaping (SIPPeer?) -> Void) {
        if let address = try? SocketAddress(ipAddress: hop.host, port: hop.port) { return body(SIPPeer(hop.transport, address)) }
        let loop = eventLoop
        let box = ResolveCallback(body)
        if configuration.dnsServer != nil {
            let locator = self.locator
            Task {
                let resolved = try? await locator.addresses(of: hop.host, port: hop.port).first
                loop.execute {
                    let peer = resolved.map { SIPPeer(hop.transport, $0) }
                    if let peer { self.remember(serverName: hop.host, for: peer) }
                    box.body(peer)
                }
            }
            return
        }
        DispatchQueue.global().async {
            let resolved = try? SocketAddress.makeAddressResolvingHost(hop.host, port: hop.port)
            loop.execute {
                let peer = resolved.map { SIPPeer(hop.transport, $0) }
                if let peer { self.remember(serverName: hop.host, for: peer) }
                box.body(peer)
            }
        }
    }

    /// The host name a TLS peer was found by (bounded: forgotten all at
    /// once past 4,096 names; a connection opened later then checks the IP).
    func remember(serverName: String, for peer: SIPPeer) {
        guard peer.transport == .tls else { return }
        if serverNames.count >= 4_096 { serverNames = [:] }
        serverNames[peer] = serverName
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
    let body: (SIPPeer?) -> Void
    init(_ body: @escaping (SIPPeer?) -> Void) { self.body = body }
}
