import ArgumentParser
import Foundation
import Testing
@testable import IVRCommands
import IVRSIP

/// `--dns-server HOST:PORT` on `serve` and `call`, and `IVRC_DNS_SERVER`
/// when the option is absent.
@Suite struct DNSServerOptionTests {
    @Test(arguments: [["call", ".", "--to", "sip:1001@ivr.test", "--flow", "main"], ["serve", "."]])
    func anIPv4HostAndPortIsAccepted(_ command: [String]) throws {
        let parsed = try IVRC.parseAsRoot(command + ["--dns-server", "127.0.0.1:5353"])
        let sip = try #require((parsed as? Call)?.sip ?? (parsed as? Serve)?.sip)
        #expect(try sip.dnsServerAddress(environment: [:]) == DNSServerAddress("127.0.0.1:5353"))
        #expect(try sip.dnsServerAddress(environment: [:])?.description == "127.0.0.1:5353")
    }

    @Test(arguments: ["serve", "call"], ["ns.acme.example:53", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "[::1]:53", "", "1.2.3:53"])
    func anythingElseIsAMalformedCommandLine(_ command: String, _ bad: String) throws {
        var arguments = [command, "."]
        if command == "call" { arguments += ["--to", "sip:1001@ivr.test", "--flow", "main"] }
        do {
            _ = try IVRC.parseAsRoot(arguments + ["--dns-server", bad])
            Issue.record("--dns-server '\(bad)' was accepted")
        } catch {
            #expect(IVRC.exitCode(for: error).rawValue == CommandOutput.Code.usage)
            #expect(IVRC.message(for: error).contains("--dns-server takes an IPv4 HOST:PORT like 127.0.0.1:5353, not '\(bad)'"),
                    "\(IVRC.message(for: error))")
        }
    }

    /// The environment variable is used when the option is absent; the option wins.
    @Test func theEnvironmentVariableIsTheDefault() throws {
        let serve = try #require(try IVRC.parseAsRoot(["serve", "."]) as? Serve)
        #expect(try serve.sip.dnsServerAddress(environment: [:]) == nil)
        #expect(try serve.sip.dnsServerAddress(environment: ["IVRC_DNS_SERVER": ""]) == nil)
        #expect(try serve.sip.dnsServerAddress(environment: ["IVRC_DNS_SERVER": "10.0.0.2:53"]) == DNSServerAddress("10.0.0.2:53"))
        #expect(throws: ValidationError.self) { try serve.sip.dnsServerAddress(environment: ["IVRC_DNS_SERVER": "dns.example"]) }
        do {
            _ = try serve.sip.dnsServerAddress(environment: ["IVRC_DNS_SERVER": "dns.example"])
        } catch {
            #expect("\(error)".contains("IVRC_DNS_SERVER takes an IPv4 HOST:PORT like 127.0.0.1:5353, not 'dns.example'"), "\(error)")
        }
        let given = try #require(try IVRC.parseAsRoot(["serve", ".", "--dns-server", "127.0.0.1:5300"]) as? Serve)
        #expect(try given.sip.dnsServerAddress(environment: ["IVRC_DNS_SERVER": "dns.example"]) == DNSServerAddress("127.0.0.1:5300"))
    }

    @Test func theHelpNamesItAndTheVariable() {
        for command in [Serve.self, Call.self] as [any ParsableCommand.Type] {
            let help = command.helpMessage(columns: 200)
            #expect(help.contains("--dns-server <host:port>"), "\(help)")
            #expect(help.contains("IVRC_DNS_SERVER"), "\(help)")
        }
    }

    /// Through the binary: a bad IVRC_DNS_SERVER is a usage error (exit 64) before anything starts.
    @Test func aBadVariableStopsTheBinary() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("main.yaml", validFlow)
        let run = try await BinaryTests.run(["call", ".", "--to", "sip:1001@ivr.test", "--flow", "main", "--tts", "none"],
                                            in: folder.path, environment: ["IVRC_DNS_SERVER": "dns.example"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("IVRC_DNS_SERVER takes an IPv4 HOST:PORT"), "\(run.stderr)")
    }
}
