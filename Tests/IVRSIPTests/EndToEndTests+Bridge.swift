import Foundation
import IVRTestSupport
import Testing

/// Bridged transfers with real PJSIP peers (scripts/sip-e2e-bridge.sh):
/// one PJSIP endpoint is the caller and the agents; `ivrc serve` places the
/// agent's call and joins the two. The caller's 697 Hz reaches the agent
/// and the agent's 1209 Hz the caller (Goertzel on what each recorded); the
/// caller's RFC 4733 key reaches the agent; the agent hanging up ends the
/// caller's call and the reverse; a busy agent (486) and a confirm nobody
/// presses run `on-fail`; `auto` bridges when the caller refuses the REFER
/// (603); the records carry the bridge, with talk seconds within 0.2 s of
/// what the driver measured, and the stereo recording has the caller left
/// and the agent right. In `EndToEndTests`, so it never runs beside the
/// other PJSIP calls. Set IVRC_SKIP_SIP_E2E=1 to skip it.
extension EndToEndTests {
    @Test(.enabled(if: EndToEndTests.enabled, "IVRC_SKIP_SIP_E2E is set"),
          .enabled(if: TestTools.venvImports("pjsua2"), TestTools.missingPython("pjsua2 (PyPI pjsua2-python) is")),
          .timeLimit(.minutes(10)))
    func pjsipBridgedTransfers() async throws {
        try await Self.runScript("scripts/sip-e2e-bridge.sh", checks: [
            "talk-agent-hangs-up", "talk-dtmf", "talk-agent-hears-caller", "talk-caller-hears-agent", "caller-hangs-up",
            "busy-runs-on-fail", "confirm-not-pressed-ends-agent", "confirm-not-pressed-runs-on-fail", "confirm-whisper-heard",
            "auto-refer-refused-then-bridged", "record-talk", "record-talk-seconds", "record-caller-hangs-up", "record-busy",
            "record-confirm-not-pressed", "record-auto-bridged", "record-stereo-wav"])
    }
}
