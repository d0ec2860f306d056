import ArgumentParser
import Foundation
import IVRSIP
import Testing
@testable import IVRCommands

/// `--listen [udp:|tcp:|tls:]HOST:PORT` (repeatable) and `--tls-*` on
/// `serve` and `call`.
@Suite struct ListenOptionTests {
    static func parse(_ arguments: [String]) throws -> SIPOptions {
        let parsed = try IVRC.parseAsRoot(arguments)
        return try #require((parsed as? Serve)?.sip ?? (parsed as? Call)?.sip)
    }

    static let commands = [["serve", "."], ["call", ".", "--to", "sip:1001@192.0.2.20", "--flow", "main"]]

    @Test func listenValuesNameTheirTransport() throws {
        #expect(SIPListenAddress("127.0.0.1:5060") == SIPListenAddress(.udp, host: "127.0.0.1", port: 5060))
        #expect(SIPListenAddress("udp:0.0.0.0:5070") == SIPListenAddress(.udp, host: "0.0.0.0", port: 5070))
        #expect(SIPListenAddress("tcp:127.0.0.1:5060") == SIPListenAddress(.tcp, host: "127.0.0.1", port: 5060))
        #expect(SIPListenAddress("TLS:[::1]:5061") == SIPListenAddress(.tls, host: "::1", port: 5061))
        #expect(SIPListenAddress(":5060") == SIPListenAddress(.udp, host: "0.0.0.0", port: 5060))
        #expect(SIPListenAddress("tls::5061") == SIPListenAddress(.tls, host: "0.0.0.0", port: 5061))
        for bad in ["", "5060", "tcp:", "tcp:host", "host:99999", "sctp:1.2.3.4:5060", "::1:5060", "[::1:5060", "a b:5060"] {
            #expect(SIPListenAddress(bad) == nil, "\(bad)")
        }
        #expect(SIPListenAddress(.tls, host: "::1", port: 5061).description == "tls:[::1]:5061")
    }

    @Test(arguments: commands)
    func severalListenersInOrder(_ command: [String]) throws {
        let sip = try Self.parse(command + ["--listen", "127.0.0.1:5070", "--listen", "tcp:127.0.0.1:5070",
                                            "--listen", "tls:127.0.0.1:5071", "--tls-cert", "c.pem", "--tls-key", "k.pem",
                                            "--tls-ca", "ca.pem", "--tls-verify", "off"])
        let listeners = try sip.listeners(default: SIPOptions.serveDefault)
        #expect(listeners.map(\.description) == ["udp:127.0.0.1:5070", "tcp:127.0.0.1:5070", "tls:127.0.0.1:5071"])
        var config = SIPConfiguration()
        sip.applyTransports(listeners, to: &config)
        #expect(config.listeners == listeners)
        #expect(config.tls == TLSSettings(certificate: "c.pem", privateKey: "k.pem", trustedCAs: "ca.pem", verifyPeers: false))
    }

    @Test func theDefaults() throws {
        #expect(try Self.parse(Self.commands[0]).listeners(default: SIPOptions.serveDefault) == [SIPOptions.serveDefault])
        #expect(try Self.parse(Self.commands[1]).listeners(default: SIPOptions.callDefault).map(\.port) == [0])
        #expect(SIPOptions.describe([SIPOptions.serveDefault]) == "127.0.0.1:5060")
        #expect(SIPOptions.describe([SIPOptions.serveDefault, SIPListenAddress(.tls, host: "::", port: 5061)])
                == "udp:127.0.0.1:5060, tls:[::]:5061")
    }

    @Test(arguments: commands, [
        (["--listen", "tcp:host"], "--listen takes [udp:|tcp:|tls:]HOST:PORT"),
        (["--listen", "tcp:127.0.0.1:5060", "--listen", "tcp:127.0.0.1:5060"], "is given twice"),
        (["--listen", "tls:127.0.0.1:5061"], "a tls: listener needs --tls-cert FILE and --tls-key FILE"),
        (["--listen", "tls:127.0.0.1:5061", "--tls-cert", "c.pem"], "a tls: listener needs"),
        (["--tls-key", "k.pem"], "--tls-cert and --tls-key go together"),
        (["--tls-verify", "maybe"], "--tls-verify takes on or off"),
    ])
    func malformedCommandLines(_ command: [String], _ case: (arguments: [String], message: String)) {
        do {
            _ = try IVRC.parseAsRoot(command + `case`.arguments)
            Issue.record("accepted \(`case`.arguments)")
        } catch {
            #expect(IVRC.message(for: error).contains(`case`.message), "\(IVRC.message(for: error))")
            #expect(IVRC.exitCode(for: error).rawValue == 64)
        }
    }
}
