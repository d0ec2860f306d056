import Foundation
import IVRTestSupport
import Testing

/// Real SRTP calls from PJSIP against `ivrc serve --srtp required`
/// (scripts/sip-e2e-secure.sh over UDP, TCP and TLS, SDES keys in the SDP):
/// the prompt is heard through SRTP, RFC 4733 DTMF over SRTP picks an
/// option, PJSIP without SRTP gets 488, the records carry the suite, and
/// the keys both sides put in their SDP are in neither the serve log nor
/// the records. In `EndToEndTests` (an extension), so that they run one
/// after another with the other PJSIP calls, never beside them (PJSIP's
/// RTP ports, and the timing of the prompt on two cores).
/// Set IVRC_SKIP_SIP_E2E=1 to skip them.
extension EndToEndTests {
    @Test(.enabled(if: EndToEndTests.enabled, "IVRC_SKIP_SIP_E2E is set"),
          .enabled(if: TestTools.venvImports("pjsua2"), TestTools.missingPython("pjsua2 (PyPI pjsua2-python) is")),
          .timeLimit(.minutes(10)))
    func pjsipSRTPCallsAgainstServeOverUDP() async throws {
        try await Self.runSecure(transport: "udp")
    }

    @Test(.enabled(if: EndToEndTests.enabled, "IVRC_SKIP_SIP_E2E is set"),
          .enabled(if: TestTools.venvImports("pjsua2"), TestTools.missingPython("pjsua2 (PyPI pjsua2-python) is")),
          .timeLimit(.minutes(10)))
    func pjsipSRTPCallsAgainstServeOverTCP() async throws {
        try await Self.runSecure(transport: "tcp")
    }

    /// Over TLS with a certificate the script makes with openssl.
    @Test(.enabled(if: EndToEndTests.enabled, "IVRC_SKIP_SIP_E2E is set"),
          .enabled(if: TestTools.venvImports("pjsua2"), TestTools.missingPython("pjsua2 (PyPI pjsua2-python) is")),
          .enabled(if: TestTools.onPath("openssl"), TestTools.missing("openssl", package: "openssl")),
          .timeLimit(.minutes(10)))
    func pjsipSRTPCallsAgainstServeOverTLS() async throws {
        try await Self.runSecure(transport: "tls")
    }

    static func runSecure(transport: String) async throws {
        try await runScript("scripts/sip-e2e-secure.sh", environment: ["SIP_E2E_TRANSPORT": transport],
                            checks: ["srtp-answered", "srtp-hears-prompt", "srtp-dtmf-rfc4733", "plain-refused-488", "record-srtp",
                                     "record-srtp-dtmf", "record-srtp-nothing-dropped", "keys-seen-in-sdp", "keys-not-logged"],
                            label: "\(transport): ")
    }
}
