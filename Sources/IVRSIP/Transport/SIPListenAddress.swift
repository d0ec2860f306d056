/// One `--listen` value: a transport and the address to bind, written
/// `udp:HOST:PORT`, `tcp:HOST:PORT`, `tls:HOST:PORT` or `HOST:PORT` (UDP).
/// An IPv6 host is written in brackets (`tcp:[::1]:5060`); an empty host
/// means every address (0.0.0.0).
public struct SIPListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var transport: SIPTransport
    public var host: String
    public var port: Int

    public init(_ transport: SIPTransport, host: String, port: Int) {
        self.transport = transport
        self.host = host
        self.port = port
    }

    public init?(_ text: String) {
        var rest = Substring(text)
        var transport = SIPTransport.udp
        for candidate in SIPTransport.allCases where rest.lowercased().hasPrefix(candidate.rawValue + ":") {
            transport = candidate
            rest = rest.dropFirst(candidate.rawValue.count + 1)
        }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = rest[..<colon]
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { return nil }
            host = host.dropFirst().dropLast()
        } else if host.contains(":") {
            return nil  // an IPv6 address needs brackets
        }
        guard !host.contains(where: { $0 == " " || $0 == "/" }) else { return nil }
        self.init(transport, host: host.isEmpty ? "0.0.0.0" : String(host), port: port)
    }

    public var description: String {
        "\(transport):" + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }
}
