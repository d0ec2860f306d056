import Foundation
import Testing
@testable import IVRSIP

/// The 49 messages of RFC 4475 section 3 (SIP torture tests), each sent
/// over UDP to a running server, with the reaction the RFC asks of a UAS
/// (the server routes only extension 100, so a well-formed INVITE to
/// another user is answered 404: nothing sets up media towards the
/// RFC's documentation addresses).
///
/// The messages are in `Fixtures/rfc4475/NAME.dat`: the RFC's own message
/// text, with the notations of its section 2 expanded (`<allOneLine>`
/// joined, `<hex>` decoded, repeats written out), CRLF line ends, and each
/// body as long as the message shows it (checked byte for byte against the
/// RFC's messages).
///
/// Each message comes from an address of its own (127.44.75.N) and from
/// the port its top Via names (5060 when none) unless the Via asks for
/// `rport`: RFC 3261 18.2.2 sends the response to the source address and
/// the sent-by port, so the response must arrive there. After each
/// message a probe OPTIONS follows from the same socket; the server
/// handles datagrams in order, so every answer to the message arrives
/// before the probe's (and "no response" is proven without a sleep).
/// One message at a time (49 servers at once would only load the machine).
@Suite(.serialized) struct RFC4475Tests {
    enum Reaction: Sendable, CustomStringConvertible {
        /// A final response with this status, and header values containing these texts.
        case status(Int, [String: String] = [:])
        /// Nothing is sent back (a response with no transaction, or nothing to address).
        case none

        var description: String {
            switch self {
            case .status(let code, let headers): "\(code) \(headers)"
            case .none: "no response"
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var section: String
        var reaction: Reaction
        var testDescription: String { "\(section) \(name): \(reaction)" }
    }

    static let cases: [Case] = [
        // 3.1.1 Valid messages: parsed and handled (never 400).
        Case(name: "wsinv", section: "3.1.1.1", reaction: .status(481)),  // To tag of no dialog of ours (12.2.2)
        Case(name: "intmeth", section: "3.1.1.2", reaction: .status(501)),
        Case(name: "esc01", section: "3.1.1.3", reaction: .status(404)),  // user "sips:user@example.com"
        Case(name: "escnull", section: "3.1.1.4", reaction: .status(405, ["Allow": SIPEndpoint.allowed])),  // a UA, no registrar: 405 (8.2.1)
        Case(name: "esc02", section: "3.1.1.5", reaction: .status(501)),  // RE%47IST%45R is not REGISTER
        Case(name: "lwsdisp", section: "3.1.1.6", reaction: .status(200)),
        Case(name: "longreq", section: "3.1.1.7", reaction: .status(404)),
        Case(name: "dblreq", section: "3.1.1.8", reaction: .status(405, ["CSeq": "8 REGISTER"])),  // the INVITE after it is discarded
        Case(name: "semiuri", section: "3.1.1.9", reaction: .status(200)),
        Case(name: "transports", section: "3.1.1.10", reaction: .status(200)),
        Case(name: "mpart01", section: "3.1.1.11", reaction: .status(405)),  // MESSAGE: known, not served
        Case(name: "unreason", section: "3.1.1.12", reaction: .none),  // a response to no request of ours
        Case(name: "noreason", section: "3.1.1.13", reaction: .none),
        // 3.1.2 Invalid messages: 400 where a response can be addressed.
        Case(name: "badinv01", section: "3.1.2.1", reaction: .status(400)),
        Case(name: "clerr", section: "3.1.2.2", reaction: .status(400)),
        Case(name: "ncl", section: "3.1.2.3", reaction: .status(400)),
        Case(name: "scalar02", section: "3.1.2.4", reaction: .status(400)),
        Case(name: "scalarlg", section: "3.1.2.5", reaction: .none),
        Case(name: "quotbal", section: "3.1.2.6", reaction: .status(400)),
        Case(name: "ltgtruri", section: "3.1.2.7", reaction: .status(400)),
        Case(name: "lwsruri", section: "3.1.2.8", reaction: .status(400)),
        Case(name: "lwsstart", section: "3.1.2.9", reaction: .status(400)),
        Case(name: "trws", section: "3.1.2.10", reaction: .status(400)),
        Case(name: "escruri", section: "3.1.2.11", reaction: .status(400)),
        Case(name: "baddate", section: "3.1.2.12", reaction: .status(400)),
        Case(name: "regbadct", section: "3.1.2.13", reaction: .status(400)),
        Case(name: "badaspec", section: "3.1.2.14", reaction: .status(400)),
        Case(name: "baddn", section: "3.1.2.15", reaction: .status(400)),
        Case(name: "badvers", section: "3.1.2.16", reaction: .status(505)),
        Case(name: "mismatch01", section: "3.1.2.17", reaction: .status(400)),
        Case(name: "mismatch02", section: "3.1.2.18", reaction: .status(400)),
        Case(name: "bigcode", section: "3.1.2.19", reaction: .none),
        // 3.2 Transaction layer.
        Case(name: "badbranch", section: "3.2.1", reaction: .status(200)),
        // 3.3 Application layer.
        Case(name: "insuf", section: "3.3.1", reaction: .status(400, ["CSeq": "193942 INVITE"])),
        Case(name: "unkscm", section: "3.3.2", reaction: .status(416)),
        Case(name: "novelsc", section: "3.3.3", reaction: .status(416)),
        Case(name: "unksm2", section: "3.3.4", reaction: .status(405)),  // parsed: unknown schemes in To/From/Contact are fine
        Case(name: "bext01", section: "3.3.5",
             reaction: .status(420, ["Unsupported": "nothingSupportsThis, nothingSupportsThisEither"])),
        Case(name: "invut", section: "3.3.6", reaction: .status(415, ["Accept": "application/sdp"])),
        Case(name: "regaut01", section: "3.3.7", reaction: .status(405)),
        Case(name: "multi01", section: "3.3.8", reaction: .status(400)),
        Case(name: "mcl01", section: "3.3.9", reaction: .status(400)),
        Case(name: "bcast", section: "3.3.10", reaction: .none),
        Case(name: "zeromf", section: "3.3.11", reaction: .status(200)),  // an endpoint ignores Max-Forwards 0
        Case(name: "cparam01", section: "3.3.12", reaction: .status(405)),
        Case(name: "cparam02", section: "3.3.13", reaction: .status(405)),
        Case(name: "regescrt", section: "3.3.14", reaction: .status(405)),
        Case(name: "sdp01", section: "3.3.15", reaction: .status(406)),
        // 3.4 Backward compatibility.
        Case(name: "inv2543", section: "3.4.1", reaction: .status(404)),
    ]

    static func fixture(_ name: String) throws -> [UInt8] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/rfc4475")
        return Array(try Data(contentsOf: folder.appendingPathComponent(name + ".dat")))
    }

    /// The top Via of a message, read as the server reads it (also from a message it refuses).
    static func topVia(_ bytes: [UInt8]) -> Via? {
        let headers = (try? SIPParser.parse(bytes))?.headers ?? MalformedRequest.salvage(bytes)
        return headers?.values("Via").first.flatMap { Via($0, anyVersion: true) }
    }

    /// A client on 127.44.75.`n` where the message's response is due: the
    /// sent-by port, or any port for `rport` (and for responses).
    static func client(for bytes: [UInt8], n: Int) -> UDPClient {
        let via = topVia(bytes)
        let port = via.map { $0.parameter("rport") != nil ? 0 : ($0.port ?? 5060) } ?? 0
        return UDPClient(host: "127.44.75.\(n)", port: port)
    }

    /// The message, then a probe: the answers to the message (those before the probe's answer).
    static func exchange(_ bytes: [UInt8], client: UDPClient, server: Int) async -> [SIPMessageView]? {
        let probeID = "probe-\(UUID().uuidString)"
        let probe = """
            OPTIONS sip:100@127.0.0.1:\(server) SIP/2.0\r
            Via: SIP/2.0/UDP \(client.host):\(client.port);branch=z9hG4bKprobe\(UUID().uuidString.prefix(8));rport\r
            From: <sip:probe@example.com>;tag=probe\r
            To: <sip:100@127.0.0.1>\r
            Call-ID: \(probeID)\r
            CSeq: 1 OPTIONS\r
            Max-Forwards: 70\r
            Content-Length: 0\r
            \r

            """
        client.send(bytes, toPort: server)
        client.send(probe, toPort: server)
        let (answer, before) = await client.receiveSIP(until: { $0.header("Call-ID") == probeID && $0.status != nil })
        return answer == nil ? nil : before
    }

    @Test(arguments: cases.indices)
    func torture(_ index: Int) async throws {
        let c = Self.cases[index]
        let bytes = try Self.fixture(c.name)
        let h = try await ServerHarness()
        let client = Self.client(for: bytes, n: index + 1)
        try #require(client.bound, "no UDP port for \(c.name) on 127.44.75.\(index + 1)")
        let answers = await Self.exchange(bytes, client: client, server: h.port)
        await h.stop()
        let seen = try #require(answers, "\(c.name): the probe after it got no answer")
        let final = seen.first { ($0.status ?? 0) >= 200 }
        switch c.reaction {
        case .none:
            #expect(seen.isEmpty, "\(c.name): \(seen.map(\.firstLine))")
        case .status(let code, let headers):
            #expect(final?.status == code, "\(c.name): \(seen.map(\.firstLine))")
            for (name, text) in headers {
                #expect(final?.header(name)?.contains(text) == true, "\(c.name): \(name) is \(final?.header(name) ?? "missing")")
            }
        }
    }

    @Test func everyMessageOfSection3HasAFixtureAndAnExpectation() throws {
        #expect(Self.cases.count == 49)
        #expect(Set(Self.cases.map(\.name)).count == 49)
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/rfc4475")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".dat") }
        #expect(Set(files.map { String($0.dropLast(4)) }) == Set(Self.cases.map(\.name)))
    }

    /// 3.4.1: without the magic cookie, a retransmission is matched the
    /// RFC 2543 way (17.2.3) and gets the same final response, same To tag.
    @Test func rfc2543InviteRetransmissionGetsTheSameAnswer() async throws {
        let bytes = try Self.fixture("inv2543")
        let h = try await ServerHarness()
        let client = Self.client(for: bytes, n: 200)
        try #require(client.bound)
        let first = try #require(await Self.exchange(bytes, client: client, server: h.port)?.first { $0.status == 404 })
        let again = try #require(await Self.exchange(bytes, client: client, server: h.port)?.first { $0.status == 404 })
        await h.stop()
        #expect(first.toTag != nil && again.toTag == first.toTag)
    }
}
