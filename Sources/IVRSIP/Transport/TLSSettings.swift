/// The files and checks of SIP over TLS (`--tls-cert`, `--tls-key`,
/// `--tls-ca`, `--tls-verify`). Paths only: the key's contents are read
/// when the listeners start and kept in memory by the TLS library, never
/// logged.
public struct TLSSettings: Sendable, Equatable {
    /// PEM certificate chain presented by `tls:` listeners, and to servers
    /// that ask for a client certificate (mutual TLS).
    public var certificate: String?
    /// PEM private key of `certificate`.
    public var privateKey: String?
    /// PEM certificates trusted when ivrc connects out over TLS; nil: the
    /// system's trust store.
    public var trustedCAs: String?
    /// Verify the certificate of servers ivrc connects to (chain, and host
    /// name when the URI names a host, else its IP address). Off only for tests.
    public var verifyPeers: Bool

    public init(certificate: String? = nil, privateKey: String? = nil, trustedCAs: String? = nil, verifyPeers: Bool = true) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.trustedCAs = trustedCAs
        self.verifyPeers = verifyPeers
    }
}
