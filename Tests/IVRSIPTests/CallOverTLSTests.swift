import Foundation
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRSIP

/// The built `ivrc call` places a call over TLS (`sips:` URI) to a server
/// with a tls: listener whose certificate the test's CA signed: trusting
/// that CA (`--tls-ca`) the call completes; trusting another CA, or only
/// the system's roots, it fails at once with the reason on stderr, exit 1.
@Suite(.serialized,
       .enabled(if: TestTools.onPath("openssl"), TestTools.missing("openssl", package: "openssl")),
       .timeLimit(.minutes(3)))
struct CallOverTLSTests {
    static func call(_ h: ServerHarness, trusting ca: String?, uri: String? = nil, extra: [String] = []) async throws -> ProcessRun {
        let binary = try #require(KamailioTests.ivrcBinary, "build the ivrc executable first (swift build)")
        let port = try #require(h.server.endpoint.localPort(.tls))
        try KamailioTests.flowWithoutAudio.write(toFile: h.folder + "/caller.yaml", atomically: true, encoding: .utf8)
        let rtp = 36000 + 2 * Int.random(in: 0..<500)
        var arguments = ["120", binary, "call", h.folder + "/caller.yaml", "--to", uri ?? "sips:100@127.0.0.1:\(port)", "--flow", "main",
                         "--tts", "none", "--rtp-ports", "\(rtp)-\(rtp + 99)", "--recordings", h.folder]
        if let ca { arguments += ["--tls-ca", ca] }
        arguments += extra
        return try await runProcess("/usr/bin/timeout", arguments, in: h.folder)
    }

    @Test(arguments: ["sips:100@127.0.0.1:PORT", "sip:100@127.0.0.1:PORT;transport=tls"])
    func aCallOverTLSCompletesWithTheRightCA(uri: String) async throws {
        let ca = try await TestCertificateAuthority.make()
        defer { ca.remove() }
        let h = try await StreamTransportTests.harness(tls: ca)
        let port = try #require(h.server.endpoint.localPort(.tls))
        // With a client certificate and key of its own (as for mutual TLS): the key is never printed.
        let run = try await Self.call(h, trusting: ca.caCertificate, uri: uri.replacingOccurrences(of: "PORT", with: "\(port)"),
                                      extra: ["--tls-cert", ca.serverCertificate, "--tls-key", ca.serverKey])
        #expect(run.status == 0, "exit \(run.status)\n\(run.stderr.suffix(2000))")
        let key = try String(contentsOfFile: ca.serverKey, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("-----") }
        #expect(!key.isEmpty && key.allSatisfy { !run.stdout.contains($0) && !run.stderr.contains($0) }, "the private key was printed")
        let record = run.stdout.split(whereSeparator: \.isNewline).compactMap { CallRecord.parse(line: String($0)) }.first
        #expect(record?.outcome == "hangup", "\(run.stdout.suffix(1000))")
        #expect(await h.waitForNoCalls())
        let stats = try await StreamTransportTests.stats(h)
        #expect(stats.connectionsAccepted == 1 && stats.datagrams >= 3, "INVITE, ACK and BYE on one TLS connection: \(stats)")
        #expect(await h.waitForRecords(1) == 1)
        await h.stop()
    }

    /// Another CA, or none (the system's roots do not know the test's CA):
    /// the handshake fails, the call fails with the reason, nothing hangs.
    @Test(arguments: [true, false])
    func aCallOverTLSFailsClearlyWithAnotherCA(otherCA: Bool) async throws {
        let ca = try await TestCertificateAuthority.make()
        let other = try await TestCertificateAuthority.make(name: "another CA")
        defer { ca.remove(); other.remove() }
        let h = try await StreamTransportTests.harness(tls: ca)
        let started = Date()
        let run = try await Self.call(h, trusting: otherCA ? other.caCertificate : nil)
        #expect(run.status == 1, "exit \(run.status)\n\(run.stderr.suffix(2000))")
        #expect(run.stderr.lowercased().contains("certificate"), "no reason given: \(run.stderr.suffix(2000))")
        #expect(Date().timeIntervalSince(started) < 60, "it took \(Date().timeIntervalSince(started)) s")
        #expect(h.records.count == 0)
        await h.stop()
    }
}
