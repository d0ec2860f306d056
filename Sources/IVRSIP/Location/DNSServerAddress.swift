import Foundation

/// The DNS server ivrc asks instead of the system resolver's
/// (`--dns-server`, `IVRC_DNS_SERVER`): an IPv4 address and a port.
public struct DNSServerAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    /// `HOST:PORT` with an IPv4 address (a DNS server cannot be found by
    /// name) and a port 1-65535; nil otherwise.
    public init?(_ text: String) {
        guard text.utf8.count <= 21, let colon = text.lastIndex(of: ":"),
              let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        let host = String(text[..<colon])
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return nil }
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}
