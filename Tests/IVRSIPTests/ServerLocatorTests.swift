import IVRTestSupport
import NIOCore
import Synchronization
import Testing
@testable import IVRSIP

/// RFC 3263 4 (without NAPTR) and RFC 2782 on canned DNS answers: which
/// transport, which names are asked, in what order the peers come, and
/// what a failure says.
@Suite struct ServerLocatorTests {
    /// Answers from a table; remembers what it was asked.
    final class CannedDNS: DNSLookup {
        let answers: [String: Result<DNSAnswer, DNSLookupError>]
        let asked = Mutex<[String]>([])
        init(_ answers: [String: Result<DNSAnswer, DNSLookupError>]) { self.answers = answers }

        func query(_ name: String, _ type: DNSRecordType) async throws(DNSLookupError) -> DNSAnswer {
            asked.withLock { $0.append("\(type) \(name)") }
            return try (answers["\(type) \(name)"] ?? .success(.noSuchName)).get()
        }
    }

    static func message(_ answers: [DNSRecord], additional: [DNSRecord] = []) -> Result<DNSAnswer, DNSLookupError> {
        .success(.message(DNSMessage(id: 1, flags: 0x8180, answers: answers, additionals: additional)))
    }

    static func srv(_ name: String, _ priority: UInt16, _ weight: UInt16, _ port: UInt16, _ target: String) -> DNSRecord {
        DNSRecord(name: name, data: .srv(priority: priority, weight: weight, port: port, target: target))
    }

    static func a(_ name: String, _ address: String) -> DNSRecord { DNSRecord(name: name, data: .a(address)) }

    static func locate(_ uri: String, _ dns: CannedDNS, seed: UInt64 = 1) async throws -> [String] {
        var random = SeededGenerator(seed: seed)
        let locator = ServerLocator(dns: dns, addressesThroughDNS: true)
        return try await locator.locate(try #require(SIPURI(uri)), using: &random).map(\.description)
    }

    /// Priority 10 before 20; the SRV answer's additional A records are
    /// used (no further queries); the ports are the records'.
    @Test func srvTargetsInPriorityOrderWithAdditionalAddresses() async throws {
        let dns = CannedDNS(["SRV _sip._udp.ivr.test": Self.message(
            [Self.srv("_sip._udp.ivr.test", 20, 0, 5072, "b.ivr.test"), Self.srv("_sip._udp.ivr.test", 10, 5, 5071, "a.ivr.test")],
            additional: [Self.a("a.ivr.test", "127.0.0.1"), Self.a("b.ivr.test", "127.0.0.2")])])
        let peers = try await Self.locate("sip:1000@ivr.test", dns)
        #expect(peers == ["udp:127.0.0.1:5071", "udp:127.0.0.2:5072"])
        #expect(dns.asked.withLock { $0 } == ["SRV _sip._udp.ivr.test"])
    }

    /// The transport picks the SRV service: `transport=tcp`, `sips:`.
    @Test func theTransportPicksTheService() async throws {
        let dns = CannedDNS([
            "SRV _sip._tcp.ivr.test": Self.message([Self.srv("_sip._tcp.ivr.test", 1, 0, 5090, "t.ivr.test")]),
            "SRV _sips._tcp.ivr.test": Self.message([Self.srv("_sips._tcp.ivr.test", 1, 0, 5091, "t.ivr.test")]),
            "A t.ivr.test": Self.message([Self.a("t.ivr.test", "192.0.2.7")]),
        ])
        #expect(try await Self.locate("sip:ivr.test;transport=TCP", dns) == ["tcp:192.0.2.7:5090"])
        #expect(try await Self.locate("sips:1000@ivr.test", dns) == ["tls:192.0.2.7:5091"])
        #expect(dns.asked.withLock { $0 }.contains("AAAA t.ivr.test"), "the target's AAAA records are asked for too")
        // A transport ivrc does not speak: UDP, as without the parameter.
        #expect(try await Self.locate("sip:t.ivr.test:5070;transport=sctp", dns) == ["udp:192.0.2.7:5070"])
    }

    /// RFC 3263 4.2: an explicit port or a numeric host means no SRV.
    @Test func aPortOrANumericHostSkipsSRV() async throws {
        let dns = CannedDNS(["A ivr.test": Self.message([Self.a("ivr.test", "192.0.2.8")])])
        #expect(try await Self.locate("sip:ivr.test:5099", dns) == ["udp:192.0.2.8:5099"])
        #expect(try await Self.locate("sip:192.0.2.9", dns) == ["udp:192.0.2.9:5060"])
        #expect(try await Self.locate("sips:[::1]", dns) == ["tls:::1:5061"])
        #expect(dns.asked.withLock { $0 } == ["A ivr.test", "AAAA ivr.test"])
        // localhost is not asked of DNS at all (RFC 6761 6.3): the system's lookup.
        let system = ServerLocator(dns: dns, addressesThroughDNS: false)
        #expect(try await system.locate(try #require(SIPURI("sip:bob@localhost"))).map(\.description) == ["udp:127.0.0.1:5060"])
        #expect(dns.asked.withLock { $0 }.count == 2, "\(dns.asked.withLock { $0 })")
    }

    /// No SRV records: the host's A records at the default port; `maddr`
    /// replaces the host.
    @Test func noSRVMeansTheHostsAddressesAtTheDefaultPort() async throws {
        let dns = CannedDNS([
            "SRV _sip._udp.ivr.test": .success(.noRecords),
            "A ivr.test": Self.message([Self.a("ivr.test", "192.0.2.10")]),
            "A proxy.ivr.test": Self.message([Self.a("proxy.ivr.test", "192.0.2.11")]),
        ])
        #expect(try await Self.locate("sip:1000@ivr.test", dns) == ["udp:192.0.2.10:5060"])
        #expect(try await Self.locate("sip:1000@ivr.test;maddr=proxy.ivr.test", dns) == ["udp:192.0.2.11:5060"])
    }

    /// A CNAME in the answer is followed to its addresses.
    @Test func aliasesAreFollowed() async throws {
        let dns = CannedDNS([
            "SRV _sip._udp.ivr.test": Self.message([Self.srv("_sip._udp.ivr.test", 1, 0, 5070, "alias.ivr.test")]),
            "A alias.ivr.test": Self.message([DNSRecord(name: "alias.ivr.test", data: .cname("real.ivr.test")),
                                              Self.a("real.ivr.test", "192.0.2.12"), Self.a("other.test", "192.0.2.99")]),
        ])
        #expect(try await Self.locate("sip:ivr.test", dns) == ["udp:192.0.2.12:5070"])
    }

    /// The errors say what was asked and what went wrong.
    @Test func failuresSayWhy() async throws {
        let nothing = CannedDNS([:])
        await #expect(throws: LocationError(uri: SIPURI("sip:1000@acme.example")!,
                                            why: "no SRV or A/AAAA records (acme.example has no A or AAAA record)")) {
            try await Self.locate("sip:1000@acme.example", nothing)
        }
        let silent = CannedDNS([
            "SRV _sip._udp.acme.example": .failure(DNSLookupError("no answer from the DNS server 127.0.0.1:9")),
            "A acme.example": .failure(DNSLookupError("no answer from the DNS server 127.0.0.1:9")),
            "AAAA acme.example": .failure(DNSLookupError("no answer from the DNS server 127.0.0.1:9")),
        ])
        await #expect(throws: LocationError(uri: SIPURI("sip:acme.example")!, why: "no answer from the DNS server 127.0.0.1:9")) {
            try await Self.locate("sip:acme.example", silent)
        }
        let refused = CannedDNS(["SRV _sip._udp.acme.example": Self.message([Self.srv("_sip._udp.acme.example", 0, 0, 0, "")])])
        await #expect(throws: LocationError(uri: SIPURI("sip:acme.example")!,
                                            why: "_sip._udp.acme.example says there is no SIP service there (its SRV target is '.')")) {
            try await Self.locate("sip:acme.example", refused)
        }
        let targetless = CannedDNS(["SRV _sip._udp.acme.example": Self.message([Self.srv("_sip._udp.acme.example", 0, 0, 5060, "gone.acme.example")])])
        await #expect(throws: LocationError(uri: SIPURI("sip:acme.example")!,
                                            why: "no address for any SRV target of _sip._udp.acme.example: gone.acme.example has no A or AAAA record")) {
            try await Self.locate("sip:acme.example", targetless)
        }
        #expect(LocationError(uri: SIPURI("sip:acme.example")!, why: "x").description == "cannot locate sip:acme.example: x")
    }

    /// RFC 2782's draw: over 20,000 orderings of weights 60, 30, 10 and 0
    /// at one priority, each is first about in proportion to its weight
    /// (the zero weight almost never), and priorities never mix.
    @Test func weightsAreHonoured() async {
        let targets = [SRVTarget(priority: 5, weight: 0, port: 4, host: "zero"),
                       SRVTarget(priority: 1, weight: 10, port: 3, host: "c"),
                       SRVTarget(priority: 1, weight: 60, port: 1, host: "a"),
                       SRVTarget(priority: 1, weight: 30, port: 2, host: "b"),
                       SRVTarget(priority: 1, weight: 0, port: 5, host: "none")]
        let draws = 20_000
        // Off the cooperative pool: a second of work on a busy machine.
        let (first, misplaced) = await onOwnThread { () -> ([String: Int], Int) in
            var random = SeededGenerator(seed: 2782)
            var first: [String: Int] = [:]
            var misplaced = 0
            for _ in 0..<draws {
                let order = SRVTarget.order(targets, using: &random)
                if order.count != 5 || order.last?.host != "zero" { misplaced += 1 }
                first[order[0].host, default: 0] += 1
            }
            return (first, misplaced)
        }
        #expect(misplaced == 0, "every order has the five, priority 5 after every priority 1")
        func share(_ host: String) -> Double { Double(first[host] ?? 0) / Double(draws) }
        #expect(abs(share("a") - 0.6) < 0.02, "\(first)")
        #expect(abs(share("b") - 0.3) < 0.02, "\(first)")
        #expect(abs(share("c") - 0.1) < 0.02, "\(first)")
        #expect(share("none") < 0.02, "\(first)")
        // The same seed, the same orders.
        var again = SeededGenerator(seed: 2782), once = SeededGenerator(seed: 2782)
        #expect(SRVTarget.order(targets, using: &again) == SRVTarget.order(targets, using: &once))
    }

    /// Weights all zero: every target is still tried, each first about equally often.
    @Test func zeroWeightsAreAllTried() {
        let targets = ["a", "b", "c"].map { SRVTarget(priority: 0, weight: 0, port: 1, host: $0) }
        var random = SeededGenerator(seed: 9)
        var first: [String: Int] = [:]
        for _ in 0..<3000 {
            let order = SRVTarget.order(targets, using: &random)
            #expect(Set(order.map(\.host)) == ["a", "b", "c"])
            first[order[0].host, default: 0] += 1
        }
        for host in ["a", "b", "c"] { #expect(abs(Double(first[host] ?? 0) / 3000 - 1.0 / 3) < 0.05, "\(first)") }
    }
}
