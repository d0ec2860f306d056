import ArgumentParser
import IVRSIP

/// `--listen` (repeatable, `udp:`/`tcp:`/`tls:` before HOST:PORT) and the
/// `--tls-*` options of `serve` and `call`, turned into the endpoint's
/// listeners and TLS settings.
extension SIPOptions {
    /// `serve` without `--listen`: UDP on 127.0.0.1:5060.
    static let serveDefault = SIPListenAddress(.udp, host: "127.0.0.1", port: 5060)
    /// `call` without `--listen`: UDP on 127.0.0.1, any free port.
    static let callDefault = SIPListenAddress(.udp, host: "127.0.0.1", port: 0)

    /// Checks every SIP option at parse time (`validate()` of `serve`,
    /// `call` and `campaign`), so a bad value is a usage error (64) before
    /// anything starts; `fallback` is the command's listener without `--listen`.
    func validateAll(defaultListener fallback: SIPListenAddress) throws {
        _ = try listeners(default: fallback)
        _ = try portRange()
        _ = try proxyURI()
        _ = try dnsServerAddress()
        _ = try srtpPolicy()
    }

    /// The listeners asked for, in order (the default when none), checked:
    /// each value parses, no two are the same, and a `tls:` listener has
    /// `--tls-cert` and `--tls-key`.
    func listeners(default fallback: SIPListenAddress) throws -> [SIPListenAddress] {
        var result: [SIPListenAddress] = []
        for text in listen {
            guard let address = SIPListenAddress(text) else {
                throw ValidationError("--listen takes [udp:|tcp:|tls:]HOST:PORT (no prefix: UDP), e.g. 127.0.0.1:5060 or tls:0.0.0.0:5061; got '\(text)'")
            }
            guard !result.contains(address) else { throw ValidationError("--listen \(address) is given twice") }
            result.append(address)
        }
        if result.isEmpty { result = [fallback] }
        if result.contains(where: { $0.transport == .tls }), tlsCert == nil || tlsKey == nil {
            throw ValidationError("a tls: listener needs --tls-cert FILE and --tls-key FILE (PEM)")
        }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        guard tlsVerify == "on" || tlsVerify == "off" else { throw ValidationError("--tls-verify takes on or off") }
        return result
    }

    /// Puts the listeners and the TLS files into the endpoint's configuration.
    func applyTransports(_ listeners: [SIPListenAddress], to config: inout SIPConfiguration) {
        config.listeners = listeners
        config.tls = TLSSettings(certificate: tlsCert, privateKey: tlsKey, trustedCAs: tlsCa, verifyPeers: tlsVerify == "on")
    }

    /// How `serve` names what it listens on: `127.0.0.1:5060` for one UDP
    /// listener (as before TCP and TLS), else each with its transport.
    static func describe(_ listening: [SIPListenAddress]) -> String {
        if listening.count == 1, let only = listening.first, only.transport == .udp {
            return (only.host.contains(":") ? "[\(only.host)]" : only.host) + ":\(only.port)"
        }
        return listening.map(\.description).joined(separator: ", ")
    }
}
