import Foundation

/// A certificate authority and a server certificate it signed, made with
/// `openssl` in a temporary folder for TLS tests: the server certificate
/// names `localhost` and 127.0.0.1 (subjectAltName DNS and IP), so a client
/// that trusts `caCertificate` verifies it by either name. Skip a test with
/// `TestTools.missing("openssl", package: "openssl")` when openssl is absent.
public struct TestCertificateAuthority: Sendable {
    public let folder: TemporaryFolder
    /// PEM: the authority's certificate (what `--tls-ca` trusts).
    public var caCertificate: String { folder.file("ca.pem") }
    /// PEM: the server's certificate and its private key.
    public var serverCertificate: String { folder.file("server.pem") }
    public var serverKey: String { folder.file("server-key.pem") }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes the authority (`name` in its subject) and the server certificate (EC P-256, valid 2 days).
    public static func make(name: String = "ivrc test CA") async throws -> TestCertificateAuthority {
        let folder = try TemporaryFolder()
        try folder.write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                         + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n")
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
             "-subj", "/CN=\(name)", "-keyout", "ca-key.pem", "-out", "ca.pem",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
             "-keyout", "server-key.pem", "-out", "server.csr"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
             "-days", "2", "-extfile", "server.ext", "-out", "server.pem"],
        ]
        for arguments in steps {
            let run = try await runProcess("/usr/bin/env", ["openssl"] + arguments, in: folder.path)
            guard run.status == 0 else {
                folder.remove()
                throw Failure(description: "openssl \(arguments[0]) failed: \(run.stderr.suffix(500))")
            }
        }
        return TestCertificateAuthority(folder: folder)
    }

    public func remove() { folder.remove() }
}
