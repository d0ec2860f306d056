import Foundation
import IVRTestSupport
import Testing

/// The built `ivrc call` sends its INVITE through the outbound proxy, from
/// `--proxy` or from the manifest: a fake proxy on loopback gets it, with
/// `Route: <proxy URI>` and the callee as Request-URI (RFC 3261 8.1.2),
/// answers 486, and gets the ACK too. Waits are for the datagrams, with
/// ceilings a busy machine cannot reach.
@Suite struct OutboundProxyCallTests {
    static func project(proxyPort: Int?) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        var manifest = "name: acme\n"
        if let proxyPort { manifest += "sip:\n  outbound-proxy: \"sip:127.0.0.1:\(proxyPort);lr\"\n" }
        try folder.write("ivr-project.yaml", manifest)
        try folder.write("main.yaml", validFlow)
        return folder
    }

    /// Runs `ivrc call` to a callee that is never reached, plays the proxy,
    /// and returns the INVITE and ACK it got and the run.
    static func call(in folder: TemporaryFolder, proxy: FakeProxySocket, extra: [String])
        async throws -> (invite: FakeProxySocket.Datagram?, ack: FakeProxySocket.Datagram?, run: BinaryTests.Run) {
        let arguments = ["call", ".", "--to", "sip:bob@127.0.0.1:9", "--flow", "main", "--tts", "none", "--t1", "100"] + extra
        async let run = BinaryTests.run(arguments, in: folder.path)
        let invite = await proxy.receive(startingWith: "INVITE ", timeout: 60)
        var ack: FakeProxySocket.Datagram?
        if let invite {
            proxy.respond(to: invite, "486 Busy Here")
            ack = await proxy.receive(startingWith: "ACK ", timeout: 60)
        }
        return (invite, ack, try await run)
    }

    @Test(.timeLimit(.minutes(3)))
    func theInviteGoesThroughProxy() async throws {
        let proxy = FakeProxySocket(), manifestProxy = FakeProxySocket()
        let folder = try Self.project(proxyPort: manifestProxy.port)
        defer { folder.remove() }
        let uri = "sip:127.0.0.1:\(proxy.port);lr"
        let (invite, ack, run) = try await Self.call(in: folder, proxy: proxy, extra: ["--proxy", uri])
        let got = try #require(invite, "no INVITE reached --proxy; stderr: \(run.stderr)")
        #expect(got.firstLine == "INVITE sip:bob@127.0.0.1:9 SIP/2.0")
        #expect(got.values("Route") == ["<\(uri)>"])
        #expect(ack?.values("Route") == ["<\(uri)>"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("486"), "\(run.stderr)")
    }

    @Test(.timeLimit(.minutes(3)))
    func theInviteGoesThroughTheManifestsProxy() async throws {
        let proxy = FakeProxySocket()
        let folder = try Self.project(proxyPort: proxy.port)
        defer { folder.remove() }
        let (invite, _, run) = try await Self.call(in: folder, proxy: proxy, extra: [])
        let got = try #require(invite, "no INVITE reached the manifest's proxy; stderr: \(run.stderr)")
        #expect(got.firstLine == "INVITE sip:bob@127.0.0.1:9 SIP/2.0")
        #expect(got.values("Route") == ["<sip:127.0.0.1:\(proxy.port);lr>"])
        #expect(run.status == 1, "\(run.stderr)")
    }
}
