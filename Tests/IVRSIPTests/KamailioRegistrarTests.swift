import Foundation
import IVRRuntime
import IVRTestSupport
import Logging
import Testing
@testable import IVRSIP

/// Issue 14's proof: a real Kamailio (scripts/kamailio/registrar.cfg,
/// domain and realm kam.test, no database) as the registrar of `ivrc
/// serve` and as the authenticating proxy of its calls, with SIPp as the
/// phone on the other side, all on loopback. Kamailio challenges the
/// REGISTER (401), ivrc's INVITE and in-dialog REFER (407); ivrc answers
/// each with its digest credentials, and a wrong password ends the
/// registration after one answer. Kamailio writes one `ivrc-e2e:` line per
/// event (challenge, auth ok/failed, saved, looked up, relayed), which the
/// tests read.
@Suite(.serialized, .dedicatedExecutor,
       .enabled(if: TestTools.onPath("kamailio"), TestTools.missing("kamailio", package: "kamailio")),
       .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")),
       .timeLimit(.minutes(3)))
struct KamailioRegistrarTests {
    static let template = TestTools.repositoryRoot + "/scripts/kamailio/registrar.cfg"
    static let aor = "sip:4420@kam.test"
    /// The passwords registrar.cfg holds for its users 4420 and ivrc.
    static let registrationPassword = "reg-pass-4420"
    static let callPassword = "call-pass-ivrc"

    static func startRegistrar() async throws -> KamailioProxy {
        let proxy = try KamailioProxy(template: Self.template)
        guard await proxy.ready() else {
            let report = proxy.report
            proxy.stop()
            throw KamailioTests.ProxyNotReady(report: report)
        }
        return proxy
    }

    /// `ivrc serve` running `flow` with RFC 3261 timers (T1 = 500 ms) and
    /// the call credential (user ivrc); registered at `registrar` as
    /// 4420@kam.test with `password` when given (a retry of a failed
    /// registration only after 60 s); Kamailio as its outbound proxy when
    /// `outboundProxy`.
    static func harness(flow: String, registrar: KamailioProxy, password: String?, outboundProxy: Bool = false,
                        lines: LogLines) async throws -> ServerHarness {
        let logger = Logger(label: "test", factory: { _ in LineLogHandler(lines: lines) })
        return try await ServerHarness(flow: flow, logger: logger) { config in
            config.t1 = 500
            config.t2 = 4000
            config.registrationRetryBase = 60_000
            config.registrationRetryCap = 60_000
            config.credentials = [DigestCredential(realm: "kam.test", user: "ivrc", password: Self.callPassword)]
            if let password {
                config.registrations = [RegistrationSettings(registrar: SIPURI("sip:127.0.0.1:\(registrar.port)")!,
                                                             aor: SIPURI(Self.aor)!,
                                                             credential: DigestCredential(realm: nil, user: "4420", password: password),
                                                             expires: 3600, flow: "main")]
            }
            if outboundProxy { config.outboundProxy = SIPURI("sip:127.0.0.1:\(registrar.port);lr") }
        }
    }

    static func details(_ proxy: KamailioProxy, _ lines: LogLines, _ sipp: SIPpRun? = nil, _ run: ProcessRun? = nil) -> String {
        "\(sipp.map { $0.report(run) } ?? "")\n\(proxy.report)\nivrc's log:\n\(lines.all.joined(separator: "\n"))"
    }

    /// `ivrc serve` registers 4420@kam.test, answering Kamailio's 401;
    /// SIPp calls the AOR through Kamailio, which looks up ivrc's contact
    /// and relays the INVITE there; the registration's flow runs (it
    /// transfers). The flow's REFER, inside the dialog Kamailio
    /// record-routed, is challenged with 407, answered, and relayed to the
    /// caller, whose 202 and NOTIFY come back.
    @Test func registeredAORIsCalledThroughKamailioAndItsReferIsAuthenticated() async throws {
        let proxy = try await Self.startRegistrar()
        defer { proxy.stop() }
        let lines = LogLines()
        let h = try await Self.harness(flow: DialogRoutingTests.transferFlow, registrar: proxy,
                                       password: Self.registrationPassword, lines: lines)
        let registered = await RegistrationTests.waitFor(h) { $0.isRegistered }
        let status = try #require(registered, "registered at Kamailio:\n\(Self.details(proxy, lines))")
        let contact = "sip:\(status.contactUser)@127.0.0.1:\(h.port)"
        let events = proxy.events
        #expect(events.contains { $0.hasPrefix("challenge 401 REGISTER cseq 1 ") }, "\(Self.details(proxy, lines))")
        #expect(events.contains { $0.hasPrefix("auth ok REGISTER cseq 2 user 4420") }, "\(Self.details(proxy, lines))")
        #expect(events.contains { $0.hasPrefix("saved \(Self.aor) contact <\(contact)>") }, "\(Self.details(proxy, lines))")

        let sipp = SIPpRun(scenario: "caller-of-registered-aor-transferred.xml", remotePort: proxy.port)
        defer { sipp.cleanUp() }
        let run = try await sipp.result()
        let details = Self.details(proxy, lines, sipp, run)
        #expect(run.status == 0, "\(details)")
        #expect(proxy.events.contains("looked up \(Self.aor) at \(contact)"), "\(details)")
        #expect(proxy.relayed("INVITE").contains("INVITE from 127.0.0.1:\(sipp.port) to \(contact)"), "\(details)")
        // The REFER: challenged, answered (the next CSeq), relayed without its credentials.
        let refer = proxy.events.filter { $0.contains(" REFER cseq ") }
        #expect(refer.count >= 2 && refer[0].hasPrefix("challenge 407 REFER cseq ") && refer[0].hasSuffix(" from 127.0.0.1:\(h.port)"),
                "\(details)")
        #expect(refer.contains { $0.hasPrefix("auth ok REFER cseq ") && $0.hasSuffix(" user ivrc") }, "\(details)")
        #expect(!proxy.events.contains { $0.hasPrefix("auth failed") }, "\(details)")
        #expect(proxy.relayed("REFER").contains { $0.hasPrefix("REFER from 127.0.0.1:\(h.port) ") }, "\(details)")
        #expect(KamailioTests.cameThroughProxy("REFER", sipp, proxy) == true, "\(details)")
        let relayedRefer = try #require(sipp.requests("REFER").first)
        #expect(relayedRefer.header("Proxy-Authorization") == nil, "Kamailio consumes the credentials")
        #expect(proxy.relayed("NOTIFY").contains { $0.hasPrefix("NOTIFY from 127.0.0.1:\(sipp.port) ") }, "\(details)")
        #expect(proxy.refused.isEmpty, "\(details)")
        let record = try await KamailioTests.record(of: sipp, in: h, outcome: "transfer")
        #expect(record.flow == "main")
        #expect(!lines.all.contains { $0.contains(Self.registrationPassword) || $0.contains(Self.callPassword) })
    }

    /// `placeCall` with Kamailio as outbound proxy: the INVITE (From user
    /// ivrc) is challenged with 407, answered with the call credential, and
    /// relayed to the SIPp callee, which answers; the ACK and BYE follow
    /// through Kamailio.
    @Test func placedCallIsChallengedByKamailioAndReachesTheCallee() async throws {
        let proxy = try await Self.startRegistrar()
        defer { proxy.stop() }
        let lines = LogLines()
        let h = try await Self.harness(flow: KamailioTests.hangUpFlow, registrar: proxy, password: nil, outboundProxy: true, lines: lines)
        let sipp = SIPpRun(scenario: "callee-behind-proxy.xml")
        defer { sipp.cleanUp() }
        #expect(await sipp.listening(), "SIPp did not bind its port")
        let target = "sip:callee@127.0.0.1:\(sipp.port)"
        let outcome = await h.placeCall(to: target).value
        KamailioTests.bound(sipp)
        let run = try await sipp.result()
        let details = Self.details(proxy, lines, sipp, run)
        #expect(outcome == "answered", "\(details)")
        #expect(run.status == 0, "\(details)")
        let invite = proxy.events.filter { $0.contains(" INVITE cseq ") }
        #expect(invite.first.map { $0.hasPrefix("challenge 407 INVITE cseq 1 from 127.0.0.1:\(h.port)") } == true, "\(details)")
        #expect(invite.contains("auth ok INVITE cseq 2 user ivrc"), "\(details)")
        for method in ["INVITE", "ACK", "BYE"] {
            #expect(KamailioTests.cameThroughProxy(method, sipp, proxy) == true, "the \(method) did not come through Kamailio:\n\(details)")
        }
        #expect(proxy.relayed("INVITE").contains { $0 == "INVITE from 127.0.0.1:\(h.port) to \(target)" }, "\(details)")
        let relayed = try #require(sipp.requests("INVITE").first)
        #expect(relayed.header("Proxy-Authorization") == nil, "Kamailio consumes the credentials")
        #expect(sipp.received("INVITE") == 1, "the challenged INVITE never reaches the callee")
        #expect(proxy.refused.isEmpty, "\(details)")
        _ = try await KamailioTests.record(of: sipp, in: h, outcome: "hangup")
    }

    /// A wrong registration password: Kamailio challenges, ivrc answers
    /// once, Kamailio logs the failure and challenges again, and ivrc stops
    /// there (two REGISTERs for the attempt, its next retry a minute away)
    /// with the failure in its status and log.
    @Test func aWrongPasswordFailsTheRegistrationWithoutLooping() async throws {
        let proxy = try await Self.startRegistrar()
        defer { proxy.stop() }
        let lines = LogLines()
        let h = try await Self.harness(flow: KamailioTests.hangUpFlow, registrar: proxy, password: "not-the-password", lines: lines)
        let failed = await RegistrationTests.waitFor(h) { if case .failed = $0.state { true } else { false } }
        let details = Self.details(proxy, lines)
        let status = try #require(failed, "the registration fails:\n\(details)")
        if case .failed(let reason, let retryAt) = status.state {
            #expect(reason.contains("auth failed"), "\(reason)")
            #expect(retryAt.timeIntervalSinceNow > 30, "the retry waits for the backoff")
        }
        let registers = Set(proxy.events.compactMap { event -> String? in
            guard event.hasPrefix("received REGISTER cseq ") else { return nil }
            return event.split(separator: " ")[3].description
        })
        #expect(registers.count <= 2, "one REGISTER and one answer to the challenge: \(registers.sorted())\n\(details)")
        #expect(proxy.events.contains { $0.hasPrefix("auth failed REGISTER cseq 2 user 4420") }, "\(details)")
        #expect(!proxy.events.contains { $0.hasPrefix("saved ") }, "\(details)")
        #expect(!lines.all.contains { $0.contains("not-the-password") })
        await h.stop()
    }
}
