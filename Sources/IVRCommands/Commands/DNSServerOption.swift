import ArgumentParser
import Foundation
import IVRSIP

/// `--dns-server HOST:PORT`, else the environment variable
/// `IVRC_DNS_SERVER`: the DNS server that locates SIP servers (SRV, then
/// A/AAAA) instead of the system resolver's.
extension SIPOptions {
    static let dnsServerVariable = "IVRC_DNS_SERVER"

    /// The server to ask; nil for the system resolver. A value that is not
    /// an IPv4 HOST:PORT is a malformed command line (or environment).
    func dnsServerAddress(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DNSServerAddress? {
        let (value, source): (String?, String) = dnsServer.map { ($0, "--dns-server") }
            ?? (environment[Self.dnsServerVariable].flatMap { $0.isEmpty ? nil : $0 }, Self.dnsServerVariable)
        guard let value else { return nil }
        guard let server = DNSServerAddress(value) else {
            throw ValidationError("\(source) takes an IPv4 HOST:PORT like 127.0.0.1:5353, not '\(value.prefix(80))'")
        }
        return server
    }
}
