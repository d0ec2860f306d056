import Testing
@testable import IVRSIP

/// RFC 3261 12.1 and 12.2.1.1: the route set a dialog learns from
/// Record-Route, and how a request is addressed through it.
struct RouteSetTests {
    static func message(_ start: String, recordRoute lines: [String]) throws -> SIPMessage {
        var text = start + "\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\n"
        text += "Call-ID: c\r\nCSeq: 1 INVITE\r\n"
        for line in lines { text += "Record-Route: \(line)\r\n" }
        return try SIPParser.parse(Array((text + "Content-Length: 0\r\n\r\n").utf8))
    }

    @Test func theUASKeepsRecordRouteInOrderAcrossLinesAndCommas() throws {
        let invite = try Self.message("INVITE sip:b@y SIP/2.0",
                                      recordRoute: ["<sip:p2.example;lr;ftag=1>, \"Edge, Inc\" <sip:p1.example:5070;lr>", "<sip:p0.example;lr>"])
        let routes = RouteSet.ofRequest(invite).routes.map(\.uri)
        #expect(routes == ["sip:p2.example;lr;ftag=1", "sip:p1.example:5070;lr", "sip:p0.example;lr"])
    }

    @Test func theUACReversesTheResponsesRecordRoute() throws {
        let ok = try Self.message("SIP/2.0 200 OK", recordRoute: ["<sip:p2.example;lr>", "<sip:p1.example;lr>"])
        #expect(RouteSet.ofResponse(ok).routes.map(\.uri) == ["sip:p1.example;lr", "sip:p2.example;lr"])
    }

    @Test func anEmptyRouteSetGoesStraightToTheRemoteTarget() {
        let a = RouteSet().addressing(remoteTarget: "sip:alice@192.0.2.7:5062")
        #expect(a == .init(requestURI: "sip:alice@192.0.2.7:5062", routes: [], nextHop: "sip:alice@192.0.2.7:5062"))
    }

    @Test func aLooseRouterKeepsTheTargetAsRequestURIAndIsTheNextHop() throws {
        let set = RouteSet([try #require(NameAddress("<sip:p1.example;lr>")), try #require(NameAddress("<sip:p2.example;lr>"))])
        let a = set.addressing(remoteTarget: "sip:alice@192.0.2.7")
        #expect(a.requestURI == "sip:alice@192.0.2.7")
        #expect(a.routes == ["<sip:p1.example;lr>", "<sip:p2.example;lr>"])
        #expect(a.nextHop == "sip:p1.example;lr")
    }

    /// 12.2.1.1, strict routing: the first route becomes the Request-URI
    /// (without `?headers`), the remote target the last Route.
    @Test func aStrictRouterBecomesTheRequestURI() throws {
        let set = RouteSet([try #require(NameAddress("<sip:p1.example:5080;transport=udp?x=y>")),
                            try #require(NameAddress("<sip:p2.example;lr>"))])
        let a = set.addressing(remoteTarget: "sip:alice@192.0.2.7")
        #expect(a.requestURI == "sip:p1.example:5080;transport=udp")
        #expect(a.routes == ["<sip:p2.example;lr>", "<sip:alice@192.0.2.7>"])
        #expect(a.nextHop == "sip:p1.example:5080;transport=udp")
    }

    @Test func theOutboundProxyIsTheRouteSetOfInitialRequests() throws {
        #expect(RouteSet(proxy: nil).isEmpty)
        let a = RouteSet(proxy: SIPURI("sip:sbc.acme.example;lr")).addressing(remoteTarget: "sip:+15551234@trunk.example")
        #expect(a.requestURI == "sip:+15551234@trunk.example")
        #expect(a.routes == ["<sip:sbc.acme.example;lr>"])
        #expect(a.nextHop == "sip:sbc.acme.example;lr")
    }

    /// RFC 3263 without SRV: maddr wins, then the host; `sips:` is TLS
    /// and `transport=` names the others; 5060 (TLS: 5061).
    @Test func theNextHopsTransportHostAndPort() {
        typealias Hop = SIPEndpoint.Hop
        #expect(SIPEndpoint.hop(of: "sip:p1.example;lr") == Hop(transport: .udp, host: "p1.example", port: 5060))
        #expect(SIPEndpoint.hop(of: "sips:p1.example;lr") == Hop(transport: .tls, host: "p1.example", port: 5061))
        #expect(SIPEndpoint.hop(of: "sip:p1.example;transport=TCP;lr") == Hop(transport: .tcp, host: "p1.example", port: 5060))
        #expect(SIPEndpoint.hop(of: "sip:p1.example;transport=tls") == Hop(transport: .tls, host: "p1.example", port: 5061))
        #expect(SIPEndpoint.hop(of: "sip:p1.example;transport=sctp") == Hop(transport: .udp, host: "p1.example", port: 5060))
        #expect(SIPEndpoint.hop(of: "sip:p1.example:5070;maddr=192.0.2.9;lr") == Hop(transport: .udp, host: "192.0.2.9", port: 5070))
        #expect(SIPEndpoint.hop(of: "sip:[2001:db8::1]:5072;lr") == Hop(transport: .udp, host: "2001:db8::1", port: 5072))
        #expect(SIPEndpoint.hop(of: "tel:+15551234") == nil)
    }
}
