import Foundation
import IVRTestSupport
import Logging
import Testing
@testable import IVRSIP

/// Registration on the wire (RFC 3261 10.2) against a scripted registrar
/// on loopback, and the flow an incoming INVITE runs (flow-language.md
/// section 8): Request-URI user, To user, the registration's flow.
@Suite(.serialized, .dedicatedExecutor, .timeLimit(.minutes(3))) struct RegistrationTests {
    static let sales = """
        ivr: sales
        extension: "200"
        nodes:
          start: hangup
        """

    static func harness(registrar: UDPClient, proxy: UDPClient? = nil, registrarHost: String? = nil, flow: String? = "sales",
                        lines: LogLines = LogLines(), unregisterWait: Int = 30_000) async throws -> ServerHarness {
        let logger = Logger(label: "test", factory: { _ in LineLogHandler(lines: lines) })
        return try await ServerHarness(moreFlows: [sales], logger: logger) { config in
            config.t1 = 200
            config.t2 = 1600
            config.registrationRetryBase = 1000
            config.registrationRetryCap = 4000
            config.unregisterWait = unregisterWait
            let host = registrarHost ?? "127.0.0.1:\(registrar.port)"
            config.registrations = [RegistrationSettings(registrar: SIPURI("sip:\(host)")!, aor: SIPURI("sip:4420@registrar.example")!,
                                                         credential: nil, expires: 3600, flow: flow)]
            config.outboundProxy = proxy.map { SIPURI("sip:127.0.0.1:\($0.port);lr")! }
        }
    }

    /// A 200 to a REGISTER that grants our Contact `expires` seconds.
    static func ok(_ register: SIPMessageView, expires: Int?, extra: String = "") -> String {
        var s = "SIP/2.0 200 OK\r\n"
        for line in register.text.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("via:") { s += line + "\r\n" }
        s += "From: \(register.header("From") ?? "")\r\nTo: \(register.header("To") ?? "");tag=reg\r\n"
        s += "Call-ID: \(register.header("Call-ID") ?? "")\r\nCSeq: \(register.header("CSeq") ?? "")\r\n"
        let contact = (register.header("Contact") ?? "").components(separatedBy: ";expires").first ?? ""
        if let expires { s += "Contact: \(contact);expires=\(expires)\r\n" }
        return s + extra + "Content-Length: 0\r\n\r\n"
    }

    static func failure(_ register: SIPMessageView, _ status: String, extra: String = "") -> String {
        ok(register, expires: nil, extra: extra).replacingOccurrences(of: "SIP/2.0 200 OK", with: "SIP/2.0 \(status)")
    }

    /// Polls the endpoint's registrations for up to 60 s.
    static func waitFor(_ h: ServerHarness, _ check: (RegistrationStatus) -> Bool) async -> RegistrationStatus? {
        for _ in 0..<1200 {
            if let s = await h.server.endpoint.registrationStatuses().first, check(s) { return s }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// RFC 3261 10.2: the REGISTER's fields; the grant of the 200 honoured
    /// (refreshed after half of it, with the same Call-ID and the next
    /// CSeq); a 423 answered with its Min-Expires; on shutdown, expires 0.
    @Test func registersRefreshesHonoursTheGrantAndUnregistersOnShutdown() async throws {
        let registrar = UDPClient()
        let lines = LogLines()
        let h = try await Self.harness(registrar: registrar, lines: lines)
        let first = try #require(await Self.register(at: registrar, from: h))
        #expect(first.firstLine == "REGISTER sip:127.0.0.1:\(registrar.port) SIP/2.0")
        #expect(first.header("To") == "<sip:4420@registrar.example>")
        let from = try #require(first.header("From"))
        #expect(from.hasPrefix("<sip:4420@registrar.example>;tag="))
        #expect(first.header("Contact") == "<sip:ivrc-r1-4420@127.0.0.1:\(h.port)>;expires=3600")
        #expect(first.header("Expires") == "3600")
        #expect(first.header("CSeq") == "1 REGISTER")
        #expect(first.header("Route") == nil)
        let start = Date()
        registrar.send(Self.ok(first, expires: 2), toPort: h.port)
        let registered = await Self.waitFor(h) { $0.isRegistered }
        #expect(registered?.contactUser == "ivrc-r1-4420")
        if case .registered(_, let granted) = registered?.state { #expect(granted == 2) }

        let refresh = try #require(await Self.register(at: registrar, from: h, after: first))
        let waited = Date().timeIntervalSince(start)
        #expect(waited >= 0.9, "refreshed at half the 2 s granted, not at once (\(waited) s)")
        #expect(refresh.header("Call-ID") == first.header("Call-ID"), "one Call-ID per binding")
        #expect(refresh.header("From") == from)
        #expect(refresh.header("CSeq") == "2 REGISTER")
        #expect(refresh.header("Contact")?.hasSuffix(";expires=3600") == true, "the refresh asks for what is configured")
        #expect(lines.all.contains { $0.hasPrefix("registered sip:4420@registrar.example until ") && $0.contains("(granted 2 s)") },
                "\(lines.all)")

        registrar.send(Self.failure(refresh, "423 Interval Too Brief", extra: "Min-Expires: 7200\r\n"), toPort: h.port)
        let again = try #require(await Self.register(at: registrar, from: h, after: refresh))
        #expect(again.header("CSeq") == "3 REGISTER")
        #expect(again.header("Expires") == "7200" && again.header("Contact")?.hasSuffix(";expires=7200") == true)
        registrar.send(Self.ok(again, expires: 7200), toPort: h.port)
        let granted = await Self.waitFor(h) { if case .registered(_, 7200) = $0.state { true } else { false } }
        #expect(granted != nil, "\(lines.all)")

        let bye = try #require(await Self.stop(h, answering: registrar), "the binding is removed on shutdown")
        #expect(bye.header("Expires") == "0" && bye.header("Contact")?.hasSuffix(";expires=0") == true)
        #expect(bye.header("CSeq") == "4 REGISTER" && bye.header("Call-ID") == first.header("Call-ID"))
        #expect(lines.all.contains { $0.hasPrefix("unregistered sip:4420@registrar.example") }, "\(lines.all.joined(separator: "\n"))")
    }

    /// Through the outbound proxy (RFC 3261 8.1.2): the REGISTER goes to
    /// the proxy with `Route`, the registrar as Request-URI.
    @Test func theRegisterGoesThroughTheOutboundProxy() async throws {
        let registrar = UDPClient(), proxy = UDPClient()
        let h = try await Self.harness(registrar: registrar, proxy: proxy, registrarHost: "registrar.example")
        let register = try #require(await Self.register(at: proxy, from: h))
        #expect(register.firstLine == "REGISTER sip:registrar.example SIP/2.0")
        #expect(register.header("Route") == "<sip:127.0.0.1:\(proxy.port);lr>")
        proxy.send(Self.ok(register, expires: 600), toPort: h.port)
        #expect(await Self.waitFor(h) { $0.isRegistered } != nil)
        let bye = await Self.stop(h, answering: proxy)
        #expect(bye?.header("Route") == "<sip:127.0.0.1:\(proxy.port);lr>", "the unregister goes through the proxy too")
    }

    /// A failure is retried after the backoff (1 s, then 2 s here), and a
    /// registrar that never answers the unregister does not hold the shutdown.
    @Test func failuresAreRetriedWithBackoffAndShutdownDoesNotWaitForever() async throws {
        let registrar = UDPClient()
        let lines = LogLines()
        let h = try await Self.harness(registrar: registrar, lines: lines, unregisterWait: 2000)
        var times: [Date] = []
        for _ in 0..<3 {
            let register = try #require(await Self.register(at: registrar, from: h))
            times.append(Date())
            registrar.send(Self.failure(register, "503 Service Unavailable"), toPort: h.port)
        }
        #expect(times[1].timeIntervalSince(times[0]) >= 0.9 && times[2].timeIntervalSince(times[1]) >= 1.9,
                "waits of 1 s then 2 s: \(zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) })")
        #expect(lines.all.contains { $0.hasPrefix("registration of sip:4420@registrar.example failed: 503 Service Unavailable; retry in 1 s") })
        #expect(lines.all.contains { $0.contains("failed: 503 Service Unavailable; retry in 2 s") })
        let status = try #require(await h.server.endpoint.registrationStatuses().first)
        #expect(status.failures >= 2)
        let began = Date()
        await h.stop()  // the expires=0 REGISTER is never answered
        #expect(Date().timeIntervalSince(began) < 60, "the unregister wait (2 s here) is bounded")
    }

    /// The next REGISTER from `h`'s server (other suites' servers run at the
    /// same time: a datagram of theirs to a reused port is not ours).
    /// The next REGISTER from `h`; with `after`, the next one with a
    /// higher CSeq (a loaded machine may retransmit the one before, at T1,
    /// before the registrar's answer to it arrives).
    static func register(at registrar: UDPClient, from h: ServerHarness, after previous: SIPMessageView? = nil) async -> SIPMessageView? {
        let port = h.port
        func number(_ m: SIPMessageView?) -> Int { Int(m?.header("CSeq")?.split(separator: " ").first ?? "") ?? 0 }
        let floor = number(previous)
        return await registrar.receiveSIP { isRegister($0, from: port) && number($0) > floor }.0
    }

    static func isRegister(_ m: SIPMessageView, from port: Int) -> Bool {
        m.method == "REGISTER" && m.header("Contact")?.contains("@127.0.0.1:\(port)>") == true
    }

    /// Shuts the server down while `registrar` answers its unregister: the
    /// REGISTER it saw, or nil.
    static func stop(_ h: ServerHarness, answering registrar: UDPClient) async -> SIPMessageView? {
        let port = h.port
        // A child task (async let), so it runs on the suite's dedicated executor too.
        async let answering: SIPMessageView? = {
            // The unregister (Expires: 0), not a late retransmission of an earlier REGISTER still queued.
            guard let bye = await registrar.receiveSIP(timeout: 20, until: { Self.isRegister($0, from: port) && $0.header("Expires") == "0" }).0
            else { return nil }
            registrar.send(Self.ok(bye, expires: 0), toPort: port)
            return bye
        }()
        await h.stop()
        return await answering
    }

    // MARK: Flow selection

    /// An INVITE whose Request-URI user is the registration's Contact user
    /// (and whose To user names no flow either) runs the registration's flow.
    @Test func anInviteToTheBindingsContactRunsTheRegistrationsFlow() async throws {
        let registrar = UDPClient()
        let h = try await Self.harness(registrar: registrar)
        let register = try #require(await Self.register(at: registrar, from: h))
        registrar.send(Self.ok(register, expires: 600), toPort: h.port)
        let contactUser = try #require(await Self.waitFor(h) { $0.isRegistered }?.contactUser)
        let flow = await Self.call(h, requestUser: contactUser, toUser: "4420")
        #expect(flow == "sales")
        _ = await Self.stop(h, answering: registrar)
    }

    /// The To header's user part picks the flow when the Request-URI's does
    /// not; the Request-URI's wins over it; neither nor a binding: 404.
    @Test func theToUserPicksTheFlowWhenTheRequestURIUserDoesNot() async throws {
        let h = try await ServerHarness(moreFlows: [Self.sales])
        #expect(await Self.call(h, requestUser: "unknown", toUser: "200") == "sales", "To user by extension")
        #expect(await Self.call(h, requestUser: "unknown", toUser: "sales") == "sales", "To user by flow name")
        #expect(await Self.call(h, requestUser: "200", toUser: "100") == "sales", "the Request-URI user first")
        #expect(await Self.call(h, requestUser: "unknown", toUser: "nobody") == "404")
        await h.stop()
    }

    /// A registration's Contact user without a `flow`: 404.
    @Test func aBindingWithoutAFlowIs404() async throws {
        let registrar = UDPClient()
        let h = try await Self.harness(registrar: registrar, flow: nil, unregisterWait: 1000)
        #expect(await Self.call(h, requestUser: "ivrc-r1-4420", toUser: "4420") == "404")
        await h.stop()
    }

    /// Calls with an INVITE to `requestUser` whose To names `toUser`: the
    /// flow of its record, or the status of a refusal.
    static func call(_ h: ServerHarness, requestUser: String, toUser: String) async -> String {
        let callID = "flow-\(UUID().uuidString.prefix(8))"
        let rtp = UDPClient()
        let invite = h.request("INVITE", user: requestUser, callID: callID, body: h.offer(rtpPort: rtp.port), type: "application/sdp")
            .replacingOccurrences(of: "To: <sip:\(requestUser)@127.0.0.1>", with: "To: <sip:\(toUser)@127.0.0.1>")
        h.client.send(invite, toPort: h.port)
        guard let answer = await h.client.receiveSIP(until: {
            $0.isInviteResponse && ($0.status ?? 0) >= 200 && $0.header("Call-ID") == callID
        }).0, let status = answer.status else { return "no answer" }
        guard status == 200 else { return "\(status)" }
        h.client.send(h.request("ACK", user: requestUser, callID: callID, toTag: answer.toTag), toPort: h.port)
        return await h.record(callID)?.flow ?? "no record"
    }
}
