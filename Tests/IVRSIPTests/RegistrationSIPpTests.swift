import Foundation
import IVRTestSupport
import Logging
import Testing
@testable import IVRSIP

/// SIPp (Debian sip-tester) as the registrar of `ivrc serve`'s binding, with
/// the scenarios scripts/sipp/registrar-*.xml: a 401 answered, a shorter
/// grant than asked honoured (the refresh comes within seconds), the
/// binding removed on shutdown, and a registrar that was down reached again
/// by the backoff's retry. A scenario passes only when SIPp exits 0.
@Suite(.serialized, .dedicatedExecutor,
       .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")),
       .timeLimit(.minutes(3)))
struct RegistrationSIPpTests {
    static let password = "s3cret-reg"

    static func harness(registrarPort: Int, lines: LogLines, credential: DigestCredential? = nil) async throws -> ServerHarness {
        let logger = Logger(label: "test", factory: { _ in LineLogHandler(lines: lines) })
        return try await ServerHarness(logger: logger) { config in
            config.t1 = 50  // a REGISTER nobody answers times out after 3.2 s (Timer F)
            config.t2 = 400
            config.registrationRetryBase = 1000
            config.registrationRetryCap = 4000
            config.unregisterWait = 30_000
            config.registrations = [RegistrationSettings(registrar: SIPURI("sip:127.0.0.1:\(registrarPort)")!,
                                                         aor: SIPURI("sip:4420@sipp.test")!, credential: credential,
                                                         expires: 3600, flow: "main")]
        }
    }

    /// 401 answered with the registration's credential (SIPp checks the
    /// digest); the grant of 2 s (3600 asked) refreshed before it runs out;
    /// the binding removed with expires=0 when the server shuts down.
    @Test func challengedShorterGrantRefreshedAndRemovedOnShutdown() async throws {
        let sipp = SIPpRun(scenario: "registrar-challenges.xml")
        defer { sipp.cleanUp() }
        #expect(await sipp.listening(), "SIPp did not bind its port")
        let lines = LogLines()
        let h = try await Self.harness(registrarPort: sipp.port, lines: lines,
                                       credential: DigestCredential(realm: nil, user: "acme", password: Self.password))
        let refreshed = await RegistrationTests.waitFor(h) { if case .registered(_, 60) = $0.state { true } else { false } }
        #expect(refreshed != nil, "the refresh was accepted:\n\(lines.all.joined(separator: "\n"))")
        await h.stop()
        let run = try await sipp.result()
        #expect(run.status == 0, "\(sipp.report(run))")
        #expect(sipp.received("REGISTER") >= 4, "first, answer to the 401, refresh, unregister (and any retransmission):\n\(sipp.report(run))")
        #expect(lines.all.contains { $0.contains("registered sip:4420@sipp.test until") && $0.contains("(granted 2 s)") })
        #expect(lines.all.contains { $0.hasPrefix("unregistered sip:4420@sipp.test") })
        #expect(!lines.all.contains { $0.contains(Self.password) }, "the password never reaches the log")
    }

    /// SIPp does not answer the first REGISTER (its transaction times out
    /// after 64*T1, the failure is logged with its retry), then answers the
    /// retry the backoff (1 s, 2 s, 4 s here) sends.
    @Test func aRegistrarThatDoesNotAnswerThenAnswersIsRegisteredWithByTheBackoff() async throws {
        let sipp = SIPpRun(scenario: "registrar-comes-back.xml")
        defer { sipp.cleanUp() }
        #expect(await sipp.listening(), "SIPp did not bind its port")
        let lines = LogLines()
        let h = try await Self.harness(registrarPort: sipp.port, lines: lines)
        let registered = await RegistrationTests.waitFor(h) { $0.isRegistered }
        #expect(registered != nil, "registered once the registrar answers:\n\(lines.all.joined(separator: "\n"))")
        if case .registered(_, let granted) = registered?.state { #expect(granted == 60, "the Expires header's grant") }
        #expect(lines.all.contains {
            $0.hasPrefix("registration of sip:4420@sipp.test failed: no answer from sip:127.0.0.1:\(sipp.port); retry in 1 s")
        }, "\(lines.all.joined(separator: "\n"))")
        await h.stop()
        let run = try await sipp.result()
        #expect(run.status == 0, "\(sipp.report(run))")
    }
}
