import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// The server locator against a real DNS server: dnsmasq on a loopback
/// port with SRV records and host records of the test's own (RFC 3263 4,
/// RFC 2782), asked through libresolv with `--dns-server`'s setting.
@Suite(.serialized, .enabled(if: DNSMasq.isInstalled, TestTools.missing("dnsmasq", package: "dnsmasq-base")),
       .timeLimit(.minutes(3)))
struct DNSLocatorTests {
    static let records = [
        "--srv-host=_sip._udp.ivr.test,a.ivr.test,5071,10,60",
        "--srv-host=_sip._udp.ivr.test,c.ivr.test,5073,10,20",
        "--srv-host=_sip._udp.ivr.test,b.ivr.test,5072,20,0",
        "--srv-host=_sip._tcp.ivr.test,b.ivr.test,5082,1,0",
        "--srv-host=_sips._tcp.ivr.test,c.ivr.test,5091,1,0",
        "--host-record=a.ivr.test,127.0.0.1",
        "--host-record=b.ivr.test,127.0.0.2",
        "--host-record=c.ivr.test,127.0.0.3",
        "--host-record=plain.ivr.test,127.0.0.9",
        "--host-record=both.ivr.test,127.0.0.5,::1",
    ]

    static func start() async throws -> DNSMasq {
        let dns = try DNSMasq(domain: "ivr.test", records: records)
        guard await dns.ready(asking: "probe.ivr.test") else {
            defer { dns.stop() }
            throw DNSLookupError("dnsmasq did not answer: \(dns.report)")
        }
        return dns
    }

    static func locator(_ dns: DNSMasq) -> ServerLocator {
        ServerLocator(server: DNSServerAddress("127.0.0.1:\(dns.port)")!, timeout: 5)
    }

    static func locate(_ uri: String, _ dns: DNSMasq) async throws -> [String] {
        try await locator(dns).locate(try #require(SIPURI(uri))).map(\.description)
    }

    /// Priority 10 (a and c, weights 60 and 20) before priority 20 (b);
    /// over 1,000 draws a comes first about 3 times in 4; the targets'
    /// addresses come from the SRV answer's additional records (dnsmasq
    /// logs no A query for them).
    @Test func srvOrderAndWeights() async throws {
        let dns = try await Self.start()
        defer { dns.stop() }
        let locator = Self.locator(dns)
        let uri = try #require(SIPURI("sip:1000@ivr.test"))
        var random = SeededGenerator(seed: 3263)
        var aFirst = 0
        let draws = 1000
        for _ in 0..<draws {
            let peers = try await locator.locate(uri, using: &random).map(\.description)
            #expect(Set(peers.prefix(2)) == ["udp:127.0.0.1:5071", "udp:127.0.0.3:5073"], "\(peers)")
            #expect(peers.last == "udp:127.0.0.2:5072", "\(peers)")
            if peers.first == "udp:127.0.0.1:5071" { aFirst += 1 }
        }
        #expect(abs(Double(aFirst) / Double(draws) - 0.75) < 0.05, "a was first \(aFirst) times of \(draws)")
        #expect(dns.log.contains("query[SRV] _sip._udp.ivr.test"), "\(dns.report)")
        #expect(!dns.log.contains("query[A] a.ivr.test"), "the additional records were not used: \(dns.report)")
    }

    /// The transport picks the service: `transport=tcp` is _sip._tcp, `sips:` _sips._tcp.
    @Test func transportsPickTheirService() async throws {
        let dns = try await Self.start()
        defer { dns.stop() }
        #expect(try await Self.locate("sip:1000@ivr.test;transport=tcp", dns) == ["tcp:127.0.0.2:5082"])
        #expect(try await Self.locate("sips:1000@ivr.test", dns) == ["tls:127.0.0.3:5091"])
    }

    /// No SRV records: the host's A then AAAA records, port 5060; an
    /// explicit port: no SRV query at all.
    @Test func noSRVFallsBackToAddresses() async throws {
        let dns = try await Self.start()
        defer { dns.stop() }
        #expect(try await Self.locate("sip:plain.ivr.test", dns) == ["udp:127.0.0.9:5060"])
        #expect(try await Self.locate("sip:both.ivr.test", dns) == ["udp:127.0.0.5:5060", "udp:::1:5060"])
        #expect(try await Self.locate("sip:1000@plain.ivr.test:5999", dns) == ["udp:127.0.0.9:5999"])
        #expect(dns.log.components(separatedBy: "query[SRV] _sip._udp.plain.ivr.test").count == 2,
                "one SRV query, for the URI without a port: \(dns.report)")
    }

    /// A name that does not exist: NXDOMAIN for SRV, A and AAAA, and the
    /// error says so.
    @Test func aNameThatDoesNotExist() async throws {
        let dns = try await Self.start()
        defer { dns.stop() }
        await #expect(throws: LocationError(uri: SIPURI("sip:1000@nowhere.ivr.test")!,
                                            why: "no SRV or A/AAAA records (nowhere.ivr.test has no A or AAAA record)")) {
            try await Self.locate("sip:1000@nowhere.ivr.test", dns)
        }
    }

    /// A DNS server that does not answer (nothing on its port): a clear
    /// error within the lookup's timeout, not a hang.
    @Test func aServerThatDoesNotAnswer() async throws {
        let dns = try await Self.start()
        let port = dns.port
        dns.stop()
        let locator = ServerLocator(server: DNSServerAddress("127.0.0.1:\(port)")!, timeout: 1)
        let started = ContinuousClock.now
        do {
            _ = try await locator.locate(try #require(SIPURI("sip:ivr.test")))
            Issue.record("located through a stopped DNS server")
        } catch {
            #expect("\(error)".hasPrefix("cannot locate sip:ivr.test: no answer from the DNS server 127.0.0.1:\(port)"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    /// With a DNS server configured, the endpoint's host resolver (the next
    /// hop of in-dialog requests and registrations) asks it for A/AAAA:
    /// a name only dnsmasq knows resolves; without it, the system's
    /// resolver does not know the name.
    @Test func theEndpointResolvesHostsThroughTheDNSServer() async throws {
        let dns = try await Self.start()
        defer { dns.stop() }
        func resolved(_ server: DNSServerAddress?) async throws -> String? {
            let h = try await ServerHarness { config in config.dnsServer = server }
            let endpoint = h.server.endpoint
            let peer: SIPPeer? = await withCheckedContinuation { done in
                endpoint.eventLoop.execute {
                    endpoint.resolve(SIPEndpoint.Hop(transport: .tcp, host: "plain.ivr.test", port: 5070)) { done.resume(returning: $0) }
                }
            }
            await h.stop()
            return peer?.description
        }
        #expect(try await resolved(DNSServerAddress("127.0.0.1:\(dns.port)")) == "tcp:127.0.0.9:5070")
        #expect(dns.log.contains("query[A] plain.ivr.test"), "\(dns.report)")
        #expect(try await resolved(nil) == nil)
    }
}
