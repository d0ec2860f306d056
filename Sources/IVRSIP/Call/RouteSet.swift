/// The proxies a dialog's requests pass through (RFC 3261 12.1): the
/// `Record-Route` values of the request or response that set the dialog
/// up, in the order a request from this side meets them. Before a dialog
/// exists, an initial request's pre-existing route set is the outbound
/// proxy (8.1.2).
public struct RouteSet: Sendable, Equatable {
    /// Each route as a name-addr (`<sip:p1.example.com;lr>`), parameters kept.
    public private(set) var routes: [NameAddress]

    public init(_ routes: [NameAddress] = []) { self.routes = routes }

    /// The pre-existing route set of an initial request: the outbound proxy, if any.
    public init(proxy: SIPURI?) { self.routes = proxy.map { [NameAddress(uri: $0.description)] } ?? [] }

    /// UAS (12.1.1): the dialog-creating request's `Record-Route` values, in order.
    public static func ofRequest(_ request: SIPMessage) -> RouteSet {
        RouteSet(request.headers.values("Record-Route").compactMap(NameAddress.init))
    }

    /// UAC (12.1.2): the dialog-creating response's `Record-Route` values, reversed.
    public static func ofResponse(_ response: SIPMessage) -> RouteSet {
        RouteSet(Array(response.headers.values("Record-Route").compactMap(NameAddress.init).reversed()))
    }

    public var isEmpty: Bool { routes.isEmpty }

    /// How a request to `remoteTarget` is addressed (12.2.1.1, 8.1.2).
    public struct Addressing: Sendable, Equatable {
        /// The Request-URI.
        public var requestURI: String
        /// The Route header values, in order (none for an empty route set).
        public var routes: [String]
        /// The URI whose host and port the request is sent to: the first
        /// route (a loose router), else the Request-URI.
        public var nextHop: String
    }

    /// An empty route set: the request goes straight to the remote target.
    /// A first route with `lr` (a loose router): the Request-URI is the
    /// remote target and every route becomes a Route header. Without `lr`
    /// (a strict router, RFC 2543 style): the first route becomes the
    /// Request-URI (its `?headers` dropped, as a Request-URI has none), the
    /// rest are Route headers, and the remote target is the last one.
    public func addressing(remoteTarget: String) -> Addressing {
        guard let first = routes.first else {
            return Addressing(requestURI: remoteTarget, routes: [], nextHop: remoteTarget)
        }
        let all = routes.map(\.description)
        if Self.isLooseRouter(first) {
            return Addressing(requestURI: remoteTarget, routes: all, nextHop: first.uri)
        }
        var uri = first.uri
        if let q = uri.firstIndex(of: "?") { uri = String(uri[..<q]) }
        return Addressing(requestURI: uri, routes: Array(all.dropFirst()) + ["<\(remoteTarget)>"], nextHop: uri)
    }

    /// A route naming a loose router: `;lr` among its URI's parameters (or,
    /// forgivingly, among the header parameters after `>`).
    static func isLooseRouter(_ route: NameAddress) -> Bool {
        if let uri = SIPURI(route.uri), uri.parameter("lr") != nil { return true }
        return route.parameters.contains { $0.name == "lr" }
    }
}
