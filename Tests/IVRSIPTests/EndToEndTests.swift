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

    /// Runs an e2e script (with the built ivrc and `environment` added) and
    /// expects no FAIL line, a PASS line for every name in `checks`, the
    /// RESULT line and exit status 0. `label` starts each message.
    static func runScript(_ script: String, environment: [String: String] = [:], checks: [String], label: String = "") async throws {
        var env = ProcessInfo.processInfo.environment
        if let ivrc = builtIVRC { env["IVRC_BIN"] = ivrc }
        env.merge(environment) { $1 }
        let run = try await runProcess("/bin/bash", [root.appendingPathComponent(script).path], environment: env)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let failures = lines.filter { $0.hasPrefix("FAIL") }
        #expect(failures.isEmpty, "\(label)\(failures.joined(separator: "\n"))\n\(run.stdout.suffix(3000))")
        for check in checks {
            #expect(lines.contains { $0.hasPrefix("PASS \(check) ") || $0 == "PASS \(check)" }, "\(label)no PASS line for \(check)")
        }
        #expect(lines.contains("RESULT all passed"), "\(label)no RESULT line")
        #expect(run.status == 0, "\(label)\(run.stderr.suffix(2000))")
    }

    @Test(.enabled(if: enabled, "IVRC_SKIP_SIP_E2E is set"),
          .enabled(if: TestTools.venvImports("pjsua2"), TestTools.missingPython("pjsua2 (PyPI pjsua2-python) is")),
          .timeLimit(.minutes(10)))
    func pjsipCallsAgainstServe() async throws {
        try await Self.runScript("scripts/sip-e2e.sh", checks: [
            "hears-prompt", "dtmf-rfc4733", "dtmf-sip-info", "transfer", "transfer-refer-to", "transfer-declined",
            "caller-hangup", "voicemail-ends", "concurrent-answered", "concurrent-completed", "shutdown",
            "record-sensitive-redacted", "record-transfer", "record-caller-hangup", "record-concurrent-pins", "voicemail-wav"])
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
        try await Self.runScript("scripts/sip-e2e.sh",
                                 environment: ["SIP_E2E_TRANSPORT": transport, "SIP_E2E_ONLY": "hears-prompt,dtmf-rfc4733,transfer"],
                                 checks: ["hears-prompt", "dtmf-rfc4733", "transfer", "transfer-refer-to", "transfer-same-connection", "shutdown"],
                                 label: "\(transport): ")
    }
}
