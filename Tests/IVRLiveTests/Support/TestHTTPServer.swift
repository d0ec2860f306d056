import Foundation
import IVRTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The loopback server of `test_http_server.py`, started on a free port for
/// one test and stopped by `stop()` (or when the test process ends: the
/// script exits when its standard input closes).
final class TestHTTPServer: @unchecked Sendable {
    let port: Int
    let scheme: String
    private let process: Process
    private let input: Pipe

    /// `tls`: (certificate, key) PEM files to serve HTTPS with.
    init(tls: (cert: String, key: String)? = nil) throws {
        let script = repositoryRoot + "/Tests/IVRLiveTests/Support/test_http_server.py"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + (tls.map { ["--cert", $0.cert, "--key", $0.key] } ?? [])
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "PORT n".
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            stopProcess(process)
            throw ServerError(description: "the test server did not start: '\(text)'")
        }
        self.port = port
        self.scheme = tls == nil ? "http" : "https"
    }

    /// Starts a server off the cooperative pool: Python takes a moment to
    /// start, and a pool thread blocked meanwhile would delay other tests.
    static func start(tls: (cert: String, key: String)? = nil) async throws -> TestHTTPServer {
        try await onOwnThread { try TestHTTPServer(tls: tls) }
    }

    /// `http://127.0.0.1:PORT/path` (or `https://localhost:PORT/path`).
    func url(_ path: String) -> String {
        scheme == "http" ? "http://127.0.0.1:\(port)\(path)" : "https://localhost:\(port)\(path)"
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        stopProcess(process)
    }

    /// GETs a route of the server itself (`/received/NAME`) and parses its JSON.
    func get(_ path: String) async throws -> Any {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw ServerError(description: "bad path \(path)") }
        let (data, _) = try await URLSession.shared.data(from: url)
        return try JSONSerialization.jsonObject(with: data)
    }

    struct ServerError: Error, CustomStringConvertible { var description: String }

    /// A self-signed certificate for `localhost` and 127.0.0.1, made with openssl.
    static func makeCertificate(in folder: TemporaryFolder) async throws -> (cert: String, key: String) {
        let cert = folder.file("cert.pem"), key = folder.file("key.pem")
        let r = try await runProcess("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                                                "-keyout", key, "-out", cert])
        guard r.status == 0 else { throw ServerError(description: "openssl failed: \(r.stderr)") }
        return (cert, key)
    }
}
