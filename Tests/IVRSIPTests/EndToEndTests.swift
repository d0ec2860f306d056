import Foundation
import IVRTestSupport
import Testing

/// Real calls from PJSIP against `ivrc serve` (scripts/sip-e2e.sh): the
/// caller hears the prompt, DTMF by RFC 4733 and SIP INFO, REFER transfer,
/// hang-up mid-prompt, voicemail, 20 concurrent calls, graceful shutdown.
/// PJSIP comes from PyPI's pjsua2-python in .build/test-venv (installed by scripts/test.sh).
/// Set IVRC_SKIP_SIP_E2E=1 to skip it (it takes about two minutes).
@Suite(.serialized) struct EndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let enabled = ProcessInfo.processInfo.environment["IVRC_SKIP_SIP_E2E"] == nil

    /// The ivrc built with the tests (so the script need not run SwiftPM inside `swift test`).
    static var builtIVRC: String? {
        for config in ["debug", "release"] {
            let path = root.appendingPathComponent(".build/\(config)/ivrc").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    @Test(.enabled(if: enabled, "IVRC_SKIP_SIP_E2E is set"),
          .enabled(if: TestTools.venvImports("pjsua2"), TestTools.missingPython("pjsua2 (PyPI pjsua2-python) is")),
          .timeLimit(.minutes(10)))
    func pjsipCallsAgainstServe() async throws {
        var env = ProcessInfo.processInfo.environment
        if let ivrc = Self.builtIVRC { env["IVRC_BIN"] = ivrc }
        let run = try await runProcess("/bin/bash", [Self.root.appendingPathComponent("scripts/sip-e2e.sh").path], environment: env)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let failures = lines.filter { $0.hasPrefix("FAIL") }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        for check in ["hears-prompt", "dtmf-rfc4733", "dtmf-sip-info", "transfer", "transfer-refer-to", "transfer-declined",
                      "caller-hangup", "voicemail-ends", "concurrent-answered", "concurrent-completed", "shutdown",
                      "record-sensitive-redacted", "record-transfer", "record-caller-hangup", "record-concurrent-pins",
                      "voicemail-wav"] {
            #expect(lines.contains { $0.hasPrefix("PASS \(check) ") || $0 == "PASS \(check)" }, "no PASS line for \(check)")
        }
        #expect(lines.contains("RESULT all passed"))
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
    }

    /// The same script over TCP, and over TLS with a certificate it makes
    /// (PJSIP verifies it with the CA): the prompt is heard, RFC 4733 DTMF
    /// chooses an option, and the REFER of a transfer comes back on the
    /// connection PJSIP opened (its log shows the server's port as the far end).
    @Test(.enabled(if: enabled, "IVRC_SKIP_SIP_E2E is set"),
          .enabled(if: TestTools.venvImports("pjsua2"), TestTools.missingPython("pjsua2 (PyPI pjsua2-python) is")),
          .enabled(if: TestTools.onPath("openssl"), TestTools.missing("openssl", package: "openssl")),
          .timeLimit(.minutes(5)),
          arguments: ["tcp", "tls"])
    func pjsipCallsServeOverStreams(transport: String) async throws {
        var env = ProcessInfo.processInfo.environment
        if let ivrc = Self.builtIVRC { env["IVRC_BIN"] = ivrc }
        env["SIP_E2E_TRANSPORT"] = transport
        env["SIP_E2E_ONLY"] = "hears-prompt,dtmf-rfc4733,transfer"
        let run = try await runProcess("/bin/bash", [Self.root.appendingPathComponent("scripts/sip-e2e.sh").path], environment: env)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let failures = lines.filter { $0.hasPrefix("FAIL") }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))\n\(run.stdout.suffix(3000))")
        for check in ["hears-prompt", "dtmf-rfc4733", "transfer", "transfer-refer-to", "transfer-same-connection", "shutdown"] {
            #expect(lines.contains { $0.hasPrefix("PASS \(check) ") || $0 == "PASS \(check)" }, "no PASS line for \(check)")
        }
        #expect(lines.contains("RESULT all passed"))
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
    }
}
